"""Reads of benchmark cases (标杆案例): the evidence snapshot, the public
list and page, and who may do what with a case.

Who may do what (``case_services`` enforces it):

* draft or edit the solution summary: the vendor's writers, the scenario
  owner's writers and operators; a save by the vendor's writer records
  the vendor's consent to the text, a change by anyone else clears it;
* publish: operators, or the owner's writers once the vendor has consented
  to the current text (the public page names the vendor);
* withdraw a published case, with a reason: operators, the owner's writers
  and the vendor's writers (withdrawing consent).

The public sees a case while it is published and its solution is still at
scale rollout; anybody else gets 404.

Missing evidence stays ``None`` in the snapshot and shows as "not
measured": nothing is estimated or filled in.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from lifecycle import selectors
from lifecycle.models import BenchmarkCase, Pilot, Solution, Stage
from portal.accounts.models import pick_language
from portal.accounts.selectors import AnyUser, is_operator
from portal.ledger import hashing
from portal.lib.taxonomy import Sector
from reviews.case_selectors import appraisal_of, carbon_of
from reviews.models import BusinessCase, CaseBasis, RoundEntry, SocialImpact
from reviews.rubric import Stage as ReviewStage

SNAPSHOT_VERSION = 1


# --- roles ---------------------------------------------------------------------


def can_edit_case(user: AnyUser, solution: Solution) -> bool:
    return (
        is_operator(user)
        or selectors.is_owner_writer(user, solution)
        or selectors.is_vendor_writer(user, solution)
    )


def can_publish_case(user: AnyUser, solution: Solution) -> bool:
    """Whether ``user``'s role may publish (the vendor's consent aside)."""
    return is_operator(user) or selectors.is_owner_writer(user, solution)


def can_withdraw_case(user: AnyUser, solution: Solution) -> bool:
    return can_edit_case(user, solution)


def case_for_solution(solution: Solution) -> BenchmarkCase | None:
    return (
        BenchmarkCase.objects.filter(solution=solution)
        .select_related("vendor_consent_by", "published_by")
        .first()
    )


# --- the public list and page --------------------------------------------------------


def public_case_list(*, sector: str | None = None) -> QuerySet[BenchmarkCase]:
    """Published cases of solutions still at scale rollout (one query)."""
    queryset = BenchmarkCase.objects.filter(
        status=BenchmarkCase.Status.PUBLISHED, solution__stage=Stage.SCALE
    ).select_related("solution__scenario", "solution__organisation")
    if sector:
        queryset = queryset.filter(solution__scenario__sector=sector)
    return queryset.order_by("-published_at", "-pk")


def get_public_case(slug: str) -> BenchmarkCase:
    case = public_case_list().filter(slug=slug).first()
    if case is None:
        raise Http404("No such benchmark case.")
    return case


# --- the evidence snapshot -------------------------------------------------------------


def _number(value: float | int | None, digits: int = 4) -> float | None:
    if value is None:
        return None
    return round(float(value), digits)


def _latest(model: Any, entry: RoundEntry | None) -> Any:
    """The latest measured version of the entry's case, else the latest."""
    if entry is None:
        return None
    versions = model.objects.filter(entry=entry)
    measured = versions.filter(basis=CaseBasis.MEASURED).order_by("-version").first()
    return measured or versions.order_by("-version").first()


def _effectiveness_entry(solution: Solution) -> RoundEntry | None:
    return selectors.round_entry(solution, ReviewStage.EFFECTIVENESS)


def _economics(case: BusinessCase | None) -> dict[str, Any] | None:
    if case is None:
        return None
    appraisal = appraisal_of(case)
    return {
        "business_case": case.pk,
        "version": case.version,
        "basis": case.basis,
        "currency": case.currency,
        "horizon_years": case.horizon_years,
        "npv": _number(appraisal.npv, 2),
        "bcr": _number(appraisal.bcr),
        "discounted_payback_years": _number(appraisal.discounted_payback, 2),
        "simple_payback_years": _number(appraisal.simple_payback, 2),
    }


def _carbon(impact: SocialImpact | None) -> dict[str, Any] | None:
    if impact is None:
        return None
    result = carbon_of(impact)
    return {
        "impact": impact.pk,
        "version": impact.version,
        "basis": impact.basis,
        "region": impact.region,
        "factor_year": impact.factor_year,
        "co2_avoided_t": _number(result.gross_t, 3),
        "compute_co2_t": _number(result.compute_t, 3),
        "net_co2_avoided_t": _number(result.net_t, 3),
    }


def _maturity(evidence: Any) -> dict[str, Any] | None:
    """D1 and the composite of the effectiveness round, else the testing one."""
    for key, stage in (
        ("effectiveness_round", ReviewStage.EFFECTIVENESS),
        ("testing_round", ReviewStage.TESTING),
    ):
        found = evidence.get(key)
        if found is not None:
            return {
                "round": found["round"],
                "stage": str(stage),
                "d1": _number(found["scores"].get("D1")),
                "composite": _number(found["composite"]),
            }
    return None


