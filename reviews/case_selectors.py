"""Reads of the calculators that feed the scorecard: an entry's business
case (D3), social impact (D4) and user evaluation (D6).

Who sees what (issue 4, "Calculators feeding the dimensions"):

* The entry's vendor organisation sees its business case and impact;
  its writers propose them. Vendors never see the user evaluation: the
  respondents are the scenario owner's people.
* The round's managers (writers of the scenario's owner and operators)
  read and edit everything, and run the user evaluation.
* The chair, the owner's read-only members and the entry's reviewers
  read. Conflicted reviewers get 404, as on the entry page.
* In a blind round, until the decision, reviewers get no vendor identity:
  the entry is "Entry 3" and a vendor author is "the vendor".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from evaluations.models import Run
from portal.accounts.models import Organisation, User
from portal.accounts.selectors import AnyUser, is_operator, organisation_ids_of
from reviews import carbon, economics, usability
from reviews.evidence import validate_summary
from reviews.models import (
    Assignment,
    BusinessCase,
    BusinessCaseLine,
    CaseAuthorRole,
    CaseBasis,
    Decision,
    PilotLog,
    ReviewRound,
    RoundEntry,
    SocialImpact,
    SusInvitation,
    SusResponse,
)
from reviews.selectors import (
    can_manage_round,
    can_view_round,
    identity_visible,
    is_chair,
    is_conflicted,
)
from scenarios.selectors import can_write_scenario

_ENTRY_RELATED = (
    "round__scenario__owner",
    "round__chair",
    "submission__organisation",
)


# --- access -------------------------------------------------------------------


@dataclass(frozen=True)
class CaseAccess:
    entry: RoundEntry
    # A member of the entry's vendor organisation.
    is_vendor: bool
    # May save a business case or a social impact.
    can_edit: bool
    # May send the SUS questionnaire and enter pilot counts.
    can_manage: bool
    # May see the user evaluation (everybody but the vendor).
    sees_users: bool
    show_identity: bool
    # Recorded with each version this user saves.
    author_role: str


def case_access(user: AnyUser, entry: RoundEntry) -> CaseAccess | None:
    """Return what ``user`` may do with the entry's calculators, or None.

    Takes an entry with ``round__scenario`` and ``submission`` loaded.
    """
    if not isinstance(user, User):
        return None
    vendor_id = entry.submission.organisation_id
    if vendor_id in organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False
    ):
        writer = vendor_id in organisation_ids_of(
            user, kind=Organisation.Kind.VENDOR, verified=False, write=True
        )
        return CaseAccess(
            entry=entry,
            is_vendor=True,
            can_edit=writer,
            can_manage=False,
            sees_users=False,
            show_identity=True,
            author_role=CaseAuthorRole.VENDOR,
        )
    if is_conflicted(user, entry):
        return None
    review_round = entry.round
    manage = can_manage_round(user, review_round)
    if not (
        manage
        or is_chair(user, review_round)
        or can_view_round(user, review_round)
        or Assignment.objects.filter(entry=entry, reviewer=user)
        .exclude(status=Assignment.Status.DECLINED)
        .exists()
    ):
        return None
    operator_only = is_operator(user) and not can_write_scenario(
        user, review_round.scenario
    )
    return CaseAccess(
        entry=entry,
        is_vendor=False,
        can_edit=manage,
        can_manage=manage,
        sees_users=True,
        show_identity=identity_visible(user, entry),
        author_role=CaseAuthorRole.OPERATOR if operator_only else CaseAuthorRole.OWNER,
    )


def _entry(pk: int) -> RoundEntry:
    entry = RoundEntry.objects.select_related(*_ENTRY_RELATED).filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


def get_case_entry_for_user(
    user: AnyUser, pk: int, *, write: bool = False
) -> CaseAccess:
    """Return the access to an entry's business case and impact.

    404 for whoever may not see the entry (conflicted reviewers included),
    403 with ``write`` for those who may only read.
    """
    access = case_access(user, _entry(pk))
    if access is None:
        raise Http404("No such entry.")
    if write and not access.can_edit:
        raise PermissionDenied
    return access


def get_users_entry_for_user(
    user: AnyUser, pk: int, *, manage: bool = False
) -> CaseAccess:
    """Return the access to an entry's user evaluation.

    404 for vendors and whoever may not see the entry; 403 with ``manage``
    for those who may only read the summary.
    """
    access = case_access(user, _entry(pk))
    if access is None or not access.sees_users:
        raise Http404("No such entry.")
    if manage and not access.can_manage:
        raise PermissionDenied
    return access


def get_invitation_for_user(user: AnyUser, pk: int) -> SusInvitation:
    """Return the user's own SUS invitation for entry ``pk``, or raise 404."""
    if not isinstance(user, User):
        raise Http404("No such questionnaire.")
    invitation = (
        SusInvitation.objects.select_related(
            *(f"entry__{name}" for name in _ENTRY_RELATED)
        )
        .filter(entry_id=pk, respondent=user)
        .first()
    )
    if invitation is None:
        raise Http404("No such questionnaire.")
    return invitation


