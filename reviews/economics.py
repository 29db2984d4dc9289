"""Business case of an entry: NPV, IRR, paybacks, BCR, levelised unit cost.

Pure computation (scipy's brentq for the IRR), following
shared/design/rubric-and-lifecycle.md section 5 and Short, Packey & Holt,
*A Manual for the Economic Evaluation of Energy Efficiency and Renewable
Energy Technologies*, NREL/TP-462-5173 (1995). The 8 % default is the
social discount rate of 《建设项目经济评价方法与参数》(第三版), 发改投资
[2006]1325号; financial appraisal uses the company hurdle rate instead.

Notation: C₀ investment at year 0; benefit and cost lines are annual
amounts paid at the end of years t = 1..T, each growing at its own
escalation rate g (amount in year t = a·(1 + g)^(t−1)); r discount rate;
N asset life; U annual service units.

- PV(line) = Σ_t a_t / (1 + r)^t.
- NPV = Σ_t (B_t − C_t)/(1 + r)^t − C₀.
- IRR: the r with NPV(r) = 0. NPV is evaluated on a grid from −99 % to
  10 000 %; every sign change is bracketed and refined with
  ``scipy.optimize.brentq``. Exactly one root: the IRR. No sign change
  (e.g. no investment, or benefits never repay it): None, reason
  ``no_sign_change``. Several roots (cash flows that change sign more
  than once): None, reason ``multiple_roots``, the roots listed.
- Discounted payback: the first year k with cumulative discounted net flow
  D_k = −C₀ + Σ_{t≤k} (B_t − C_t)/(1 + r)^t ≥ 0, made fractional by
  linear interpolation inside year k, (k − 1) + (−D_{k−1})/(D_k − D_{k−1}),
  i.e. as if the year's discounted flow accrued evenly. None (reason
  ``beyond_horizon``) if D never reaches 0 within T. Simple payback is the
  same on undiscounted flows. With C₀ = 0 both are 0.
- BCR = PV(benefits) / (C₀ + PV(costs)); None when the denominator is 0.
- CRF(r, N) = r(1 + r)^N / ((1 + r)^N − 1), and 1/N at r = 0.
- Levelised unit cost = (C₀·CRF(r, N) + annual O&M) / U, where annual O&M
  is the equivalent annual cost PV(costs)·CRF(r, T), which equals the
  constant amount when nothing escalates. N defaults to T.
- Sensitivity: the three drivers with the largest |PV| among the benefit
  lines, cost lines and the investment (an up-front cost driver too)
  are each moved by −20 % and +20 % with everything else fixed; the NPV
  at both ends is reported. ``npv_robust`` says whether NPV ≥ 0 at every
  end (rubric D3 level 4).

Compute cost line (``compute_cost``): energy per call (Wh, measured or
estimated by the sandbox) × calls per year × PUE / 1000 × tariff (¥/kWh),
plus CPU seconds per call × calls / 3600 × a price per CPU-core-hour
(hardware amortisation or cloud price; 0 by default, as energy already
counts the running cost of owned hardware).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy import optimize

# Year-by-year amounts: a list, or a numpy row.
Flows = Sequence[float] | np.ndarray

SOCIAL_DISCOUNT_RATE = 0.08
SENSITIVITY = 0.20
SENSITIVITY_DRIVERS = 3
MAX_HORIZON = 100
# IRR search grid: fine near 0, geometric above.
_IRR_GRID = np.unique(
    np.concatenate(
        [
            np.linspace(-0.99, 0.0, 199),
            np.geomspace(1e-4, 100.0, 400),
        ]
    )
)


@dataclass(frozen=True)
class Line:
    """A named annual benefit driver or cost line (year-1 amount, ¥)."""

    name: str
    amount: float
    escalation: float = 0.0

    def amounts(self, horizon: int) -> np.ndarray:
        """Return the amounts of years 1..horizon."""
        years = np.arange(horizon, dtype=float)
        return self.amount * (1.0 + self.escalation) ** years


@dataclass(frozen=True)
class BusinessCase:
    investment: float
    costs: tuple[Line, ...]
    benefits: tuple[Line, ...]
    horizon: int
    discount_rate: float = SOCIAL_DISCOUNT_RATE
    # Defaults to the horizon.
    asset_life: int | None = None
    # Annual service units (MWh forecast, asset-years, 1,000 inferences).
    service_units: float | None = None


@dataclass(frozen=True)
class Sensitivity:
    name: str
    kind: Literal["benefit", "cost", "investment"]
    pv: float
    # NPV with the driver at −20 % and at +20 %.
    npv_minus: float
    npv_plus: float

    @property
    def npv_low(self) -> float:
        return min(self.npv_minus, self.npv_plus)

    @property
    def npv_high(self) -> float:
        return max(self.npv_minus, self.npv_plus)


@dataclass(frozen=True)
class Appraisal:
    npv: float
    pv_benefits: float
    pv_costs: float
    bcr: float | None
    irr: float | None
    # "found", "no_sign_change" or "multiple_roots".
    irr_reason: str
    irr_roots: tuple[float, ...]
    discounted_payback: float | None
    simple_payback: float | None
    crf: float
    levelised_unit_cost: float | None
    sensitivity: tuple[Sensitivity, ...]
    npv_robust: bool
    line_pvs: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ComputeCost:
    kwh_per_year: float
    energy_cost: float
    cpu_hours_per_year: float
    cpu_cost: float
    total: float

    def line(self, name: str = "compute") -> Line:
        """Return the compute cost as an annual cost line."""
        return Line(name, self.total)


# Validation ------------------------------------------------------------


def _finite(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


def _check_line(line: Line, kind: str) -> None:
    if not isinstance(line.name, str) or not line.name.strip():
        raise ValueError(f"every {kind} line needs a name")
    if not _finite(line.amount) or line.amount < 0:
        raise ValueError(
            f"{kind} line {line.name!r}: amount must be a non-negative number, "
            f"got {line.amount!r}"
        )
    if not _finite(line.escalation) or line.escalation <= -1:
        raise ValueError(
            f"{kind} line {line.name!r}: escalation must be a number above −1, "
            f"got {line.escalation!r}"
        )


def validate_case(case: BusinessCase) -> None:
    """Raise ValueError naming the first problem in ``case``."""
    if not _finite(case.investment) or case.investment < 0:
        raise ValueError(
            f"investment must be a non-negative number, got {case.investment!r}"
        )
    if (
        isinstance(case.horizon, bool)
        or not isinstance(case.horizon, int)
        or not 1 <= case.horizon <= MAX_HORIZON
    ):
        raise ValueError(
            f"horizon must be a whole number of years in 1–{MAX_HORIZON}, "
            f"got {case.horizon!r}"
        )
    if not _finite(case.discount_rate) or case.discount_rate <= -1:
        raise ValueError(
            f"discount rate must be a number above −1, got {case.discount_rate!r}"
        )
    if case.asset_life is not None and (
        isinstance(case.asset_life, bool)
        or not isinstance(case.asset_life, int)
        or case.asset_life < 1
    ):
        raise ValueError(
            f"asset life must be a whole number of years ≥ 1, got {case.asset_life!r}"
        )
    if case.service_units is not None and (
        not _finite(case.service_units) or case.service_units <= 0
    ):
        raise ValueError(
            f"service units must be a positive number, got {case.service_units!r}"
        )
    names: set[str] = {"investment"}
    for kind, lines in (("cost", case.costs), ("benefit", case.benefits)):
        for line in lines:
            _check_line(line, kind)
            if line.name in names:
                raise ValueError(f"line name {line.name!r} is used more than once")
            names.add(line.name)


# Formulas --------------------------------------------------------------


def discount_factors(rate: float, horizon: int) -> np.ndarray:
    """Return 1/(1 + r)^t for t = 1..horizon."""
    return (1.0 + rate) ** -np.arange(1, horizon + 1, dtype=float)


def crf(rate: float, years: int) -> float:
    """Return the capital recovery factor r(1 + r)^N / ((1 + r)^N − 1)."""
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years!r}")
    if abs(rate) < 1e-12:
        return 1.0 / years
    growth = (1.0 + rate) ** years
    return rate * growth / (growth - 1.0)


def npv(rate: float, investment: float, net_flows: Flows) -> float:
    """Return −C₀ + Σ_t net_t/(1 + r)^t for end-of-year flows t = 1..T."""
    flows = np.asarray(net_flows, dtype=float)
    return float(np.sum(flows * discount_factors(rate, len(flows))) - investment)


def irr(
    investment: float, net_flows: Flows
) -> tuple[float | None, str, tuple[float, ...]]:
    """Return (IRR or None, reason, all roots found) of the cash flows."""
    flows = np.asarray(net_flows, dtype=float)

    def f(rate: float) -> float:
        return npv(rate, investment, flows)

    values = np.array([f(float(r)) for r in _IRR_GRID])
    roots: list[float] = []
    for k in range(len(_IRR_GRID) - 1):
        a, b = float(_IRR_GRID[k]), float(_IRR_GRID[k + 1])
        fa, fb = values[k], values[k + 1]
        if fa == 0.0:
            roots.append(a)
        elif fa * fb < 0:
            roots.append(float(optimize.brentq(f, a, b, xtol=1e-12, rtol=1e-12)))
    if values[-1] == 0.0:
        roots.append(float(_IRR_GRID[-1]))
    if not roots:
        return None, "no_sign_change", ()
    if len(roots) > 1:
        return None, "multiple_roots", tuple(roots)
    return roots[0], "found", (roots[0],)


def payback(investment: float, flows: Flows) -> float | None:
    """Return the fractional year the cumulative flow first reaches C₀.

    ``flows`` are the (discounted or not) net flows of years 1..T. Inside
    the crossing year the flow is taken to accrue evenly. None when the
    investment is not recovered within T.
    """
    if investment <= 0:
        return 0.0
    cumulative = -investment
    for year, flow in enumerate(flows, start=1):
        previous = cumulative
        cumulative += float(flow)
        if cumulative >= 0:
            return (year - 1) + (-previous) / (cumulative - previous)
    return None


def _total(rows: Iterable[np.ndarray], horizon: int) -> np.ndarray:
    total = np.zeros(horizon)
    for row in rows:
        total = total + row
    return total


def _npv_of(
    case: BusinessCase, investment: float, benefit: np.ndarray, cost: np.ndarray
) -> float:
    return npv(case.discount_rate, investment, benefit - cost)


def appraise(case: BusinessCase) -> Appraisal:
    """Return every appraisal figure of ``case`` (see the module docstring)."""
    validate_case(case)
    horizon = case.horizon
    factors = discount_factors(case.discount_rate, horizon)
    benefit_rows = {line.name: line.amounts(horizon) for line in case.benefits}
    cost_rows = {line.name: line.amounts(horizon) for line in case.costs}
    benefits = _total(benefit_rows.values(), horizon)
    costs = _total(cost_rows.values(), horizon)
    net = benefits - costs

    pv_benefits = float(np.sum(benefits * factors))
    pv_costs = float(np.sum(costs * factors))
    value = pv_benefits - pv_costs - case.investment
    denominator = case.investment + pv_costs
    bcr = pv_benefits / denominator if denominator > 0 else None
    rate_irr, irr_reason, roots = irr(case.investment, net)

    life = case.asset_life if case.asset_life is not None else horizon
    recovery = crf(case.discount_rate, life)
    annual_om = pv_costs * crf(case.discount_rate, horizon)
    unit_cost = (
        (case.investment * recovery + annual_om) / case.service_units
        if case.service_units is not None
        else None
    )

    line_pvs: dict[str, float] = {"investment": float(case.investment)}
    drivers: list[tuple[float, str, Literal["benefit", "cost", "investment"]]] = [
        (float(case.investment), "investment", "investment")
    ]
    for name, row in benefit_rows.items():
        line_pvs[name] = float(np.sum(row * factors))
        drivers.append((line_pvs[name], name, "benefit"))
    for name, row in cost_rows.items():
        line_pvs[name] = float(np.sum(row * factors))
        drivers.append((line_pvs[name], name, "cost"))
    # Largest |PV| first; the name breaks ties so the choice is stable.
    drivers.sort(key=lambda d: (-abs(d[0]), d[1]))
    sensitivity = []
    for pv, name, kind in drivers[:SENSITIVITY_DRIVERS]:
        if pv == 0:
            continue
        ends = []
        for factor in (1.0 - SENSITIVITY, 1.0 + SENSITIVITY):
            if kind == "investment":
                ends.append(_npv_of(case, case.investment * factor, benefits, costs))
            elif kind == "benefit":
                moved = benefits + (factor - 1.0) * benefit_rows[name]
                ends.append(_npv_of(case, case.investment, moved, costs))
            else:
                moved = costs + (factor - 1.0) * cost_rows[name]
                ends.append(_npv_of(case, case.investment, benefits, moved))
        sensitivity.append(Sensitivity(name, kind, pv, ends[0], ends[1]))

    return Appraisal(
        npv=value,
        pv_benefits=pv_benefits,
        pv_costs=pv_costs,
        bcr=bcr,
        irr=rate_irr,
        irr_reason=irr_reason,
        irr_roots=roots,
        discounted_payback=payback(case.investment, net * factors),
        simple_payback=payback(case.investment, net),
        crf=recovery,
        levelised_unit_cost=unit_cost,
        sensitivity=tuple(sensitivity),
        npv_robust=value >= 0 and all(s.npv_low >= 0 for s in sensitivity),
        line_pvs=line_pvs,
    )


def compute_cost(
    *,
    energy_wh_per_call: float,
    cpu_seconds_per_call: float,
    calls_per_year: float,
    tariff_per_kwh: float,
    cpu_hour_price: float = 0.0,
    pue: float = 1.0,
) -> ComputeCost:
    """Return the annual compute cost (¥) of running at the scenario's volume.

    ``pue`` (power usage effectiveness, ≥ 1) scales the metered energy to
    the facility's; ``cpu_hour_price`` prices CPU-core-hours (¥).
    """
    for label, number in (
        ("energy per call", energy_wh_per_call),
        ("CPU seconds per call", cpu_seconds_per_call),
        ("calls per year", calls_per_year),
        ("tariff", tariff_per_kwh),
        ("CPU-hour price", cpu_hour_price),
    ):
        if not _finite(number) or number < 0:
            raise ValueError(f"{label} must be a non-negative number, got {number!r}")
    if not _finite(pue) or pue < 1:
        raise ValueError(f"PUE must be a number ≥ 1, got {pue!r}")
    kwh = energy_wh_per_call * calls_per_year * pue / 1000.0
    energy_cost = kwh * tariff_per_kwh
    cpu_hours = cpu_seconds_per_call * calls_per_year / 3600.0
    cpu_cost = cpu_hours * cpu_hour_price
    return ComputeCost(
        kwh_per_year=kwh,
        energy_cost=energy_cost,
        cpu_hours_per_year=cpu_hours,
        cpu_cost=cpu_cost,
        total=energy_cost + cpu_cost,
    )
