"""The round scorecard: calculators joined, on small hand-checkable rounds."""

from __future__ import annotations

import pytest

from reviews.aggregation import default_weights
from reviews.scorecard import DIMENSIONS, ReviewScore, build_scorecard


def _scores(table: dict[str, dict[str, int]], dimensions=DIMENSIONS, confidence=2):
    """{reviewer: {entry: score}} -> the same score on every dimension."""
    return [
        ReviewScore(entry, reviewer, dimension, value, confidence)
        for reviewer, row in table.items()
        for entry, value in row.items()
        for dimension in dimensions
    ]


AGREEING = {
    "r1": {"A": 4, "B": 3, "C": 2},
    "r2": {"A": 4, "B": 3, "C": 2},
    "r3": {"A": 4, "B": 3, "C": 2},
}


def test_agreeing_reviewers_give_the_scores_back_and_rank_them():
    card = build_scorecard(
        _scores(AGREEING),
        entries=["A", "B", "C"],
        weights=default_weights("testing"),
        stage="testing",
    )
    assert [c.entry for c in card.ranking] == ["A", "B", "C"]
    a = card.entries["A"]
    assert a.composite is not None
    # Every dimension 4, weights sum to 100: the composite is 4.
    assert a.composite.value == pytest.approx(4.0, abs=1e-6)
    assert a.radar == [(d, pytest.approx(4.0, abs=1e-6)) for d in DIMENSIONS]
    assert not a.needs_discussion and a.flags == ()
    # Safety 4 lets A into the pilot; C's 2 is below the gate of 3.
    assert a.safety is not None and a.safety.blocks is False
    assert card.entries["C"].safety.blocks is True
    assert card.entries["C"].safety.stage == "pilot"
    assert card.notices == {}
    # Perfect agreement across different entries: alpha 1.
    assert card.reliability["fit"].alpha == pytest.approx(1.0)


def test_a_spread_of_two_asks_for_discussion_on_that_entry_only():
    table = {
        "r1": {"A": 5, "B": 3, "C": 2},
        "r2": {"A": 3, "B": 3, "C": 2},
        "r3": {"A": 4, "B": 3, "C": 2},
    }
    card = build_scorecard(
        _scores(table, dimensions=("fit",)),
        entries=["A", "B", "C"],
        weights=default_weights("testing"),
        stage="testing",
    )
    assert card.entries["A"].needs_discussion
    assert {flag.code for _d, flag in card.entries["A"].flags} >= {"spread"}
    assert not card.entries["B"].needs_discussion


def test_no_composite_until_every_weighted_dimension_is_scored():
    card = build_scorecard(
        _scores(AGREEING, dimensions=("maturity", "fit", "safety")),
        entries=["A", "B", "C", "D"],
        weights=default_weights("testing"),
        stage="testing",
    )
    a = card.entries["A"]
    assert a.composite is None and a.rank is None
    assert a.missing == ("economics", "social")  # user weighs 0 at testing
    assert card.entries["D"].dimensions == {} and card.entries["D"].safety is None
    assert [c.entry for c in card.ranking] == ["A", "B", "C", "D"]


def test_a_score_outside_its_evidence_band_is_flagged():
    card = build_scorecard(
        _scores(AGREEING, dimensions=("safety",)),
        entries=["A", "B", "C"],
        weights=default_weights("testing"),
        stage="testing",
        # A failed its robustness probes: safety capped at 2.
        bands={"A": {"safety": (1, 2)}},
    )
    codes = {flag.code for _d, flag in card.entries["A"].flags}
    assert "outside_band" in codes
    assert card.entries["B"].flags == ()


def test_a_lenient_reviewer_gets_a_notice():
    # r4 scores two points above the others, and did not review D; A and
    # D are equally good in the others' eyes.
    table = {
        "r1": {"A": 3, "B": 2, "C": 2, "D": 3},
        "r2": {"A": 3, "B": 2, "C": 2, "D": 3},
        "r3": {"A": 3, "B": 2, "C": 2, "D": 3},
        "r4": {"A": 5, "B": 4, "C": 4},
    }
    card = build_scorecard(
        _scores(table, dimensions=("fit",)),
        entries=["A", "B", "C", "D"],
        weights=default_weights("testing"),
        stage="testing",
    )
    assert card.notices == {"fit": ("r4",)}
    # Raw means favour A, which drew the lenient reviewer; calibration
    # takes most of that away.
    a = card.entries["A"].dimensions["fit"]
    d = card.entries["D"].dimensions["fit"]
    assert a.method == d.method == "calibrated"
    assert a.raw_mean - d.raw_mean == pytest.approx(0.5)
    assert abs(a.estimate - d.estimate) < 0.25


@pytest.mark.parametrize(
    "change, words",
    [
        ({"stage": "pilot"}, "unknown review stage"),
        ({"entries": ["A"]}, "not in the round"),
        ({"scores": [ReviewScore("A", "r1", "beauty", 3, 2)]}, "unknown dimension"),
    ],
)
def test_bad_input_is_refused_with_its_reason(change, words):
    arguments = {
        "scores": _scores(AGREEING, dimensions=("fit",)),
        "entries": ["A", "B", "C"],
        "weights": default_weights("testing"),
        "stage": "testing",
        **change,
    }
    with pytest.raises(ValueError, match=words):
        build_scorecard(**arguments)
