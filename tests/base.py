"""Shared test base with named personas.

Personas (all passwords are ``PASSWORD``):

* olivia   – platform operator (verified operator organisation, staff)
* gina     – owner of Demo Grid, a verified energy company
* gary     – read-only member of Demo Grid
* otto     – owner of Other Power, a second verified energy company
* alice    – owner of Vendor A, a verified AI vendor
* bob      – read-only member of Vendor A (alice's teammate)
* charlie  – owner of Vendor B, another verified AI vendor (outsider to A)
* uma      – owner of Unverified AI, a vendor not yet verified
* rita     – reviewer in the verified Expert Committee, with a profile
* nobody   – a signed-up user with no organisation
"""

from __future__ import annotations

from django.test import TestCase
from django.utils import timezone

from portal.accounts.models import Membership, Organisation, ReviewerProfile, User

PASSWORD = "correct horse battery staple"


def make_org(slug: str, kind: str, *, verified: bool = True) -> Organisation:
    return Organisation.objects.create(
        slug=slug,
        kind=kind,
        name_zh=f"{slug}（中文）",
        name_en=slug.replace("-", " ").title(),
        verified_at=timezone.now() if verified else None,
    )


def make_user(
    username: str, org: Organisation | None = None, role: str = "owner"
) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.com",
        password=PASSWORD,
        email_verified_at=timezone.now(),
    )
    if org is not None:
        Membership.objects.create(user=user, organisation=org, role=role)
    return user


class PortalTestCase(TestCase):
    """Base class: every persona exists in every test."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.operator_org = make_org("platform-ops", Organisation.Kind.OPERATOR)
        cls.grid = make_org("demo-grid", Organisation.Kind.ENERGY)
        cls.other_energy = make_org("other-power", Organisation.Kind.ENERGY)
        cls.vendor_a = make_org("vendor-a", Organisation.Kind.VENDOR)
        cls.vendor_b = make_org("vendor-b", Organisation.Kind.VENDOR)
        cls.unverified_vendor = make_org(
            "unverified-ai", Organisation.Kind.VENDOR, verified=False
        )
        cls.review_body = make_org("expert-committee", Organisation.Kind.REVIEW)

        cls.olivia = make_user("olivia", cls.operator_org)
        cls.olivia.is_staff = True
        cls.olivia.save(update_fields=["is_staff"])
        cls.gina = make_user("gina", cls.grid)
        cls.gary = make_user("gary", cls.grid, role=Membership.Role.MEMBER)
        cls.otto = make_user("otto", cls.other_energy)
        cls.alice = make_user("alice", cls.vendor_a)
        cls.bob = make_user("bob", cls.vendor_a, role=Membership.Role.MEMBER)
        cls.charlie = make_user("charlie", cls.vendor_b)
        cls.uma = make_user("uma", cls.unverified_vendor)
        cls.rita = make_user("rita", cls.review_body, role=Membership.Role.MEMBER)
        ReviewerProfile.objects.create(
            user=cls.rita, sectors=["grid", "wind"], task_types=["forecasting"]
        )
        cls.nobody = make_user("nobody")

    def setUp(self) -> None:
        super().setUp()
        # Assertions read English; the zh-hans catalogue is tested apart.
        self.client = self.client_class(headers={"accept-language": "en"})

    def login(self, user: User) -> None:
        self.client.force_login(
            user, backend="django.contrib.auth.backends.ModelBackend"
        )
