"""Evidence bands: every documented rule, one at a time.

Each test starts from STRONG, a summary that leaves every band at 1–5
(or floors it at 2), and removes or changes one piece of evidence.
"""

from __future__ import annotations

import pytest

from reviews.evidence import evidence_bands

STRONG = {
    "sample_succeeded": True,
    "hidden_run": True,
    "gates_passed": True,
    "failed_gates": [],
    "hidden_failure": "",
    "probes_run": True,
    "probes_failed": [],
    "pilot_data": True,
    "resources": {
        "sandboxed": True,
        "latency_p95_seconds": 0.2,
        "peak_memory_bytes": 1e8,
    },
    "budget": {"latency_p95_seconds": 1.0, "peak_memory_bytes": 2e9},
    "business_case": True,
    "npv": 40.0,
    "bcr": 1.8,
    "discounted_payback_within_horizon": True,
    "npv_robust": True,
    "co2_net_t": 120.0,
    "sus_n": 12,
    "sus_mean": 84.0,
}


def _bands(**changes):
    summary = {**STRONG, **changes}
    for key in [k for k, v in changes.items() if v is ...]:
        del summary[key]
    return evidence_bands(summary)


def _codes(band):
    return [(r.code, r.effect, r.level) for r in band.reasons]


def test_strong_evidence_leaves_every_band_open():
    bands = evidence_bands(STRONG)
    assert {d: b.bounds for d, b in bands.items()} == {
        "maturity": (2, 5),
        "fit": (2, 5),
        "economics": (1, 5),
        "social": (1, 5),
        "safety": (1, 5),
        "user": (1, 5),
    }
    assert _codes(bands["maturity"]) == [("hidden_thresholds_met", "floor", 2)]


def test_an_empty_summary_caps_everything():
    bands = evidence_bands({})
    assert {d: b.bounds for d, b in bands.items()} == {
        "maturity": (1, 1),
        "fit": (1, 2),
        "economics": (1, 1),
        "social": (1, 4),
        "safety": (1, 1),
        "user": (1, 2),
    }
    assert [r.code for r in bands["maturity"].reasons] == [
        "no_run",
        "no_hidden_run",
        "no_pilot_data",
    ]


def test_no_run_at_all_caps_maturity_and_safety_at_1():
    bands = _bands(sample_succeeded=False, hidden_run=False, gates_passed=False)
    assert bands["maturity"].bounds == (1, 1)
    assert ("no_run", "cap", 1) in _codes(bands["maturity"])
    assert bands["safety"].bounds == (1, 1)
    assert ("no_run", "cap", 1) in _codes(bands["safety"])


def test_a_dev_run_only_caps_maturity_and_fit_at_2():
    bands = _bands(hidden_run=False, gates_passed=...)
    assert bands["maturity"].bounds == (1, 2)
    assert _codes(bands["maturity"]) == [("no_hidden_run", "cap", 2)]
    assert bands["fit"].bounds == (1, 2)
    # A dev run is a run: safety is not capped at 1.
    assert bands["safety"].bounds == (1, 5)


def test_failed_hidden_thresholds_cap_fit_and_maturity_at_2():
    bands = _bands(gates_passed=False, failed_gates=["mae", "a_csg"])
    for dimension in ("maturity", "fit"):
        band = bands[dimension]
        assert band.bounds == (1, 2)
        (reason,) = band.reasons
        assert (reason.code, reason.level) == ("hidden_thresholds_failed", 2)
        assert reason.params == {"gates": "mae, a_csg"}


def test_invalid_output_caps_fit_at_1():
    bands = _bands(hidden_run=False, hidden_failure="invalid_output")
    assert bands["fit"].bounds == (1, 1)
    assert _codes(bands["fit"])[0] == ("invalid_output", "cap", 1)


def test_over_budget_caps_fit_at_2_when_sandboxed():
    resources = {**STRONG["resources"], "latency_p95_seconds": 1.5}
    bands = _bands(resources=resources)
    assert bands["fit"].bounds == (2, 2)
    (cap,) = [r for r in bands["fit"].reasons if r.effect == "cap"]
    assert cap.params == {
        "resource": "latency_p95_seconds",
        "used": 1.5,
        "limit": 1.0,
    }
    # The same figure from outside the sandbox does not count.
    bands = _bands(resources={**resources, "sandboxed": False})
    assert bands["fit"].bounds == (2, 5)
    assert ("unsandboxed", "info", None) in _codes(bands["fit"])


