"""Writes about people, organisations, memberships and notifications.

Every function here is keyword-only. Writes run in one transaction and
enqueue their side effects (e-mail) with ``transaction.on_commit``, so that
nothing is sent for a write that is rolled back. The two ``*_deliver``
functions are the bodies of Celery tasks and send e-mail themselves.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.functional import Promise, lazy
from django.utils.http import urlsafe_base64_encode
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext_lazy as _

from portal.accounts import selectors
from portal.accounts.models import (
    LOCKED_CATEGORIES,
    ApiToken,
    Membership,
    Notification,
    NotificationCategory,
    NotificationPreference,
    Organisation,
    ReviewerProfile,
    User,
    hash_api_key,
    normalise_lines,
)
from portal.accounts.tasks import (
    notification_email_send as notification_email_send_task,
)
from portal.accounts.tasks import (
    verification_email_send as verification_email_send_task,
)
from portal.accounts.tokens import email_verification_token

StrOrPromise = str | Promise

# Kinds a user may create; operator organisations are made in the admin.
SELF_SERVICE_KINDS = (
    Organisation.Kind.ENERGY,
    Organisation.Kind.VENDOR,
    Organisation.Kind.REVIEW,
)
# Path segments under /accounts/organisations/ that are not organisations.
RESERVED_SLUGS = frozenset({"new", "queue"})


def _absolute_url(path: str) -> str:
    if path.startswith("/"):
        return settings.SITE_URL.rstrip("/") + path
    return path


def _lazy_name(organisation: Organisation) -> str:
    """Return the organisation's name in the language active when rendered."""
    return lazy(lambda: organisation.name, str)()


# Users and e-mail verification ------------------------------------------------


def _check_email_free(email: str, *, exclude: User | None = None) -> None:
    others = User.objects.filter(email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError(
            {"email": _("An account with this e-mail address already exists.")}
        )


@transaction.atomic
def user_signup(
    *,
    username: str,
    email: str,
    password: str,
    organisation_kind: str = "",
    organisation_name_zh: str = "",
    organisation_name_en: str = "",
) -> User:
    """Create an account, optionally with a new (unverified) organisation.

    1. Create the user with an unverified e-mail address.
    2. If ``organisation_kind`` is given, create the organisation with the
       user as its owner; it waits for an operator to verify it.
    3. After commit, send the verification e-mail.
    """
    email = User.objects.normalize_email(email).strip()
    _check_email_free(email)
    user = User(username=username, email=email)
    user.set_password(password)
    user.full_clean()
    user.save()
    if organisation_kind:
        organisation_create(
            creator=user,
            kind=organisation_kind,
            name_zh=organisation_name_zh,
            name_en=organisation_name_en,
        )
    email_verification_send(user=user)
    return user


def email_verification_send(*, user: User) -> None:
    """Send a verification link to the user's address after commit."""
    user_id = user.pk
    transaction.on_commit(lambda: verification_email_send_task.delay(user_id))


def verification_email_deliver(*, user_id: int) -> bool:
    """Send the verification e-mail now; return False if there is none to send.

    Called by the Celery task. The token is made here, from the user's
    current state, so a delayed task never sends a stale link.
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.is_email_verified or not user.email:
        return False
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    path = reverse("accounts:verify_email", args=[uidb64, token])
    context = {
        "user": user,
        "verify_url": _absolute_url(path),
        "days": settings.EMAIL_VERIFICATION_TIMEOUT // (24 * 60 * 60),
        "site_url": settings.SITE_URL,
    }
    with translation.override(user.language):
        subject = render_to_string("accounts/email/verify_email_subject.txt", context)
        body = render_to_string("accounts/email/verify_email_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    return True


@transaction.atomic
def user_verify_email(*, user: User, token: str) -> User:
    """Mark the address verified if ``token`` is still valid.

    The row is locked and the token re-checked, so a link works only once
    even when two requests race.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not email_verification_token.check_token(locked, token):
        raise ValidationError(
            _("This verification link is invalid or has already been used.")
        )
    locked.email_verified_at = timezone.now()
    locked.save(update_fields=["email_verified_at"])
    user.email_verified_at = locked.email_verified_at
    return locked


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    language: str | None = None,
) -> User:
    """Update the given fields; a new e-mail address must be verified again."""
    if email is not None:
        email = User.objects.normalize_email(email).strip()
    changes: dict[str, Any] = {
        name: value
        for name, value in (
            ("first_name", first_name),
            ("last_name", last_name),
            ("email", email),
            ("language", language),
        )
        if value is not None and getattr(user, name) != value
    }
    if not changes:
        return user
    email_changed = "email" in changes
    if email_changed:
        _check_email_free(changes["email"], exclude=user)
        changes["email_verified_at"] = None
    previous = {name: getattr(user, name) for name in changes}
    for name, value in changes.items():
        setattr(user, name, value)
    try:
        user.full_clean()
    except ValidationError:
        # Leave the caller's object (often request.user) as it was.
        for name, value in previous.items():
            setattr(user, name, value)
        raise
    user.save(update_fields=list(changes))
    if email_changed:
        email_verification_send(user=user)
    return user


