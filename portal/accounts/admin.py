"""Admin for people, organisations, reviewer profiles and notifications.

Platform operators are staff members of a verified operator organisation.
They get full use of these models without Django permissions being
assigned one by one (``OperatorAdminMixin``), but only superusers can grant
superuser status or permissions, or change a superuser's account.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework.authtoken.models import TokenProxy

from portal.accounts import selectors, services
from portal.accounts.models import (
    ApiToken,
    Membership,
    Notification,
    Organisation,
    ReviewerProfile,
    User,
)


def is_staff_operator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and selectors.is_operator(user))


class OperatorAdminMixin:
    """Let staff operators view, add, change and delete the model.

    Other apps can mix this into their ``ModelAdmin`` and inline classes.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_staff_operator(request) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_staff_operator(request) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_staff_operator(request) or super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_staff_operator(request) or super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_staff_operator(request) or super().has_delete_permission(request, obj)  # type: ignore[misc]


class UserMembershipInline(OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "created_at"]
    readonly_fields = ["created_at"]


class OrganisationMembershipInline(OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Membership
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(OperatorAdminMixin, DjangoUserAdmin):
    list_display = [
        "username",
        "email",
        "first_name",
        "last_name",
        "is_email_verified",
        "language",
        "is_staff",
        "is_demo",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "is_demo", "language"]
    search_fields = ["username", "email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [UserMembershipInline]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Portal"), {"fields": ("email_verified_at", "language", "is_demo")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(boolean=True, description=_("e-mail verified"))
    def is_email_verified(self, obj: User) -> bool:
        return obj.is_email_verified

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        # The add page only sets the credentials, like Django's own.
        return [] if obj is None else super().get_inlines(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "groups", "user_permissions"]
        return fields

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        if isinstance(obj, User) and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        if isinstance(obj, User) and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verified")
    parameter_name = "verified"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("yes", _("Verified")),
            ("no", _("Awaiting verification")),
            ("rejected", _("Rejected")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.filter(verified_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(verified_at__isnull=True, rejected_at__isnull=True)
        if self.value() == "rejected":
            return queryset.filter(verified_at__isnull=True, rejected_at__isnull=False)
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name_en",
        "name_zh",
        "slug",
        "kind",
        "is_verified",
        "is_demo",
        "created_at",
    ]
    list_filter = ["kind", VerifiedFilter, "is_demo"]
    search_fields = ["slug", "name_zh", "name_en", "website"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = [
        "verified_at",
        "verified_by",
        "rejected_at",
        "rejected_by",
        "created_at",
    ]
    fieldsets = (
        (
            None,
            {"fields": ("slug", "kind", "name_zh", "name_en", "website", "is_demo")},
        ),
        (_("Description"), {"fields": ("description_zh", "description_en")}),
        (
            _("Verification"),
            {
                "fields": (
                    "verified_at",
                    "verified_by",
                    "rejected_at",
                    "rejected_by",
                    "rejection_reason",
                    "created_at",
                )
            },
        ),
    )
    inlines = [OrganisationMembershipInline]
    actions = ["verify_selected"]
    formfield_overrides = {
        models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}
    }

    @admin.display(boolean=True, description=_("verified"))
    def is_verified(self, obj: Organisation) -> bool:
        return obj.is_verified

    @admin.action(
        description=_("Verify selected organisations"), permissions=["change"]
    )
    def verify_selected(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> None:
        operator = request.user
        if not isinstance(operator, User):
            raise PermissionDenied
        verified = 0
        for organisation in queryset.filter(verified_at__isnull=True):
            try:
                services.organisation_verify(
                    organisation=organisation, operator=request.user
                )
            except ValidationError as exc:
                self.message_user(
                    request, f"{organisation}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                verified += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d organisation verified.",
                "%(count)d organisations verified.",
                verified,
            )
            % {"count": verified},
            messages.SUCCESS,
        )


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "updated_at"]
    search_fields = ["user__username", "user__email", "bio_zh", "bio_en"]
    autocomplete_fields = ["user"]
    readonly_fields = ["updated_at"]


@admin.register(Notification)
class NotificationAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "subject",
        "user",
        "category",
        "in_inbox",
        "created_at",
        "read_at",
        "emailed_at",
    ]
    list_filter = [
        "category",
        "in_inbox",
        ("read_at", admin.EmptyFieldListFilter),
        "created_at",
    ]
    search_fields = ["subject", "user__username", "user__email"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "read_at", "emailed_at"]
    date_hierarchy = "created_at"


@admin.register(ApiToken)
class ApiTokenAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens are listed and revoked here, never made: keys are shown once,
    to their owner, on the API token page."""

    list_display = [
        "name",
        "user",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["name", "prefix", "user__username", "user__email"]
    fields = [
        "user",
        "name",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = fields
    actions = ["revoke_selected"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke_selected(
        self, request: HttpRequest, queryset: QuerySet[ApiToken]
    ) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            services.api_token_revoke(user=token.user, token_id=token.pk)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )


# DRF's token admin would let staff make plaintext tokens that no longer
# authenticate anyone (its app stays installed for migration 0005 only).
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)
