"""Reviewer score aggregation, against planted truths and published examples.

No database: reviews.aggregation imports no Django.
"""

from __future__ import annotations

import math

import krippendorff
import numpy as np
import pytest

from reviews.aggregation import (
    Composite,
    Score,
    aggregate,
    band_distance,
    composite,
    default_weights,
    entry_profile,
    icc_2_1,
    krippendorff_alpha_interval,
    rank,
    reliability,
    safety_gate,
    validate_weights,
)

LENIENT, HARSH = "r0", "r1"
BIASES = {"r0": 1.0, "r1": -1.0, "r2": 0.0, "r3": 0.0, "r4": 0.0, "r5": 0.0}


def _planted(
    seed: int, *, rounded: bool = False
) -> tuple[list[Score], dict[str, float]]:
    """18 entries, 6 reviewers, 3 reviews per entry in a cyclic overlap.

    Reviewer r0 is lenient by +1.0 and r1 harsh by −1.0 (the planted
    biases sum to 0, which is the model's identifying constraint). Noise SD
    is 0.25/√c at confidence c.
    """
    rng = np.random.default_rng(seed)
    truth = {f"e{i:02d}": float(rng.uniform(2.2, 3.8)) for i in range(18)}
    scores = []
    for i, (entry, mu) in enumerate(truth.items()):
        for j in (i % 6, (i + 1) % 6, (i + 3) % 6):
            reviewer = f"r{j}"
            confidence = int(rng.integers(2, 4))
            noise = rng.normal(0.0, 0.25 / math.sqrt(confidence))
            value = float(np.clip(mu + BIASES[reviewer] + noise, 1, 5))
            if rounded:
                value = float(np.clip(round(value), 1, 5))
            scores.append(Score(entry, reviewer, value, confidence))
    return scores, truth


def _rmse(result, truth, attribute):
    errors = [getattr(result.entries[e], attribute) - mu for e, mu in truth.items()]
    return float(np.sqrt(np.mean(np.square(errors))))


# Known answers on planted data -------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_it_recovers_a_planted_lenient_and_harsh_reviewer(seed):
    scores, truth = _planted(seed)
    result = aggregate(scores)
    # The default ridge keeps about W/(W + λ) of the offset: 9 reviews at
    # confidence 2–3 (W ≈ 22) keep ≈ 0.88, so 1.0 comes back as 0.8–0.95.
    assert result.reviewers[LENIENT].leniency == pytest.approx(1.0, abs=0.25)
    assert result.reviewers[HARSH].leniency == pytest.approx(-1.0, abs=0.25)
    for reviewer in ("r2", "r3", "r4", "r5"):
        assert abs(result.reviewers[reviewer].leniency) < 0.15
    assert result.reviewers[LENIENT].notice is True
    assert result.reviewers[HARSH].notice is True
    assert result.reviewers["r2"].notice is False
    assert all(e.method == "calibrated" for e in result.entries.values())
    # Calibration must beat the raw mean by a wide margin.
    assert _rmse(result, truth, "estimate") < 0.5 * _rmse(result, truth, "raw_mean")


def test_it_shrinks_less_with_a_smaller_ridge():
    scores, _ = _planted(0)
    weak = aggregate(scores, ridge=0.1)
    strong = aggregate(scores, ridge=30.0)
    assert weak.reviewers[LENIENT].leniency == pytest.approx(1.0, abs=0.1)
    assert weak.reviewers[HARSH].leniency == pytest.approx(-1.0, abs=0.1)
    # λ = 30 against W ≈ 22 keeps less than half of the offset.
    assert strong.reviewers[LENIENT].leniency < 0.6
    assert strong.ridge == 30.0


def test_it_still_helps_on_integer_scores():
    scores, truth = _planted(5, rounded=True)
    result = aggregate(scores)
    assert result.reviewers[LENIENT].leniency > 0.6
    assert result.reviewers[HARSH].leniency < -0.6
    assert _rmse(result, truth, "estimate") < _rmse(result, truth, "raw_mean")


def test_it_covers_the_truth_with_its_intervals():
    covered = total = 0
    for seed in range(10):
        scores, truth = _planted(100 + seed)
        result = aggregate(scores)
        for entry, mu in truth.items():
            total += 1
            covered += result.entries[entry].low <= mu <= result.entries[entry].high
    # Nominal 95 %; the shrinkage bias costs a little.
    assert covered / total > 0.85


