"""Grid emission factors and CO₂ avoided, against the design note's table."""

from __future__ import annotations

import pytest

from reviews.carbon import FACTORS, REGIONS, co2_avoided, compute_mwh, factor

# shared/design/rubric-and-lifecycle.md section 6.
PUBLISHED_2023 = {
    ("national", "average"): 0.5306,
    ("national", "average_excl_market_nonfossil"): 0.6096,
    ("national", "fossil"): 0.8273,
    ("north", "average"): 0.6361,
    ("northeast", "average"): 0.5122,
    ("east", "average"): 0.5500,
    ("central", "average"): 0.5271,
    ("northwest", "average"): 0.5543,
    ("south", "average"): 0.4042,
    ("southwest", "average"): 0.2472,
}


def test_the_table_holds_the_published_2023_factors():
    for (region, kind), value in PUBLISHED_2023.items():
        row = factor(region, 2023, kind)
        assert row.kg_per_kwh == value, (region, kind)
        assert row.year == 2023
        assert "2023年电力二氧化碳排放因子" in row.source
        assert row.url.startswith("https://")
    assert factor("national", 2022).kg_per_kwh == 0.5366
    assert "2024-12-20" in factor("national", 2022).source


def test_every_factor_is_dated_sourced_and_unique():
    keys = [(f.region, f.year, f.kind) for f in FACTORS]
    assert len(keys) == len(set(keys))
    for row in FACTORS:
        assert row.region in REGIONS
        assert row.source
        assert row.unit == "kgCO2/kWh"
        assert 0.1 < row.kg_per_kwh < 1.0


def test_latest_year_is_the_default():
    assert factor("national").year == 2023
    assert factor().kg_per_kwh == 0.5306
    assert factor("south").name == (
        "South China grid 南方 2023 average electricity CO₂ emission factor"
    )


def test_missing_factors_name_what_exists():
    with pytest.raises(
        ValueError,
        match=r"no average factor for 'south' in 2022; years available: \[2023\]",
    ):
        factor("south", 2022)
    with pytest.raises(ValueError, match="unknown region 'mars'"):
        factor("mars")
    with pytest.raises(ValueError, match="unknown factor kind 'marginal'"):
        factor("national", 2023, "marginal")  # type: ignore[arg-type]


def test_co2_avoided_by_hand():
    # 1,000 MWh saved in the South grid, 2023; the solution uses 20 MWh.
    #   gross   = 1000 × 0.4042 = 404.2 t
    #   compute =   20 × 0.4042 =   8.084 t
    #   net     = 396.116 t
    #   upper   = 1000 × 0.8273 − 8.084 = 819.216 t
    result = co2_avoided(energy_saved_mwh=1000, compute_mwh=20, region="south")
    assert result.gross_t == pytest.approx(404.2)
    assert result.compute_t == pytest.approx(8.084)
    assert result.net_t == pytest.approx(396.116)
    assert result.net_upper_t == pytest.approx(819.216)
    assert result.factor.region == "south"
    assert result.factor.year == 2023
    assert result.upper_factor is not None
    assert result.upper_factor.kind == "fossil"


def test_co2_without_a_fossil_factor_for_the_year():
    # 2022: only the national average is in the table: no upper bound.
    # 100 × 0.5366 − 10 × 0.5366 = 48.294 t
    result = co2_avoided(energy_saved_mwh=100, compute_mwh=10, year=2022)
    assert result.net_t == pytest.approx(48.294)
    assert result.upper_factor is None
    assert result.net_upper_t is None


def test_a_solution_that_saves_nothing_is_net_negative():
    result = co2_avoided(energy_saved_mwh=0, compute_mwh=5)
    # −5 × 0.5306
    assert result.net_t == pytest.approx(-2.653)


def test_co2_rejects_bad_input():
    with pytest.raises(ValueError, match="energy saved must be a finite number"):
        co2_avoided(energy_saved_mwh=float("nan"), compute_mwh=1)
    with pytest.raises(ValueError, match="compute energy must not be negative"):
        co2_avoided(energy_saved_mwh=1, compute_mwh=-1)


def test_compute_mwh():
    # 2 Wh × 5,000,000 calls × PUE 1.5 = 15,000,000 Wh = 15 MWh
    assert compute_mwh(
        energy_wh_per_call=2, calls_per_year=5_000_000, pue=1.5
    ) == pytest.approx(15.0)
    with pytest.raises(ValueError, match="PUE must be a number ≥ 1"):
        compute_mwh(energy_wh_per_call=2, calls_per_year=1, pue=0.5)
