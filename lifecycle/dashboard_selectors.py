"""Reads of the lifecycle dashboards: funnel, time in stage, activity map
and the monitoring figures of action-plan item 二十八.

Who sees what: everybody sees aggregates over public scenarios (published,
closed or archived) and published high-value lists; operators see every
scenario and list. No figure names a vendor. The same filters (scenario,
sector, list batch, demo content) apply to every figure.

Every function runs a fixed number of queries whatever the number of
scenarios and solutions; the arithmetic is done in Python.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from evaluations.models import Run, Submission
from lifecycle import gates
from lifecycle.models import BenchmarkCase, Pilot, Solution, Stage, Transition
from portal.accounts.models import pick_language
from portal.accounts.selectors import AnyUser, is_operator
from portal.lib.taxonomy import Sector
from portal.lib.taxonomy import Stage as ChainStage
from scenarios.models import (
    PUBLIC_STATUSES,
    HighValueList,
    HighValueListEntry,
    Scenario,
)
from scenarios.selectors import MapCell

LAYERS = ("solutions", "pilots")


def _now() -> datetime:
    """Return the current time. Used for mocking in tests."""
    return timezone.now()


@dataclass(frozen=True)
class DashboardFilters:
    scenario: str = ""
    sector: str = ""
    batch: str = ""
    include_demo: bool = True


# --- scope ------------------------------------------------------------------------


def scenario_scope(user: AnyUser, filters: DashboardFilters) -> QuerySet[Scenario]:
    """The scenarios the figures cover, for ``user``, after the filters."""
    queryset = Scenario.objects.all()
    if not is_operator(user):
        queryset = queryset.filter(status__in=PUBLIC_STATUSES)
    if filters.scenario:
        queryset = queryset.filter(code=filters.scenario)
    if filters.sector:
        queryset = queryset.filter(sector=filters.sector)
    if filters.batch:
        entries = HighValueListEntry.objects.filter(
            high_value_list__in=batch_options(user).filter(slug=filters.batch)
        )
        queryset = queryset.filter(pk__in=entries.values("scenario_id"))
    if not filters.include_demo:
        queryset = queryset.filter(is_demo=False)
    return queryset


def solution_scope(user: AnyUser, filters: DashboardFilters) -> QuerySet[Solution]:
    queryset = Solution.objects.filter(scenario__in=scenario_scope(user, filters))
    if not filters.include_demo:
        queryset = queryset.filter(is_demo=False)
    return queryset


def scenario_in_scope(user: AnyUser, code: str) -> bool:
    """Whether ``code`` names a scenario the dashboards may show ``user``."""
    queryset = Scenario.objects.filter(code=code)
    if not is_operator(user):
        queryset = queryset.filter(status__in=PUBLIC_STATUSES)
    return queryset.exists()


SUGGESTION_LIMIT = 20


def scenario_suggestions(user: AnyUser, text: str) -> list[tuple[str, str]]:
    """(code, "code title") of up to ``SUGGESTION_LIMIT`` scenarios in scope
    whose code or title contains ``text``, codes first; nothing for no text.

    The filter suggests as the user types instead of listing every scenario:
    thousands of options made the page a megabyte and a second slower.
    """
    text = text.strip()
    if not text:
        return []
    queryset = Scenario.objects.filter(
        Q(code__icontains=text)
        | Q(title_zh__icontains=text)
        | Q(title_en__icontains=text)
    )
    if not is_operator(user):
        queryset = queryset.filter(status__in=PUBLIC_STATUSES)
    return [
        (code, f"{code} {pick_language(zh, en)}")
        for code, zh, en in queryset.order_by("code").values_list(
            "code", "title_zh", "title_en"
        )[:SUGGESTION_LIMIT]
    ]


def batch_options(user: AnyUser) -> QuerySet[HighValueList]:
    queryset = HighValueList.objects.order_by("-year", "-batch")
    if not is_operator(user):
        queryset = queryset.filter(published_at__isnull=False)
    return queryset


# --- funnel and time in stage --------------------------------------------------------


@dataclass
class StageRow:
    stage: str
    label: str
    # Solutions that ever entered the stage, and those in it now.
    reached: int = 0
    current: int = 0
    # Completed and ongoing stays, in days; ongoing ones run up to now.
    stays: list[float] = field(default_factory=list)
    ongoing: int = 0

    @property
    def median_days(self) -> float | None:
        return round(statistics.median(self.stays), 1) if self.stays else None

    @property
    def mean_days(self) -> float | None:
        return round(statistics.fmean(self.stays), 1) if self.stays else None


@dataclass
class Funnel:
    rows: list[StageRow]
    # Withdrawn and rejected: current counts only.
    ended: list[StageRow]
    total: int


def _stays(
    transitions: list[tuple[int, str, datetime]], now: datetime
) -> dict[str, tuple[list[float], int]]:
    """Days per stay in each stage from ``(solution, to_stage, time)`` rows.

    The rows come ordered by solution and time. A stay lasts from the move
    into a stage to the next move into another stage; the last stay of a
    solution lasts up to ``now`` and counts as ongoing. Withdrawn and
    rejected are final and have no stay.
    """
    result: dict[str, tuple[list[float], int]] = {}
    by_solution: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for solution_id, stage, time in transitions:
        moves = by_solution[solution_id]
        if moves and moves[-1][0] == stage:
            continue  # a new version staying in the same stage
        moves.append((stage, time))
    durations: dict[str, list[float]] = defaultdict(list)
    ongoing: dict[str, int] = defaultdict(int)
    for moves in by_solution.values():
        for index, (stage, start) in enumerate(moves):
            if stage in gates.TERMINAL:
                continue
            is_last = index + 1 == len(moves)
            end = now if is_last else moves[index + 1][1]
            durations[stage].append(max(0.0, (end - start).total_seconds() / 86400))
            if is_last:
                ongoing[stage] += 1
    for stage in durations:
        result[stage] = (durations[stage], ongoing[stage])
    return result


def funnel(solutions: QuerySet[Solution]) -> Funnel:
    """Reached and current counts and time in each stage (two queries)."""
    current = dict(
        solutions.values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    rows_in = list(
        Transition.objects.filter(solution__in=solutions)
        .order_by("solution_id", "created_at", "pk")
        .values_list("solution_id", "to_stage", "created_at")
    )
    reached: dict[str, set[int]] = defaultdict(set)
    for solution_id, stage, _time in rows_in:
        reached[stage].add(solution_id)
    stays = _stays(rows_in, _now())
    rows = []
    for stage in gates.STAGES:
        durations, ongoing = stays.get(stage, ([], 0))
        rows.append(
            StageRow(
                stage,
                str(Stage(stage).label),
                reached=len(reached[stage]),
                current=current.get(stage, 0),
                stays=durations,
                ongoing=ongoing,
            )
        )
    ended = [
        StageRow(s, str(Stage(s).label), current=current.get(s, 0))
        for s in (Stage.WITHDRAWN, Stage.REJECTED)
    ]
    return Funnel(rows, ended, sum(current.values()))


# --- the activity map --------------------------------------------------------------


def activity_map(solutions: QuerySet[Solution], *, layer: str) -> dict[str, Any]:
    """Active solutions (or pilots under way) per sector and value-chain
    stage, in the shape of ``scenarios.selectors.scenario_map`` (one query).
    """
    counts: dict[tuple[str, str], int]
    if layer == "pilots":
        counts = {
            (r["solution__scenario__sector"], r["solution__scenario__stage"]): r["n"]
            for r in Pilot.objects.filter(
                solution__in=solutions, status=Pilot.Status.RUNNING
            )
            .values("solution__scenario__sector", "solution__scenario__stage")
            .annotate(n=Count("pk"))
        }
    else:
        counts = {
            (r["scenario__sector"], r["scenario__stage"]): r["n"]
            for r in solutions.exclude(stage__in=gates.TERMINAL)
            .values("scenario__sector", "scenario__stage")
            .annotate(n=Count("pk"))
        }
    top = max(counts.values(), default=0)

    def heat(count: int) -> int:
        if count == 0 or top == 0:
            return 0
        return max(1, min(4, round(4 * count / top)))

    table = []
    for sector in Sector:
        cells = []
        for stage in ChainStage:
            count = counts.get((sector.value, stage.value), 0)
            cells.append(MapCell(sector.value, stage.value, count, heat(count)))
        table.append(
            {"sector": sector, "cells": cells, "total": sum(c.count for c in cells)}
        )
    return {
        "stages": list(ChainStage),
        "rows": table,
        "column_totals": [
            sum(counts.get((sector, stage), 0) for sector in Sector)
            for stage in ChainStage
        ],
        "total": sum(counts.values()),
    }


# --- monitoring (item 二十八) ----------------------------------------------------------


@dataclass
class Monitoring:
    scenarios_published: int
    vendors: int
    submissions: int
    runs: int
    hidden_runs: int
    hidden_passed: int
    pilots_running: int
    cases: int
    # Sums from the published benchmark cases' snapshots, per currency.
    npv_by_currency: dict[str, float]
    npv_cases: int
    co2_avoided_t: float | None
    co2_cases: int

    @property
    def hidden_pass_rate(self) -> float | None:
        if not self.hidden_runs:
            return None
        return round(100 * self.hidden_passed / self.hidden_runs, 1)


def monitoring(
    scenarios: QuerySet[Scenario], solutions: QuerySet[Solution]
) -> Monitoring:
    """The counts of the monitoring view (five queries)."""
    published = scenarios.filter(status__in=PUBLIC_STATUSES).count()
    submitted = Submission.objects.filter(
        suite_version__suite__scenario__in=scenarios
    ).aggregate(n=Count("pk"), vendors=Count("organisation", distinct=True))
    judged = Q(status__in=(Run.Status.SUCCEEDED, Run.Status.FAILED))
    hidden = judged & Q(split=Run.Split.HIDDEN)
    runs = Run.objects.filter(
        submission__suite_version__suite__scenario__in=scenarios
    ).aggregate(
        finished=Count("pk", filter=Q(status__in=Run.FINAL_STATUSES)),
        hidden=Count("pk", filter=hidden),
        passed=Count("pk", filter=hidden & Q(passed=True)),
    )
    running = Pilot.objects.filter(
        solution__in=solutions, status=Pilot.Status.RUNNING
    ).count()
    snapshots = list(
        BenchmarkCase.objects.filter(
            solution__in=solutions,
            status=BenchmarkCase.Status.PUBLISHED,
            solution__stage=Stage.SCALE,
        ).values_list("evidence", flat=True)
    )
    npv: dict[str, float] = defaultdict(float)
    npv_cases = co2_cases = 0
    co2 = 0.0
    for snapshot in snapshots:
        economics = (snapshot or {}).get("economics") or {}
        if economics.get("npv") is not None:
            npv[str(economics.get("currency", ""))] += float(economics["npv"])
            npv_cases += 1
        carbon = (snapshot or {}).get("carbon") or {}
        if carbon.get("net_co2_avoided_t") is not None:
            co2 += float(carbon["net_co2_avoided_t"])
            co2_cases += 1
    return Monitoring(
        scenarios_published=published,
        vendors=submitted["vendors"],
        submissions=submitted["n"],
        runs=runs["finished"],
        hidden_runs=runs["hidden"],
        hidden_passed=runs["passed"],
        pilots_running=running,
        cases=len(snapshots),
        npv_by_currency={k: round(v, 2) for k, v in sorted(npv.items())},
        npv_cases=npv_cases,
        co2_avoided_t=round(co2, 3) if co2_cases else None,
        co2_cases=co2_cases,
    )


@dataclass
class DashboardFigures:
    funnel: Funnel
    monitoring: Monitoring
    activity: dict[str, Any]
    # When they were counted (they may come from the cache).
    as_of: datetime


def dashboard_figures(
    user: AnyUser, filters: DashboardFilters, *, layer: str
) -> DashboardFigures:
    """Every figure of the dashboards for ``user``'s scope and ``filters``,
    counted at most once per ``settings.DASHBOARD_CACHE_SECONDS``.

    The figures cover every solution, transition, submission and run in
    scope (a hundred thousand runs at scale, nearly all of the page's time),
    so one count is shared for a short while by everybody with the same
    scope (public or operator) and filters; the page says when it was
    counted. The stage labels are text, so the language is part of the key.
    """

    def count() -> DashboardFigures:
        solutions = solution_scope(user, filters)
        return DashboardFigures(
            funnel=funnel(solutions),
            monitoring=monitoring(scenario_scope(user, filters), solutions),
            activity=activity_map(solutions, layer=layer),
            as_of=timezone.now(),
        )

    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return count()
    key = "lifecycle:dashboard:v1:" + "|".join(
        (
            "operator" if is_operator(user) else "public",
            filters.scenario,
            filters.sector,
            filters.batch,
            "demo" if filters.include_demo else "nodemo",
            layer,
            get_language() or "",
        )
    )
    cached = cache.get(key)
    if isinstance(cached, DashboardFigures):
        return cached
    figures = count()
    cache.set(key, figures, seconds)
    return figures