# Reviewer profiles -------------------------------------------------------------


@transaction.atomic
def reviewer_profile_update(
    *,
    user: User,
    bio_zh: str = "",
    bio_en: str = "",
    sectors: Iterable[str] = (),
    task_types: Iterable[str] = (),
    affiliations: Iterable[str] = (),
    collaborations: Iterable[str] = (),
) -> ReviewerProfile:
    """Create or replace the user's reviewer profile.

    Lists are trimmed and de-duplicated (keeping the first spelling) before
    they are validated.
    """
    profile = ReviewerProfile.objects.select_for_update().filter(
        user=user
    ).first() or ReviewerProfile(user=user)
    profile.bio_zh = bio_zh.strip()
    profile.bio_en = bio_en.strip()
    profile.sectors = list(dict.fromkeys(sectors))
    profile.task_types = list(dict.fromkeys(task_types))
    profile.affiliations = normalise_lines(affiliations)
    profile.collaborations = normalise_lines(collaborations)
    profile.full_clean()
    if profile.pk is None:
        profile.save()
    else:
        profile.save(
            update_fields=[
                "bio_zh",
                "bio_en",
                "sectors",
                "task_types",
                "affiliations",
                "collaborations",
                "updated_at",
            ]
        )
    return profile


# Organisations -----------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70].strip("-") or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    taken = set(
        Organisation.objects.filter(slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _fill_names(name_zh: str, name_en: str) -> tuple[str, str]:
    name_zh, name_en = name_zh.strip(), name_en.strip()
    if not (name_zh or name_en):
        raise ValidationError(
            {"name_en": _("Enter the organisation's name in Chinese or English.")}
        )
    return name_zh or name_en, name_en or name_zh


def _notify_operators(*, subject: StrOrPromise, body: StrOrPromise, url: str) -> None:
    operators = list(selectors.operator_list())
    if operators:
        notification_send(
            users=operators,
            subject=subject,
            body=body,
            url=url,
            category=NotificationCategory.ACCOUNT,
        )


def _notify_owners(
    *, organisation: Organisation, subject: StrOrPromise, body: StrOrPromise
) -> None:
    owners = list(selectors.organisation_owner_list(organisation=organisation))
    if owners:
        notification_send(
            category=NotificationCategory.ACCOUNT,
            users=owners,
            subject=subject,
            body=body,
            url=organisation.get_absolute_url(),
        )


@transaction.atomic
def organisation_create(
    *,
    creator: User,
    kind: str,
    name_zh: str = "",
    name_en: str = "",
    description_zh: str = "",
    description_en: str = "",
    website: str = "",
) -> Organisation:
    """Create an unverified organisation owned by ``creator``.

    Operators are notified so that they can verify it.
    """
    if kind not in SELF_SERVICE_KINDS:
        raise ValidationError(
            {"kind": _("Choose an energy company, an AI vendor or a review body.")}
        )
    name_zh, name_en = _fill_names(name_zh, name_en)
    organisation = Organisation(
        slug=_unique_slug(name_en),
        kind=kind,
        name_zh=name_zh,
        name_en=name_en,
        description_zh=description_zh.strip(),
        description_en=description_en.strip(),
        website=website.strip(),
    )
    organisation.full_clean()
    organisation.save()
    membership = Membership(
        user=creator, organisation=organisation, role=Membership.Role.OWNER
    )
    membership.full_clean()
    membership.save()
    # The cached list on the user object no longer holds every membership.
    creator.__dict__.pop("active_memberships", None)
    _notify_operators(
        subject=format_lazy(
            _("New organisation awaiting verification: {name}"),
            name=_lazy_name(organisation),
        ),
        body=format_lazy(
            _("{user} registered {name}. Please check it and verify or reject it."),
            user=str(creator),
            name=_lazy_name(organisation),
        ),
        url=reverse("accounts:organisation_queue"),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *,
    organisation: Organisation,
    name_zh: str,
    name_en: str,
    description_zh: str = "",
    description_en: str = "",
    website: str = "",
) -> Organisation:
    """Update the public details; a rejected organisation returns to the queue."""
    name_zh, name_en = _fill_names(name_zh, name_en)
    organisation.name_zh = name_zh
    organisation.name_en = name_en
    organisation.description_zh = description_zh.strip()
    organisation.description_en = description_en.strip()
    organisation.website = website.strip()
    fields = ["name_zh", "name_en", "description_zh", "description_en", "website"]
    resubmitted = organisation.is_rejected
    if resubmitted:
        organisation.rejected_at = None
        organisation.rejected_by = None
        organisation.rejection_reason = ""
        fields += ["rejected_at", "rejected_by", "rejection_reason"]
    organisation.full_clean()
    organisation.save(update_fields=fields)
    if resubmitted:
        _notify_operators(
            subject=format_lazy(
                _("Organisation resubmitted for verification: {name}"),
                name=_lazy_name(organisation),
            ),
            body=_(
                "The organisation was changed after a rejection. Please check it again."
            ),
            url=reverse("accounts:organisation_queue"),
        )
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, operator: User) -> Organisation:
    """Verify the organisation, record who did it and notify its owners.

    The caller checks that ``operator`` may verify organisations.
    """
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.is_verified:
        raise ValidationError(_("This organisation is already verified."))
    locked.verified_at = timezone.now()
    locked.verified_by = operator
    locked.rejected_at = None
    locked.rejected_by = None
    locked.rejection_reason = ""
    locked.full_clean()
    locked.save(
        update_fields=[
            "verified_at",
            "verified_by",
            "rejected_at",
            "rejected_by",
            "rejection_reason",
        ]
    )
    _notify_owners(
        organisation=locked,
        subject=format_lazy(_("{name} has been verified"), name=_lazy_name(locked)),
        body=_(
            "An operator has verified your organisation. Its members can now "
            "publish scenarios or submit solutions, according to its kind."
        ),
    )
    return locked


