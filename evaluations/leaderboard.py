"""Leaderboards: one row per organisation and suite version, officially ranked.

A row is materialised when a hidden run finishes (``run_finish`` calls
``ensure_leaderboard_row``) and always recomputed from the runs, so a
duplicate or late call cannot corrupt it. docs/leaderboard.md states the
rules for vendors; in short:

1. Eligible runs: hidden split, finished SUCCEEDED, or FAILED only because
   a threshold was not met (those have metrics).
2. Composite score: every weighted metric is normalised across the rows of
   the suite version to 0..1 by min-max in its better direction (lower is
   better: flipped; best at zero: by absolute value), then weighted and
   divided by the total weight. When every row has the same value (a single
   row, say) each row gets 1 for that metric; a missing value gets 0.
3. Official order: rows whose gates all passed first, then composite score
   descending (compared to 6 decimal places), then the primary metric (the
   first weighted metric in declaration order) in its better direction,
   then the earlier submission, then the lower run id. Ranks are 1, 2, 3 ...
   without shared places.
4. An organisation's row shows its best run: its own eligible runs ranked
   among themselves by the same rules.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from evaluations.models import LeaderboardRow, Run, Submission, SuiteVersion

COMPOSITE_PLACES = 6

# Hidden runs that produced metrics: gates passed, or a threshold failed.
ELIGIBLE_RUNS = Q(status=Run.Status.SUCCEEDED) | Q(
    status=Run.Status.FAILED, failure=Run.Failure.THRESHOLD
)


@dataclass(frozen=True)
class Column:
    """A metric of the suite version as the leaderboard shows it."""

    key: str
    code: str
    direction: str  # "higher", "lower" or "zero" (evaluations.metrics)
    weight: float

    @property
    def is_weighted(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True)
class Entry:
    """What the ranking needs to know about one run."""

    run_id: int
    metrics: Mapping[str, Any]
    passed: bool
    submitted_at: datetime


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    composite: float
    rank: int


@dataclass(frozen=True)
class BoardRow:
    row: LeaderboardRow
    values: list[float | None]


@dataclass(frozen=True)
class Board:
    """A suite version's leaderboard: its columns and its ranked rows."""

    suite_version: SuiteVersion
    columns: list[Column]
    primary: str | None
    rows: list[BoardRow]


# --- the ranking rules (pure) ----------------------------------------------------------


def _weight(value: Any) -> float:
    try:
        weight = float(value)
    except (TypeError, ValueError):
        return 0.0
    return weight if math.isfinite(weight) and weight > 0 else 0.0


def columns_for(config: Mapping[str, Any]) -> list[Column]:
    """Return the declared metrics in order, with direction and weight."""
    from evaluations.metrics import get_metric

    leaderboard = config.get("leaderboard")
    weights = leaderboard.get("weights", {}) if isinstance(leaderboard, dict) else {}
    if not isinstance(weights, dict):
        weights = {}
    columns = []
    for item in config.get("metrics", []):
        # validate_config guarantees a code; a malformed entry is skipped
        # rather than failing the transaction that records a run's result.
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            continue
        key = str(item.get("key", code))
        try:
            direction = str(get_metric(code).direction)
        except (KeyError, ValueError):
            direction = "higher"  # validate_config refuses unknown codes
        columns.append(Column(key, code, direction, _weight(weights.get(key))))
    return columns


def primary_metric(columns: Sequence[Column]) -> str | None:
    """The first weighted metric in declaration order (else the first one)."""
    for column in columns:
        if column.is_weighted:
            return column.key
    return columns[0].key if columns else None


def oriented(value: Any, direction: str) -> float | None:
    """Return ``value`` on a scale where higher is better; None if unusable."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    if direction == "lower":
        return -number
    if direction == "zero":
        return -abs(number)
    return number


def _normalised(entries: Sequence[Entry], column: Column) -> list[float]:
    values = [oriented(e.metrics.get(column.key), column.direction) for e in entries]
    present = [v for v in values if v is not None]
    if not present:
        return [0.0] * len(entries)
    low, high = min(present), max(present)
    spread = high - low
    return [
        0.0 if v is None else (1.0 if spread == 0 else (v - low) / spread)
        for v in values
    ]


def composite_scores(
    entries: Sequence[Entry], columns: Sequence[Column]
) -> list[float]:
    """Return each entry's weighted mean of its min-max normalised metrics."""
    weighted = [c for c in columns if c.is_weighted]
    total = sum(c.weight for c in weighted)
    if not total:
        return [1.0] * len(entries)
    sums = [0.0] * len(entries)
    for column in weighted:
        for index, score in enumerate(_normalised(entries, column)):
            sums[index] += column.weight * score
    return [round(s / total, COMPOSITE_PLACES) for s in sums]


