"""Writes to scenarios, lists and the data registry.

Every function here checks its own preconditions (status, role,
verification) and raises ``ValidationError`` with a message a person can act
on, or ``PermissionDenied``. Views and API views only translate those into
responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import NotificationCategory, Organisation, User
from portal.accounts.selectors import (
    AnyUser,
    is_operator,
    operator_list,
    organisation_ids_of,
    organisation_people_list,
    organisation_writer_list,
)
from portal.accounts.services import notification_send
from portal.ledger.services import ledger_append
from scenarios.models import (
    AcceptanceThreshold,
    HighValueList,
    HighValueListEntry,
    Scenario,
    ScenarioEvent,
    ScenarioRegistration,
    ScenarioVersion,
    ValueAssessment,
)
from scenarios.selectors import can_write_scenario

# Fields that make up a scenario's specification, in display order. A
# published version freezes all of them plus the thresholds.
SPEC_FIELDS = [
    "sector",
    "stage",
    "task_type",
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    "description_zh",
    "description_en",
    "business_value_metric_zh",
    "business_value_metric_en",
    "annual_value_estimate",
    "data_readiness",
    "replicable_sites",
    "latency_sla_ms",
    "deployment_mode",
    "requires_domestic_hardware",
    "requires_domestic_software",
    "security_zone",
    "contact_name",
    "contact_email",
]
THRESHOLD_FIELDS = [
    "metric",
    "comparator",
    "value",
    "unit",
    "standard",
    "note_zh",
    "note_en",
]
MAX_THRESHOLDS = 20


# --- helpers --------------------------------------------------------------------


def _record(
    scenario: Scenario,
    action: str,
    actor: AnyUser | None,
    *,
    from_status: str = "",
    to_status: str = "",
    message: str = "",
) -> ScenarioEvent:
    return ScenarioEvent.objects.create(
        scenario=scenario,
        action=action,
        actor=actor if isinstance(actor, User) else None,
        from_status=from_status,
        to_status=to_status,
        message=message,
    )


def _require_operator(user: AnyUser) -> None:
    if not is_operator(user):
        raise PermissionDenied


def _require_status(scenario: Scenario, *allowed: str) -> None:
    if scenario.status not in allowed:
        raise ValidationError(
            format_lazy(
                _("This is not possible while the scenario is “{status}”."),
                status=scenario.get_status_display(),
            )
        )


def _ledger_scenario(
    kind: str,
    scenario: Scenario,
    user: AnyUser | None,
    payload: dict[str, Any],
    evidence: Sequence[str] = (),
) -> None:
    """Append a scenario's lifecycle event to the ledger (可追溯)."""
    ledger_append(
        kind=kind,
        actor=user,
        organisation=scenario.owner,
        subject=f"scenario:{scenario.pk}",
        payload={"code": scenario.code, **payload},
        evidence=evidence,
    )


def build_search_document(scenario: Scenario, thresholds: Sequence[Any] = ()) -> str:
    owner = scenario.owner
    parts = [
        scenario.code,
        scenario.title_zh,
        scenario.title_en,
        scenario.summary_zh,
        scenario.summary_en,
        scenario.description_zh,
        scenario.description_en,
        scenario.business_value_metric_zh,
        scenario.business_value_metric_en,
        owner.name_zh,
        owner.name_en,
        scenario.get_sector_display(),
        scenario.get_task_type_display(),
    ]
    for threshold in thresholds:
        parts += [str(threshold.metric), str(threshold.standard)]
    return "\n".join(p for p in parts if p).lower()


def _clean_thresholds(rows: Sequence[dict[str, Any]]) -> list[AcceptanceThreshold]:
    if len(rows) > MAX_THRESHOLDS:
        raise ValidationError(
            {"thresholds": _("At most %(n)d thresholds.") % {"n": MAX_THRESHOLDS}}
        )
    cleaned = []
    for position, row in enumerate(rows):
        threshold = AcceptanceThreshold(
            position=position, **{k: row.get(k, "") for k in THRESHOLD_FIELDS}
        )
        try:
            threshold.full_clean(exclude=["scenario"])
        except ValidationError as exc:
            raise ValidationError(
                {
                    "thresholds": format_lazy(
                        _("Threshold {n}: {errors}"),
                        n=position + 1,
                        errors="; ".join(
                            f"{field}: {' '.join(str(m) for m in messages)}"
                            for field, messages in exc.message_dict.items()
                        ),
                    )
                }
            ) from None
        cleaned.append(threshold)
    return cleaned


