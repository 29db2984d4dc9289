"""Reads for test suites: who may manage them, and what a version declares.

``can_manage_suites`` is the one policy for every write of
``evaluations.suite_services``: the writers of the scenario's owner
organisation (owner and admin roles, verified or not, as for scenario drafts)
and operators. The scoped fetch functions answer 404 for what the user may
not see (``evaluations.selectors`` decides that: drafts only for the owner's
members and operators) and raise ``PermissionDenied`` when a reader asks to
manage.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from evaluations.models import SuiteVersion, TestSuite
from evaluations.selectors import get_suite_version_for_user, suite_version_queryset
from portal.accounts.selectors import AnyUser, is_operator
from scenarios.models import Dataset, Scenario
from scenarios.selectors import (
    can_write_scenario,
    get_scenario_for_user,
    scenario_visibility_q,
)

MIB = 1024 * 1024
# The registry's units (evaluations/metrics), for people.
UNIT_LABELS: dict[str, str | Promise] = {
    "%": "%",
    "": _("fraction (0–1)"),
    "h": _("hours"),
    "per unit-month": _("per unit and month"),
    "unit of y": _("unit of the target"),
}


def can_manage_suites(user: AnyUser, scenario: Scenario) -> bool:
    """The owner's writers and operators manage a scenario's suites."""
    return is_operator(user) or can_write_scenario(user, scenario)


def get_scenario_for_suite_manager(user: AnyUser, code: str) -> Scenario:
    """Return the scenario (404 if invisible) if ``user`` manages its suites."""
    scenario = get_scenario_for_user(user, code)
    if not can_manage_suites(user, scenario):
        raise PermissionDenied
    return scenario


def _visible_versions(user: AnyUser) -> Prefetch[Any]:
    return Prefetch(
        "versions",
        queryset=suite_version_queryset(user)
        .select_related("bundle")
        .order_by("-number"),
    )


def suite_queryset(user: AnyUser) -> QuerySet[TestSuite]:
    """Suites of visible scenarios, with the versions ``user`` may see."""
    return (
        TestSuite.objects.filter(scenario_visibility_q(user, prefix="scenario__"))
        .select_related("scenario", "scenario__owner")
        .prefetch_related(_visible_versions(user))
    )


def get_suite_for_user(user: AnyUser, pk: int, *, write: bool = False) -> TestSuite:
    """Return the suite if its scenario is visible (404), managed (403)."""
    try:
        suite = suite_queryset(user).get(pk=pk)
    except TestSuite.DoesNotExist:
        raise Http404("No such test suite.") from None
    if write and not can_manage_suites(user, suite.scenario):
        raise PermissionDenied
    return suite


def get_suite_version_for_manager(user: AnyUser, pk: int) -> SuiteVersion:
    """Return a version the user may see (404) and manage (403)."""
    version = get_suite_version_for_user(user, pk)
    if not can_manage_suites(user, version.suite.scenario):
        raise PermissionDenied
    return version


def suite_list_for_scenario(scenario: Scenario, user: AnyUser) -> list[TestSuite]:
    """The scenario's suites with the versions ``user`` may see, newest first.

    Two queries whatever the number of suites and versions.
    """
    return list(
        TestSuite.objects.filter(scenario=scenario)
        .select_related("scenario")
        .prefetch_related(_visible_versions(user))
        .order_by("slug")
    )


def suite_version_list(suite: TestSuite, user: AnyUser) -> QuerySet[SuiteVersion]:
    return (
        suite_version_queryset(user)
        .filter(suite=suite)
        .select_related("bundle")
        .order_by("-number")
    )


# --- what a version declares ----------------------------------------------------


class MetricDeclaration(TypedDict):
    key: str
    code: str
    unit: str | Promise
    direction: str
    weight: float
    params: dict[str, Any]
    gates: list[dict[str, Any]]


class LimitDeclaration(TypedDict):
    key: str
    value: float
    declared: bool


class ProbeDeclaration(TypedDict):
    name: str
    description: str
    calls: int | None
    # Gates on this probe: its own figure, or with ``delta`` its change.
    gates: list[dict[str, Any]]


class Declaration(TypedDict):
    metrics: list[MetricDeclaration]
    limits: list[LimitDeclaration]
    per_day: int
    probes: list[ProbeDeclaration]
    splits: dict[str, Any]
    input_files: list[dict[str, Any]]
    development: dict[str, Any]
    development_dataset: Dataset | None


def suite_version_declaration(version: SuiteVersion, user: AnyUser) -> Declaration:
    """What a version declares, for its pages: never a label value.

    Metrics come with their registry description, gates and weights; the
    resource budget lists every limit in force (declared, or the default);
    probes and splits add the call counts of the bundle's summary. The
    development dataset is returned only if ``user`` may see it.
    """
    from evaluations.execution import limits_for
    from evaluations.metrics import get_metric

    config = version.config
    weights = config.get("leaderboard", {}).get("weights", {})
    metrics: list[MetricDeclaration] = []
    for item in config.get("metrics", []):
        key = str(item.get("key", item["code"]))
        metric = get_metric(item["code"])
        weight = weights.get(key, 0)
        metrics.append(
            {
                "key": key,
                "code": metric.code,
                "unit": UNIT_LABELS.get(metric.unit, metric.unit),
                "direction": str(metric.direction),
                "weight": float(weight) if isinstance(weight, int | float) else 0.0,
                "params": dict(item.get("params", {})),
                "gates": [
                    g
                    for g in config.get("gates", [])
                    if g["metric"] == key and not g.get("probe")
                ],
            }
        )
    effective = limits_for(config)
    declared = config.get("limits", {})
    values = {
        "wall_seconds": effective.wall_seconds,
        "cpu_seconds": effective.cpu_seconds,
        "memory_mb": effective.memory_bytes // MIB,
        "processes": effective.processes,
        "disk_mb": effective.tmp_bytes // MIB,
        "output_mb": effective.output_bytes // MIB,
    }
    limits: list[LimitDeclaration] = [
        {"key": key, "value": value, "declared": key in declared}
        for key, value in values.items()
    ]
    summary = version.bundle_summary or {}
    probe_calls = summary.get("probes", {})
    described = config.get("probes", {})
    gated = {g["probe"] for g in config.get("gates", []) if g.get("probe")}
    probes: list[ProbeDeclaration] = [
        {
            "name": name,
            "description": str(described.get(name, {}).get("description", "")),
            "calls": probe_calls.get(name, {}).get("calls"),
            "gates": [g for g in config.get("gates", []) if g.get("probe") == name],
        }
        for name in sorted(set(probe_calls) | set(described) | gated)
    ]
    development = dict(config.get("development", {}))
    dataset = None
    if development.get("dataset"):
        from scenarios.selectors import dataset_queryset

        dataset = (
            dataset_queryset(user)
            .filter(scenario_id=version.suite.scenario_id, slug=development["dataset"])
            .first()
        )
    return {
        "metrics": metrics,
        "limits": limits,
        "per_day": int(config.get("quotas", {}).get("per_day", 10)),
        "probes": probes,
        "splits": dict(summary.get("splits", {})),
        "input_files": list(config.get("input_schema", {}).get("files", [])),
        "development": development,
        "development_dataset": dataset,
    }
