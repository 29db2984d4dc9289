"""People, organisations, memberships, reviewer profiles and notifications."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.lib.taxonomy import Sector, TaskType


def pick_language(zh: str, en: str) -> str:
    """Return the text for the active language, falling back to the other."""
    if (get_language() or "zh-hans").startswith("en"):
        return en or zh
    return zh or en


def normalise_lines(lines: Iterable[str]) -> list[str]:
    """Return the non-blank lines, trimmed, without case-insensitive repeats.

    The first spelling of a repeated line is kept.
    """
    result: dict[str, str] = {}
    for line in lines:
        cleaned = " ".join(line.split())
        if cleaned:
            result.setdefault(cleaned.casefold(), cleaned)
    return list(result.values())


class User(AbstractUser):
    email = models.EmailField(_("email address"), unique=True)
    email_verified_at = models.DateTimeField(
        _("email verified at"), null=True, blank=True
    )
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by the demo data loader."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_email_verified(self) -> bool:
        return self.email_verified_at is not None

    @cached_property
    def active_memberships(self) -> list[Membership]:
        """Memberships with their organisations, loaded once per request."""
        return list(self.memberships.select_related("organisation").order_by("pk"))

    @cached_property
    def is_operator(self) -> bool:
        return any(
            m.organisation.kind == Organisation.Kind.OPERATOR
            and m.organisation.is_verified
            for m in self.active_memberships
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ENERGY = "energy", _("Energy company")
        VENDOR = "vendor", _("AI vendor")
        REVIEW = "review", _("Review body")
        OPERATOR = "operator", _("Platform operator")

    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    website = models.URLField(_("website"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    is_demo = models.BooleanField(_("demo organisation"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation", args=[self.slug])

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_rejected(self) -> bool:
        return self.verified_at is None and self.rejected_at is not None


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ADMIN = "admin", _("Administrator")
        MEMBER = "member", _("Member (read-only)")

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def can_write(self) -> bool:
        return self.role in (self.Role.OWNER, self.Role.ADMIN)


class ReviewerProfile(models.Model):
    """Expertise and declared ties of a domain expert.

    Sectors and task types use the values of ``portal.lib.taxonomy``;
    affiliations and collaborations are free text, matched later when
    conflicts of interest are detected.
    """

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="reviewer_profile"
    )
    bio_zh = models.TextField(_("biography (Chinese)"), blank=True)
    bio_en = models.TextField(_("biography (English)"), blank=True)
    sectors = models.JSONField(_("sectors of expertise"), default=list, blank=True)
    task_types = models.JSONField(
        _("task types of expertise"), default=list, blank=True
    )
    affiliations = models.JSONField(
        _("declared affiliations"),
        default=list,
        blank=True,
        help_text=_("Organisations you work for, advise or hold shares in."),
    )
    collaborations = models.JSONField(
        _("recent collaborations"),
        default=list,
        blank=True,
        help_text=_("Organisations you have worked with in the last three years."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reviewer profile")
        verbose_name_plural = _("reviewer profiles")

    MAX_DECLARED_ITEMS = 50
    MAX_DECLARED_LENGTH = 200

    def __str__(self) -> str:
        return f"{self.user}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        for field, choices in (("sectors", Sector), ("task_types", TaskType)):
            values = getattr(self, field)
            if not isinstance(values, list) or not all(
                isinstance(v, str) and v in choices.values for v in values
            ):
                errors[field] = [_("Choose values from the list.")]
        for field in ("affiliations", "collaborations"):
            lines = getattr(self, field)
            if not isinstance(lines, list) or not all(
                isinstance(line, str) and line.strip() for line in lines
            ):
                errors[field] = [_("Enter a list of names.")]
            elif len(lines) > self.MAX_DECLARED_ITEMS:
                errors[field] = [
                    _("Enter at most %(max)d lines.") % {"max": self.MAX_DECLARED_ITEMS}
                ]
            elif any(len(line) > self.MAX_DECLARED_LENGTH for line in lines):
                errors[field] = [
                    _("Keep each line to %(max)d characters or fewer.")
                    % {"max": self.MAX_DECLARED_LENGTH}
                ]
        if errors:
            raise ValidationError(errors)

    @property
    def bio(self) -> str:
        return pick_language(self.bio_zh, self.bio_en)

    def sector_labels(self) -> list[str]:
        return [Sector(v).label for v in self.sectors if v in Sector.values]

    def task_type_labels(self) -> list[str]:
        return [TaskType(v).label for v in self.task_types if v in TaskType.values]


class NotificationCategory(models.TextChoices):
    """What a notification is about; each user chooses the channels per
    category (``NotificationPreference``), except the locked ones."""

    GENERAL = "general", _("General")
    ACCOUNT = "account", _("Account and organisations")
    SCENARIOS = "scenarios", _("Scenarios, data access and test suites")
    REVIEWS = "reviews", _("Reviews: assignments, reminders, decisions")
    LIFECYCLE = "lifecycle", _("Solution stage changes")
    GATES = "gates", _("Gate failures")
    PILOTS = "pilots", _("Pilot deadlines")
    LEDGER = "ledger", _("Ledger verification failures")


# Always delivered on both channels, whatever the preferences: general
# messages (no category was given) and ledger failures, which tell the
# operators that the audit trail may have been tampered with.
LOCKED_CATEGORIES = frozenset(
    {NotificationCategory.GENERAL, NotificationCategory.LEDGER}
)


class NotificationPreference(models.Model):
    """A user's channels for one category; no row means both are on."""

    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    category = models.CharField(
        _("category"), max_length=16, choices=NotificationCategory.choices
    )
    in_app = models.BooleanField(_("in the portal"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="notification_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.category}"


class Notification(models.Model):
    """A message in a user's inbox; the e-mail copy is sent by a task.

    A row with ``in_inbox`` off is an e-mail only: its recipient switched
    the portal channel off for the category but kept e-mail. It stays out
    of the inbox and the unread count; it exists so that the e-mail task
    can claim it by id.
    """

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    category = models.CharField(
        _("category"),
        max_length=16,
        choices=NotificationCategory.choices,
        default=NotificationCategory.GENERAL,
    )
    in_inbox = models.BooleanField(_("shown in the portal"), default=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Set by the e-mail task when it claims the row, so that a duplicate
    # delivery of the task sends nothing.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notif_user_read")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def hash_api_key(key: str) -> str:
    """Return the SHA-256 hex digest under which an API key is stored.

    The keys are long random strings, so a plain hash is enough: a salt or
    a slow hash only helps against guessing low-entropy secrets. It is not
    keyed with ``SECRET_KEY`` either, so rotating that key leaves tokens
    working.
    """
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenManager(models.Manager["ApiToken"]):
    def for_key(self, key: str) -> ApiToken | None:
        """Return the token whose key is ``key``, revoked or not, or None.

        The lookup is by hash, so the database never compares the secret
        itself, and timing reveals nothing useful about it; the digest is
        compared again in constant time all the same.
        """
        digest = hash_api_key(key)
        token = self.select_related("user").filter(key_hash=digest).first()
        if token is None or not hmac.compare_digest(token.key_hash, digest):
            return None
        return token


class ApiToken(models.Model):
    """A personal access token for the API, one of several a user may hold.

    Only the SHA-256 hash of the key is stored; ``prefix`` (its first
    characters) lets people tell their tokens apart. A token is never
    deleted by the user, only revoked, so the list keeps its history.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(
        _("scope"), max_length=8, choices=Scope.choices, default=Scope.WRITE
    )
    prefix = models.CharField(_("prefix"), max_length=16)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenManager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now: datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        return self.expires_at <= (now or timezone.now())

    def get_status(self, now: datetime | None = None) -> ApiToken.Status:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.is_expired(now):
            return self.Status.EXPIRED
        return self.Status.ACTIVE

    @property
    def is_active(self) -> bool:
        return self.get_status() == self.Status.ACTIVE

    @property
    def is_read_only(self) -> bool:
        return self.scope == self.Scope.READ