@transaction.atomic
def organisation_reject(
    *, organisation: Organisation, operator: User, reason: str
) -> Organisation:
    """Reject an unverified organisation with a reason sent to its owners.

    The organisation stays unverified and leaves the queue until its owners
    change its details.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the rejection.")})
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.is_verified:
        raise ValidationError(_("A verified organisation cannot be rejected."))
    locked.rejected_at = timezone.now()
    locked.rejected_by = operator
    locked.rejection_reason = reason
    locked.full_clean()
    locked.save(update_fields=["rejected_at", "rejected_by", "rejection_reason"])
    _notify_owners(
        organisation=locked,
        subject=format_lazy(_("{name} was not verified"), name=_lazy_name(locked)),
        body=format_lazy(
            _(
                "An operator could not verify your organisation. Reason: {reason}\n\n"
                "Update the organisation's details to ask for verification again."
            ),
            reason=reason,
        ),
    )
    return locked


# Memberships -------------------------------------------------------------------


def _acting_membership(
    *, actor: User, organisation: Organisation, locked: list[Membership] | None = None
) -> Membership:
    if locked is None:
        acting = Membership.objects.filter(
            user=actor, organisation=organisation
        ).first()
    else:
        acting = next((m for m in locked if m.user_id == actor.pk), None)
    if acting is None or not acting.can_write:
        raise PermissionDenied(_("Only owners and administrators can manage members."))
    return acting


@transaction.atomic
def membership_add(
    *, actor: User, organisation: Organisation, email: str, role: str
) -> Membership:
    """Add an existing user, found by e-mail address, to the organisation.

    Only owners can add another owner.
    """
    acting = _acting_membership(actor=actor, organisation=organisation)
    if role == Membership.Role.OWNER and acting.role != Membership.Role.OWNER:
        raise PermissionDenied(_("Only owners can make someone an owner."))
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {"email": _("Nobody has signed up with this e-mail address.")}
        )
    if Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    notification_send(
        category=NotificationCategory.ACCOUNT,
        users=[user],
        subject=format_lazy(
            _("You have been added to {name}"), name=_lazy_name(organisation)
        ),
        body=format_lazy(
            _("{actor} added you to the organisation with the role “{role}”."),
            actor=str(actor),
            role=Membership.Role(role).label,
        ),
        url=organisation.get_absolute_url(),
    )
    return membership


def _lock_memberships(organisation: Organisation) -> list[Membership]:
    # Locking every membership of the organisation serialises concurrent
    # role changes, so two owners cannot demote each other at once.
    return list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation)
        .order_by("pk")
    )


def _check_owner_rules(
    *, acting: Membership, target: Membership, locked: list[Membership], new_role: str
) -> None:
    is_owner = acting.role == Membership.Role.OWNER
    if not is_owner and Membership.Role.OWNER in (target.role, new_role):
        raise PermissionDenied(_("Only owners can grant or take away the owner role."))
    owners = [m for m in locked if m.role == Membership.Role.OWNER]
    losing_an_owner = (
        target.role == Membership.Role.OWNER and new_role != Membership.Role.OWNER
    )
    if losing_an_owner and len(owners) <= 1:
        raise ValidationError(_("An organisation must keep at least one owner."))


@transaction.atomic
def membership_change_role(
    *, actor: User, membership: Membership, role: str
) -> Membership:
    """Change a member's role, keeping at least one owner.

    Administrators cannot grant the owner role or change an owner's role.
    """
    locked = _lock_memberships(membership.organisation)
    acting = _acting_membership(
        actor=actor, organisation=membership.organisation, locked=locked
    )
    target = next((m for m in locked if m.pk == membership.pk), None)
    if target is None:
        raise ValidationError(_("This person is no longer a member."))
    if target.role == role:
        return target
    _check_owner_rules(acting=acting, target=target, locked=locked, new_role=role)
    target.role = role
    target.full_clean()
    target.save(update_fields=["role"])
    return target


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a member, keeping at least one owner.

    Administrators cannot remove an owner.
    """
    locked = _lock_memberships(membership.organisation)
    acting = _acting_membership(
        actor=actor, organisation=membership.organisation, locked=locked
    )
    target = next((m for m in locked if m.pk == membership.pk), None)
    if target is None:
        return
    _check_owner_rules(acting=acting, target=target, locked=locked, new_role="")
    target.delete()