def _replace_thresholds(
    scenario: Scenario, thresholds: list[AcceptanceThreshold]
) -> None:
    scenario.thresholds.all().delete()
    for threshold in thresholds:
        threshold.scenario = scenario
    AcceptanceThreshold.objects.bulk_create(thresholds)


def _apply_spec(scenario: Scenario, data: dict[str, Any]) -> list[str]:
    """Set spec fields (and the deadline) from ``data``; return what changed.

    ``closes_at`` is not part of the frozen specification: moving a deadline
    does not make a new version.
    """
    changed = []
    for field in [*SPEC_FIELDS, "closes_at"]:
        if field in data and getattr(scenario, field) != data[field]:
            setattr(scenario, field, data[field])
            changed.append(field)
    return changed


def spec_snapshot(scenario: Scenario) -> dict[str, Any]:
    snapshot: dict[str, Any] = {
        field: getattr(scenario, field) for field in SPEC_FIELDS
    }
    snapshot["code"] = scenario.code
    snapshot["owner"] = scenario.owner.slug
    snapshot["thresholds"] = [t.as_dict() for t in scenario.thresholds.all()]
    return snapshot


def _save_spec(
    scenario: Scenario, thresholds: list[AcceptanceThreshold] | None
) -> None:
    scenario.updated_at = timezone.now()
    current = thresholds if thresholds is not None else list(scenario.thresholds.all())
    scenario.search_document = build_search_document(scenario, current)
    scenario.full_clean()
    scenario.save()
    if thresholds is not None:
        _replace_thresholds(scenario, thresholds)


# --- scenario workflow -------------------------------------------------------------


@transaction.atomic
def scenario_create(
    *,
    user: AnyUser,
    owner: Organisation,
    code: str,
    data: dict[str, Any],
    thresholds: Sequence[dict[str, Any]] = (),
    is_demo: bool = False,
) -> Scenario:
    """Create a draft scenario owned by ``owner``."""
    if owner.kind != Organisation.Kind.ENERGY:
        raise ValidationError({"owner": _("Only energy companies publish scenarios.")})
    if owner.pk not in organisation_ids_of(
        user, kind=Organisation.Kind.ENERGY, verified=False, write=True
    ):
        raise PermissionDenied
    code = code.strip().upper()
    if Scenario.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A scenario with this code already exists.")})
    scenario = Scenario(
        code=code,
        owner=owner,
        created_by=user if isinstance(user, User) else None,
        is_demo=is_demo,
    )
    _apply_spec(scenario, data)
    cleaned = _clean_thresholds(thresholds)
    _save_spec(scenario, cleaned)
    _record(scenario, ScenarioEvent.Action.CREATED, user, to_status=scenario.status)
    return scenario


@transaction.atomic
def scenario_update(
    *,
    scenario: Scenario,
    user: AnyUser,
    data: dict[str, Any],
    thresholds: Sequence[dict[str, Any]] | None = None,
) -> Scenario:
    """Edit a draft. A published scenario changes through ``scenario_revise``."""
    if not can_write_scenario(user, scenario):
        raise PermissionDenied
    _require_status(scenario, Scenario.Status.DRAFT)
    _apply_spec(scenario, data)
    cleaned = _clean_thresholds(thresholds) if thresholds is not None else None
    _save_spec(scenario, cleaned)
    _record(scenario, ScenarioEvent.Action.EDITED, user)
    return scenario


def _completeness_errors(scenario: Scenario) -> list[str]:
    errors = []
    for field in ("description_zh", "description_en"):
        if not getattr(scenario, field).strip():
            errors.append(
                format_lazy(
                    _("“{field}” is empty."),
                    field=getattr(
                        Scenario._meta.get_field(field), "verbose_name", field
                    ),
                )
            )
    if not scenario.thresholds.exists():
        errors.append(_("Add at least one acceptance threshold."))
    return [str(e) for e in errors]


