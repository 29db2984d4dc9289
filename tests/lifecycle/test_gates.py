"""The pure gate module: every criterion passes, fails and lacks evidence."""

from __future__ import annotations

from typing import Any
from unittest import TestCase

from lifecycle import gates


def run(pk: int = 1, *, succeeded: bool = True, passed: bool | None = True) -> Any:
    return {"id": pk, "succeeded": succeeded, "passed": passed, "failed_gates": []}


def rnd(
    score: float = 3.0,
    *,
    decision: str | None = "advance",
    composite: float | None = 3.0,
    **scores: float | None,
) -> Any:
    values: dict[str, float | None] = dict.fromkeys(gates.DIMENSION_CODES, score)
    values.update(scores)
    return {
        "round": 2,
        "entry": 7,
        "chair": 1,
        "decision": decision,
        "decision_id": 3 if decision else None,
        "scores": values,
        "composite": composite,
    }


def pilot(
    *,
    status: str = "closed",
    within: tuple[bool | None, ...] = (True,),
    critical: int = 0,
) -> Any:
    return {
        "id": 5,
        "status": status,
        "kpis": [{"name": f"k{i}", "within": w} for i, w in enumerate(within)],
        "critical_incidents": critical,
    }


def by_code(result: gates.GateResult) -> dict[str, gates.Criterion]:
    return {c.code: c for c in result.criteria}


class RndToTestingTests(TestCase):
    def test_it_passes_with_a_succeeded_sample_run_and_a_hidden_run(self):
        result = gates.check_gate(
            "testing", {"sample_run": run(1), "hidden_run": run(2)}
        )
        self.assertIs(result.passed, True)
        self.assertEqual(result.evidence, ["run:1", "run:2"])

    def test_it_fails_on_a_failed_sample_run(self):
        result = gates.check_gate(
            "testing", {"sample_run": run(1, succeeded=False), "hidden_run": run(2)}
        )
        self.assertEqual([c.code for c in result.failed], ["sample_run_succeeded"])
        self.assertIs(by_code(result)["sample_run_succeeded"].observed, False)

    def test_missing_runs_fail_with_no_observation(self):
        result = gates.check_gate("testing", {})
        self.assertIs(result.passed, False)
        self.assertIsNone(by_code(result)["sample_run_succeeded"].observed)
        self.assertIs(by_code(result)["hidden_run_exists"].observed, False)

    def test_released_to_rnd_has_no_criterion(self):
        result = gates.check_gate("rnd", {})
        self.assertIs(result.passed, True)
        self.assertEqual(result.criteria, ())


class TestingToPilotTests(TestCase):
    def evidence(self, **changes: Any) -> Any:
        evidence: Any = {"hidden_run": run(9), "testing_round": rnd()}
        evidence.update(changes)
        return evidence

    def test_it_passes_at_the_thresholds(self):
        result = gates.check_gate("pilot", self.evidence())
        self.assertIs(result.passed, True)
        self.assertEqual(result.evidence, ["run:9", "round:2", "decision:3"])

    def test_each_criterion_fails_alone(self):
        cases = {
            "hidden_thresholds_met": {"hidden_run": run(9, passed=False)},
            "testing_decision": {"testing_round": rnd(decision="revise")},
            "D1": {"testing_round": rnd(maturity=2.9)},
            "D2": {"testing_round": rnd(fit=2.5)},
            "D5": {"testing_round": rnd(safety=2.99)},
            "composite": {"testing_round": rnd(composite=2.9)},
        }
        for code, change in cases.items():
            with self.subTest(code=code):
                result = gates.check_gate("pilot", self.evidence(**change))
                self.assertEqual([c.code for c in result.failed], [code])

    def test_missing_round_fails_every_review_criterion(self):
        result = gates.check_gate("pilot", {"hidden_run": run(9)})
        self.assertEqual(
            [c.code for c in result.failed],
            ["testing_decision", "D1", "D2", "D5", "composite"],
        )
        self.assertIsNone(by_code(result)["D5"].observed)

    def test_a_scenario_threshold_raises_the_composite(self):
        config = gates.validate_config({"pilot": {"composite": 3.5}})
        result = gates.check_gate("pilot", self.evidence(), config)
        self.assertEqual(by_code(result)["composite"].threshold, 3.5)
        self.assertEqual([c.code for c in result.failed], ["composite"])


