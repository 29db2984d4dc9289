"""Forms of the accounts pages. They parse and validate; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    ReviewerProfile,
    User,
    normalise_lines,
)
from portal.lib.taxonomy import Sector, TaskType

SELF_SERVICE_KIND_CHOICES = [
    (kind.value, kind.label)
    for kind in (
        Organisation.Kind.ENERGY,
        Organisation.Kind.VENDOR,
        Organisation.Kind.REVIEW,
    )
]


class SignupForm(UserCreationForm):  # type: ignore[type-arg]
    organisation_kind = forms.ChoiceField(
        label=_("Create an organisation"),
        choices=[("", _("Not now")), *SELF_SERVICE_KIND_CHOICES],
        required=False,
        help_text=_(
            "Optional. You become its owner; an operator verifies it before it "
            "can publish scenarios or submit solutions."
        ),
    )
    organisation_name_zh = forms.CharField(
        label=_("Organisation name (Chinese)"), max_length=200, required=False
    )
    organisation_name_en = forms.CharField(
        label=_("Organisation name (English)"), max_length=200, required=False
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("organisation_kind") and not (
            cleaned.get("organisation_name_zh", "").strip()
            or cleaned.get("organisation_name_en", "").strip()
        ):
            self.add_error(
                "organisation_name_en",
                _("Enter the organisation's name in Chinese or English."),
            )
        return cleaned

    def signup_data(self) -> dict[str, str]:
        """Return the arguments of ``services.user_signup``."""
        data = self.cleaned_data
        return {
            "username": data["username"],
            "email": data["email"],
            "password": data["password1"],
            "organisation_kind": data.get("organisation_kind") or "",
            "organisation_name_zh": data.get("organisation_name_zh") or "",
            "organisation_name_en": data.get("organisation_name_en") or "",
        }


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=User._meta.get_field("language").choices,
        help_text=_("Used for the pages you see and the e-mails you receive."),
    )
    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Needed only when you change your e-mail address."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        kwargs.setdefault(
            "initial",
            {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "language": user.language,
            },
        )
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        others = User.objects.filter(email__iexact=email).exclude(pk=self.user.pk)
        if others.exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists.")
            )
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        email = cleaned.get("email")
        if email and email.lower() != self.user.email.lower():
            password = cleaned.get("current_password") or ""
            if not self.user.check_password(password):
                self.add_error(
                    "current_password",
                    _("Enter your current password to change your e-mail address."),
                )
        return cleaned

    def profile_data(self) -> dict[str, str]:
        """Return the arguments of ``services.user_profile_update``."""
        return {
            name: self.cleaned_data[name]
            for name in ("first_name", "last_name", "email", "language")
        }


def _clean_lines(text: str) -> list[str]:
    lines = normalise_lines(text.splitlines())
    if len(lines) > ReviewerProfile.MAX_DECLARED_ITEMS:
        raise forms.ValidationError(
            _("Enter at most %(max)d lines."),
            params={"max": ReviewerProfile.MAX_DECLARED_ITEMS},
        )
    too_long = [
        line for line in lines if len(line) > ReviewerProfile.MAX_DECLARED_LENGTH
    ]
    if too_long:
        raise forms.ValidationError(
            _("Keep each line to %(max)d characters or fewer."),
            params={"max": ReviewerProfile.MAX_DECLARED_LENGTH},
        )
    return lines


class ReviewerProfileForm(forms.Form):
    bio_zh = forms.CharField(
        label=_("Biography (Chinese)"), required=False, widget=forms.Textarea
    )
    bio_en = forms.CharField(
        label=_("Biography (English)"), required=False, widget=forms.Textarea
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors of expertise"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    task_types = forms.MultipleChoiceField(
        label=_("Task types of expertise"),
        choices=TaskType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    affiliations = forms.CharField(
        label=_("Declared affiliations"),
        required=False,
        widget=forms.Textarea,
        help_text=_(
            "Organisations you work for, advise or hold shares in; one per line."
        ),
    )
    collaborations = forms.CharField(
        label=_("Recent collaborations"),
        required=False,
        widget=forms.Textarea,
        help_text=_(
            "Organisations you have worked with in the last three years; one per line."
        ),
    )

    @classmethod
    def for_profile(
        cls, profile: ReviewerProfile | None, data: Any = None
    ) -> ReviewerProfileForm:
        initial: dict[str, Any] = {}
        if profile is not None:
            initial = {
                "bio_zh": profile.bio_zh,
                "bio_en": profile.bio_en,
                "sectors": profile.sectors,
                "task_types": profile.task_types,
                "affiliations": "\n".join(profile.affiliations),
                "collaborations": "\n".join(profile.collaborations),
            }
        return cls(data, initial=initial)

    def clean_affiliations(self) -> list[str]:
        return _clean_lines(self.cleaned_data["affiliations"])

    def clean_collaborations(self) -> list[str]:
        return _clean_lines(self.cleaned_data["collaborations"])


class OrganisationForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), required=False, widget=forms.Textarea
    )
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    @classmethod
    def for_organisation(
        cls, organisation: Organisation, data: Any = None
    ) -> OrganisationForm:
        initial = {
            name: getattr(organisation, name)
            for name in (
                "name_zh",
                "name_en",
                "description_zh",
                "description_en",
                "website",
            )
        }
        return cls(data, initial=initial)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (
            cleaned.get("name_zh", "").strip() or cleaned.get("name_en", "").strip()
        ):
            self.add_error(
                "name_en", _("Enter the organisation's name in Chinese or English.")
            )
        return cleaned


class OrganisationCreateForm(OrganisationForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SELF_SERVICE_KIND_CHOICES)

    field_order = [
        "kind",
        "name_zh",
        "name_en",
        "description_zh",
        "description_en",
        "website",
    ]


class MemberAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person must already have an account."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class OrganisationRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the organisation's owners."),
    )


class NotificationPreferencesForm(forms.Form):
    """Two check boxes (in the portal, by e-mail) per switchable category."""

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if row.locked:
                continue
            self.fields[f"{row.category}-in_app"] = forms.BooleanField(
                label=_("In the portal"), required=False, initial=row.in_app
            )
            self.fields[f"{row.category}-email"] = forms.BooleanField(
                label=_("By e-mail"), required=False, initial=row.email
            )

    def preferences(self) -> dict[str, tuple[bool, bool]]:
        return {
            row.category: (
                self.cleaned_data[f"{row.category}-in_app"],
                self.cleaned_data[f"{row.category}-email"],
            )
            for row in self.rows
            if not row.locked
        }

    def table(self) -> list[tuple[Any, Any, Any]]:
        """(row, in-app field, e-mail field) for the template."""
        return [
            (
                row,
                None if row.locked else self[f"{row.category}-in_app"],
                None if row.locked else self[f"{row.category}-email"],
            )
            for row in self.rows
        ]


class ApiTokenForm(forms.Form):
    """Name, scope and lifetime of a new personal access token."""

    NEVER = "never"

    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, e.g. “nightly forecast upload”."),
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_(
            "A read-only token can only read (GET requests); "
            "a read and write token can do everything you can."
        ),
    )
    expires_in_days = forms.ChoiceField(
        label=_("Expires"),
        choices=[
            ("30", _("In 30 days")),
            ("90", _("In 90 days")),
            ("365", _("In a year")),
            (NEVER, _("Never")),
        ],
        initial="90",
    )

    def token_data(self) -> dict[str, Any]:
        """Return the keyword arguments of ``services.api_token_create``."""
        days = self.cleaned_data["expires_in_days"]
        return {
            "name": self.cleaned_data["name"],
            "scope": self.cleaned_data["scope"],
            "expires_in_days": None if days == self.NEVER else int(days),
        }