# Notifications -------------------------------------------------------------------


def _channels(users: list[User], category: str) -> dict[int, tuple[bool, bool]]:
    """Return ``{user id: (in app, e-mail)}`` for ``category``."""
    if category in LOCKED_CATEGORIES:
        return {}
    return {
        user_id: (in_app, email)
        for user_id, in_app, email in NotificationPreference.objects.filter(
            user_id__in=[u.pk for u in users], category=category
        ).values_list("user_id", "in_app", "email")
    }


@transaction.atomic
def notification_send(
    *,
    users: Iterable[User],
    subject: StrOrPromise,
    body: StrOrPromise,
    url: str = "",
    category: str = NotificationCategory.GENERAL,
) -> list[Notification]:
    """Store a notification per recipient and e-mail each copy after commit.

    ``subject`` and ``body`` may be lazy translation strings (``gettext_lazy``
    or ``format_lazy``); they are rendered in each recipient's language.
    ``url`` is a site path ("/scenarios/…") or an absolute http(s) address.

    Each recipient's preferences for ``category`` decide the channels: with
    the portal channel off the row is kept out of the inbox (it only carries
    the e-mail), with both off nothing is stored. The general and ledger
    categories are always delivered on both (``LOCKED_CATEGORIES``).
    """
    if url and not url.startswith(("/", "https://", "http://")):
        raise ValueError(f"Notification links must be paths or http(s) URLs: {url!r}")
    if category not in NotificationCategory.values:
        raise ValueError(f"Unknown notification category: {category!r}")
    people: list[User] = []
    seen: set[int] = set()
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            people.append(user)
    channels = _channels(people, category)
    rows: list[Notification] = []
    for user in people:
        in_app, email = channels.get(user.pk, (True, True))
        if not (in_app or email):
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text_subject = " ".join(str(subject).split())
            text_body = str(body)
        notification = Notification(
            user=user,
            category=category,
            in_inbox=in_app,
            subject=text_subject[: Notification._meta.get_field("subject").max_length],
            body=text_body,
            url=url,
            # Nothing to send: the e-mail task would find the row claimed.
            emailed_at=None if email else timezone.now(),
        )
        # The user is an instance in hand; skip the per-row existence query.
        notification.full_clean(exclude=["user"])
        rows.append(notification)
    created = Notification.objects.bulk_create(rows)
    for notification in created:
        if notification.emailed_at is None:
            transaction.on_commit(
                partial(notification_email_send_task.delay, notification.pk)
            )
    return created