@transaction.atomic
def scenario_submit(*, scenario: Scenario, user: AnyUser) -> Scenario:
    """Send a draft to the operators for review."""
    if not can_write_scenario(user, scenario):
        raise PermissionDenied
    _require_status(scenario, Scenario.Status.DRAFT)
    if not scenario.owner.is_verified:
        raise ValidationError(
            _("Your organisation must be verified by an operator before it can submit.")
        )
    errors = _completeness_errors(scenario)
    if errors:
        raise ValidationError(errors)
    Scenario.objects.filter(pk=scenario.pk).update(
        status=Scenario.Status.SUBMITTED, updated_at=timezone.now()
    )
    _record(
        scenario,
        ScenarioEvent.Action.SUBMITTED,
        user,
        from_status=scenario.status,
        to_status=Scenario.Status.SUBMITTED,
    )
    scenario.status = Scenario.Status.SUBMITTED
    notification_send(
        category=NotificationCategory.SCENARIOS,
        users=list(operator_list()),
        subject=format_lazy(_("Scenario {code} awaits review"), code=scenario.code),
        body=format_lazy(
            _("{org} submitted “{title}” for publication."),
            org=scenario.owner.name,
            title=scenario.title,
        ),
        url=scenario.get_absolute_url(),
    )
    return scenario


@transaction.atomic
def scenario_withdraw(*, scenario: Scenario, user: AnyUser) -> Scenario:
    """Take a submitted scenario back to draft before an operator decides."""
    if not can_write_scenario(user, scenario):
        raise PermissionDenied
    _require_status(scenario, Scenario.Status.SUBMITTED)
    return _move(scenario, user, Scenario.Status.DRAFT, ScenarioEvent.Action.EDITED, "")


def _move(
    scenario: Scenario, user: AnyUser | None, to_status: str, action: str, message: str
) -> Scenario:
    from_status = scenario.status
    scenario.status = to_status
    scenario.updated_at = timezone.now()
    scenario.save(update_fields=["status", "updated_at"])
    _record(
        scenario,
        action,
        user,
        from_status=from_status,
        to_status=to_status,
        message=message,
    )
    return scenario