class PilotToEffectivenessTests(TestCase):
    def evidence(self, **changes: Any) -> Any:
        evidence: Any = {
            "pilot": pilot(),
            "testing_round": rnd(safety=4.0),
            "effectiveness_round": None,
        }
        evidence.update(changes)
        return evidence

    def test_it_passes_on_the_testing_scorecard_without_an_effectiveness_one(self):
        result = gates.check_gate("effectiveness", self.evidence())
        self.assertIs(result.passed, True)
        self.assertEqual(by_code(result)["D5"].evidence, ("round:2", "decision:3"))

    def test_the_effectiveness_scorecard_comes_first(self):
        result = gates.check_gate(
            "effectiveness", self.evidence(effectiveness_round=rnd(safety=3.5))
        )
        self.assertEqual([c.code for c in result.failed], ["D5"])

    def test_each_criterion_fails_alone(self):
        cases = {
            "pilot_closed": {"pilot": pilot(status="running")},
            "field_kpis_within_tolerance": {"pilot": pilot(within=(True, False))},
            "critical_incidents": {"pilot": pilot(critical=1)},
            "D5": {"testing_round": rnd(safety=3.9)},
            "D6": {"testing_round": rnd(safety=4.0, user=2.0)},
        }
        for code, change in cases.items():
            with self.subTest(code=code):
                result = gates.check_gate("effectiveness", self.evidence(**change))
                self.assertEqual([c.code for c in result.failed], [code])

    def test_a_kpi_without_measurements_is_not_within_tolerance(self):
        result = gates.check_gate(
            "effectiveness", self.evidence(pilot=pilot(within=(None,)))
        )
        self.assertEqual(
            by_code(result)["field_kpis_within_tolerance"].observed, ["k0"]
        )
        self.assertIs(result.passed, False)

    def test_a_pilot_without_kpis_fails(self):
        result = gates.check_gate(
            "effectiveness", self.evidence(pilot=pilot(within=()))
        )
        self.assertIs(by_code(result)["field_kpis_within_tolerance"].passed, False)

    def test_no_pilot_fails_with_no_observation(self):
        result = gates.check_gate("effectiveness", self.evidence(pilot=None))
        self.assertIsNone(by_code(result)["pilot_closed"].observed)
        self.assertIsNone(by_code(result)["critical_incidents"].observed)


class EffectivenessToScaleTests(TestCase):
    def evidence(self, **changes: Any) -> Any:
        evidence: Any = {
            "measured_case": {"id": 4, "bcr": 1.0},
            "effectiveness_round": rnd(economics=4, social=3, user=4),
        }
        evidence.update(changes)
        return evidence

    def test_it_passes_at_the_thresholds(self):
        result = gates.check_gate("scale", self.evidence())
        self.assertIs(result.passed, True)
        self.assertIn("case:4", result.evidence)

    def test_each_criterion_fails_alone(self):
        base = {"economics": 4, "social": 3, "user": 4}
        cases = {
            "measured_bcr": {"measured_case": {"id": 4, "bcr": 0.99}},
            "D3": {"effectiveness_round": rnd(**{**base, "economics": 3.9})},
            "D4": {"effectiveness_round": rnd(**{**base, "social": 2.9})},
            "D6": {"effectiveness_round": rnd(**{**base, "user": 3.9})},
            "composite": {"effectiveness_round": rnd(composite=2.0, **base)},
            "effectiveness_decision": {
                "effectiveness_round": rnd(decision=None, **base)
            },
        }
        for code, change in cases.items():
            with self.subTest(code=code):
                result = gates.check_gate("scale", self.evidence(**change))
                self.assertEqual([c.code for c in result.failed], [code])

    def test_missing_evidence_fails_everything(self):
        result = gates.check_gate("scale", {})
        self.assertEqual(len(result.failed), 6)
        self.assertIsNone(by_code(result)["measured_bcr"].observed)

    def test_a_case_without_a_bcr_fails(self):
        result = gates.check_gate(
            "scale", self.evidence(measured_case={"id": 4, "bcr": None})
        )
        self.assertEqual([c.code for c in result.failed], ["measured_bcr"])


class ConfigTests(TestCase):
    def test_it_merges_defaults(self):
        self.assertEqual(
            gates.thresholds_for("pilot", {"pilot": {"maturity": 4.0}}),
            {"maturity": 4.0, "fit": 3.0, "safety": 3.0, "composite": 3.0},
        )

    def test_it_refuses_bad_configurations(self):
        cases = [
            ([], "must be a JSON object"),
            ({"launch": {}}, "Unknown stage 'launch'"),
            ({"pilot": 3}, "pilot: must be an object"),
            ({"pilot": {"speed": 3}}, "unknown criterion 'speed'"),
            ({"pilot": {"fit": "3"}}, "is not a number"),
            ({"pilot": {"fit": True}}, "is not a number"),
            ({"pilot": {"fit": 6}}, "outside 1–5"),
            ({"pilot": {"safety": 2.5}}, "below the safety floor 3"),
            ({"effectiveness": {"critical_incidents": 0.5}}, "whole number"),
            ({"scale": {"bcr": float("nan")}}, "is not a number"),
        ]
        for config, message in cases:
            with (
                self.subTest(config=config),
                self.assertRaisesRegex(ValueError, message),
            ):
                gates.validate_config(config)

    def test_the_result_serialises(self):
        result = gates.check_gate("testing", {"sample_run": run(1)})
        self.assertEqual(
            result.as_dict()["criteria"][0],
            {
                "code": "sample_run_succeeded",
                "observed": True,
                "threshold": True,
                "passed": True,
                "evidence": ["run:1"],
            },
        )
        self.assertIs(result.as_dict()["passed"], False)
