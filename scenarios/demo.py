"""Load the demo content of ``scenarios/demo_data.py``, idempotently.

Every object is created through the same services the portal uses, so the
demo passes the same validation and leaves the same history as real data.
Running the loader again creates nothing new. Everything it creates is
flagged ``is_demo`` and labelled as demo in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import (
    Membership,
    Notification,
    Organisation,
    ReviewerProfile,
    User,
)
from scenarios import dataset_services, demo_data, services
from scenarios.models import AccessRequest, Dataset, HighValueList, Scenario

DEMO_PASSWORD = "energy-demo-2026"  # noqa: S105 - published demo password, local use only
DEMO_FILES = Path(__file__).resolve().parent / "demo_files"
# Real files attached to demo datasets, by dataset slug.
DATASET_FILES = {"taylor-demand-2000": ["taylor_demand_2000.csv"]}


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


def _ensure_organisations(summary: DemoSummary) -> dict[str, Organisation]:
    orgs = {}
    for row in demo_data.ORGANISATIONS:
        org, created = Organisation.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "kind": row["kind"],
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "description_zh": row.get("description_zh", ""),
                "description_en": row.get("description_en", ""),
                "website": row.get("website", ""),
                "verified_at": timezone.now(),
                "is_demo": True,
            },
        )
        if created:
            summary.count("organisations")
        orgs[org.slug] = org
    return orgs


def _ensure_people(
    summary: DemoSummary, orgs: dict[str, Organisation]
) -> dict[str, User]:
    people = {}
    for row in demo_data.PEOPLE:
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            user = User.objects.create_user(
                username=row["username"],
                email=row["email"],
                password=DEMO_PASSWORD,
                first_name=row.get("first_name", ""),
                last_name=row.get("last_name", ""),
                email_verified_at=timezone.now(),
                is_demo=True,
            )
            summary.count("users")
        org_slug = row.get("organisation")
        if org_slug:
            org = orgs[org_slug]
            Membership.objects.get_or_create(
                user=user,
                organisation=org,
                defaults={"role": row.get("role", "member")},
            )
            if org.kind == Organisation.Kind.OPERATOR and not user.is_staff:
                user.is_staff = True
                user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
        reviewer = row.get("reviewer")
        if reviewer:
            ReviewerProfile.objects.get_or_create(
                user=user,
                defaults={
                    "sectors": reviewer.get("sectors", []),
                    "task_types": reviewer.get("task_types", []),
                    "affiliations": reviewer.get("affiliations", []),
                    "collaborations": reviewer.get("collaborations", []),
                    "bio_zh": reviewer.get("bio_zh", ""),
                    "bio_en": reviewer.get("bio_en", ""),
                },
            )
        people[user.username] = user
        summary.logins.append(
            (row["username"], DEMO_PASSWORD, row.get("persona_en", ""))
        )
    return people


def _owner_user(org: Organisation) -> User:
    membership = (
        Membership.objects.filter(
            organisation=org, role__in=[Membership.Role.OWNER, Membership.Role.ADMIN]
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    if membership is None:
        raise RuntimeError(f"Demo organisation {org.slug} has no owner in PEOPLE.")
    return membership.user


def _operator_user() -> User:
    membership = (
        Membership.objects.filter(organisation__kind=Organisation.Kind.OPERATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise RuntimeError("The demo data needs an operator in PEOPLE.")
    return membership.user


def _spec(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "sector": row["sector"],
        "stage": row["stage"],
        "task_type": row["task_type"],
        "title_zh": row["title_zh"],
        "title_en": row["title_en"],
        "summary_zh": row["summary_zh"],
        "summary_en": row["summary_en"],
        "description_zh": row["description_zh"],
        "description_en": row["description_en"],
        "business_value_metric_zh": row["business_value_metric_zh"],
        "business_value_metric_en": row["business_value_metric_en"],
        "annual_value_estimate": row["annual_value_estimate_wan"],
        "data_readiness": row["data_readiness"],
        "replicable_sites": row["replicable_sites"],
        "latency_sla_ms": row.get("latency_sla_ms"),
        "deployment_mode": row["deployment_mode"],
        "requires_domestic_hardware": row.get("requires_domestic_hardware", False),
        "requires_domestic_software": row.get("requires_domestic_software", False),
        "security_zone": row["security_zone"],
        "contact_name": row["contact_name"],
        "contact_email": row["contact_email"],
    }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _ensure_dataset(
    summary: DemoSummary, scenario: Scenario, owner: User, row: dict[str, Any]
) -> None:
    if Dataset.objects.filter(slug=row["slug"]).exists():
        return
    completeness = row.get("completeness_pct")
    dataset = dataset_services.dataset_create(
        scenario=scenario,
        user=owner,
        slug=row["slug"],
        is_demo=True,
        data={
            "title_zh": row["title_zh"],
            "title_en": row["title_en"],
            "description_zh": row.get("description_zh", ""),
            "description_en": row.get("description_en", ""),
            "source_zh": row["source_zh"],
            "source_en": row["source_en"],
            "collection_zh": row.get("collection_zh", ""),
            "collection_en": row.get("collection_en", ""),
            "fields": row.get("fields", ""),
            "time_span_start": _date(row.get("time_span_start")),
            "time_span_end": _date(row.get("time_span_end")),
            "resolution": row.get("resolution", ""),
            "labelling_zh": row.get("labelling_zh", ""),
            "labelling_en": row.get("labelling_en", ""),
            "completeness_pct": Decimal(str(completeness))
            if completeness is not None
            else None,
            "licence": row["licence"],
            "classification": row["classification"],
            "access_policy": row["access_policy"],
        },
    )
    summary.count("datasets")
    file_names = DATASET_FILES.get(dataset.slug)
    if file_names:
        handles = [open(DEMO_FILES / name, "rb") for name in file_names]  # noqa: SIM115
        try:
            dataset_services.dataset_version_create(
                dataset=dataset,
                user=owner,
                label=row.get("version", "1.0"),
                notes="",
                files=[
                    File(h, name=n) for h, n in zip(handles, file_names, strict=True)
                ],
            )
        finally:
            for handle in handles:
                handle.close()


def _ensure_scenario(
    summary: DemoSummary,
    row: dict[str, Any],
    orgs: dict[str, Organisation],
    operator: User,
) -> Scenario:
    owner_org = orgs[row["owner"]]
    owner = _owner_user(owner_org)
    scenario = Scenario.objects.filter(code=row["code"]).first()
    if scenario is None:
        scenario = services.scenario_create(
            user=owner,
            owner=owner_org,
            code=row["code"],
            data=_spec(row),
            thresholds=[
                {**t, "value": Decimal(str(t["value"]))}
                for t in row.get("thresholds", [])
            ],
            is_demo=True,
        )
        summary.count("scenarios")
    for dataset_row in row.get("datasets", []):
        _ensure_dataset(summary, scenario, owner, dataset_row)
    target = row.get("status", "published")
    if target != Scenario.Status.DRAFT and scenario.status == Scenario.Status.DRAFT:
        services.scenario_submit(scenario=scenario, user=owner)
    if (
        target in ("published", "closed")
        and scenario.status == Scenario.Status.SUBMITTED
    ):
        services.scenario_publish(scenario=scenario, user=operator)
        services.value_assessment_update(
            scenario=scenario,
            user=operator,
            strategic_priority=int(row.get("strategic_priority", 3)),
            adjustment=Decimal(0),
            justification="",
        )
    if target == "closed" and scenario.status == Scenario.Status.PUBLISHED:
        services.scenario_close(
            scenario=scenario, user=operator, reason="Demo: closed."
        )
    return scenario


def _ensure_lists(summary: DemoSummary, operator: User) -> None:
    for row in demo_data.HIGH_VALUE_LISTS:
        hv_list = HighValueList.objects.filter(slug=row["slug"]).first()
        if hv_list is None:
            hv_list = services.high_value_list_create(
                user=operator,
                year=row["year"],
                batch=row["batch"],
                is_demo=True,
                data={
                    "slug": row["slug"],
                    "title_zh": row["title_zh"],
                    "title_en": row["title_en"],
                    "description_zh": row.get("description_zh", ""),
                    "description_en": row.get("description_en", ""),
                },
            )
            summary.count("lists")
        if hv_list.is_published:
            continue
        listed = set(hv_list.entries.values_list("scenario__code", flat=True))
        for entry in row["entries"]:
            if entry["code"] in listed:
                continue
            services.high_value_list_add(
                hv_list=hv_list,
                user=operator,
                scenario=Scenario.objects.get(code=entry["code"]),
                rationale_zh=entry.get("rationale_zh", ""),
                rationale_en=entry.get("rationale_en", ""),
            )
        if row.get("published"):
            services.high_value_list_rank_by_score(hv_list=hv_list, user=operator)
            services.high_value_list_publish(hv_list=hv_list, user=operator)


def _ensure_pending_request(summary: DemoSummary, people: dict[str, User]) -> None:
    """One open access request, so a data owner's inbox is not empty."""
    if AccessRequest.objects.filter(dataset__is_demo=True).exists():
        return
    vendor_memberships = (
        Membership.objects.filter(
            organisation__kind=Organisation.Kind.VENDOR,
            organisation__is_demo=True,
            role=Membership.Role.OWNER,
        )
        .select_related("user", "organisation")
        .order_by("-organisation__slug")
    )
    dataset = (
        Dataset.objects.filter(
            is_demo=True, access_policy="approved", scenario__status="published"
        )
        .exclude(slug__in=DATASET_FILES)
        .order_by("slug")
        .first()
    )
    membership = vendor_memberships.first()
    if dataset is None or membership is None:
        return
    dataset_services.access_request_create(
        dataset=dataset,
        organisation=membership.organisation,
        user=membership.user,
        purpose=(
            "Demo request: develop and validate a model for this scenario on the "
            "development split before submitting to the hidden test suite."
        ),
    )
    summary.count("access requests")


def ensure_demo_data() -> DemoSummary:
    """Create whatever part of the demo content is missing."""
    summary = DemoSummary()
    with transaction.atomic():
        orgs = _ensure_organisations(summary)
        people = _ensure_people(summary, orgs)
        operator = _operator_user()
    for row in demo_data.SCENARIOS:
        with transaction.atomic():
            _ensure_scenario(summary, row, orgs, operator)
    with transaction.atomic():
        _ensure_lists(summary, operator)
        _ensure_pending_request(summary, people)
    # Building the demo notifies its fictional people, as real use would; the
    # notifications stay in their inboxes, but mark them e-mailed so that the
    # worker does not print dozens of console e-mails on the first run.
    Notification.objects.filter(user__is_demo=True, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return summary
