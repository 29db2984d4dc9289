"""validate_config and config_from_text: what an owner's configuration may be."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase

from evaluations.demo_suites import DEMO_SUITES
from evaluations.suite_services import config_from_text
from evaluations.suites import validate_config
from tests.evaluations.suite_helpers import config


class ValidateConfigTests(SimpleTestCase):
    def assertInvalid(self, data, *messages: str) -> None:
        with self.assertRaises(ValidationError) as caught:
            validate_config(data)
        self.assertEqual(caught.exception.messages, list(messages))

    def test_it_accepts_the_documented_keys(self):
        data = config(
            development={"dataset": "grid-load-dev", "description": "2025 data"}
        )
        self.assertIs(validate_config(data), data)

    def test_it_keeps_the_demo_configurations_valid(self):
        for suite in DEMO_SUITES:
            with self.subTest(suite=suite.key):
                self.assertEqual(validate_config(suite.make_config()), suite.config)

    def test_metric_parameters_are_known_to_the_registry(self):
        metrics = [
            {"code": "mae", "params": {"capacity": 8.2}},
            {"code": "a_cn", "params": {"day": "@day"}},
        ]
        self.assertInvalid(
            config(metrics=metrics, gates=[], leaderboard={}),
            "“mae” does not take capacity; it accepts: exclude.",
            "“a_cn” needs the parameter capacity.",
        )

    def test_metric_keys_are_names(self):
        self.assertInvalid(
            config(
                metrics=[{"code": "mae", "key": "mae today"}], gates=[], leaderboard={}
            ),
            "Metric key 'mae today' must be a name of letters, digits and "
            "underscores (at most 60).",
        )

    def test_numbers_are_numbers(self):
        self.assertInvalid(
            config(
                gates=[{"metric": "mae", "comparator": "<=", "value": True}],
                leaderboard={"weights": {"mae": -1}},
                quotas={"per_day": 2.5},
                limits={"wall_seconds": 0, "gpu": 1},
            ),
            "Gate on “mae” needs a numeric value.",
            "Limit “wall_seconds” must be between 1 and 21600.",
            "Unknown limit “gpu”; known limits: wall_seconds, cpu_seconds, "
            "memory_mb, processes, disk_mb, output_mb.",
            "Leaderboard weight “mae” must be a number of 0 or more.",
            "quotas.per_day must be a whole number from 1 to 1000.",
        )

    def test_probes_input_schema_and_development_have_their_shapes(self):
        self.assertInvalid(
            config(
                probes={"Noise!": {}, "drift": "text"},
                input_schema={
                    "files": [
                        {"name": "../history.csv"},
                        {"name": "task.json", "columns": ["a"]},
                        {"name": "h.csv", "optional": "yes"},
                    ]
                },
                development={"dataset": 3},
            ),
            "Probe name 'Noise!' must use lower-case letters, digits, “-” and “_” "
            "(at most 60).",
            "Probe “drift” must be an object with a text description.",
            "Input file {'name': '../history.csv'} needs a name: a path inside the "
            "call's input folder, such as history.csv.",
            "Input file “task.json” declares columns, but only .csv and .parquet "
            "files have columns.",
            "“optional” of input file “h.csv” must be true or false.",
            "development.dataset must be the slug of one of the scenario's datasets.",
        )

    def test_probe_gates_name_their_probe(self):
        self.assertInvalid(
            config(
                gates=[
                    {"metric": "mae", "comparator": "<=", "value": 1, "probe": ""},
                    {"metric": "mae", "comparator": "<=", "value": 1, "delta": True},
                ]
            ),
            "Gate on “mae” names no probe.",
            "Gate on “mae”: delta must be true or false, and only on a probe gate.",
        )

    def test_it_needs_an_object(self):
        self.assertInvalid([1], "The suite configuration must be an object.")


class ConfigFromTextTests(SimpleTestCase):
    def assertRefused(self, text: str, message: str, fmt: str = "auto") -> None:
        with self.assertRaises(ValidationError) as caught:
            config_from_text(text, fmt)
        self.assertEqual(caught.exception.message_dict, {"config": [message]})

    def test_it_reads_json_and_toml(self):
        toml = 'schema_version = 1\n[[metrics]]\ncode = "mae"\n'
        self.assertEqual(
            config_from_text(toml), {"schema_version": 1, "metrics": [{"code": "mae"}]}
        )
        self.assertEqual(
            config_from_text('{"schema_version": 1}'), {"schema_version": 1}
        )

    def test_it_names_the_line_of_a_syntax_error(self):
        self.assertRefused(
            '{\n  "schema_version": 1,\n}',
            "The configuration is not valid JSON: Expecting property name enclosed "
            "in double quotes (line 3, column 1).",
        )
        self.assertRefused(
            "schema_version = \n",
            "The configuration is not valid TOML: Invalid value (at line 1, "
            "column 18).",
        )

    def test_it_refuses_what_json_cannot_store(self):
        self.assertRefused(
            '{"gates": [{"value": NaN}]}',
            "The configuration uses NaN, which is not a number.",
        )
        self.assertRefused(
            "published = 2026-01-01\n",
            "The configuration holds a date, a time or a number that is not "
            "finite; write dates as text.",
        )
        self.assertRefused(
            '["mae"]', "The suite configuration must be an object.", fmt="json"
        )