def test_leniencies_sum_to_zero_in_a_component():
    scores, _ = _planted(4)
    result = aggregate(scores)
    assert sum(r.leniency for r in result.reviewers.values()) == pytest.approx(
        0.0, abs=1e-9
    )


def test_it_solves_a_hand_computed_two_by_two_case():
    # Entries a, b; reviewers x (lenient), y; everyone scores everything at
    # confidence 1, but min_reviews=2 so both reviewers are estimated.
    #   x: a=4, b=3    y: a=2, b=1
    # By symmetry b_y = −b_x, so the entry means are μ_a = 3, μ_b = 2.
    # The normal equation of b_x is Σ_i (s_ix − μ_i − b_x) = λ b_x:
    #   (4 − 3 − b_x) + (3 − 2 − b_x) = λ b_x  →  b_x = 2 / (2 + λ).
    scores = [
        Score("a", "x", 4, 1),
        Score("b", "x", 3, 1),
        Score("a", "y", 2, 1),
        Score("b", "y", 1, 1),
    ]
    for ridge in (0.5, 1.0, 3.0):
        result = aggregate(scores, ridge=ridge, min_reviews=2)
        assert result.reviewers["x"].leniency == pytest.approx(2 / (2 + ridge))
        assert result.reviewers["y"].leniency == pytest.approx(-2 / (2 + ridge))
        assert result.entries["a"].estimate == pytest.approx(3.0)
        assert result.entries["b"].estimate == pytest.approx(2.0)


# Preconditions and fallback ------------------------------------------------


def test_it_falls_back_to_the_median_on_a_disconnected_graph():
    scores = [
        # Component 0: x and y overlap on three entries: calibrated.
        *(Score(e, "x", 4, 2) for e in ("a", "b", "c")),
        *(Score(e, "y", 2, 2) for e in ("a", "b", "c")),
        # Component 1: one reviewer alone on three entries.
        Score("d", "z", 5, 3),
        Score("e", "z", 2, 3),
        Score("f", "z", 3, 3),
        # Component 2: two one-off reviewers on one entry.
        Score("g", "p", 1, 2),
        Score("g", "q", 4, 2),
        Score("g", "s", 2, 2),
    ]
    result = aggregate(scores)
    assert result.components == 3
    for entry in ("a", "b", "c"):
        assert result.entries[entry].method == "calibrated"
        assert result.entries[entry].estimate == pytest.approx(3.0)
    for entry, value in (("d", 5.0), ("e", 2.0), ("f", 3.0)):
        assert result.entries[entry].method == "median"
        assert result.entries[entry].reason == "no_overlap"
        assert result.entries[entry].estimate == value
    assert result.entries["g"].method == "median"
    assert result.entries["g"].reason == "thin_reviewers"
    assert result.entries["g"].estimate == 2.0
    assert result.reviewers["z"].leniency is None
    assert result.reviewers["z"].leniency_reason == "no_overlap"
    assert result.reviewers["p"].leniency is None
    assert result.reviewers["p"].leniency_reason == "thin"
    assert result.reviewers["x"].leniency_reason == "estimated"


def test_an_entry_with_only_thin_reviewers_in_a_fitted_component_uses_the_median():
    scores, _ = _planted(0)
    # A new entry reviewed by two newcomers and linked to the panel by
    # nobody with three reviews: still the median, reason thin_reviewers.
    scores += [
        Score("new", "n1", 5, 3),
        Score("new", "n2", 4, 3),
        Score("e00", "n1", 3, 1),
    ]
    result = aggregate(scores)
    assert result.entries["new"].method == "median"
    assert result.entries["new"].reason == "thin_reviewers"
    assert result.entries["new"].estimate == 4.5
    assert result.entries["e00"].method == "calibrated"
    assert result.reviewers["n1"].leniency_reason == "thin"


def test_a_single_review():
    result = aggregate([Score("a", "x", 4, 2)])
    entry = result.entries["a"]
    assert (entry.method, entry.reason) == ("median", "thin_reviewers")
    assert entry.estimate == 4.0
    assert entry.n == 1
    assert entry.flags == ()
    # Prior noise only: σ = 0.5, SE = 0.5·√(π/2)/√2.
    assert entry.se == pytest.approx(0.5 * math.sqrt(math.pi / 2) / math.sqrt(2))
    assert entry.low < 4.0 < entry.high