@transaction.atomic
def notification_preferences_save(
    *, user: User, preferences: Mapping[str, tuple[bool, bool]]
) -> list[NotificationPreference]:
    """Set the user's ``(in app, e-mail)`` channels of the given categories.

    Categories not given keep their setting. The locked categories cannot
    be switched off: asking to is an error, not a silent no-op.
    """
    errors = []
    for category, (in_app, email) in preferences.items():
        if category not in NotificationCategory.values:
            errors.append(
                format_lazy(_("Unknown notification category: {c}."), c=category)
            )
        elif category in LOCKED_CATEGORIES and not (in_app and email):
            errors.append(
                format_lazy(
                    _("“{label}” notifications cannot be switched off."),
                    label=NotificationCategory(category).label,
                )
            )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    rows = []
    for category, (in_app, email) in preferences.items():
        if category in LOCKED_CATEGORIES:
            continue
        row, _created = NotificationPreference.objects.update_or_create(
            user=user,
            category=category,
            defaults={"in_app": bool(in_app), "email": bool(email), "updated_at": now},
        )
        rows.append(row)
    return rows


def notification_email_deliver(*, notification_id: int) -> bool:
    """E-mail one notification; return False if it was already claimed.

    Not atomic on purpose: the claim (a conditional update of
    ``emailed_at``) must be committed before the slow SMTP call, so that a
    duplicate delivery of the task finds it taken. If sending fails the
    claim is released for the retry.
    """
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True
    ).update(emailed_at=timezone.now())
    if claimed != 1:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    user = notification.user
    if not user.is_active or not user.email:
        return False
    context: dict[str, Any] = {
        "notification": notification,
        "user": user,
        "link": _absolute_url(notification.url) if notification.url else "",
        "inbox_url": _absolute_url(reverse("accounts:notifications")),
    }
    with translation.override(user.language):
        message = render_to_string("accounts/email/notification_body.txt", context)
    try:
        send_mail(" ".join(notification.subject.split()), message, None, [user.email])
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; return how many."""
    return Notification.objects.filter(
        user=user, in_inbox=True, read_at__isnull=True
    ).update(read_at=timezone.now())


# API tokens -----------------------------------------------------------------------

API_TOKEN_PREFIX = "pg_"  # noqa: S105 - a marker for secret scanners, not a secret
# Characters of the key kept in clear, "pg_" included, to tell tokens apart.
API_TOKEN_VISIBLE_CHARS = len(API_TOKEN_PREFIX) + 8
API_TOKEN_DEFAULT_DAYS = 90
API_TOKEN_MAX_DAYS = 365
# ``last_used_at`` is a hint for people, not an audit trail: writing it on
# every request would turn each API read into a database write.
API_TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def _api_key_generate() -> str:
    # 32 random bytes: 256 bits, of which the visible prefix shows 48.
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    scope: str = ApiToken.Scope.WRITE,
    expires_in_days: int | None = API_TOKEN_DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it with its key.

    The key is returned this once: only its hash is stored.
    ``expires_in_days`` is between 1 and ``API_TOKEN_MAX_DAYS``, or None
    for a token that never expires.
    """
    if expires_in_days is not None and not (1 <= expires_in_days <= API_TOKEN_MAX_DAYS):
        raise ValidationError(
            {
                "expires_in_days": format_lazy(
                    _("Choose a lifetime between 1 and {days} days, or none."),
                    days=API_TOKEN_MAX_DAYS,
                )
            }
        )
    now = timezone.now()
    key = _api_key_generate()
    token = ApiToken(
        user=user,
        name=" ".join(name.split()),
        scope=scope,
        prefix=key[:API_TOKEN_VISIBLE_CHARS],
        key_hash=hash_api_key(key),
        created_at=now,
        expires_at=(
            None if expires_in_days is None else now + timedelta(days=expires_in_days)
        ),
    )
    # The user is an instance in hand; skip the existence query.
    token.full_clean(exclude=["user"])
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's tokens; revoking it again changes nothing.

    Raise ``ApiToken.DoesNotExist`` if the token is not the user's.
    """
    token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_record_use(*, token: ApiToken, now: datetime | None = None) -> bool:
    """Note that the token was used; return True if the row was written.

    Written at most once per ``API_TOKEN_USE_RESOLUTION``. The update is
    conditional, so concurrent requests with one token write it only once.
    """
    now = now or timezone.now()
    stale = now - API_TOKEN_USE_RESOLUTION
    if token.last_used_at is not None and token.last_used_at > stale:
        return False
    written = (
        ApiToken.objects.filter(pk=token.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale))
        .update(last_used_at=now)
    )
    token.last_used_at = now
    return written == 1