def test_no_pilot_data_caps():
    bands = _bands(pilot_data=False)
    assert bands["maturity"].bounds == (2, 3)
    assert bands["economics"].bounds == (1, 4)
    assert bands["social"].bounds == (1, 4)
    assert bands["safety"].bounds == (1, 4)
    assert bands["user"].bounds == (1, 3)
    assert bands["fit"].bounds == (2, 5)


def test_failed_probes_cap_safety_at_2():
    bands = _bands(probes_failed=["noise", "missing_data"])
    assert bands["safety"].bounds == (1, 2)
    (reason,) = bands["safety"].reasons
    assert reason.code == "probes_failed"
    assert reason.params == {"probes": "noise, missing_data"}


def test_probes_not_run_cap_safety_at_2():
    bands = _bands(probes_run=False)
    assert bands["safety"].bounds == (1, 2)
    assert _codes(bands["safety"]) == [("probes_not_run", "cap", 2)]


def test_no_business_case_caps_economics_at_1():
    bands = _bands(business_case=False)
    assert bands["economics"].bounds == (1, 1)
    assert _codes(bands["economics"]) == [("no_business_case", "cap", 1)]


@pytest.mark.parametrize(
    "changes",
    [
        {"npv": -1.0},
        {"bcr": 0.95},
        {"bcr": None},
        {"discounted_payback_within_horizon": False},
        {"npv": ...},
    ],
)
def test_a_case_that_does_not_pay_caps_economics_at_2(changes):
    bands = _bands(**changes)
    assert bands["economics"].bounds == (1, 2)
    assert _codes(bands["economics"]) == [("not_cost_effective", "cap", 2)]


@pytest.mark.parametrize("changes", [{"npv_robust": False}, {"bcr": 1.4}])
def test_a_fragile_case_caps_economics_at_3(changes):
    bands = _bands(**changes)
    assert bands["economics"].bounds == (1, 3)
    assert _codes(bands["economics"]) == [("not_robust", "cap", 3)]


def test_net_negative_co2_caps_social_at_2():
    bands = _bands(co2_net_t=-0.5)
    assert bands["social"].bounds == (1, 2)
    assert bands["social"].reasons[0].params == {"co2_net_t": -0.5}
    assert _bands(co2_net_t=0.0)["social"].bounds == (1, 5)


@pytest.mark.parametrize(
    ("n", "mean", "high", "codes"),
    [
        (0, 84.0, 2, ["no_sus"]),
        (3, 84.0, 2, ["few_sus_respondents"]),
        (12, 67.9, 2, ["sus_below"]),
        (12, 68.0, 3, ["sus_below"]),
        (12, 70.9, 3, ["sus_below"]),
        (12, 71.0, 4, ["sus_below"]),
        (12, 79.9, 4, ["sus_below"]),
        (12, 80.0, 5, []),
    ],
)
def test_sus_caps_user_evaluation(n, mean, high, codes):
    band = _bands(sus_n=n, sus_mean=mean)["user"]
    assert band.high == high
    assert [r.code for r in band.reasons] == codes


def test_missing_sus_mean_is_no_sus():
    assert _bands(sus_mean=...)["user"].bounds == (1, 2)


def test_a_cap_below_a_floor_wins():
    # Contradictory evidence: gates passed (floor 2) yet invalid output
    # (cap 1). The band collapses to the cap.
    band = _bands(hidden_failure="invalid_output")["fit"]
    assert band.bounds == (1, 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hiden_run": True}, "unknown evidence key 'hiden_run'"),
        ({"hidden_run": "yes"}, "hidden_run must be true or false"),
        ({"npv": float("nan")}, "npv must be a finite number"),
        ({"failed_gates": "mae"}, "failed_gates must be a list of names"),
        ({"bcr": "high"}, "bcr must be a finite number or null"),
        ({"sus_n": -1}, "sus_n must be a non-negative whole number"),
        ({"sus_mean": 120.0}, "sus_mean must lie in 0–100"),
        (
            {"budget": {"cpu_seconds": "10"}},
            r"budget\['cpu_seconds'\] must be a finite number",
        ),
        ({"resources": [1, 2]}, "resources must be a mapping"),
        ({"hidden_failure": None}, "hidden_failure must be a string"),
    ],
)
def test_it_rejects_malformed_summaries(changes, message):
    with pytest.raises(ValueError, match=message):
        evidence_bands({**STRONG, **changes})