def entry_editable(entry: RoundEntry) -> bool:
    """Business case, impact and user evaluation are frozen by the decision."""
    if entry.round.status == ReviewRound.Status.DECIDED:
        return False
    return not Decision.objects.filter(entry=entry).exists()


def entry_label(access: CaseAccess) -> str:
    """The entry's name as this viewer may see it."""
    entry = access.entry
    if access.show_identity:
        submission = entry.submission
        return (
            f"{submission.organisation.name} · {submission.name} "
            f"{submission.version_label}"
        )
    return gettext("Entry %(number)s") % {"number": entry.number}


def author_label(access: CaseAccess, author: User | None, role: str) -> str:
    """Who saved a version, without the vendor's people in a blind round."""
    role_label = str(CaseAuthorRole(role).label)
    if role == CaseAuthorRole.VENDOR and not access.show_identity:
        return role_label
    if author is None:
        return role_label
    return f"{author.get_username()} ({role_label})"


# --- runs -----------------------------------------------------------------------


@dataclass(frozen=True)
class RunEnergy:
    run: Run
    energy_wh_per_call: float
    cpu_seconds_per_call: float
    calls: int


def latest_hidden_run(entry: RoundEntry) -> Run | None:
    """The entry's latest finished hidden-test run (succeeded or failed)."""
    return (
        Run.objects.filter(
            submission_id=entry.submission_id,
            split=Run.Split.HIDDEN,
            status__in=[Run.Status.SUCCEEDED, Run.Status.FAILED],
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def run_energy(run: Run | None) -> RunEnergy | None:
    """Energy and CPU per call measured by the run, or None if not metered."""
    if run is None:
        return None
    resources: dict[str, Any] = run.resources or {}
    energy = resources.get("energy_wh")
    calls = resources.get("calls")
    cpu = resources.get("cpu_seconds") or 0
    if (
        not isinstance(energy, int | float)
        or not isinstance(calls, int)
        or isinstance(calls, bool)
        or calls <= 0
        or not isinstance(cpu, int | float)
    ):
        return None
    return RunEnergy(run, float(energy) / calls, float(cpu) / calls, calls)


# --- business case ------------------------------------------------------------------


def _lines() -> Prefetch[Any]:
    return Prefetch(
        "lines", queryset=BusinessCaseLine.objects.order_by("kind", "position")
    )


def latest_business_case(entry: RoundEntry) -> BusinessCase | None:
    return (
        BusinessCase.objects.filter(entry=entry)
        .select_related("author", "compute_run")
        .prefetch_related(_lines())
        .order_by("-version")
        .first()
    )


def business_case_versions(entry: RoundEntry) -> QuerySet[BusinessCase]:
    """Every saved version, newest first, with authors (one query)."""
    return (
        BusinessCase.objects.filter(entry=entry)
        .select_related("author")
        .order_by("-version")
    )


def to_economics(case: BusinessCase) -> economics.BusinessCase:
    """Return the calculator's input for a saved version (lines loaded)."""
    lines = list(case.lines.all())

    def line(row: BusinessCaseLine) -> economics.Line:
        return economics.Line(row.name, float(row.amount), float(row.escalation))

    return economics.BusinessCase(
        investment=float(case.investment),
        costs=tuple(line(r) for r in lines if r.kind == BusinessCaseLine.Kind.COST),
        benefits=tuple(
            line(r) for r in lines if r.kind == BusinessCaseLine.Kind.BENEFIT
        ),
        horizon=int(case.horizon_years),
        discount_rate=float(case.discount_rate),
        asset_life=case.asset_life_years,
        service_units=float(case.service_units)
        if case.service_units is not None
        else None,
    )


def appraisal_of(case: BusinessCase) -> economics.Appraisal:
    return economics.appraise(to_economics(case))


# --- social impact ------------------------------------------------------------------


def latest_impact(entry: RoundEntry) -> SocialImpact | None:
    return (
        SocialImpact.objects.filter(entry=entry)
        .select_related("author", "compute_run")
        .prefetch_related("items")
        .order_by("-version")
        .first()
    )


def impact_versions(entry: RoundEntry) -> QuerySet[SocialImpact]:
    return (
        SocialImpact.objects.filter(entry=entry)
        .select_related("author")
        .order_by("-version")
    )


def carbon_of(impact: SocialImpact) -> carbon.CarbonResult:
    return carbon.co2_avoided(
        energy_saved_mwh=float(impact.energy_mwh),
        compute_mwh=float(impact.compute_mwh),
        region=impact.region,
        year=impact.factor_year,
    )


def factor_choices() -> list[tuple[str, str]]:
    """The grid-average factors as ``("region:year", label)``, newest first."""
    rows = sorted(
        (f for f in carbon.FACTORS if f.kind == "average"),
        key=lambda f: (-f.year, f.region != "national", f.region),
    )
    return [
        (f"{f.region}:{f.year}", f"{f.name} ({f.kg_per_kwh:g} kgCO₂/kWh)") for f in rows
    ]


# --- user evaluation ----------------------------------------------------------------


def sus_answers(entry: RoundEntry) -> list[list[int]]:
    return [
        list(answers)
        for answers in SusResponse.objects.filter(invitation__entry=entry).values_list(
            "answers", flat=True
        )
    ]


def sus_summary_of(entry: RoundEntry) -> usability.SusSummary | None:
    answers = sus_answers(entry)
    return usability.sus_summary(answers) if answers else None


def invitation_list(entry: RoundEntry) -> list[SusInvitation]:
    """The entry's invitations with respondents and answers (one query)."""
    return list(
        SusInvitation.objects.filter(entry=entry)
        .select_related("respondent", "response")
        .order_by("respondent__username")
    )


def invitable_users(entry: RoundEntry) -> QuerySet[User]:
    """Active people of the scenario's owner, not of the entry's vendor."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=entry.round.scenario.owner_id,
        )
        .exclude(memberships__organisation_id=entry.submission.organisation_id)
        .distinct()
        .order_by("username")
    )


def latest_pilot_log(entry: RoundEntry) -> PilotLog | None:
    return PilotLog.objects.filter(entry=entry).order_by("-created_at", "-pk").first()


def pilot_rates_of(log: PilotLog) -> usability.PilotRates:
    return usability.pilot_rates(
        recommendations=log.recommendations,
        accepted=log.accepted,
        overridden=log.overridden,
    )


# --- what the scorecard takes -------------------------------------------------------


def case_evidence(entry: RoundEntry) -> dict[str, Any]:
    """Return the ``EvidenceSummary`` keys these calculators supply.

    1. ``business_case`` is true when a version is saved; ``npv``, ``bcr``
       (left out when undefined: nothing costs anything),
       ``discounted_payback_within_horizon`` and ``npv_robust`` come from
       ``economics.appraise`` of the latest version.
    2. ``co2_net_t`` is ``carbon.co2_avoided(...).net_t`` of the latest
       social impact.
    3. ``sus_n`` and ``sus_mean`` summarise the SUS responses.
    4. ``pilot_data`` is true when the latest business case is on a
       measured basis, or the owner entered acceptance and override counts
       from pilot logs: both can only come from a pilot (vendors may only
       propose projected cases). A measured social impact alone does not
       count, because its basis is declared, not backed by counts.

    Keys without data are left out (missing means missing evidence); in
    particular ``pilot_data`` is present only when true.
    """
    return case_evidence_by_entry([entry])[entry.pk]


def _latest_versions(model: Any, entry_ids: list[int]) -> Any:
    """The newest version of ``model`` per entry (one query to find them)."""
    newest = (
        model.objects.filter(entry_id__in=entry_ids)
        .values("entry_id")
        .annotate(newest=Max("version"))
        .order_by()
    )
    wanted = Q(pk__in=[])
    for row in newest:
        wanted |= Q(entry_id=row["entry_id"], version=row["newest"])
    return model.objects.filter(wanted)


def case_evidence_by_entry(entries: Sequence[RoundEntry]) -> dict[int, dict[str, Any]]:
    """``case_evidence`` of several entries in a fixed number of queries."""
    ids = [entry.pk for entry in entries]
    summaries: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    cases = {
        case.entry_id: case
        for case in _latest_versions(BusinessCase, ids).prefetch_related(_lines())
    }
    for pk, case in cases.items():
        appraisal = appraisal_of(case)
        summary = summaries[pk]
        summary["business_case"] = True
        summary["npv"] = appraisal.npv
        if appraisal.bcr is not None:
            summary["bcr"] = appraisal.bcr
        summary["discounted_payback_within_horizon"] = (
            appraisal.discounted_payback is not None
        )
        summary["npv_robust"] = appraisal.npv_robust
    for impact in _latest_versions(SocialImpact, ids):
        summaries[impact.entry_id]["co2_net_t"] = carbon_of(impact).net_t
    answers: dict[int, list[list[int]]] = {}
    for pk, values in SusResponse.objects.filter(
        invitation__entry_id__in=ids
    ).values_list("invitation__entry_id", "answers"):
        answers.setdefault(pk, []).append(list(values))
    for pk, rows in answers.items():
        sus = usability.sus_summary(rows)
        summaries[pk]["sus_n"] = sus.n
        summaries[pk]["sus_mean"] = sus.mean
    piloted = set(
        PilotLog.objects.filter(entry_id__in=ids)
        .values_list("entry_id", flat=True)
        .distinct()
    )
    for pk, summary in summaries.items():
        case = cases.get(pk)
        if pk in piloted or (case is not None and case.basis == CaseBasis.MEASURED):
            summary["pilot_data"] = True
        validate_summary(summary)
    return summaries


def case_links(entry: RoundEntry, user: AnyUser) -> list[tuple[str, str]]:
    """Return (label, url) of the calculator pages ``user`` may open.

    The business case and social impact for everybody who may see the
    entry's calculators; the user evaluation for all but the vendor; the
    questionnaire for an invited respondent who has not answered yet.
    Takes an entry with ``round__scenario`` and ``submission`` loaded.
    """
    return links_for(case_access(user, entry), entry, user)


def links_for(
    access: CaseAccess | None, entry: RoundEntry, user: AnyUser
) -> list[tuple[str, str]]:
    """``case_links`` for a caller that already has the access."""
    links: list[tuple[str, str]] = []
    if access is not None:
        links.append(
            (
                gettext("Business case"),
                reverse("reviews:case_business", args=[entry.pk]),
            )
        )
        links.append(
            (gettext("Social impact"), reverse("reviews:case_impact", args=[entry.pk]))
        )
        if access.sees_users:
            links.append(
                (
                    gettext("User evaluation"),
                    reverse("reviews:case_users", args=[entry.pk]),
                )
            )
    if (
        isinstance(user, User)
        and SusInvitation.objects.filter(
            entry=entry, respondent=user, response__isnull=True
        ).exists()
    ):
        links.append(
            (
                gettext("Usability questionnaire"),
                reverse("reviews:case_sus_respond", args=[entry.pk]),
            )
        )
    return links