@transaction.atomic
def scenario_reject(*, scenario: Scenario, user: AnyUser, reason: str) -> Scenario:
    """Return a submitted scenario to its owner with written reasons."""
    _require_operator(user)
    _require_status(scenario, Scenario.Status.SUBMITTED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the owner a reason.")})
    _move(scenario, user, Scenario.Status.DRAFT, ScenarioEvent.Action.REJECTED, reason)
    notification_send(
        category=NotificationCategory.SCENARIOS,
        users=organisation_writer_list([scenario.owner_id]),
        subject=format_lazy(_("Scenario {code} was returned"), code=scenario.code),
        body=reason,
        url=scenario.get_absolute_url(),
    )
    return scenario


@transaction.atomic
def scenario_publish(*, scenario: Scenario, user: AnyUser) -> Scenario:
    """Publish a submitted scenario as version 1 and lock its specification."""
    _require_operator(user)
    _require_status(scenario, Scenario.Status.SUBMITTED)
    now = timezone.now()
    scenario.version = scenario.version + 1
    scenario.published_at = scenario.published_at or now
    scenario.save(update_fields=["version", "published_at"])
    version = ScenarioVersion.objects.create(
        scenario=scenario,
        number=scenario.version,
        spec=spec_snapshot(scenario),
        change_notes=str(_("First publication.")) if scenario.version == 1 else "",
        created_by=user if isinstance(user, User) else None,
    )
    _move(scenario, user, Scenario.Status.PUBLISHED, ScenarioEvent.Action.PUBLISHED, "")
    ensure_value_assessment(scenario=scenario, user=user)
    _ledger_scenario(
        "scenario.published",
        scenario,
        user,
        {"version": scenario.version, "status": scenario.status},
        [f"scenario_version:{version.pk}"],
    )
    notification_send(
        category=NotificationCategory.SCENARIOS,
        users=organisation_writer_list([scenario.owner_id]),
        subject=format_lazy(_("Scenario {code} is published"), code=scenario.code),
        body=format_lazy(_("“{title}” is now public."), title=scenario.title),
        url=scenario.get_absolute_url(),
    )
    return scenario


@transaction.atomic
def scenario_revise(
    *,
    scenario: Scenario,
    user: AnyUser,
    data: dict[str, Any],
    thresholds: Sequence[dict[str, Any]] | None,
    change_notes: str,
) -> ScenarioVersion:
    """Publish a new version of a locked specification.

    1. Check the owner may write and the scenario is published.
    2. Apply the changes; refuse a revision that changes nothing.
    3. Freeze the new specification as version n+1 with the change notes.
    4. Notify every member of the vendor organisations registered to it.
    """
    if not can_write_scenario(user, scenario):
        raise PermissionDenied
    _require_status(scenario, Scenario.Status.PUBLISHED)
    change_notes = change_notes.strip()
    if not change_notes:
        raise ValidationError({"change_notes": _("Describe what changed and why.")})
    scenario = Scenario.objects.select_for_update().get(pk=scenario.pk)
    before = spec_snapshot(scenario)
    _apply_spec(scenario, data)
    cleaned = _clean_thresholds(thresholds) if thresholds is not None else None
    scenario.version = scenario.version + 1
    _save_spec(scenario, cleaned)
    after = spec_snapshot(scenario)
    if before == after:
        raise ValidationError(_("Nothing changed, so no new version was made."))
    version = ScenarioVersion.objects.create(
        scenario=scenario,
        number=scenario.version,
        spec=after,
        change_notes=change_notes,
        created_by=user if isinstance(user, User) else None,
    )
    _record(scenario, ScenarioEvent.Action.REVISED, user, message=change_notes)
    registered = ScenarioRegistration.objects.filter(scenario=scenario).values_list(
        "organisation_id", flat=True
    )
    notification_send(
        category=NotificationCategory.SCENARIOS,
        users=organisation_people_list(registered),
        subject=format_lazy(
            _("Scenario {code} changed: version {n}"),
            code=scenario.code,
            n=version.number,
        ),
        body=change_notes,
        url=scenario.get_absolute_url(),
    )
    ensure_value_assessment(scenario=scenario, user=user)
    _ledger_scenario(
        "scenario.revised",
        scenario,
        user,
        {"version": version.number},
        [f"scenario_version:{version.pk}"],
    )
    return version


def _require_owner_or_operator(user: AnyUser, scenario: Scenario) -> None:
    if not (is_operator(user) or can_write_scenario(user, scenario)):
        raise PermissionDenied


@transaction.atomic
def scenario_close(
    *, scenario: Scenario, user: AnyUser | None, reason: str = ""
) -> Scenario:
    """Stop accepting new work on a published scenario.

    ``user`` is None when the deadline sweep closes it.
    """
    if user is not None:
        _require_owner_or_operator(user, scenario)
    _require_status(scenario, Scenario.Status.PUBLISHED)
    _move(scenario, user, Scenario.Status.CLOSED, ScenarioEvent.Action.CLOSED, reason)
    _ledger_scenario(
        "scenario.closed",
        scenario,
        user,
        {"status": scenario.status, "by_deadline": user is None},
    )
    return scenario


@transaction.atomic
def scenario_reopen(*, scenario: Scenario, user: AnyUser) -> Scenario:
    _require_owner_or_operator(user, scenario)
    _require_status(scenario, Scenario.Status.CLOSED)
    if scenario.closes_at and scenario.closes_at <= timezone.now():
        scenario.closes_at = None
        scenario.save(update_fields=["closes_at"])
    _move(scenario, user, Scenario.Status.PUBLISHED, ScenarioEvent.Action.REOPENED, "")
    _ledger_scenario("scenario.reopened", scenario, user, {"status": scenario.status})
    return scenario


@transaction.atomic
def scenario_archive(*, scenario: Scenario, user: AnyUser) -> Scenario:
    _require_owner_or_operator(user, scenario)
    _require_status(scenario, Scenario.Status.CLOSED)
    _move(scenario, user, Scenario.Status.ARCHIVED, ScenarioEvent.Action.ARCHIVED, "")
    _ledger_scenario("scenario.archived", scenario, user, {"status": scenario.status})
    return scenario


def close_expired_scenarios(*, now: Any = None) -> int:
    """Close every published scenario whose deadline has passed."""
    now = now or timezone.now()
    closed = 0
    due = Scenario.objects.filter(status=Scenario.Status.PUBLISHED, closes_at__lte=now)
    for scenario in due.iterator():
        try:
            scenario_close(
                scenario=scenario, user=None, reason=str(_("The deadline passed."))
            )
        except ValidationError:
            continue  # changed status meanwhile
        closed += 1
    return closed


@transaction.atomic
def scenario_register(
    *, scenario: Scenario, organisation: Organisation, user: AnyUser
) -> ScenarioRegistration:
    """Register a verified vendor organisation for a published scenario."""
    if organisation.pk not in organisation_ids_of(user, kind=Organisation.Kind.VENDOR):
        raise PermissionDenied
    _require_status(scenario, Scenario.Status.PUBLISHED)
    registration, _created = ScenarioRegistration.objects.get_or_create(
        scenario=scenario,
        organisation=organisation,
        defaults={"registered_by": user if isinstance(user, User) else None},
    )
    return registration


@transaction.atomic
def scenario_unregister(
    *, scenario: Scenario, organisation: Organisation, user: AnyUser
) -> None:
    if organisation.pk not in organisation_ids_of(user, kind=Organisation.Kind.VENDOR):
        raise PermissionDenied
    ScenarioRegistration.objects.filter(
        scenario=scenario, organisation=organisation
    ).delete()


# --- value assessment ------------------------------------------------------------------


def _band(value: int, limits: Sequence[int]) -> int:
    """Return 1 + the number of ``limits`` that ``value`` reaches."""
    return 1 + sum(1 for limit in limits if value >= limit)


# Thresholds documented in docs/value-assessment.md.
APPLICATION_VALUE_BANDS = (100, 500, 2_000, 10_000)  # 万元 per year
SCALE_POTENTIAL_BANDS = (5, 20, 100, 500)  # replicable sites


def value_subscores(scenario: Scenario, strategic_priority: int) -> dict[str, int]:
    return {
        "application_value": _band(
            scenario.annual_value_estimate, APPLICATION_VALUE_BANDS
        ),
        "data_readiness": int(scenario.data_readiness),
        "scale_potential": _band(scenario.replicable_sites, SCALE_POTENTIAL_BANDS),
        "strategic_priority": strategic_priority,
    }


def value_base_score(subscores: dict[str, int]) -> Decimal:
    total = sum(
        weight * (Decimal(subscores[name]) - 1) / 4
        for name, weight in ValueAssessment.WEIGHTS.items()
    )
    return (Decimal(100) * total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _final_score(base: Decimal, adjustment: Decimal) -> Decimal:
    return min(Decimal(100), max(Decimal(0), base + adjustment)).quantize(
        Decimal("0.01")
    )


@transaction.atomic
def ensure_value_assessment(
    *, scenario: Scenario, user: AnyUser | None
) -> ValueAssessment:
    """Create or refresh the assessment from the scenario's current fields.

    Keeps the operator's strategic priority and adjustment.
    """
    assessment = ValueAssessment.objects.filter(scenario=scenario).first()
    priority = assessment.strategic_priority if assessment else 3
    adjustment = assessment.adjustment if assessment else Decimal(0)
    subscores = value_subscores(scenario, priority)
    base = value_base_score(subscores)
    values = {
        **subscores,
        "base_score": base,
        "score": _final_score(base, adjustment),
    }
    if assessment is None:
        assessment = ValueAssessment(
            scenario=scenario,
            adjustment=adjustment,
            assessed_by=user if isinstance(user, User) else None,
            **values,
        )
    else:
        for key, value in values.items():
            setattr(assessment, key, value)
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def value_assessment_update(
    *,
    scenario: Scenario,
    user: AnyUser,
    strategic_priority: int,
    adjustment: Decimal,
    justification: str,
) -> ValueAssessment:
    """Set the operator's strategic priority and adjustment, with reasons."""
    _require_operator(user)
    if not 1 <= strategic_priority <= 5:
        raise ValidationError({"strategic_priority": _("Use a value from 1 to 5.")})
    assessment = ensure_value_assessment(scenario=scenario, user=user)
    assessment.strategic_priority = strategic_priority
    assessment.adjustment = adjustment
    assessment.justification = justification.strip()
    subscores = value_subscores(scenario, strategic_priority)
    assessment.base_score = value_base_score(subscores)
    assessment.score = _final_score(assessment.base_score, adjustment)
    assessment.assessed_by = user if isinstance(user, User) else None
    assessment.assessed_at = timezone.now()
    assessment.full_clean()
    assessment.save()
    _record(
        scenario,
        ScenarioEvent.Action.ASSESSED,
        user,
        message=f"{assessment.score} ({assessment.adjustment:+}) {assessment.justification}",
    )
    return assessment


# --- high-value lists --------------------------------------------------------------------


@transaction.atomic
def high_value_list_create(
    *, user: AnyUser, year: int, batch: int, data: dict[str, Any], is_demo: bool = False
) -> HighValueList:
    _require_operator(user)
    if HighValueList.objects.filter(year=year, batch=batch).exists():
        raise ValidationError({"batch": _("This batch already exists for that year.")})
    hv_list = HighValueList(year=year, batch=batch, is_demo=is_demo, **data)
    if not hv_list.slug:
        hv_list.slug = f"{year}-batch-{batch}"
    hv_list.full_clean()
    hv_list.save()
    return hv_list


@transaction.atomic
def high_value_list_update(
    *, hv_list: HighValueList, user: AnyUser, data: dict[str, Any]
) -> HighValueList:
    _require_operator(user)
    if hv_list.is_published:
        raise ValidationError(_("A published list cannot be changed."))
    for key, value in data.items():
        setattr(hv_list, key, value)
    hv_list.full_clean()
    hv_list.save()
    return hv_list


@transaction.atomic
def high_value_list_add(
    *,
    hv_list: HighValueList,
    user: AnyUser,
    scenario: Scenario,
    rationale_zh: str = "",
    rationale_en: str = "",
) -> HighValueListEntry:
    """Append a published scenario to a draft list."""
    _require_operator(user)
    if hv_list.is_published:
        raise ValidationError(_("A published list cannot be changed."))
    if scenario.status != Scenario.Status.PUBLISHED:
        raise ValidationError(_("Only published scenarios can be listed."))
    if hv_list.entries.filter(scenario=scenario).exists():
        raise ValidationError(_("This scenario is already on the list."))
    rank = hv_list.entries.count() + 1
    return HighValueListEntry.objects.create(
        high_value_list=hv_list,
        scenario=scenario,
        rank=rank,
        rationale_zh=rationale_zh,
        rationale_en=rationale_en,
    )


@transaction.atomic
def high_value_list_remove(
    *, hv_list: HighValueList, user: AnyUser, scenario: Scenario
) -> None:
    _require_operator(user)
    if hv_list.is_published:
        raise ValidationError(_("A published list cannot be changed."))
    hv_list.entries.filter(scenario=scenario).delete()
    for rank, entry in enumerate(hv_list.entries.order_by("rank"), start=1):
        if entry.rank != rank:
            entry.rank = rank
            entry.save(update_fields=["rank"])


@transaction.atomic
def high_value_list_rank_by_score(*, hv_list: HighValueList, user: AnyUser) -> None:
    """Order a draft list by value score, highest first."""
    _require_operator(user)
    if hv_list.is_published:
        raise ValidationError(_("A published list cannot be changed."))
    entries = list(hv_list.entries.select_related("scenario__assessment"))

    def key(entry: HighValueListEntry) -> tuple[Decimal, str]:
        assessment = getattr(entry.scenario, "assessment", None)
        return (-(assessment.score if assessment else Decimal(0)), entry.scenario.code)

    for rank, entry in enumerate(sorted(entries, key=key), start=1):
        entry.rank = rank
        entry.save(update_fields=["rank"])


@transaction.atomic
def high_value_list_publish(*, hv_list: HighValueList, user: AnyUser) -> HighValueList:
    """Publish a list; entries keep the value score they had at this moment."""
    _require_operator(user)
    if hv_list.is_published:
        raise ValidationError(_("This list is already published."))
    entries = list(hv_list.entries.select_related("scenario__assessment"))
    if not entries:
        raise ValidationError(_("Add at least one scenario before publishing."))
    unpublished = [e.scenario.code for e in entries if e.scenario.status != "published"]
    if unpublished:
        raise ValidationError(
            format_lazy(
                _("These scenarios are no longer published: {codes}"),
                codes=", ".join(unpublished),
            )
        )
    for entry in entries:
        assessment = getattr(entry.scenario, "assessment", None)
        entry.score_at_listing = assessment.score if assessment else None
        entry.save(update_fields=["score_at_listing"])
    hv_list.published_at = timezone.now()
    hv_list.published_by = user if isinstance(user, User) else None
    hv_list.save(update_fields=["published_at", "published_by"])
    ledger_append(
        kind="high_value_list.published",
        actor=user,
        subject=f"high_value_list:{hv_list.pk}",
        payload={
            "slug": hv_list.slug,
            "entries": [
                {
                    "scenario": entry.scenario.code,
                    "rank": entry.rank,
                    # A decimal as text, so that no digit is lost.
                    "score": None
                    if entry.score_at_listing is None
                    else str(entry.score_at_listing),
                }
                for entry in sorted(entries, key=lambda e: e.rank)
            ],
        },
        evidence=[f"scenario:{entry.scenario_id}" for entry in entries],
    )
    return hv_list
