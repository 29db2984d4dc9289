"""CO₂ avoided by an entry, with a dated regional grid emission factor table.

Pure computation, following shared/design/rubric-and-lifecycle.md
section 6. Factors are those of the Ministry of Ecology and Environment
(生态环境部) and the National Bureau of Statistics (国家统计局), in
kgCO₂/kWh, which is the same number in tCO₂/MWh:

- 2023: 《关于发布2023年电力二氧化碳排放因子的公告》 (press coverage
  January 2026; announcement number unverified): national average,
  national excluding market-traded non-fossil electricity, national
  fossil-fuel power, and the seven regional grids.
- 2022: national average 0.5366, announced 2024-12-20 with the method of
  公告2024年第12号; quoted next to the 2023 figures in the coverage.

The 2021 factors (公告2024年第12号, 2024-04-12) and the provincial
factors are published but not in the design note, so not in this table:
add a row with its source rather than guess a number. MEE gives the
factors for reference when accounting emissions from electricity use.

Computation (proposed in the design note):

    ΔCO₂ (t) = ΔE (MWh) × EF − E_AI (MWh) × EF

ΔE is the verified reduction in consumption (or the increase in absorbed
renewable output), E_AI the solution's compute energy, measured in the
sandbox and scaled to deployment. The upper sensitivity bound, for savings
that displace thermal generation, values ΔE at the national fossil-power
factor of the same year while the solution's own compute stays at the
chosen (grid-average) factor:

    ΔCO₂_upper = ΔE × EF_fossil − E_AI × EF

Every result carries its factors (name, year, region, source, URL).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Kind = Literal["average", "average_excl_market_nonfossil", "fossil"]

_SOURCE_2023 = "生态环境部 国家统计局《关于发布2023年电力二氧化碳排放因子的公告》"
_URL_2023 = "https://www.163.com/dy/article/KIQVBKCG05567I2C.html"
_SOURCE_2022 = (
    "生态环境部 国家统计局《关于发布2022年电力二氧化碳排放因子的公告》(2024-12-20)"
)

REGIONS: dict[str, str] = {
    "national": "China national 全国",
    "north": "North China grid 华北",
    "northeast": "Northeast China grid 东北",
    "east": "East China grid 华东",
    "central": "Central China grid 华中",
    "northwest": "Northwest China grid 西北",
    "south": "South China grid 南方",
    "southwest": "Southwest China grid 西南",
}

KINDS: dict[str, str] = {
    "average": "average electricity CO₂ emission factor",
    "average_excl_market_nonfossil": (
        "average electricity CO₂ emission factor excluding market-traded "
        "non-fossil electricity"
    ),
    "fossil": "fossil-fuel power CO₂ emission factor",
}


@dataclass(frozen=True)
class EmissionFactor:
    region: str
    year: int
    kind: Kind
    kg_per_kwh: float
    source: str
    url: str

    @property
    def name(self) -> str:
        return f"{REGIONS[self.region]} {self.year} {KINDS[self.kind]}"

    @property
    def unit(self) -> str:
        return "kgCO2/kWh"


def _f(region: str, year: int, kind: Kind, value: float) -> EmissionFactor:
    source, url = (
        (_SOURCE_2023, _URL_2023) if year == 2023 else (_SOURCE_2022, _URL_2023)
    )
    return EmissionFactor(region, year, kind, value, source, url)


FACTORS: tuple[EmissionFactor, ...] = (
    _f("national", 2023, "average", 0.5306),
    _f("national", 2023, "average_excl_market_nonfossil", 0.6096),
    _f("national", 2023, "fossil", 0.8273),
    _f("north", 2023, "average", 0.6361),
    _f("northeast", 2023, "average", 0.5122),
    _f("east", 2023, "average", 0.5500),
    _f("central", 2023, "average", 0.5271),
    _f("northwest", 2023, "average", 0.5543),
    _f("south", 2023, "average", 0.4042),
    _f("southwest", 2023, "average", 0.2472),
    _f("national", 2022, "average", 0.5366),
)


@dataclass(frozen=True)
class CarbonResult:
    energy_saved_mwh: float
    compute_mwh: float
    factor: EmissionFactor
    gross_t: float
    compute_t: float
    net_t: float
    # Upper bound with the fossil-power factor; None (and the factor None)
    # when no fossil factor is published for the year.
    upper_factor: EmissionFactor | None
    net_upper_t: float | None


def factor(
    region: str = "national", year: int | None = None, kind: Kind = "average"
) -> EmissionFactor:
    """Return the factor for ``region`` and ``year`` (latest year if None).

    ValueError names what is missing and what exists.
    """
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; known: {sorted(REGIONS)}")
    if kind not in KINDS:
        raise ValueError(f"unknown factor kind {kind!r}; known: {sorted(KINDS)}")
    rows = [f for f in FACTORS if f.region == region and f.kind == kind]
    if year is not None:
        rows = [f for f in rows if f.year == year]
    if not rows:
        years = sorted(
            {f.year for f in FACTORS if f.region == region and f.kind == kind}
        )
        raise ValueError(
            f"no {kind} factor for {region!r} in {year}; years available: {years}"
        )
    return max(rows, key=lambda f: f.year)


def co2_avoided(
    *,
    energy_saved_mwh: float,
    compute_mwh: float,
    region: str = "national",
    year: int | None = None,
) -> CarbonResult:
    """Return net tCO₂ avoided per year (see the module docstring).

    ``energy_saved_mwh`` may be negative (the entry raises consumption);
    ``compute_mwh`` may not.
    """
    for label, value in (
        ("energy saved", energy_saved_mwh),
        ("compute energy", compute_mwh),
    ):
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            raise ValueError(f"{label} must be a finite number of MWh, got {value!r}")
    if compute_mwh < 0:
        raise ValueError(f"compute energy must not be negative, got {compute_mwh!r}")
    chosen = factor(region, year)
    gross = energy_saved_mwh * chosen.kg_per_kwh
    compute = compute_mwh * chosen.kg_per_kwh
    try:
        fossil: EmissionFactor | None = factor("national", chosen.year, "fossil")
    except ValueError:
        fossil = None
    upper = (
        energy_saved_mwh * fossil.kg_per_kwh - compute if fossil is not None else None
    )
    return CarbonResult(
        energy_saved_mwh=float(energy_saved_mwh),
        compute_mwh=float(compute_mwh),
        factor=chosen,
        gross_t=gross,
        compute_t=compute,
        net_t=gross - compute,
        upper_factor=fossil,
        net_upper_t=upper,
    )


def compute_mwh(
    *, energy_wh_per_call: float, calls_per_year: float, pue: float = 1.0
) -> float:
    """Return the solution's annual compute energy in MWh at deployment."""
    for label, value in (
        ("energy per call", energy_wh_per_call),
        ("calls per year", calls_per_year),
    ):
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{label} must be a non-negative number, got {value!r}")
    if not math.isfinite(pue) or pue < 1:
        raise ValueError(f"PUE must be a number ≥ 1, got {pue!r}")
    return energy_wh_per_call * calls_per_year * pue / 1e6