def rank_entries(entries: Iterable[Entry], columns: Sequence[Column]) -> list[Ranked]:
    """Return the entries in the official order with composite and rank.

    1. Entries whose gates all passed come first.
    2. Higher composite score first.
    3. Better primary metric first (a missing value last).
    4. Earlier submission first, then the lower run id.
    """
    items = list(entries)
    scores = composite_scores(items, columns)
    primary = primary_metric(columns)
    direction = next((c.direction for c in columns if c.key == primary), "higher")

    def key(pair: tuple[Entry, float]) -> tuple[int, float, float, datetime, int]:
        entry, composite = pair
        value = oriented(entry.metrics.get(primary), direction) if primary else None
        return (
            0 if entry.passed else 1,
            -composite,
            math.inf if value is None else -value,
            entry.submitted_at,
            entry.run_id,
        )

    ordered = sorted(zip(items, scores, strict=True), key=key)
    return [
        Ranked(entry=entry, composite=composite, rank=position)
        for position, (entry, composite) in enumerate(ordered, start=1)
    ]


# --- materialising rows -----------------------------------------------------------------


def _run_entry(run: Run) -> Entry:
    return Entry(
        run_id=run.pk,
        metrics=run.metrics if isinstance(run.metrics, dict) else {},
        passed=run.passed is True,
        submitted_at=run.submission.created_at,
    )


def _row_entry(row: LeaderboardRow) -> Entry:
    return Entry(
        run_id=row.run_id,
        metrics=row.metrics if isinstance(row.metrics, dict) else {},
        passed=row.passed,
        submitted_at=row.submitted_at,
    )


@transaction.atomic
def ensure_leaderboard_row(submission_id: int) -> LeaderboardRow | None:
    """Make the submitting organisation's row show its best hidden run.

    1. Lock the suite version, so rows of one version change one at a time.
    2. Rank the organisation's eligible hidden runs among themselves; the
       first is its best.
    3. Create or update its row; delete it when no eligible run is left.
    4. Recompute composite scores and ranks of the whole suite version.

    Idempotent: the row depends only on the runs, never on earlier calls.
    """
    submission = Submission.objects.only("suite_version_id", "organisation_id").get(
        pk=submission_id
    )
    version = SuiteVersion.objects.select_for_update().get(
        pk=submission.suite_version_id
    )
    organisation_id = submission.organisation_id
    columns = columns_for(version.config)
    runs = {
        run.pk: run
        for run in Run.objects.filter(
            ELIGIBLE_RUNS,
            split=Run.Split.HIDDEN,
            submission__suite_version=version,
            submission__organisation_id=organisation_id,
        )
        .select_related("submission")
        .only("pk", "metrics", "passed", "submission__created_at")
    }
    existing = LeaderboardRow.objects.filter(
        suite_version=version, organisation_id=organisation_id
    ).first()
    if not runs:
        if existing is not None:
            existing.delete()
            leaderboard_rerank(version)
        return None
    best = runs[
        rank_entries([_run_entry(r) for r in runs.values()], columns)[0].entry.run_id
    ]
    row = existing or LeaderboardRow(
        suite_version=version, organisation_id=organisation_id
    )
    values = {
        "run_id": best.pk,
        "metrics": best.metrics,
        "passed": best.passed is True,
        "submitted_at": best.submission.created_at,
    }
    if existing is None or any(getattr(row, k) != v for k, v in values.items()):
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_at = timezone.now()
        if existing is None:
            row.save()
        else:
            row.save(update_fields=[*values, "updated_at"])
    leaderboard_rerank(version)
    row.refresh_from_db(fields=["composite", "rank"])
    return row


def leaderboard_rerank(suite_version: SuiteVersion) -> None:
    """Recompute composite scores and ranks for every row of the version.

    Cheap on purpose: a version has a few hundred rows at most, and only the
    rows whose score or rank moved are written.
    """
    rows = list(
        LeaderboardRow.objects.filter(suite_version=suite_version).only(
            "pk", "run_id", "metrics", "passed", "submitted_at", "composite", "rank"
        )
    )
    by_run = {row.run_id: row for row in rows}
    columns = columns_for(suite_version.config)
    changed = []
    for ranked in rank_entries([_row_entry(row) for row in rows], columns):
        row = by_run[ranked.entry.run_id]
        if (row.composite, row.rank) != (ranked.composite, ranked.rank):
            row.composite, row.rank = ranked.composite, ranked.rank
            changed.append(row)
    if changed:
        LeaderboardRow.objects.bulk_update(changed, ["composite", "rank"])


# --- reading -------------------------------------------------------------------------


def leaderboard_get(suite_version: SuiteVersion) -> Board:
    """Return the ranked rows with their metric values (two queries' worth)."""
    columns = columns_for(suite_version.config)
    # The row holds the figures; of its run and submission only the names
    # the board shows are read, never the run's logs and result documents.
    rows = (
        LeaderboardRow.objects.filter(suite_version=suite_version)
        .select_related("organisation", "run__submission")
        .only(
            *(f.name for f in LeaderboardRow._meta.concrete_fields),
            "organisation__slug",
            "organisation__kind",
            "organisation__name_zh",
            "organisation__name_en",
            "organisation__verified_at",
            "run__submission__name",
            "run__submission__version_label",
            "run__submission__kind",
        )
        .order_by("rank", "pk")
    )
    return Board(
        suite_version=suite_version,
        columns=columns,
        primary=primary_metric(columns),
        rows=[
            BoardRow(
                row=row,
                values=[_number(row.metrics.get(c.key)) for c in columns],
            )
            for row in rows
        ],
    )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None