def _pilots(pilots: list[Pilot]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    sites, results = [], []
    for pilot in pilots:
        sites.append(
            {
                "pilot": pilot.pk,
                "site": pilot.site,
                "starts_on": pilot.starts_on.isoformat(),
                "ends_on": pilot.ends_on.isoformat(),
                "mode": pilot.mode,
                "status": pilot.status,
            }
        )
        for row in selectors.pilot_comparison(pilot):
            kpi = row.kpi
            results.append(
                {
                    "pilot": pilot.pk,
                    "site": pilot.site,
                    "kpi": kpi.name,
                    "unit": kpi.unit,
                    "comparator": kpi.comparator,
                    "target": _number(kpi.target),
                    "sandbox": _number(kpi.sandbox_value),
                    "field_mean": _number(row.mean),
                    "measurements": row.count,
                    "drift_pct": _number(row.drift_pct, 2),
                    "within_tolerance": row.within,
                    "target_met": row.target_met,
                }
            )
    return sites, results


def case_snapshot(solution: Solution) -> dict[str, Any]:
    """The evidence numbers of a benchmark case, as plain JSON data.

    1. Problem: the scenario's code, sector, titles and summaries.
    2. Sites and measured results: every pilot with its period, and per KPI
       the target, the sandbox value and the field mean.
    3. Economics and carbon: the business case and social impact of the
       latest effectiveness-round entry (the latest measured version, else
       the latest version, with its basis).
    4. Maturity: calibrated D1 and the composite of the effectiveness
       round's scorecard, else the testing round's.
    5. Evidence: the ids the numbers come from.

    Anything missing stays ``None`` (or an empty list).
    """
    scenario = solution.scenario
    vendor = solution.organisation
    gate = selectors.gate_evidence(solution)
    entry = _effectiveness_entry(solution)
    business_case = _latest(BusinessCase, entry)
    impact = _latest(SocialImpact, entry)
    pilots = list(solution.pilots.order_by("starts_on", "pk"))
    sites, results = _pilots(pilots)
    economics = _economics(business_case)
    carbon = _carbon(impact)
    maturity = _maturity(gate)
    scale_transition = (
        solution.transitions.filter(to_stage=Stage.SCALE)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    evidence = [f"solution:{solution.pk}", f"submission:{solution.submission_id}"]
    evidence += [f"pilot:{p.pk}" for p in pilots]
    if economics:
        evidence.append(f"business_case:{economics['business_case']}")
    if carbon:
        evidence.append(f"impact:{carbon['impact']}")
    if maturity:
        evidence.append(f"round:{maturity['round']}")
    if scale_transition:
        evidence.append(f"transition:{scale_transition}")
    snapshot = {
        "version": SNAPSHOT_VERSION,
        "problem": {
            "scenario": scenario.code,
            "sector": scenario.sector,
            "title_zh": scenario.title_zh,
            "title_en": scenario.title_en,
            "summary_zh": scenario.summary_zh,
            "summary_en": scenario.summary_en,
        },
        "solution": {
            "name": solution.name,
            "vendor_zh": vendor.name_zh,
            "vendor_en": vendor.name_en,
            "version": solution.submission.version_label,
        },
        "sites": sites,
        "results": results,
        "economics": economics,
        "carbon": carbon,
        "maturity": maturity,
        "evidence": evidence,
    }
    return dict(hashing.normalise(snapshot, path="evidence"))


# --- the public page -----------------------------------------------------------------


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def case_page(case: BenchmarkCase) -> dict[str, Any]:
    """The snapshot of ``case`` in the active language, for its page."""
    snapshot = case.evidence or {}
    problem = snapshot.get("problem") or {}
    solution = snapshot.get("solution") or {}
    economics = snapshot.get("economics")
    carbon = snapshot.get("carbon")
    maturity = snapshot.get("maturity")
    return {
        "problem_title": pick_language(
            problem.get("title_zh", ""), problem.get("title_en", "")
        ),
        "problem_summary": pick_language(
            problem.get("summary_zh", ""), problem.get("summary_en", "")
        ),
        "scenario_code": problem.get("scenario", ""),
        "sector": _label(Sector, problem.get("sector")),
        "solution_name": solution.get("name", ""),
        "vendor": pick_language(
            solution.get("vendor_zh", ""), solution.get("vendor_en", "")
        ),
        "version": solution.get("version", ""),
        "sites": [
            {
                **site,
                "mode_label": _label(Pilot.Mode, site.get("mode")),
                "status_label": _label(Pilot.Status, site.get("status")),
            }
            for site in snapshot.get("sites") or []
        ],
        "results": snapshot.get("results") or [],
        "economics": economics,
        "economics_basis": _label(CaseBasis, economics.get("basis"))
        if economics
        else "",
        "carbon": carbon,
        "carbon_basis": _label(CaseBasis, carbon.get("basis")) if carbon else "",
        "maturity": maturity,
        "maturity_round": _label(ReviewStage, maturity.get("stage"))
        if maturity
        else "",
        "evidence": snapshot.get("evidence") or [],
    }
