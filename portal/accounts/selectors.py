"""Reads about people and organisations, shared by HTML views and the API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

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
)
from portal.accounts.tokens import email_verification_token

AnyUser = User | AnonymousUser


def memberships_of(
    user: AnyUser,
    *,
    kind: str | None = None,
    verified: bool = True,
    write: bool = False,
) -> list[Membership]:
    """Return the user's memberships, filtered without further queries.

    ``verified`` keeps only organisations an operator has verified; ``write``
    keeps only owner and admin roles.
    """
    if not user.is_authenticated:
        return []
    if not isinstance(user, User):
        raise TypeError(f"Expected a User, got {type(user).__name__}.")
    result = []
    for membership in user.active_memberships:
        org = membership.organisation
        if kind is not None and org.kind != kind:
            continue
        if verified and not org.is_verified:
            continue
        if write and not membership.can_write:
            continue
        result.append(membership)
    return result


def organisation_ids_of(
    user: AnyUser,
    *,
    kind: str | None = None,
    verified: bool = True,
    write: bool = False,
) -> set[int]:
    return {
        m.organisation_id
        for m in memberships_of(user, kind=kind, verified=verified, write=write)
    }


def is_operator(user: AnyUser) -> bool:
    return bool(memberships_of(user, kind=Organisation.Kind.OPERATOR))


# Scoped fetch functions -------------------------------------------------------


def get_organisation_for_user(
    user: AnyUser, slug: str, *, write: bool = False
) -> Organisation:
    """Return the organisation if ``user`` may see it (or change it).

    Verified organisations are public; unverified ones are visible to their
    members and to operators only (404 for everybody else). With ``write``
    the user must be a member (404 otherwise) with an owner or admin role
    (403 otherwise).
    """
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404
    membership = membership_in(user, organisation)
    if write:
        if membership is None:
            raise Http404
        if not membership.can_write:
            raise PermissionDenied
        return organisation
    if organisation.is_verified or membership is not None or is_operator(user):
        return organisation
    raise Http404


def get_api_token_for_user(user: AnyUser, pk: int) -> ApiToken:
    """Return one of the user's own API tokens, or raise 404."""
    if not user.is_authenticated:
        raise Http404
    token = ApiToken.objects.filter(pk=pk, user_id=user.pk).first()
    if token is None:
        raise Http404
    return token


def get_notification_for_user(user: AnyUser, pk: int) -> Notification:
    """Return one of the user's own notifications, or raise 404."""
    if not user.is_authenticated:
        raise Http404
    notification = Notification.objects.filter(
        pk=pk, user_id=user.pk, in_inbox=True
    ).first()
    if notification is None:
        raise Http404
    return notification


# Reads ---------------------------------------------------------------------------


def membership_in(user: AnyUser, organisation: Organisation) -> Membership | None:
    """Return the user's membership of ``organisation`` (verified or not)."""
    for membership in memberships_of(user, verified=False):
        if membership.organisation_id == organisation.pk:
            return membership
    return None


_ROLE_ORDER: dict[str, int] = {
    Membership.Role.OWNER: 0,
    Membership.Role.ADMIN: 1,
    Membership.Role.MEMBER: 2,
}


def organisation_member_list(*, organisation: Organisation) -> list[Membership]:
    """Return the memberships with their users, owners first."""
    memberships = list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__username")
    )
    memberships.sort(key=lambda m: _ROLE_ORDER.get(m.role, 9))
    return memberships


def organisation_owner_list(*, organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organisation=organisation,
        memberships__role=Membership.Role.OWNER,
        is_active=True,
    )


def organisation_list() -> QuerySet[Organisation]:
    """Return the verified organisations, the public directory."""
    return Organisation.objects.filter(verified_at__isnull=False).order_by("name_en")


def organisation_queue() -> QuerySet[Organisation]:
    """Return organisations waiting for an operator, oldest first, with owners."""
    owners = Membership.objects.filter(role=Membership.Role.OWNER).select_related(
        "user"
    )
    return (
        Organisation.objects.filter(verified_at__isnull=True, rejected_at__isnull=True)
        .prefetch_related(Prefetch("memberships", queryset=owners, to_attr="owners"))
        .order_by("created_at", "pk")
    )


def operator_list() -> QuerySet[User]:
    """Return the active members of verified operator organisations."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation__kind=Organisation.Kind.OPERATOR,
        memberships__organisation__verified_at__isnull=False,
    ).distinct()


def reviewer_profile_get(*, user: AnyUser) -> ReviewerProfile | None:
    if not user.is_authenticated:
        return None
    return ReviewerProfile.objects.filter(user_id=user.pk).first()


def notification_list(*, user: User) -> QuerySet[Notification]:
    """The user's inbox: e-mail-only rows (``in_inbox`` off) are left out."""
    return Notification.objects.filter(user=user, in_inbox=True).order_by(
        "-created_at", "-pk"
    )


@dataclass(frozen=True)
class PreferenceRow:
    category: str
    label: str
    in_app: bool
    email: bool
    # Always delivered on both channels (``LOCKED_CATEGORIES``).
    locked: bool


def notification_preference_rows(*, user: User) -> list[PreferenceRow]:
    """Every category with the user's channels (defaults: both on)."""
    saved = {p.category: p for p in NotificationPreference.objects.filter(user=user)}
    rows = []
    for category in NotificationCategory:
        locked = category in LOCKED_CATEGORIES
        pref = None if locked else saved.get(category.value)
        rows.append(
            PreferenceRow(
                category=category.value,
                label=str(category.label),
                in_app=pref.in_app if pref else True,
                email=pref.email if pref else True,
                locked=locked,
            )
        )
    return rows


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_token_active_count(*, user: User) -> int:
    now = timezone.now()
    return (
        ApiToken.objects.filter(user=user, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .count()
    )


def user_from_verification_link(*, uidb64: str, token: str) -> User | None:
    """Return the user a verification link is for, if its token is valid."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None or not email_verification_token.check_token(user, token):
        return None
    return user


def organisation_writer_list(organisation_ids: Iterable[int]) -> list[User]:
    """Active owners and admins of the given organisations."""
    return list(
        User.objects.filter(
            memberships__organisation_id__in=list(organisation_ids),
            memberships__role__in=[Membership.Role.OWNER, Membership.Role.ADMIN],
            is_active=True,
        ).distinct()
    )


def organisation_people_list(organisation_ids: Iterable[int]) -> list[User]:
    """Every active member of the given organisations, whatever the role."""
    return list(
        User.objects.filter(
            memberships__organisation_id__in=list(organisation_ids), is_active=True
        ).distinct()
    )
