"""Reads behind the scorecard: evidence per entry, bands, a round's scorecard.

The scorecard is computed from what the viewer may see: the rows of
``selectors.round_table`` (entries the viewer is conflicted with, and the
reviews of reviewers conflicted with an entry, are already left out), so
no calibrated score or reliability figure depends on a review the viewer
must not know about.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from evaluations.execution import limits_for
from evaluations.models import Run
from reviews.case_selectors import case_evidence_by_entry
from reviews.evidence import RESOURCE_KEYS, Band, EvidenceSummary, evidence_bands
from reviews.explain import flag_text, reason_text
from reviews.models import Assignment, ReviewRound, RoundEntry
from reviews.rubric import Dimension
from reviews.scorecard import ReviewScore, Scorecard, build_scorecard
from reviews.selectors import EntryRow

_FINISHED = (Run.Status.SUCCEEDED, Run.Status.FAILED)


def run_evidence(runs: Iterable[Run], config: dict[str, Any]) -> EvidenceSummary:
    """The automated part of an entry's evidence, from its finished runs.

    ``runs`` are the submission's runs, any order; the latest finished run
    of each split counts, as on the review page. ``config`` is the suite
    version's configuration, whose per-call limits are the budget that
    latency and memory are held to.
    """
    latest: dict[str, Run] = {}
    sample_succeeded = False
    for run in sorted(
        runs, key=lambda r: (r.finished_at is not None, r.finished_at, r.pk)
    ):
        if run.status not in _FINISHED:
            continue
        latest[run.split] = run
        if run.split == Run.Split.SAMPLE and run.status == Run.Status.SUCCEEDED:
            sample_succeeded = True
    summary: EvidenceSummary = {"sample_succeeded": sample_succeeded}
    hidden = latest.get(Run.Split.HIDDEN)
    if hidden is None:
        summary["hidden_run"] = False
        return summary
    summary["hidden_failure"] = hidden.failure or ""
    summary["hidden_run"] = bool(hidden.metrics)
    if not hidden.metrics:
        return summary
    gates = hidden.gates or []
    summary["gates_passed"] = bool(hidden.passed)
    summary["failed_gates"] = [_gate_name(g) for g in gates if not g.get("passed")]
    probes = hidden.probes or {}
    summary["probes_run"] = bool(probes)
    failed_probes = {name for name, deltas in probes.items() if "failed" in deltas}
    failed_probes |= {
        str(g["probe"]) for g in gates if g.get("probe") and not g.get("passed")
    }
    summary["probes_failed"] = sorted(failed_probes)
    resources = hidden.resources or {}
    if resources:
        figures: dict[str, float | bool | None] = {
            key: _finite(resources.get(key)) for key in RESOURCE_KEYS
        }
        figures["sandboxed"] = resources.get("sandboxed") is True
        summary["resources"] = figures
        limits = limits_for(config)
        # Per-call limits: p95 call latency against the wall clock, the
        # peak memory of any call against the memory limit.
        summary["budget"] = {
            "latency_p95_seconds": float(limits.wall_seconds),
            "peak_memory_bytes": float(limits.memory_bytes),
        }
    return summary


def _gate_name(gate: dict[str, Any]) -> str:
    name = str(gate.get("metric", "?"))
    probe = gate.get("probe")
    return f"{name} ({probe})" if probe else name


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if number == number and abs(number) != float("inf") else None


def evidence_by_entry(entries: Sequence[RoundEntry]) -> dict[int, EvidenceSummary]:
    """``run_evidence`` of each entry, in one query for all of them."""
    by_submission: dict[int, list[Run]] = {e.submission_id: [] for e in entries}
    for run in (
        Run.objects.filter(submission_id__in=by_submission)
        .order_by()
        .only(
            "pk",
            "submission_id",
            "split",
            "status",
            "failure",
            "finished_at",
            "metrics",
            "gates",
            "probes",
            "resources",
            "passed",
        )
    ):
        by_submission[run.submission_id].append(run)
    # The calculators' part: business case, social impact, SUS, pilot.
    cases = case_evidence_by_entry(entries)
    return {
        entry.pk: cast(
            EvidenceSummary,
            {
                **run_evidence(
                    by_submission[entry.submission_id],
                    entry.submission.suite_version.config,
                ),
                **cases[entry.pk],
            },
        )
        for entry in entries
    }


def bands_by_entry(entries: Sequence[RoundEntry]) -> dict[int, dict[str, Band]]:
    return {
        pk: evidence_bands(summary)
        for pk, summary in evidence_by_entry(entries).items()
    }


def entry_bands(entry: RoundEntry) -> dict[str, Band]:
    return bands_by_entry([entry])[entry.pk]


@dataclass
class RoundScorecard:
    scorecard: Scorecard
    bands: dict[int, dict[str, Band]]
    rows: list[EntryRow]
    reviewer_names: dict[str, str]

    def card(self, entry: RoundEntry) -> Any:
        return self.scorecard.entries.get(str(entry.pk))


def round_scorecard(review_round: ReviewRound, rows: list[EntryRow]) -> RoundScorecard:
    """The scorecard of the entries in ``rows`` (``selectors.round_table``)."""
    entries = [row.entry for row in rows]
    bands = bands_by_entry(entries)
    scores = []
    names: dict[str, str] = {}
    for row in rows:
        for cell in row.cells:
            version = cell.version
            if version is None or cell.assignment.status != Assignment.Status.SUBMITTED:
                continue
            reviewer = str(cell.assignment.reviewer_id)
            names[reviewer] = str(cell.assignment.reviewer)
            for dimension, item in version.scores.items():
                score, confidence = item.get("score"), item.get("confidence")
                if isinstance(score, int) and isinstance(confidence, int):
                    scores.append(
                        ReviewScore(
                            str(row.entry.pk), reviewer, dimension, score, confidence
                        )
                    )
    scorecard = build_scorecard(
        scores,
        entries=[str(e.pk) for e in entries],
        weights=review_round.weights,
        stage=review_round.stage,
        bands={
            str(pk): {d: band.bounds for d, band in entry_bands_.items()}
            for pk, entry_bands_ in bands.items()
        },
    )
    return RoundScorecard(scorecard, bands, rows, names)


# --- display rows ---------------------------------------------------------------


@dataclass
class DimensionCell:
    code: str
    label: str
    estimate: float | None
    low: float | None
    high: float | None
    method: str
    raw: list[float]
    raw_mean: float | None
    band: tuple[int, int] | None
    band_reasons: list[str]


@dataclass
class ScorecardRow:
    entry: RoundEntry
    composite: Any
    rank: Any
    missing: list[str]
    safety: Any
    needs_discussion: bool
    flags: list[str]
    cells: list[DimensionCell]
    radar: list[tuple[str, float | None]]


def scorecard_rows(result: RoundScorecard, *, names: bool) -> list[ScorecardRow]:
    """One display row per entry, in ranking order.

    ``names`` says whether reviewers may be named in flag texts (the chair
    and managers); otherwise they stay "a reviewer".
    """
    labels = {d.value: str(d.label) for d in Dimension}
    by_pk = {str(row.entry.pk): row.entry for row in result.rows}
    reviewer_names = result.reviewer_names if names else {}
    rows = []
    for card in result.scorecard.ranking:
        entry = by_pk[card.entry]
        bands = result.bands.get(entry.pk, {})
        cells = []
        for code in labels:
            dimension = card.dimensions.get(code)
            band = bands.get(code)
            cells.append(
                DimensionCell(
                    code=code,
                    label=labels[code],
                    estimate=dimension.estimate if dimension else None,
                    low=dimension.low if dimension else None,
                    high=dimension.high if dimension else None,
                    method=dimension.method if dimension else "",
                    raw=[s.value for s in dimension.scores] if dimension else [],
                    raw_mean=dimension.raw_mean if dimension else None,
                    band=band.bounds if band else None,
                    band_reasons=[
                        reason_text(r) for r in band.reasons if r.effect != "info"
                    ]
                    if band
                    else [],
                )
            )
        rows.append(
            ScorecardRow(
                entry=entry,
                composite=card.composite,
                rank=card.rank,
                missing=[labels[d] for d in card.missing],
                safety=card.safety,
                needs_discussion=card.needs_discussion,
                flags=[
                    f"{labels[dimension]}: {flag_text(flag, reviewer_names)}"
                    for dimension, flag in card.flags
                    if flag.requires == "discussion"
                ],
                cells=cells,
                radar=card.radar,
            )
        )
    return rows


@dataclass
class ReliabilityRow:
    label: str
    alpha: float | None
    icc: float | None
    units: int
    weak: bool


def reliability_rows(result: RoundScorecard) -> list[ReliabilityRow]:
    """Krippendorff's alpha and ICC(2,1) per dimension; alpha below 0.4
    marks a dimension whose anchors or training need work (rubric §3.7)."""
    rows = []
    for dimension in Dimension:
        reliability = result.scorecard.reliability.get(dimension.value)
        if reliability is None:
            continue
        rows.append(
            ReliabilityRow(
                label=str(dimension.label),
                alpha=reliability.alpha,
                icc=reliability.icc,
                units=reliability.units,
                weak=reliability.alpha is not None and reliability.alpha < 0.4,
            )
        )
    return rows


def notice_rows(result: RoundScorecard) -> list[tuple[str, str, float]]:
    """(reviewer, dimension, leniency) for every calibration notice."""
    rows = []
    for dimension in Dimension:
        for reviewer in result.scorecard.notices.get(dimension.value, ()):
            leniency = result.scorecard.results[dimension.value].reviewers[reviewer]
            rows.append(
                (
                    result.reviewer_names.get(reviewer, reviewer),
                    str(dimension.label),
                    float(leniency.leniency or 0.0),
                )
            )
    return rows
