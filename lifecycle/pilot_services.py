"""Writes about a pilot's users and economics: usage counts, the SUS
questionnaire, KPI → benefit mappings and the business case from field
data.

Only the scenario owner's writers and operators write
(``selectors.can_record_pilot``). The SUS questionnaire and the business
case are those of ``reviews``: these functions pick the solution's review
entry and call ``reviews.case_services``, which checks its own rules
(respondents, an entry without a decision, who may save which basis).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lifecycle import pilot_selectors, selectors
from lifecycle.models import KpiBenefit, Pilot, PilotKpi, PilotUsage
from portal.accounts.models import User
from portal.accounts.selectors import AnyUser
from portal.ledger.services import ledger_append
from reviews import case_services
from reviews.models import (
    BusinessCase,
    BusinessCaseLine,
    CaseBasis,
    SusInvitation,
)


def _writer(user: AnyUser, pilot: Pilot) -> User:
    if not isinstance(user, User) or not selectors.can_record_pilot(
        user, pilot.solution
    ):
        raise PermissionDenied
    return user


@transaction.atomic
def pilot_usage_record(
    *,
    pilot: Pilot,
    user: AnyUser,
    period_start: date,
    period_end: date,
    presented: int,
    accepted: int,
    overridden: int,
    source: str = "",
) -> PilotUsage:
    """Add the recommendation counts of one period from the pilot's logs."""
    person = _writer(user, pilot)
    if not (pilot.starts_on <= period_start and period_end <= pilot.ends_on):
        raise ValidationError(
            {"period_start": _("The period must lie within the pilot's period.")}
        )
    usage = PilotUsage(
        pilot=pilot,
        period_start=period_start,
        period_end=period_end,
        presented=presented,
        accepted=accepted,
        overridden=overridden,
        source=source.strip(),
        recorded_by=person,
    )
    usage.full_clean()
    usage.save()
    ledger_append(
        kind="lifecycle.pilot_usage",
        actor=person,
        subject=f"pilot:{pilot.pk}",
        organisation=pilot.solution.scenario.owner,
        payload={
            "usage": usage.pk,
            "from": period_start.isoformat(),
            "to": period_end.isoformat(),
            "presented": presented,
            "accepted": accepted,
            "overridden": overridden,
        },
        evidence=[f"solution:{pilot.solution_id}"],
    )
    return usage


def pilot_sus_invite(
    *, pilot: Pilot, user: AnyUser, respondents: Iterable[User]
) -> list[SusInvitation]:
    """Send the SUS questionnaire of the solution's review entry to named
    pilot users (``reviews.case_services.sus_invite``)."""
    _writer(user, pilot)
    entry = pilot_selectors.review_entry(pilot.solution)
    if entry is None:
        raise ValidationError(
            _(
                "The solution has no review entry yet, so there is no "
                "questionnaire to send."
            )
        )
    return case_services.sus_invite(entry=entry, user=user, respondents=respondents)


@transaction.atomic
def kpi_benefit_set(
    *,
    kpi: PilotKpi,
    user: AnyUser,
    line_name: str,
    baseline: float,
    benefit_per_unit: float,
) -> KpiBenefit:
    """Map a KPI to the business case's benefit line it drives."""
    person = _writer(user, kpi.pilot)
    errors = {}
    if not math.isfinite(baseline):
        errors["baseline"] = _("Enter a finite number.")
    if not math.isfinite(benefit_per_unit) or benefit_per_unit < 0:
        errors["benefit_per_unit"] = _("Enter a number of at least 0.")
    if not line_name.strip():
        errors["line_name"] = _("Name the benefit line.")
    if errors:
        raise ValidationError(errors)
    mapping, _created = KpiBenefit.objects.update_or_create(
        kpi=kpi,
        defaults={
            "line_name": line_name.strip(),
            "baseline": baseline,
            "benefit_per_unit": benefit_per_unit,
            "set_by": person,
            "updated_at": timezone.now(),
        },
    )
    return mapping


def _money(amount: float) -> Decimal:
    return Decimal(str(round(amount, 2)))


@transaction.atomic
def business_case_from_field(
    *, pilot: Pilot, user: AnyUser, note: str = ""
) -> BusinessCase:
    """Save a new business-case version on a measured basis, its mapped
    benefit lines recomputed from the pilot's field means.

    1. The owner's writers (or operators) of a pilot whose solution has an
       effectiveness review entry.
    2. ``pilot_selectors.field_case`` must have no problem: a base case,
       every mapping on one of its benefit lines, every mapped KPI
       measured.
    3. Every other input is the base case's; the version is saved by
       ``reviews.case_services.business_case_save``, which recomputes the
       sandbox compute line and refuses an entry with a decision.
    """
    person = _writer(user, pilot)
    result = pilot_selectors.field_case(pilot)
    if result.entry is None:
        raise ValidationError(
            _(
                "The solution has no effectiveness review entry yet: the "
                "measured business case is saved there."
            )
        )
    if result.problems or result.base is None:
        raise ValidationError(result.problems)
    base = result.base
    replaced = {
        line.mapping.line_name: line
        for line in result.mapped
        if line.mapping is not None and line.field_amount is not None
    }
    lines: list[dict[str, Any]] = []
    for row in base.lines.all():
        if row.is_compute:
            continue  # recomputed from the latest hidden run on save
        line: dict[str, Any] = {
            "kind": row.kind,
            "name": row.name,
            "amount": row.amount,
            "escalation": row.escalation,
            "driver": row.driver,
        }
        field = replaced.get(row.name)
        if (
            row.kind == BusinessCaseLine.Kind.BENEFIT
            and field is not None
            and field.mapping is not None
            and field.field_mean is not None
            and field.field_amount is not None
        ):
            line["amount"] = _money(field.field_amount)
            line["driver"] = _(
                "Field mean of %(kpi)s %(mean).6g over %(n)d measurements in "
                "pilot %(pilot)d; baseline %(baseline)g; %(rate)g CNY a year "
                "per unit of improvement."
            ) % {
                "kpi": field.kpi.name,
                "mean": field.field_mean,
                "n": field.count,
                "pilot": pilot.pk,
                "baseline": field.mapping.baseline,
                "rate": field.mapping.benefit_per_unit,
            }
        lines.append(line)
    data = {
        name: getattr(base, name)
        for name in case_services.BUSINESS_CASE_FIELDS
        if name not in ("basis", "note")
    }
    data["basis"] = CaseBasis.MEASURED
    data["note"] = note.strip() or _(
        "From the field data of pilot %(pilot)d, on version %(version)d."
    ) % {"pilot": pilot.pk, "version": base.version}
    case = case_services.business_case_save(
        entry=result.entry, user=user, data=data, lines=lines
    )
    ledger_append(
        kind="lifecycle.field_business_case",
        actor=person,
        subject=f"pilot:{pilot.pk}",
        organisation=pilot.solution.scenario.owner,
        payload={
            "case": case.pk,
            "version": case.version,
            "base_version": base.version,
            "lines": sorted(replaced),
        },
        evidence=[f"solution:{pilot.solution_id}", f"case:{case.pk}"],
    )
    return case
