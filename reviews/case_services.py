"""Writes of the calculators that feed the scorecard: business case (D3),
social impact (D4), SUS questionnaire and pilot counts (D6).

Business cases and impacts are versioned: each save adds a row with the
next number, so what reviewers scored against stays on record. Every
function checks who may write (``case_selectors.case_access``) and that
the entry has no decision yet, and raises ``PermissionDenied`` or a
``ValidationError`` a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import NotificationCategory, User
from portal.accounts.selectors import AnyUser
from portal.accounts.services import notification_send
from reviews import carbon, case_selectors, economics, usability
from reviews.case_selectors import CaseAccess
from reviews.models import (
    BusinessCase,
    BusinessCaseLine,
    CaseBasis,
    ImpactItem,
    PilotLog,
    RoundEntry,
    SocialImpact,
    SusInvitation,
    SusResponse,
)

COMPUTE_LINE_NAME = "Compute (sandbox)"
MAX_LINES = 30
MAX_ITEMS = 20

BUSINESS_CASE_FIELDS = (
    "basis",
    "investment",
    "horizon_years",
    "discount_rate",
    "asset_life_years",
    "service_units",
    "unit_label",
    "calls_per_year",
    "tariff_per_kwh",
    "pue",
    "cpu_hour_price",
    "note",
)
IMPACT_FIELDS = (
    "basis",
    "energy_kind",
    "energy_mwh",
    "region",
    "factor_year",
    "calls_per_year",
    "pue",
    "method",
)


def _access(user: AnyUser, entry: RoundEntry) -> CaseAccess:
    access = case_selectors.case_access(user, entry)
    if access is None:
        raise PermissionDenied
    return access


def _require_editable(entry: RoundEntry) -> None:
    if not case_selectors.entry_editable(entry):
        raise ValidationError(
            _("The entry has a decision; its calculators can no longer change.")
        )


def _author(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None


def _check_basis(access: CaseAccess, basis: str) -> None:
    if basis == CaseBasis.MEASURED and access.is_vendor:
        raise ValidationError(
            {
                "basis": _(
                    "Only the scenario owner can record a measured basis, from "
                    "pilot data; vendors propose projected figures."
                )
            }
        )


def _run_energy_or_error(entry: RoundEntry, field: str) -> case_selectors.RunEnergy:
    measured = case_selectors.run_energy(case_selectors.latest_hidden_run(entry))
    if measured is None:
        raise ValidationError(
            {
                field: _(
                    "The entry has no finished hidden-test run with metered "
                    "energy and a call count, so the compute figures cannot be "
                    "taken from the sandbox yet."
                )
            }
        )
    return measured


# --- business case -----------------------------------------------------------


def _compute_line(
    entry: RoundEntry, data: Mapping[str, Any]
) -> tuple[dict[str, Any] | None, case_selectors.RunEnergy | None]:
    """Return the sandbox compute cost line and the run it is measured on.

    The line is made only when the author gives both the annual volume of
    calls and a tariff; one without the other is an error.
    """
    calls = data.get("calls_per_year")
    tariff = data.get("tariff_per_kwh")
    if calls is None and tariff is None:
        return None, None
    if calls is None or tariff is None:
        field = "calls_per_year" if calls is None else "tariff_per_kwh"
        raise ValidationError(
            {
                field: _(
                    "Give both the calls per year and the tariff to fill the "
                    "compute cost from the sandbox, or neither."
                )
            }
        )
    measured = _run_energy_or_error(entry, "calls_per_year")
    try:
        cost = economics.compute_cost(
            energy_wh_per_call=measured.energy_wh_per_call,
            cpu_seconds_per_call=measured.cpu_seconds_per_call,
            calls_per_year=float(calls),
            tariff_per_kwh=float(tariff),
            cpu_hour_price=float(data.get("cpu_hour_price") or 0),
            pue=float(data.get("pue") or 1),
        )
    except ValueError as error:
        raise ValidationError(str(error)) from None
    line = {
        "kind": BusinessCaseLine.Kind.COST,
        "name": COMPUTE_LINE_NAME,
        "amount": Decimal(str(round(cost.total, 2))),
        "escalation": Decimal(0),
        "driver": format_lazy(
            _(
                "{kwh} kWh and {cpu} CPU-hours a year at {calls} calls, measured "
                "in run {run}"
            ),
            kwh=f"{cost.kwh_per_year:.3f}",
            cpu=f"{cost.cpu_hours_per_year:.3f}",
            calls=calls,
            run=measured.run.pk,
        ),
        "is_compute": True,
    }
    return line, measured


def _check_lines(lines: Sequence[Mapping[str, Any]]) -> None:
    if len(lines) > MAX_LINES:
        raise ValidationError(
            format_lazy(_("Keep to {n} lines."), n=MAX_LINES),
        )
    seen: set[str] = {"investment", COMPUTE_LINE_NAME}
    for line in lines:
        name = str(line["name"]).strip()
        if line.get("kind") not in BusinessCaseLine.Kind.values:
            raise ValidationError(_("Every line is a cost or a benefit."))
        if name in seen:
            raise ValidationError(
                format_lazy(
                    _("The line name “{name}” is used more than once or reserved."),
                    name=name,
                )
            )
        seen.add(name)


def business_case_appraise(
    *,
    entry: RoundEntry,
    data: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
) -> tuple[economics.Appraisal, list[dict[str, Any]], case_selectors.RunEnergy | None]:
    """Return the appraisal of an unsaved case, its lines with the compute
    line added and the run measured; nothing is written. ValidationError if
    the case is invalid."""
    _check_lines(lines)
    compute, measured = _compute_line(entry, data)
    all_lines = [dict(line) for line in lines] + ([compute] if compute else [])
    case = economics.BusinessCase(
        investment=float(data["investment"]),
        costs=tuple(
            economics.Line(
                str(line["name"]).strip(),
                float(line["amount"]),
                float(line.get("escalation") or 0),
            )
            for line in all_lines
            if line["kind"] == BusinessCaseLine.Kind.COST
        ),
        benefits=tuple(
            economics.Line(
                str(line["name"]).strip(),
                float(line["amount"]),
                float(line.get("escalation") or 0),
            )
            for line in all_lines
            if line["kind"] == BusinessCaseLine.Kind.BENEFIT
        ),
        horizon=int(data["horizon_years"]),
        discount_rate=float(data["discount_rate"]),
        asset_life=data.get("asset_life_years"),
        service_units=float(data["service_units"])
        if data.get("service_units") is not None
        else None,
    )
    try:
        appraisal = economics.appraise(case)
    except ValueError as error:
        raise ValidationError(
            format_lazy(_("The business case does not add up: {error}"), error=error)
        ) from None
    return appraisal, all_lines, measured


@transaction.atomic
def business_case_save(
    *,
    entry: RoundEntry,
    user: AnyUser,
    data: Mapping[str, Any],
    lines: Sequence[Mapping[str, Any]],
) -> BusinessCase:
    """Save a new version of the entry's business case.

    1. The vendor's writers, the scenario owner's writers and operators
       may save; vendors only on a projected basis.
    2. Nothing changes once the entry has a decision.
    3. With calls per year and a tariff, the compute cost line is
       computed from the latest hidden run (``economics.compute_cost``).
    4. The case must appraise (``economics.appraise``).
    5. A new row with the next version number; earlier ones stay.
    """
    access = _access(user, entry)
    if not access.can_edit:
        raise PermissionDenied
    _require_editable(entry)
    _check_basis(access, str(data.get("basis", CaseBasis.PROJECTED)))
    _appraisal, all_lines, measured = business_case_appraise(
        entry=entry, data=data, lines=lines
    )
    # Serialise concurrent saves of the same entry's versions.
    RoundEntry.objects.select_for_update().filter(pk=entry.pk).first()
    number = (
        BusinessCase.objects.filter(entry=entry).aggregate(n=Max("version"))["n"] or 0
    ) + 1
    case = BusinessCase(
        entry=entry,
        version=number,
        author=_author(user),
        author_role=access.author_role,
        compute_run=measured.run if measured else None,
        **{k: data[k] for k in BUSINESS_CASE_FIELDS if k in data},
    )
    case.full_clean()
    case.save()
    rows = []
    positions = {BusinessCaseLine.Kind.COST: 0, BusinessCaseLine.Kind.BENEFIT: 0}
    for line in all_lines:
        kind = line["kind"]
        positions[kind] += 1
        row = BusinessCaseLine(
            case=case,
            kind=kind,
            position=positions[kind],
            name=str(line["name"]).strip(),
            amount=line["amount"],
            escalation=line.get("escalation") or Decimal(0),
            driver=str(line.get("driver") or ""),
            is_compute=bool(line.get("is_compute")),
        )
        row.full_clean(exclude=["case"])
        rows.append(row)
    BusinessCaseLine.objects.bulk_create(rows)
    return case


# --- social impact -----------------------------------------------------------


def _check_factor(region: str, year: int) -> carbon.EmissionFactor:
    try:
        return carbon.factor(region, year)
    except ValueError:
        raise ValidationError(
            {"region": _("Choose a grid emission factor from the table.")}
        ) from None


def impact_compute(
    *, entry: RoundEntry, data: Mapping[str, Any]
) -> tuple[carbon.CarbonResult, case_selectors.RunEnergy]:
    """Return the CO₂ result of unsaved impact figures; nothing is written."""
    _check_factor(str(data["region"]), int(data["factor_year"]))
    calls = data.get("calls_per_year")
    if calls is None:
        raise ValidationError(
            {
                "calls_per_year": _(
                    "Give the annual volume of calls, so the solution's own "
                    "compute emissions are counted."
                )
            }
        )
    measured = _run_energy_or_error(entry, "calls_per_year")
    try:
        compute_mwh = carbon.compute_mwh(
            energy_wh_per_call=measured.energy_wh_per_call,
            calls_per_year=float(calls),
            pue=float(data.get("pue") or 1),
        )
        result = carbon.co2_avoided(
            energy_saved_mwh=float(data["energy_mwh"]),
            compute_mwh=compute_mwh,
            region=str(data["region"]),
            year=int(data["factor_year"]),
        )
    except ValueError as error:
        raise ValidationError(str(error)) from None
    return result, measured


@transaction.atomic
def impact_save(
    *,
    entry: RoundEntry,
    user: AnyUser,
    data: Mapping[str, Any],
    items: Sequence[Mapping[str, Any]],
) -> SocialImpact:
    """Save a new version of the entry's social impact.

    1. Same writers and basis rule as the business case.
    2. The grid factor must be one of ``carbon.FACTORS``.
    3. The solution's compute energy is the latest hidden run's energy per
       call × the calls per year × PUE, stored with the version.
    4. Other impacts each need a name, quantity, unit and method.
    """
    access = _access(user, entry)
    if not access.can_edit:
        raise PermissionDenied
    _require_editable(entry)
    _check_basis(access, str(data.get("basis", CaseBasis.PROJECTED)))
    if len(items) > MAX_ITEMS:
        raise ValidationError(format_lazy(_("Keep to {n} impacts."), n=MAX_ITEMS))
    result, measured = impact_compute(entry=entry, data=data)
    RoundEntry.objects.select_for_update().filter(pk=entry.pk).first()
    number = (
        SocialImpact.objects.filter(entry=entry).aggregate(n=Max("version"))["n"] or 0
    ) + 1
    impact = SocialImpact(
        entry=entry,
        version=number,
        author=_author(user),
        author_role=access.author_role,
        compute_run=measured.run,
        compute_mwh=Decimal(str(round(result.compute_mwh, 6))),
        **{k: data[k] for k in IMPACT_FIELDS if k in data},
    )
    impact.full_clean()
    impact.save()
    rows = []
    for position, item in enumerate(items, start=1):
        row = ImpactItem(
            impact=impact,
            position=position,
            name=str(item["name"]).strip(),
            quantity=item["quantity"],
            unit=str(item["unit"]).strip(),
            method=str(item["method"]).strip(),
        )
        row.full_clean(exclude=["impact"])
        rows.append(row)
    ImpactItem.objects.bulk_create(rows)
    return impact


# --- user evaluation ---------------------------------------------------------


@transaction.atomic
def sus_invite(
    *, entry: RoundEntry, user: AnyUser, respondents: Iterable[User]
) -> list[SusInvitation]:
    """Send the SUS questionnaire for the entry to named users.

    1. The round's managers send it (owner writers, operators).
    2. Respondents are active people of the scenario's owner, never of the
       entry's vendor.
    3. Someone already invited is not invited again.
    4. Each new respondent gets an in-app notification with the link.
    """
    access = _access(user, entry)
    if not access.can_manage:
        raise PermissionDenied
    _require_editable(entry)
    allowed = set(case_selectors.invitable_users(entry).values_list("pk", flat=True))
    people = list(respondents)
    if not people:
        raise ValidationError({"respondents": _("Choose at least one person.")})
    for person in people:
        if person.pk not in allowed:
            raise ValidationError(
                {
                    "respondents": format_lazy(
                        _(
                            "{name} is not in the scenario owner's organisation "
                            "or belongs to the entry's vendor."
                        ),
                        name=person.get_username(),
                    )
                }
            )
    already = set(
        SusInvitation.objects.filter(entry=entry).values_list(
            "respondent_id", flat=True
        )
    )
    created = [
        SusInvitation.objects.create(
            entry=entry, respondent=person, sent_by=_author(user)
        )
        for person in people
        if person.pk not in already
    ]
    if created:
        scenario = entry.round.scenario
        notification_send(
            category=NotificationCategory.REVIEWS,
            users=[i.respondent for i in created],
            subject=format_lazy(
                _("Please rate a solution for {code} (usability questionnaire)"),
                code=scenario.code,
            ),
            body=format_lazy(
                _(
                    "You are asked to fill in the ten-item System Usability "
                    "Scale for entry {number} of “{title}”. It takes about two "
                    "minutes and you can answer once."
                ),
                number=entry.number,
                title=entry.round.title,
            ),
            url=reverse("reviews:case_sus_respond", args=[entry.pk]),
        )
    return created


@transaction.atomic
def sus_respond(
    *, invitation: SusInvitation, user: AnyUser, answers: Sequence[int]
) -> SusResponse:
    """Record the respondent's one answer and its SUS score.

    Only the invited person answers, never on someone else's behalf; a
    member of the entry's vendor never answers for its own entry.
    """
    if not isinstance(user, User) or invitation.respondent_id != user.pk:
        raise PermissionDenied
    entry = invitation.entry
    if user.memberships.filter(
        organisation_id=entry.submission.organisation_id
    ).exists():
        raise PermissionDenied
    _require_editable(entry)
    locked = SusInvitation.objects.select_for_update().get(pk=invitation.pk)
    if SusResponse.objects.filter(invitation=locked).exists():
        raise ValidationError(_("You have already answered this questionnaire."))
    try:
        score = usability.sus_score(list(answers))
    except ValueError:
        raise ValidationError(
            {"answers": _("Answer all ten statements with a value from 1 to 5.")}
        ) from None
    return SusResponse.objects.create(
        invitation=locked, answers=list(answers), score=score
    )


@transaction.atomic
def pilot_counts_record(
    *,
    entry: RoundEntry,
    user: AnyUser,
    recommendations: int,
    accepted: int,
    overridden: int,
    source: str,
) -> PilotLog:
    """Record acceptance and override counts from the pilot's logs."""
    access = _access(user, entry)
    if not access.can_manage:
        raise PermissionDenied
    _require_editable(entry)
    try:
        usability.pilot_rates(
            recommendations=recommendations, accepted=accepted, overridden=overridden
        )
    except ValueError:
        raise ValidationError(
            {
                "accepted": _(
                    "Accepted plus overridden cannot exceed the recommendations logged."
                )
            }
        ) from None
    log = PilotLog(
        entry=entry,
        recommendations=recommendations,
        accepted=accepted,
        overridden=overridden,
        source=source.strip(),
        author=_author(user),
    )
    log.full_clean()
    log.save()
    return log