def test_one_reviewer_for_everything_is_not_calibrated():
    scores = [Score(e, "x", v, 2) for e, v in zip("abcd", (1, 2, 4, 5), strict=True)]
    result = aggregate(scores)
    assert {e.reason for e in result.entries.values()} == {"no_overlap"}
    assert [result.entries[e].estimate for e in "abcd"] == [1.0, 2.0, 4.0, 5.0]
    assert result.reviewers["x"].leniency is None


def test_all_equal_scores_give_a_finite_interval_and_no_flags():
    scores = [Score(e, r, 3, 2) for e in "abcd" for r in "xyz"]
    result = aggregate(scores)
    for entry in result.entries.values():
        assert entry.method == "calibrated"
        assert entry.estimate == pytest.approx(3.0)
        assert entry.flags == ()
        assert 0 < entry.se < 0.5
        assert entry.low < 3.0 < entry.high
    assert all(r.leniency == pytest.approx(0.0) for r in result.reviewers.values())
    rel = reliability(scores)
    assert rel.alpha is None
    assert rel.icc is None
    assert rel.icc_reason == "undefined"


def test_estimates_are_clipped_to_the_scale():
    # y is harsh by 2 on a and b; on c it gives 5, so c calibrates above 5.
    scores = [
        Score("a", "x", 5, 3),
        Score("a", "y", 3, 3),
        Score("b", "x", 4, 3),
        Score("b", "y", 2, 3),
        Score("c", "y", 5, 3),
        Score("c", "z", 5, 1),
        Score("a", "z", 5, 1),
        Score("b", "z", 4, 1),
    ]
    result = aggregate(scores, ridge=0.01)
    assert result.entries["c"].estimate == 5.0
    assert result.entries["c"].clipped is True
    assert result.entries["c"].high == 5.0
    assert result.entries["a"].clipped is False


@pytest.mark.parametrize(
    ("score", "message"),
    [
        (Score("a", "x", float("nan"), 2), "value nan is not a finite number"),
        (Score("a", "x", float("inf"), 2), "value inf is not a finite number"),
        (Score("a", "x", 0, 2), "value 0 is outside 1–5"),
        (Score("a", "x", 5.5, 2), "value 5.5 is outside 1–5"),
        (Score("a", "x", 3, 0), "confidence 0 is outside 1–3"),
        (Score("a", "x", 3, 4), "confidence 4 is outside 1–3"),
        (Score("a", "x", 3, 2.5), "confidence 2.5 is not an integer"),  # type: ignore[arg-type]
        (Score("a", "x", 3, True), "confidence True is not an integer"),
        (Score("a", "x", "3", 2), "value '3' is not a finite number"),  # type: ignore[arg-type]
        (Score("", "x", 3, 2), "entry must be a non-empty string"),
        (Score("a", "", 3, 2), "reviewer must be a non-empty string"),
    ],
)
def test_it_rejects_bad_scores_naming_the_problem(score, message):
    with pytest.raises(ValueError, match=message):
        aggregate([Score("b", "y", 3, 2), score])


def test_it_rejects_duplicates_and_empty_input():
    with pytest.raises(
        ValueError, match="reviewer 'x' scored entry 'a' more than once"
    ):
        aggregate([Score("a", "x", 3, 2), Score("a", "x", 4, 2)])
    with pytest.raises(ValueError, match="no scores to aggregate"):
        aggregate([])


def test_it_rejects_bad_parameters_and_bands():
    scores = [Score("a", "x", 3, 2)]
    with pytest.raises(ValueError, match="ridge must be a positive number"):
        aggregate(scores, ridge=0)
    with pytest.raises(ValueError, match="min_reviews must be at least 1"):
        aggregate(scores, min_reviews=0)
    with pytest.raises(ValueError, match="level must lie strictly between 0 and 1"):
        aggregate(scores, level=1.0)
    with pytest.raises(ValueError, match="1 ≤ low ≤ high ≤ 5"):
        aggregate(scores, bands={"a": (4, 2)})
    with pytest.raises(ValueError, match="1 ≤ low ≤ high ≤ 5"):
        aggregate(scores, bands={"a": (0, 2)})


