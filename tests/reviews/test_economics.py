"""Business-case formulas against cases computed by hand.

The arithmetic is written out in the comments; discount factors at 8 %:
1/1.08 = 0.925926, 1/1.08² = 0.857339, 1/1.08³ = 0.793832,
1/1.08⁴ = 0.735030, 1/1.08⁵ = 0.680583; their sum (the 5-year annuity
factor) is (1 − 1.08⁻⁵)/0.08 = 3.992710.
"""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pytest

from reviews.economics import (
    BusinessCase,
    Line,
    appraise,
    compute_cost,
    crf,
    irr,
    npv,
    payback,
)

AF_8_5 = 3.992710


def _case(benefit, cost=5.0, **kwargs):
    return BusinessCase(
        investment=kwargs.pop("investment", 100.0),
        costs=(Line("operations", cost),),
        benefits=(Line("avoided penalties", benefit),),
        horizon=kwargs.pop("horizon", 5),
        **kwargs,
    )


def test_it_appraises_a_case_just_below_break_even():
    # C₀ = 100, B = 30/yr, C = 5/yr, T = 5, r = 8 %.
    # PV(B) = 30 × 3.992710 = 119.7813
    # PV(C) =  5 × 3.992710 =  19.9636
    # NPV   = 119.7813 − 19.9636 − 100 = −0.1822
    # BCR   = 119.7813 / (100 + 19.9636) = 0.99848
    # IRR: 25 × AF(r, 5) = 100 ⇔ AF = 4; AF(7.9 %) = 4.0010, AF(8 %) =
    #   3.9927, so the IRR is a little under 8 %: 7.93 %.
    # Simple payback 100/25 = 4.0 years; the discounted flows never repay
    # 100 within 5 years (NPV < 0), so no discounted payback.
    result = appraise(_case(30.0))
    assert result.pv_benefits == pytest.approx(30 * AF_8_5, abs=1e-4)
    assert result.pv_costs == pytest.approx(5 * AF_8_5, abs=1e-4)
    assert result.npv == pytest.approx(-0.1822, abs=1e-4)
    assert result.bcr == pytest.approx(0.99848, abs=1e-5)
    assert result.irr == pytest.approx(0.0793, abs=1e-4)
    assert result.irr_reason == "found"
    assert result.simple_payback == pytest.approx(4.0)
    assert result.discounted_payback is None


def test_it_appraises_a_profitable_case():
    # C₀ = 100, B = 40/yr, C = 5/yr, net 35/yr, T = 5, r = 8 %.
    # NPV = 35 × 3.992710 − 100 = 39.7449
    # BCR = 40 × 3.992710 / (100 + 19.9636) = 159.7084 / 119.9636 = 1.33131
    # Discounted net flows: 32.4074, 30.0069, 27.7841, 25.7260, ...
    #   cumulative after 3 years: 90.1984, after 4: 115.9245 ≥ 100, so
    #   payback = 3 + (100 − 90.1984)/25.7260 = 3 + 0.3810 = 3.3810 years.
    # Simple payback: 100/35 = 2.857 years (2 + 30/35).
    # CRF(8 %, 5) = 0.08 × 1.469328 / 0.469328 = 0.250456; with 1,000
    #   units a year: (100 × 0.250456 + 5) / 1000 = 0.0300456 per unit.
    result = appraise(_case(40.0, service_units=1000.0))
    assert result.npv == pytest.approx(39.7449, abs=1e-4)
    assert result.bcr == pytest.approx(1.33131, abs=1e-5)
    assert result.discounted_payback == pytest.approx(3.3810, abs=1e-4)
    assert result.simple_payback == pytest.approx(2 + 30 / 35)
    assert result.crf == pytest.approx(0.250456, abs=1e-6)
    assert result.levelised_unit_cost == pytest.approx(0.0300456, abs=1e-7)
    # IRR: NPV at the IRR is 0, and 35 × AF(22.106 %, 5) = 100.
    assert result.irr == pytest.approx(0.22106, abs=1e-5)
    assert npv(result.irr, 100.0, [35.0] * 5) == pytest.approx(0.0, abs=1e-8)


