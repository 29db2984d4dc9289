"""Input and output shapes of the accounts API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    ReviewerProfile,
    User,
)
from portal.accounts.services import API_TOKEN_DEFAULT_DAYS, API_TOKEN_MAX_DAYS
from portal.lib.taxonomy import Sector, TaskType


class StrictInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Reject keys the serializer does not know instead of ignoring them."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = set(getattr(self, "initial_data", {}) or {}) - set(self.fields)
        if unknown:
            raise serializers.ValidationError(
                {
                    key: [_("This field cannot be changed here.")]
                    for key in sorted(unknown)
                }
            )
        return attrs


class OrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    is_verified = serializers.BooleanField(read_only=True)
    # Not a URLField: the site is optional, and "" is not a URI.
    website = serializers.CharField(
        read_only=True, help_text="The organisation's web site, or empty."
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "slug",
            "kind",
            "name_zh",
            "name_en",
            "description_zh",
            "description_en",
            "website",
            "is_verified",
            "verified_at",
            "url",
        ]
        read_only_fields = fields


class OrganisationBriefSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    is_verified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["slug", "kind", "name_zh", "name_en", "is_verified"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["organisation", "role", "created_at"]
        read_only_fields = fields


class ReviewerProfileSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=Sector.choices)
    )
    task_types = serializers.ListField(
        child=serializers.ChoiceField(choices=TaskType.choices)
    )
    affiliations = serializers.ListField(child=serializers.CharField(max_length=200))
    collaborations = serializers.ListField(child=serializers.CharField(max_length=200))

    class Meta:
        model = ReviewerProfile
        fields = [
            "bio_zh",
            "bio_en",
            "sectors",
            "task_types",
            "affiliations",
            "collaborations",
            "updated_at",
        ]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    is_email_verified = serializers.BooleanField(read_only=True)
    is_operator = serializers.BooleanField(read_only=True)
    memberships = MembershipSerializer(
        source="active_memberships", many=True, read_only=True
    )
    reviewer_profile = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "language",
            "is_email_verified",
            "email_verified_at",
            "is_operator",
            "memberships",
            "reviewer_profile",
        ]
        read_only_fields = fields

    @extend_schema_field(ReviewerProfileSerializer(allow_null=True))
    def get_reviewer_profile(self, user: User) -> dict[str, Any] | None:
        profile = self.context.get("reviewer_profile")
        if profile is None:
            return None
        return ReviewerProfileSerializer(profile).data


class MeUpdateSerializer(StrictInputSerializer):
    first_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    last_name = serializers.CharField(max_length=150, allow_blank=True, required=False)
    language = serializers.ChoiceField(
        choices=User._meta.get_field("language").choices, required=False
    )


class TokenObtainSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField()
    password = serializers.CharField(
        style={"input_type": "password"}, trim_whitespace=False
    )
    name = serializers.CharField(
        max_length=ApiToken._meta.get_field("name").max_length,
        required=False,
        help_text=_("A label for the token; by default “API login” and the date."),
    )
    scope = serializers.ChoiceField(
        choices=ApiToken.Scope.choices,
        default=ApiToken.Scope.WRITE,
        help_text=_("“read” allows only GET, HEAD and OPTIONS requests."),
    )
    expires_in_days = serializers.IntegerField(
        min_value=1,
        max_value=API_TOKEN_MAX_DAYS,
        allow_null=True,
        default=API_TOKEN_DEFAULT_DAYS,
        help_text=_("Lifetime in days; null for a token that never expires."),
    )


class TokenSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A new token with its key, which is never shown again."""

    token = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["token", "id", "name", "prefix", "scope", "created_at", "expires_at"]
        read_only_fields = fields

    def get_token(self, token: ApiToken) -> str:
        return str(self.context["key"])


class NotificationPreferenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    in_app = serializers.BooleanField(read_only=True)
    email = serializers.BooleanField(read_only=True)
    locked = serializers.BooleanField(read_only=True)


class NotificationPreferencesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    preferences = NotificationPreferenceSerializer(many=True, read_only=True)


class NotificationPreferenceInputSerializer(StrictInputSerializer):
    category = serializers.CharField(max_length=16)
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class NotificationPreferencesUpdateSerializer(StrictInputSerializer):
    preferences = NotificationPreferenceInputSerializer(many=True)
