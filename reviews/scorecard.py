"""The scorecard of a review round: every calculator applied to its scores.

Pure Python, like the calculators it joins (``aggregation``, ``evidence``):
the review app's selectors turn submitted review versions and run results
into the plain inputs below, and pages, exports and the API render the
result.

For each of the six dimensions:

1. ``aggregation.aggregate`` fits the reviewers' leniency across the round's
   entries and returns each entry's calibrated score with its interval (the
   median of the raw scores where the reviewer-entry graph is too thin),
   the raw scores, and the dispersion flags (spread, SD, outside the
   evidence band);
2. ``aggregation.reliability`` gives Krippendorff's alpha and ICC(2,1).

Then per entry: the profile of the six calibrated scores, the composite
from the round's frozen weights with its interval (only when every
dimension with a weight has a score), the safety gate for the stage the
entry would move to, and the rank, with ties where intervals overlap.
Reviewers whose leniency passes the notice threshold are listed per
dimension for private calibration notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reviews.aggregation import (
    DIMENSIONS,
    Composite,
    DimensionResult,
    EntryResult,
    Flag,
    GateResult,
    RankedEntry,
    Reliability,
    Score,
    aggregate,
    composite,
    entry_profile,
    rank,
    reliability,
    safety_gate,
    validate_weights,
)

# The stage an entry would enter after a round of each stage: the safety
# gate is checked for that move.
NEXT_STAGE = {"testing": "pilot", "effectiveness": "scale"}


@dataclass(frozen=True)
class ReviewScore:
    """One reviewer's submitted score of one entry on one dimension."""

    entry: str
    reviewer: str
    dimension: str
    value: float
    confidence: int


@dataclass(frozen=True)
class EntryCard:
    entry: str
    # Dimensions the entry has scores in; the others are missing.
    dimensions: dict[str, EntryResult]
    composite: Composite | None
    # Why there is no composite: the weighted dimensions without scores.
    missing: tuple[str, ...]
    safety: GateResult | None
    rank: RankedEntry | None
    flags: tuple[tuple[str, Flag], ...]

    @property
    def needs_discussion(self) -> bool:
        return any(flag.requires == "discussion" for _d, flag in self.flags)

    @property
    def radar(self) -> list[tuple[str, float | None]]:
        """The six calibrated scores in dimension order (None if missing)."""
        return [
            (d, self.dimensions[d].estimate if d in self.dimensions else None)
            for d in DIMENSIONS
        ]


@dataclass(frozen=True)
class Scorecard:
    stage: str
    weights: dict[str, float]
    entries: dict[str, EntryCard]
    results: dict[str, DimensionResult]
    reliability: dict[str, Reliability]
    # dimension -> reviewers whose leniency estimate passes the threshold
    notices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ranking(self) -> list[EntryCard]:
        """Entries with a composite, best first; then the others."""
        ranked = [card for card in self.entries.values() if card.rank is not None]
        ranked.sort(key=lambda card: card.rank.position if card.rank else 0)
        others = [card for card in self.entries.values() if card.rank is None]
        return ranked + sorted(others, key=lambda card: card.entry)


def build_scorecard(
    scores: Iterable[ReviewScore],
    *,
    entries: Iterable[str],
    weights: Mapping[str, float],
    stage: str,
    bands: Mapping[str, Mapping[str, tuple[float, float]]] | None = None,
) -> Scorecard:
    """Aggregate a round's submitted scores into its scorecard.

    ``entries`` lists every entry of the round, scored or not. ``bands``
    maps an entry to its evidence band per dimension.
    """
    if stage not in NEXT_STAGE:
        raise ValueError(f"unknown review stage {stage!r}; known: {list(NEXT_STAGE)}")
    full_weights = validate_weights(weights)
    entry_ids = list(dict.fromkeys(entries))
    by_dimension: dict[str, list[Score]] = defaultdict(list)
    for item in scores:
        if item.dimension not in DIMENSIONS:
            raise ValueError(f"unknown dimension {item.dimension!r}")
        if item.entry not in entry_ids:
            raise ValueError(f"score for an entry not in the round: {item.entry!r}")
        by_dimension[item.dimension].append(
            Score(item.entry, item.reviewer, item.value, item.confidence)
        )
    results: dict[str, DimensionResult] = {}
    reliabilities: dict[str, Reliability] = {}
    notices: dict[str, tuple[str, ...]] = {}
    for dimension in DIMENSIONS:
        dimension_scores = by_dimension.get(dimension, [])
        if not dimension_scores:
            continue
        dimension_bands = {
            entry: entry_bands[dimension]
            for entry, entry_bands in (bands or {}).items()
            if dimension in entry_bands
            and any(score.entry == entry for score in dimension_scores)
        }
        result = aggregate(dimension_scores, bands=dimension_bands or None)
        results[dimension] = result
        reliabilities[dimension] = reliability(dimension_scores)
        noticed = tuple(
            sorted(name for name, r in result.reviewers.items() if r.notice)
        )
        if noticed:
            notices[dimension] = noticed

    composites: list[Composite] = []
    partial: dict[str, tuple[dict[str, EntryResult], Composite | None, tuple[str, ...]]]
    partial = {}
    for entry in entry_ids:
        dimensions = {
            dimension: result.entries[entry]
            for dimension, result in results.items()
            if entry in result.entries
        }
        missing = tuple(
            d for d in DIMENSIONS if full_weights.get(d, 0) > 0 and d not in dimensions
        )
        card_composite = None
        if dimensions and not missing:
            card_composite = composite(
                entry, entry_profile(entry, results), full_weights
            )
            composites.append(card_composite)
        partial[entry] = (dimensions, card_composite, missing)

    ranks = {ranked.entry: ranked for ranked in rank(composites)} if composites else {}
    cards = {}
    for entry, (dimensions, card_composite, missing) in partial.items():
        safety = None
        if "safety" in dimensions:
            safety = safety_gate(dimensions["safety"].estimate, NEXT_STAGE[stage])
        flags = tuple(
            (dimension, flag)
            for dimension in DIMENSIONS
            if dimension in dimensions
            for flag in dimensions[dimension].flags
        )
        cards[entry] = EntryCard(
            entry=entry,
            dimensions=dimensions,
            composite=card_composite,
            missing=missing,
            safety=safety,
            rank=ranks.get(entry),
            flags=flags,
        )
    return Scorecard(
        stage=stage,
        weights=full_weights,
        entries=cards,
        results=results,
        reliability=reliabilities,
        notices=notices,
    )