def test_sensitivity_on_the_three_largest_drivers():
    # Same case as above, plus a small licence line (PV 1 × 3.9927) that
    # is not among the three largest: savings 159.71, investment 100,
    # operations 19.96.
    case = BusinessCase(
        investment=100.0,
        costs=(Line("operations", 5.0), Line("licence", 1.0)),
        benefits=(Line("savings", 40.0),),
        horizon=5,
    )
    result = appraise(case)
    # NPV = 34 × 3.992710 − 100 = 35.7521
    assert result.npv == pytest.approx(35.7521, abs=1e-4)
    names = [(s.name, s.kind) for s in result.sensitivity]
    assert names == [
        ("savings", "benefit"),
        ("investment", "investment"),
        ("operations", "cost"),
    ]
    savings, investment, operations = result.sensitivity
    # Savings ±20 %: ∓0.2 × 159.7084 = ∓31.9417 → 3.8104 / 67.6938.
    assert savings.npv_minus == pytest.approx(3.8104, abs=1e-4)
    assert savings.npv_plus == pytest.approx(67.6938, abs=1e-4)
    assert savings.npv_low == savings.npv_minus
    # Investment ±20 %: ±20 → 55.7521 / 15.7521.
    assert investment.npv_minus == pytest.approx(55.7521, abs=1e-4)
    assert investment.npv_low == pytest.approx(15.7521, abs=1e-4)
    # Operations ±20 %: ±0.2 × 19.9636 = ±3.9927 → 39.7449 / 31.7594.
    assert operations.npv_high == pytest.approx(39.7449, abs=1e-4)
    assert operations.npv_low == pytest.approx(31.7594, abs=1e-4)
    assert result.npv_robust is True
    # The first case is not robust: NPV < 0 already.
    assert appraise(_case(30.0)).npv_robust is False


def test_escalation_and_asset_life():
    # One benefit of 10 growing 10 %/yr over 2 years at r = 10 %: the
    # discounted flows are 10/1.1 = 9.0909 and 11/1.21 = 9.0909.
    case = BusinessCase(
        investment=0.0,
        costs=(Line("ops", 2.0, escalation=0.10),),
        benefits=(Line("b", 10.0, escalation=0.10),),
        horizon=2,
        discount_rate=0.10,
        asset_life=10,
        service_units=4.0,
    )
    result = appraise(case)
    assert result.pv_benefits == pytest.approx(2 * 10 / 1.1)
    # Costs 2 and 2.2 → PV 2 × 1.8182 = 3.6364. Equivalent annual O&M =
    # 3.6364 × CRF(10 %, 2) = 3.6364 × 0.576190 = 2.095238.
    assert result.pv_costs == pytest.approx(2 * 2 / 1.1)
    assert result.crf == pytest.approx(0.1 * 1.1**10 / (1.1**10 - 1))
    assert result.levelised_unit_cost == pytest.approx(2.095238 / 4, abs=1e-6)
    # No investment: paid back at once, no IRR (no sign change), BCR = 5.
    assert result.discounted_payback == 0.0
    assert result.irr is None
    assert result.irr_reason == "no_sign_change"
    assert result.bcr == pytest.approx(5.0)


def test_irr_of_non_conventional_flows_reports_multiple_roots():
    # −100, +230, −132: NPV·(1+r)² = −100(1+r)² + 230(1+r) − 132 = 0 →
    # (1+r) ∈ {1.1, 1.2}: IRRs of 10 % and 20 %.
    rate, reason, roots = irr(100.0, [230.0, -132.0])
    assert rate is None
    assert reason == "multiple_roots"
    assert roots == pytest.approx((0.10, 0.20), abs=1e-9)


def test_irr_can_be_negative_and_can_be_missing():
    # −100 then +10, +10 never repays at r ≥ 0, but the IRR exists below 0:
    rate, reason, _ = irr(100.0, [10.0, 10.0])
    assert reason == "found"
    # (1+r)²·100 = 10(1+r) + 10 → 1+r = (10 + √(100 + 4000))/200 = 0.37016
    assert rate == pytest.approx((10 + math.sqrt(4100)) / 200 - 1, abs=1e-9)
    # Only costs, never benefits: NPV < 0 everywhere.
    rate, reason, _ = irr(100.0, [-1.0, -1.0])
    assert (rate, reason) == (None, "no_sign_change")


def test_zero_discount_rate():
    # At r = 0 the NPV is the plain sum and CRF = 1/N.
    result = appraise(_case(30.0, discount_rate=0.0, service_units=10.0))
    assert result.npv == pytest.approx(25.0)
    assert result.discounted_payback == pytest.approx(4.0)
    assert result.crf == pytest.approx(0.2)
    # (100 × 0.2 + 5) / 10 = 2.5
    assert result.levelised_unit_cost == pytest.approx(2.5)