# Flags ---------------------------------------------------------------------


def _codes(entry):
    return [flag.code for flag in entry.flags]


def test_spread_flag_at_two_points_not_below():
    # Values 2, 3, 4: spread 2 (flag), SD 1.0 (flag).
    result = aggregate(
        [Score("a", r, v, 2) for r, v in zip("xyz", (2, 3, 4), strict=True)]
    )
    entry = result.entries["a"]
    assert _codes(entry) == ["spread", "sd"]
    assert entry.flags[0].params == {"spread": 2.0, "min": 2.0, "max": 4.0}
    assert entry.flags[0].requires == "discussion"
    assert entry.flags[1].params["sd"] == pytest.approx(1.0)
    # 3, 3, 4, 4: spread 1, SD 0.577: no flag.
    result = aggregate(
        [Score("a", r, v, 2) for r, v in zip("wxyz", (3, 3, 4, 4), strict=True)]
    )
    assert result.entries["a"].flags == ()


def test_sd_flag_without_spread_flag():
    # 1.1, 1.1, 2.9, 2.9 has no spread of 2 (1.8) but SD = 1.039.
    values = (1.1, 1.1, 2.9, 2.9)
    result = aggregate(
        [Score("a", r, v, 2) for r, v in zip("wxyz", values, strict=True)]
    )
    assert _codes(result.entries["a"]) == ["sd"]
    assert result.entries["a"].flags[0].params["sd"] == pytest.approx(
        float(np.std(values, ddof=1))
    )


def test_band_flags_distinguish_any_distance_from_two_levels():
    # Band (1, 2) as when robustness probes failed (safety capped at 2).
    scores = [
        Score("a", "x", 2, 2),  # inside
        Score("a", "y", 3, 2),  # 1 level above: justification only
        Score("a", "z", 4, 2),  # 2 levels above: discussion too
    ]
    result = aggregate(scores, bands={"a": (1, 2)})
    flags = [f for f in result.entries["a"].flags if "band" in f.code]
    assert [(f.code, f.params["reviewer"], f.params["distance"]) for f in flags] == [
        ("outside_band", "y", 1.0),
        ("out_of_band", "z", 2.0),
        ("outside_band", "z", 2.0),
    ]
    assert flags[0].requires == "justification"
    assert flags[1].requires == "discussion"
    assert flags[1].params == {
        "reviewer": "z",
        "score": 4,
        "low": 1,
        "high": 2,
        "distance": 2.0,
    }


def test_band_flags_below_a_floor():
    result = aggregate([Score("a", "x", 1, 1)], bands={"a": (3, 5)})
    assert _codes(result.entries["a"]) == ["out_of_band", "outside_band"]


def test_band_distance():
    assert band_distance(3, (2, 4)) == 0
    assert band_distance(5, (2, 4)) == 1
    assert band_distance(1, (3, 5)) == 2
    assert band_distance(2.5, (3, 5)) == 0.5


# Reliability ---------------------------------------------------------------


def test_krippendorff_alpha_on_krippendorffs_worked_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
    # section C: 4 observers, 12 units, missing values (None). Published
    # α: nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
    a = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    b = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    d = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    units = [
        [v for v in column if v is not None] for column in zip(a, b, c, d, strict=True)
    ]
    assert krippendorff_alpha_interval(units) == pytest.approx(0.849, abs=5e-4)


def test_krippendorff_alpha_by_hand():
    # Two units: (1, 3) and (2, 4). n = 4 values.
    # D_o = (1/4)·[ (2·4)/1 + (2·4)/1 ] = 4.   (each unit: 2 ordered
    #        pairs with squared difference 4)
    # D_e = Σ_{i≠j}(v_i − v_j)² / (4·3); values 1,2,3,4: Σ over unordered
    #        pairs = 1+4+9+1+4+1 = 20, ordered 40 → D_e = 40/12 = 10/3.
    # α = 1 − 4/(10/3) = −0.2.
    assert krippendorff_alpha_interval([[1, 3], [2, 4]]) == pytest.approx(-0.2)
    # Perfect agreement with variation: α = 1.
    assert krippendorff_alpha_interval([[1, 1], [4, 4], [2, 2, 2]]) == 1.0


