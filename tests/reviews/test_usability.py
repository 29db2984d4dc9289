"""SUS scoring, its summary, and Wilson rates, against hand-computed cases."""

from __future__ import annotations

import math

import pytest

from reviews.usability import (
    adjective,
    pilot_rates,
    sus_score,
    sus_summary,
    wilson,
)

BEST = [5, 1] * 5
WORST = [1, 5] * 5
NEUTRAL = [3] * 10


def test_sus_score_by_hand():
    assert sus_score(BEST) == 100.0
    assert sus_score(WORST) == 0.0
    # Odd items 2 each (3 − 1), even items 2 each (5 − 3): 20 × 2.5 = 50.
    assert sus_score(NEUTRAL) == 50.0
    # 4,2 alternating: odd 3 × 5 = 15, even 3 × 5 = 15 → 30 × 2.5 = 75.
    assert sus_score([4, 2] * 5) == 75.0
    # Odd/even must not be swapped: 5 on every item gives odd 4 × 5 = 20,
    # even 0 × 5 → 50, and 1 on every item gives 0 + 20 → 50 as well.
    assert sus_score([5] * 10) == 50.0
    assert sus_score([1] * 10) == 50.0
    # A mixed sheet: items 1..10 = 5,2,4,1,4,2,5,1,3,2
    # odd: 4 + 3 + 3 + 4 + 2 = 16; even: 3 + 4 + 3 + 4 + 3 = 17
    # (16 + 17) × 2.5 = 82.5
    assert sus_score([5, 2, 4, 1, 4, 2, 5, 1, 3, 2]) == 82.5


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([3] * 9, "SUS needs 10 answers, got 9"),
        ([3] * 11, "SUS needs 10 answers, got 11"),
        ([3] * 9 + [6], "SUS item 10: answer 6 is outside 1–5"),
        ([0] + [3] * 9, "SUS item 1: answer 0 is outside 1–5"),
        ([3, 3.5] + [3] * 8, "SUS item 2: answer 3.5 is not a whole number"),
        ([3, True] + [3] * 8, "SUS item 2: answer True is not a whole number"),
        ([3, None] + [3] * 8, "SUS item 2: answer None is not a whole number"),
    ],
)
def test_sus_rejects_bad_answers(answers, message):
    with pytest.raises(ValueError, match=message):
        sus_score(answers)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.0, "below_ok"),
        (50.0, "below_ok"),
        (51.0, "ok"),
        (70.0, "ok"),
        (71.0, "good"),
        (85.0, "good"),
        (86.0, "excellent"),
        (100.0, "excellent"),
    ],
)
def test_adjective_bands(score, band):
    assert adjective(score) == band


def test_adjective_rejects_out_of_range():
    with pytest.raises(ValueError, match="SUS score must lie in 0–100"):
        adjective(101)


def test_sus_summary_by_hand():
    # Scores 75, 50, 82.5, 72.5 (the last: items 4,2,4,2,4,2,4,2,4,3 →
    # odd 15, even 14 → 72.5).
    responses = [
        [4, 2] * 5,
        NEUTRAL,
        [5, 2, 4, 1, 4, 2, 5, 1, 3, 2],
        [4, 2, 4, 2, 4, 2, 4, 2, 4, 3],
    ]
    summary = sus_summary(responses)
    # mean = 280 / 4 = 70
    # deviations 5, −20, 12.5, 2.5 → squares 25 + 400 + 156.25 + 6.25 =
    # 587.5; SD = √(587.5/3) = 13.9940
    # t(0.975, 3) = 3.182446; half-width = 3.182446 × 13.9940 / 2 = 22.2676
    assert summary.scores == (75.0, 50.0, 82.5, 72.5)
    assert summary.mean == pytest.approx(70.0)
    assert summary.sd == pytest.approx(math.sqrt(587.5 / 3))
    assert summary.low == pytest.approx(70 - 22.2676, abs=1e-3)
    assert summary.high == pytest.approx(70 + 22.2676, abs=1e-3)
    assert summary.adjective == "ok"
    assert summary.above_average is True


def test_sus_summary_of_one_response_and_clipping():
    single = sus_summary([BEST])
    assert (single.mean, single.sd, single.low, single.high) == (
        100.0,
        None,
        None,
        None,
    )
    assert single.adjective == "excellent"
    # 100 and 90 (items 5,1,...,5,2 → odd 20, even 16): mean 95, SD 7.07;
    # t(0.975, 1) = 12.706 → the interval would pass 100 and is clipped.
    clipped = sus_summary([BEST, [5, 1, 5, 1, 5, 1, 5, 1, 5, 5]])
    assert clipped.mean == pytest.approx(95.0)
    assert clipped.high == 100.0
    assert clipped.low == pytest.approx(
        95 - 12.7062 * math.sqrt(50) / math.sqrt(2), abs=1e-2
    )


def test_sus_summary_names_the_bad_response():
    with pytest.raises(
        ValueError, match="response 1: SUS item 3: answer 9 is outside 1–5"
    ):
        sus_summary([NEUTRAL, [3, 3, 9] + [3] * 7])
    with pytest.raises(ValueError, match="no SUS responses"):
        sus_summary([])


def test_wilson_interval_by_hand():
    # 8 of 10 at 95 % (z = 1.959964, z² = 3.841459):
    # denominator 1 + 0.384146 = 1.384146
    # centre (0.8 + 0.192073) / 1.384146 = 0.716739
    # half 1.959964 × √(0.016 + 0.009604) / 1.384146 = 0.226578
    result = wilson(8, 10)
    assert result.rate == 0.8
    assert result.low == pytest.approx(0.490161, abs=1e-5)
    assert result.high == pytest.approx(0.943318, abs=1e-5)


def test_wilson_at_the_edges():
    # 0 of 20: low 0, high z²/(n + z²) = 3.841459 / 23.841459 = 0.161125
    none = wilson(0, 20)
    assert none.low == 0.0
    assert none.high == pytest.approx(0.161125, abs=1e-6)
    every = wilson(20, 20)
    assert every.high == 1.0
    assert every.low == pytest.approx(1 - 0.161125, abs=1e-6)
    empty = wilson(0, 0)
    assert (empty.rate, empty.low, empty.high) == (None, 0.0, 1.0)


def test_wilson_rejects_bad_counts():
    with pytest.raises(ValueError, match=r"successes \(5\) exceed the total \(4\)"):
        wilson(5, 4)
    with pytest.raises(ValueError, match="total must be a non-negative whole number"):
        wilson(1, -2)
    with pytest.raises(
        ValueError, match="successes must be a non-negative whole number"
    ):
        wilson(1.5, 2)  # type: ignore[arg-type]


def test_pilot_rates():
    rates = pilot_rates(recommendations=10, accepted=8, overridden=1)
    assert rates.acceptance.rate == 0.8
    assert rates.acceptance.low == pytest.approx(0.490161, abs=1e-5)
    assert rates.override.rate == 0.1
    with pytest.raises(
        ValueError, match=r"accepted \(8\) plus overridden \(3\) exceed"
    ):
        pilot_rates(recommendations=10, accepted=8, overridden=3)
