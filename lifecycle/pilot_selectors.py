"""Reads of a pilot's users and economics: acceptance and override rates,
fallback activations, the SUS questionnaire of the solution's review entry,
and the business case recomputed from field data.

Rates and SUS scores are computed by ``reviews.usability``, the business
case by ``reviews.economics``: the lifecycle adds no formula of its own
except the KPI → benefit mapping (``KpiBenefit``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lifecycle import selectors
from lifecycle.models import KpiBenefit, Pilot, PilotKpi, PilotUsage, Solution
from portal.accounts.models import User
from reviews import case_selectors, economics, usability
from reviews.models import BusinessCase, BusinessCaseLine, RoundEntry
from reviews.rubric import Stage as ReviewStage

# --- acceptance, overrides and fallbacks --------------------------------------


@dataclass(frozen=True)
class UsageSummary:
    rows: list[PilotUsage]
    presented: int
    accepted: int
    overridden: int
    # None before any counts are recorded.
    rates: usability.PilotRates | None
    incidents: int
    fallbacks: int
    # Share of incidents in which the fallback was activated.
    fallback_share: usability.Proportion | None
    # Fallback activations per 1,000 recommendations presented.
    fallbacks_per_1000: float | None


def usage_summary(pilot: Pilot) -> UsageSummary:
    """Totals of the recorded periods with their rates (two queries)."""
    rows = list(pilot.usage.select_related("recorded_by"))
    presented = sum(r.presented for r in rows)
    accepted = sum(r.accepted for r in rows)
    overridden = sum(r.overridden for r in rows)
    rates = (
        usability.pilot_rates(
            recommendations=presented, accepted=accepted, overridden=overridden
        )
        if rows
        else None
    )
    counts = pilot.incidents.aggregate(
        total=Count("pk"), fallbacks=Count("pk", filter=Q(fallback_activated=True))
    )
    incidents, fallbacks = counts["total"], counts["fallbacks"]
    return UsageSummary(
        rows=rows,
        presented=presented,
        accepted=accepted,
        overridden=overridden,
        rates=rates,
        incidents=incidents,
        fallbacks=fallbacks,
        fallback_share=usability.wilson(fallbacks, incidents) if incidents else None,
        fallbacks_per_1000=fallbacks / presented * 1000 if presented else None,
    )


# --- SUS ------------------------------------------------------------------------


def review_entry(solution: Solution) -> RoundEntry | None:
    """The review entry a pilot's SUS answers and field business case go to:
    the version under test's effectiveness entry, else its testing entry."""
    return selectors.round_entry(
        solution, ReviewStage.EFFECTIVENESS
    ) or selectors.round_entry(solution, ReviewStage.TESTING)


@dataclass(frozen=True)
class SusPanel:
    entry: RoundEntry | None
    summary: usability.SusSummary | None
    invited: int
    # The owner's people who may be asked (none of the vendor's).
    candidates: list[User]


def sus_panel(solution: Solution) -> SusPanel:
    entry = review_entry(solution)
    if entry is None:
        return SusPanel(None, None, 0, [])
    return SusPanel(
        entry=entry,
        summary=case_selectors.sus_summary_of(entry),
        invited=entry.sus_invitations.count(),
        candidates=list(case_selectors.invitable_users(entry)),
    )


# --- business case from field data ------------------------------------------------


@dataclass(frozen=True)
class FieldLine:
    kpi: PilotKpi
    mapping: KpiBenefit | None
    field_mean: float | None
    count: int
    # The benefit line's amount in the base case, at the sandbox value and
    # at the field mean (None where it cannot be computed).
    base_amount: float | None
    sandbox_amount: float | None
    field_amount: float | None


@dataclass(frozen=True)
class FieldCase:
    # Where a field version is saved: the effectiveness entry only, as the
    # scale gate reads the measured case there.
    entry: RoundEntry | None
    base: BusinessCase | None
    lines: list[FieldLine]
    sandbox: economics.Appraisal | None
    field: economics.Appraisal | None
    problems: list[str]

    @property
    def mapped(self) -> list[FieldLine]:
        return [line for line in self.lines if line.mapping is not None]


def _base_case(solution: Solution) -> BusinessCase | None:
    for stage in (ReviewStage.EFFECTIVENESS, ReviewStage.TESTING):
        entry = selectors.round_entry(solution, stage)
        case = case_selectors.latest_business_case(entry) if entry else None
        if case is not None:
            return case
    return None


def _appraise(
    base: economics.BusinessCase, amounts: dict[str, float]
) -> economics.Appraisal:
    benefits = tuple(
        dataclasses.replace(line, amount=amounts[line.name])
        if line.name in amounts
        else line
        for line in base.benefits
    )
    return economics.appraise(dataclasses.replace(base, benefits=benefits))


def field_case(pilot: Pilot) -> FieldCase:
    """The latest business case with each mapped benefit line recomputed at
    the KPI's sandbox value and at its field mean, side by side.

    1. The base is the latest version on the effectiveness entry, else on
       the testing entry.
    2. A mapped line's amount is ``KpiBenefit.amount(value)``; every
       other line, the investment and the parameters stay as in the base.
    3. The field column needs a measurement of every mapped KPI.
    """
    solution = pilot.solution
    base = _base_case(solution)
    mappings = {m.kpi_id: m for m in KpiBenefit.objects.filter(kpi__pilot=pilot)}
    benefit_lines = {
        line.name: float(line.amount)
        for line in (base.lines.all() if base else [])
        if line.kind == BusinessCaseLine.Kind.BENEFIT
    }
    problems: list[str] = []
    lines: list[FieldLine] = []
    sandbox_amounts: dict[str, float] = {}
    field_amounts: dict[str, float] = {}
    for comparison in selectors.pilot_comparison(pilot):
        kpi = comparison.kpi
        mapping = mappings.get(kpi.pk)
        if mapping is not None:
            mapping.kpi = kpi
        sandbox_amount = field_amount = None
        if mapping is not None:
            sandbox_amount = mapping.amount(kpi.sandbox_value)
            sandbox_amounts[mapping.line_name] = sandbox_amount
            if comparison.mean is None:
                problems.append(
                    _("KPI %(kpi)s has no field measurement yet.") % {"kpi": kpi.name}
                )
            else:
                field_amount = mapping.amount(comparison.mean)
                field_amounts[mapping.line_name] = field_amount
            if base is not None and mapping.line_name not in benefit_lines:
                problems.append(
                    _("The business case has no benefit line “%(line)s”.")
                    % {"line": mapping.line_name}
                )
        lines.append(
            FieldLine(
                kpi=kpi,
                mapping=mapping,
                field_mean=comparison.mean,
                count=comparison.count,
                base_amount=benefit_lines.get(mapping.line_name) if mapping else None,
                sandbox_amount=sandbox_amount,
                field_amount=field_amount,
            )
        )
    if base is None:
        problems.append(
            _("The solution has no business case yet: save one on its review entry.")
        )
    if not mappings:
        problems.append(_("No KPI is mapped to a benefit line yet."))
    sandbox = field = None
    if (
        base is not None
        and mappings
        and not any(
            line.mapping and line.mapping.line_name not in benefit_lines
            for line in lines
        )
    ):
        inputs = case_selectors.to_economics(base)
        sandbox = _appraise(inputs, sandbox_amounts)
        if len(field_amounts) == len(mappings):
            field = _appraise(inputs, field_amounts)
    return FieldCase(
        entry=selectors.round_entry(solution, ReviewStage.EFFECTIVENESS),
        base=base,
        lines=lines,
        sandbox=sandbox,
        field=field,
        problems=problems,
    )