def test_krippendorff_alpha_undefined_cases():
    assert krippendorff_alpha_interval([[3], [4]]) is None
    assert krippendorff_alpha_interval([[3, 3], [3, 3]]) is None
    with pytest.raises(ValueError, match="unit 1 holds a value that is not finite"):
        krippendorff_alpha_interval([[3, 3], [3, float("nan")]])


SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def test_icc_2_1_on_shrout_and_fleiss_table_2():
    # Shrout & Fleiss (1979), Table 2: ICC(2,1) = 0.29. From their Table 3:
    # BMS = 11.24, JMS = 32.49, EMS = 1.02, n = 6, k = 4:
    # (11.24 − 1.02) / (11.24 + 3·1.02 + 4·(32.49 − 1.02)/6) = 0.290.
    assert icc_2_1(SHROUT_FLEISS) == pytest.approx(0.29, abs=0.005)
    assert icc_2_1(SHROUT_FLEISS) == pytest.approx(
        (11.2417 - 1.0194) / (11.2417 + 3 * 1.0194 + 4 * (32.4861 - 1.0194) / 6),
        abs=1e-3,
    )


def test_icc_rejects_incomplete_tables():
    with pytest.raises(ValueError, match="complete table"):
        icc_2_1([[1, 2], [3, float("nan")]])
    with pytest.raises(ValueError, match="rectangular"):
        icc_2_1([[1, 2], [3]])
    with pytest.raises(ValueError, match="at least 2 judges"):
        icc_2_1([[1], [3]])


def test_reliability_from_scores():
    scores = [
        Score(f"t{i}", f"j{k}", 1 + (v - 1) * 4 / 9, 2)
        for i, row in enumerate(SHROUT_FLEISS)
        for k, v in enumerate(row)
    ]
    rel = reliability(scores)
    # The 1–10 table mapped onto 1–5; ICC is invariant to affine maps.
    assert rel.icc == pytest.approx(icc_2_1(SHROUT_FLEISS))
    assert rel.icc_reason == "computed"
    assert rel.units == 6
    assert rel.pairable_values == 24
    assert rel.alpha is not None
    incomplete = reliability(scores[:-1])
    assert incomplete.icc is None
    assert incomplete.icc_reason == "incomplete_design"
    assert incomplete.pairable_values == 23


# Composite, gate, ranking --------------------------------------------------


def test_default_weights_match_the_rubric_table():
    assert default_weights("testing") == {
        "maturity": 25,
        "fit": 25,
        "economics": 15,
        "social": 10,
        "safety": 25,
        "user": 0,
    }
    assert default_weights("effectiveness") == {
        "maturity": 15,
        "fit": 15,
        "economics": 25,
        "social": 15,
        "safety": 15,
        "user": 15,
    }
    with pytest.raises(ValueError, match="no default weights for stage 'pilot'"):
        default_weights("pilot")


def test_composite_by_hand():
    profile = {
        "maturity": (4.0, 0.2),
        "fit": (3.0, 0.2),
        "economics": (2.0, 0.4),
        "social": (5.0, 0.1),
        "safety": (3.0, 0.3),
    }
    result = composite("a", profile, default_weights("testing"))
    # 0.25·4 + 0.25·3 + 0.15·2 + 0.10·5 + 0.25·3 = 1 + 0.75 + 0.3 + 0.5 + 0.75
    assert result.value == pytest.approx(3.3)
    # SE² = 0.0625·0.04·2 + 0.0225·0.16 + 0.01·0.01 + 0.0625·0.09
    #     = 0.005 + 0.0036 + 0.0001 + 0.005625 = 0.014325
    assert result.se == pytest.approx(math.sqrt(0.014325))
    assert result.high - result.value == pytest.approx(1.959964 * result.se)


def test_composite_rejects_missing_dimension_and_bad_weights():
    with pytest.raises(ValueError, match="has no estimate for 'safety'"):
        composite("a", {"maturity": (3, 0.1)}, {"maturity": 50, "safety": 50})
    with pytest.raises(ValueError, match="weights must sum to 100, got 90"):
        validate_weights({"maturity": 50, "safety": 40})
    with pytest.raises(ValueError, match="unknown dimensions in weights"):
        validate_weights({"beauty": 100})
    with pytest.raises(ValueError, match="weight of 'fit' must be a non-negative"):
        validate_weights({"maturity": 110, "fit": -10})