def test_crf_and_payback_helpers():
    assert crf(0.08, 5) == pytest.approx(0.250456, abs=1e-6)
    assert crf(0.0, 4) == 0.25
    with pytest.raises(ValueError, match="years must be at least 1"):
        crf(0.08, 0)
    # 50, then 30, 40: cumulative −50, −20, +20 → 2 + 20/40 = 2.5
    assert payback(50.0, [0.0, 30.0, 40.0]) == pytest.approx(2.5)
    assert payback(50.0, [10.0, 10.0]) is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"investment": -1.0}, "investment must be a non-negative number"),
        ({"investment": float("nan")}, "investment must be a non-negative number"),
        ({"horizon": 0}, "horizon must be a whole number of years in 1–100"),
        ({"horizon": 2.5}, "horizon must be a whole number of years"),
        ({"discount_rate": -1.0}, "discount rate must be a number above −1"),
        ({"asset_life": 0}, "asset life must be a whole number of years ≥ 1"),
        ({"service_units": 0.0}, "service units must be a positive number"),
        (
            {"costs": (Line("ops", -5.0),)},
            "cost line 'ops': amount must be a non-negative number",
        ),
        (
            {"benefits": (Line("b", float("inf")),)},
            "benefit line 'b': amount must be a non-negative number",
        ),
        ({"benefits": (Line(" ", 1.0),)}, "every benefit line needs a name"),
        (
            {"benefits": (Line("ops", 1.0),), "costs": (Line("ops", 1.0),)},
            "line name 'ops' is used more than once",
        ),
        (
            {"costs": (Line("ops", 1.0, escalation=-1.0),)},
            "escalation must be a number above −1",
        ),
    ],
)
def test_it_rejects_bad_cases(changes, message):
    fields = {
        "investment": 100.0,
        "costs": (Line("ops", 5.0),),
        "benefits": (Line("b", 30.0),),
        "horizon": 5,
    }
    fields.update(changes)
    with pytest.raises(ValueError, match=message):
        appraise(BusinessCase(**fields))


def test_compute_cost_by_hand():
    # 0.5 Wh per call × 1,000,000 calls a year × PUE 1.2 = 600 kWh;
    # at 0.8 ¥/kWh: 480 ¥. CPU: 0.2 s × 1,000,000 / 3600 = 55.556 h at
    # 0.3 ¥/h = 16.667 ¥. Total 496.667 ¥/year.
    cost = compute_cost(
        energy_wh_per_call=0.5,
        cpu_seconds_per_call=0.2,
        calls_per_year=1_000_000,
        tariff_per_kwh=0.8,
        cpu_hour_price=0.3,
        pue=1.2,
    )
    assert cost.kwh_per_year == pytest.approx(600.0)
    assert cost.energy_cost == pytest.approx(480.0)
    assert cost.cpu_hours_per_year == pytest.approx(55.5556, abs=1e-4)
    assert cost.cpu_cost == pytest.approx(16.6667, abs=1e-4)
    assert cost.total == pytest.approx(496.6667, abs=1e-4)
    assert cost.line() == Line("compute", cost.total)


def test_compute_cost_rejects_bad_input():
    with pytest.raises(ValueError, match="tariff must be a non-negative number"):
        compute_cost(
            energy_wh_per_call=1,
            cpu_seconds_per_call=1,
            calls_per_year=1,
            tariff_per_kwh=-0.1,
        )
    with pytest.raises(ValueError, match="PUE must be a number ≥ 1"):
        compute_cost(
            energy_wh_per_call=1,
            cpu_seconds_per_call=1,
            calls_per_year=1,
            tariff_per_kwh=0.5,
            pue=0.9,
        )


@pytest.mark.parametrize("seed", range(6))
def test_npv_and_irr_match_numpy_financial(seed):
    rng = np.random.default_rng(seed)
    # Conventional flows: an investment, then T positive net flows.
    horizon = int(rng.integers(2, 15))
    investment = float(rng.uniform(50, 500))
    flows = rng.uniform(5, 120, size=horizon)
    rate = float(rng.uniform(0.0, 0.15))
    cash = np.concatenate([[-investment], flows])
    assert npv(rate, investment, flows) == pytest.approx(npf.npv(rate, cash), rel=1e-12)
    found, reason, _ = irr(investment, flows)
    expected = npf.irr(cash)
    assert reason == "found"
    assert found == pytest.approx(expected, abs=1e-9)