@pytest.mark.parametrize(
    ("safety", "stage", "blocks"),
    [
        (2.9, "testing", False),
        (2.9, "pilot", True),
        (3.0, "pilot", False),
        (3.5, "effectiveness", True),
        (3.9, "scale", True),
        (4.0, "scale", False),
        (1.0, "rnd", False),
    ],
)
def test_safety_gate(safety, stage, blocks):
    assert safety_gate(safety, stage).blocks is blocks


def test_safety_gate_rejects_unknown_stage():
    with pytest.raises(ValueError, match="unknown stage 'rollout'"):
        safety_gate(4, "rollout")


def test_ranking_declares_chained_ties():
    items = [
        Composite("a", 4.0, 0.1, 3.8, 4.2),
        Composite("b", 3.7, 0.1, 3.5, 3.9),  # overlaps a
        Composite("c", 3.4, 0.1, 3.2, 3.6),  # overlaps b, not a: same group
        Composite("d", 2.0, 0.1, 1.8, 2.2),  # alone
        Composite("e", 1.5, 0.2, 1.1, 1.9),  # overlaps d
        Composite("f", 1.0, 0.0, 1.0, 1.0),  # touches nothing
    ]
    ranked = rank(list(reversed(items)))
    assert [(r.entry, r.rank, r.tie_group, r.tied) for r in ranked] == [
        ("a", 1, 0, True),
        ("b", 1, 0, True),
        ("c", 1, 0, True),
        ("d", 4, 1, True),
        ("e", 4, 1, True),
        ("f", 6, 2, False),
    ]
    assert [r.position for r in ranked] == [1, 2, 3, 4, 5, 6]


def test_ranking_counts_touching_intervals_as_overlap():
    items = [
        Composite("a", 3.0, 0.1, 2.5, 3.5),
        Composite("b", 2.0, 0.1, 1.5, 2.5),  # touches a at 2.5
        Composite("c", 1.0, 0.1, 0.5, 1.4999),  # misses b by 0.0001
    ]
    assert [(r.entry, r.rank, r.tied) for r in rank(items)] == [
        ("a", 1, True),
        ("b", 1, True),
        ("c", 3, False),
    ]


def test_ranking_rejects_duplicates():
    item = Composite("a", 4.0, 0.1, 3.8, 4.2)
    with pytest.raises(ValueError, match="only once"):
        rank([item, item])


def test_end_to_end_planted_ranking():
    scores, truth = _planted(0)
    result = aggregate(scores)
    composites = [
        composite(e, {"maturity": (r.estimate, r.se)}, {"maturity": 100})
        for e, r in result.entries.items()
    ]
    ranked = rank(composites)
    best = max(truth, key=truth.__getitem__)
    worst = min(truth, key=truth.__getitem__)
    assert ranked[0].rank == 1
    assert next(r for r in ranked if r.entry == best).rank == 1
    assert next(r for r in ranked if r.entry == worst).position >= 16


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_krippendorff_alpha_matches_the_reference_package(seed):
    rng = np.random.default_rng(seed)
    # 5 coders × 15 units of 1–5 scores, a quarter missing.
    truth = rng.integers(1, 6, size=15)
    data = np.clip(truth + rng.integers(-1, 2, size=(5, 15)), 1, 5).astype(float)
    data[rng.random(data.shape) < 0.25] = np.nan
    units = [[v for v in column if not np.isnan(v)] for column in data.T]
    expected = krippendorff.alpha(
        reliability_data=data, level_of_measurement="interval"
    )
    assert krippendorff_alpha_interval(units) == pytest.approx(expected, abs=1e-9)


def test_entry_profile_feeds_the_composite():
    maturity = aggregate([Score("a", "x", 4, 2), Score("b", "x", 2, 2)])
    safety = aggregate([Score("a", "x", 2, 2)])
    profile = entry_profile("a", {"maturity": maturity, "safety": safety})
    assert profile == {
        "maturity": (4.0, maturity.entries["a"].se),
        "safety": (2.0, safety.entries["a"].se),
    }
    assert entry_profile("b", {"maturity": maturity, "safety": safety}).keys() == {
        "maturity"
    }
    # 0.5·4 + 0.5·2 = 3
    result = composite("a", profile, {"maturity": 50, "safety": 50})
    assert result.value == pytest.approx(3.0)
