"""Checking an owner's suite bundle: each bad bundle gets its own message.

Every bad bundle below differs from the valid one of ``suite_helpers`` in one
place, so each test shows that exactly that problem is found and explained.
"""

from __future__ import annotations

import io
import json
import tarfile
import tempfile
import zipfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.test import SimpleTestCase, override_settings

from evaluations.suite_bundles import check_bundle, config_bundle_problems
from tests.evaluations.suite_helpers import (
    bundle_files,
    config,
    edit_json,
    tar_gz,
)


def _check(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bundle.tar.gz"
        path.write_bytes(data)
        return check_bundle(path)


class BundleTestCase(SimpleTestCase):
    def problems(self, data: bytes) -> list[str]:
        with self.assertRaises(ValidationError) as caught:
            _check(data)
        return caught.exception.message_dict["bundle"]

    def assertRefused(self, files_or_data, *expected: str) -> None:
        data = (
            files_or_data if isinstance(files_or_data, bytes) else tar_gz(files_or_data)
        )
        self.assertEqual(self.problems(data), list(expected))


class ValidBundleTests(BundleTestCase):
    def test_it_summarises_a_valid_bundle_without_label_values(self):
        summary = _check(tar_gz(bundle_files()))
        self.assertEqual(summary["kind"], "forecasting")
        self.assertEqual(
            summary["splits"],
            {
                "sample": {"calls": 2, "points": 4, "label_columns": ["day"]},
                "hidden": {"calls": 3, "points": 6, "label_columns": ["day"]},
            },
        )
        self.assertEqual(summary["probes"], {"noise": {"calls": 3}})
        self.assertEqual(summary["input_calls"], 8)
        self.assertEqual(
            summary["inputs"],
            {
                "history.csv": {"calls": 8, "columns": ["timestamp", "load_mw"]},
                "task.json": {"calls": 8, "columns": None},
            },
        )
        self.assertEqual(summary["files"], 19)
        self.assertNotIn("y_true", json.dumps(summary))

    def test_a_folder_packed_with_dot_paths_is_accepted(self):
        files = {f"./{name}": content for name, content in bundle_files().items()}
        self.assertEqual(_check(tar_gz(files))["kind"], "forecasting")

    def test_parquet_inputs_are_counted(self):
        import pyarrow as pa
        import pyarrow.parquet as pq

        buffer = io.BytesIO()
        pq.write_table(pa.table({"id": ["a", "b"], "feature": [1.0, 2.0]}), buffer)
        files = bundle_files(kind="classification", probes=())
        for name in list(files):
            if name.endswith("inputs.csv"):
                del files[name]
                files[name.replace(".csv", ".parquet")] = buffer.getvalue()
            if name.endswith("task.json"):
                files = edit_json(
                    files, name, lambda task: task.update(inputs="inputs.parquet")
                )
        summary = _check(tar_gz(files))
        self.assertEqual(
            summary["inputs"]["inputs.parquet"]["columns"], ["id", "feature"]
        )


class ArchiveTests(BundleTestCase):
    def test_a_zip_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("manifest.json", "{}")
        self.assertRefused(
            buffer.getvalue(),
            "The upload is a zip file; a suite bundle is a .tar.gz. Pack the "
            "bundle folder's contents, for example `tar czf bundle.tar.gz -C "
            "my-bundle .` or `portal_cli.py suite-bundle pack my-bundle "
            "bundle.tar.gz`. (unknown_format)",
        )

    def test_something_else_is_refused(self):
        problems = self.problems(b"timestamp,load\n1,2\n")
        self.assertEqual(len(problems), 1)
        self.assertIn("(unknown_format)", problems[0])

    def test_a_top_level_folder_is_explained(self):
        files = {f"my-bundle/{n}": c for n, c in bundle_files().items()}
        self.assertRefused(
            files,
            "No manifest.json at the top of the archive. It was found at "
            "'my-bundle/manifest.json' instead. Pack the bundle folder's "
            "contents, for example `tar czf bundle.tar.gz -C my-bundle .` or "
            "`portal_cli.py suite-bundle pack my-bundle bundle.tar.gz`. "
            "(manifest_missing)",
        )

    def test_links_are_refused(self):
        link = tarfile.TarInfo("hidden/calls/h1/in/answers.csv")
        link.type = tarfile.SYMTYPE
        link.linkname = "../../../labels.json"
        problems = self.problems(tar_gz(bundle_files(), extra=[link]))
        self.assertEqual(len(problems), 1)
        self.assertIn("is a symbolic link", problems[0])
        self.assertTrue(problems[0].endswith("(symlink)"))

    def test_paths_leaving_the_bundle_are_refused(self):
        files = {**bundle_files(), "../escape.txt": b"x"}
        problems = self.problems(tar_gz(files))
        self.assertTrue(problems[0].endswith("(parent_reference)"), problems)

    @override_settings(SUITE_BUNDLE_MAX_BYTES=100)
    def test_the_size_cap_comes_from_the_settings(self):
        problems = self.problems(tar_gz(bundle_files()))
        self.assertRegex(
            problems[0],
            r"^The upload is .+; the limit is 100 bytes\. \(archive_too_large\)$",
        )

    def test_a_compression_bomb_is_refused(self):
        files = {**bundle_files(), "hidden/calls/h1/in/zeros.csv": bytes(20_000_000)}
        problems = self.problems(tar_gz(files))
        self.assertTrue(problems[0].endswith("(compression_ratio)"), problems)


class ManifestTests(BundleTestCase):
    def test_it_needs_json(self):
        files = {**bundle_files(), "manifest.json": b"{kind: forecasting}"}
        self.assertRefused(
            files,
            "manifest.json cannot be read: it is not valid JSON (Expecting "
            "property name enclosed in double quotes: line 1 column 2 (char 1)).",
        )

    def test_it_needs_the_schema_version_and_a_kind(self):
        files = edit_json(
            bundle_files(),
            "manifest.json",
            lambda m: m.update(schema_version=2, kind="regression"),
        )
        self.assertRefused(
            files,
            "manifest.json: schema_version must be 1.",
            "manifest.json: kind must be one of forecasting, classification, "
            "event_detection, not 'regression'.",
        )

    def test_it_needs_both_splits(self):
        files = edit_json(
            bundle_files(), "manifest.json", lambda m: m["splits"].pop("hidden")
        )
        self.assertRefused(
            files, "manifest.json: split “hidden” needs a non-empty list of calls."
        )

    def test_the_development_data_is_no_split(self):
        files = edit_json(
            bundle_files(),
            "manifest.json",
            lambda m: m["splits"].update(dev={"calls": ["d1"]}),
        )
        self.assertRefused(
            files,
            "manifest.json declares the split(s) dev; a bundle has only “sample” "
            "and “hidden” (the development data is a dataset of the scenario).",
        )

    def test_call_ids_are_plain_and_unique(self):
        for calls, message in (
            (
                ["s1", "s 2"],
                "manifest.json: split “sample” has call ids that are not names "
                "of letters, digits, “.”, “-” and “_”: 's 2'.",
            ),
            (["s1", "s1"], "manifest.json: split “sample” lists calls twice: s1."),
        ):
            with self.subTest(calls=calls):
                files = edit_json(
                    bundle_files(),
                    "manifest.json",
                    lambda m, calls=calls: m["splits"]["sample"].update(calls=calls),
                )
                self.assertRefused(files, message)

    def test_probes_have_exactly_the_hidden_calls(self):
        files = bundle_files()
        del files["probes/noise/calls/h3/in/task.json"]
        del files["probes/noise/calls/h3/in/history.csv"]
        files = edit_json(
            files,
            "manifest.json",
            lambda m: m["probes"]["noise"].update(calls=["h1", "h2", "x9"]),
        )
        self.assertRefused(
            files,
            "Probe “noise” lacks hidden calls h3: a probe perturbs every hidden call.",
            "Probe “noise” has calls that are not hidden calls: x9.",
        )


class LayoutTests(BundleTestCase):
    def test_every_file_has_its_place(self):
        files = {
            **bundle_files(),
            "README.txt": b"notes",
            "sample/calls/s9/in/task.json": b"{}",
            "hidden/calls/h1/answers.csv": b"1,2",
        }
        self.assertRefused(
            files,
            "These call folders are not in manifest.json: sample/calls/s9.",
            "These files have no place in a bundle: README.txt, "
            "hidden/calls/h1/answers.csv. Inputs go in <split>/calls/<id>/in/, "
            "truth in <split>/labels.json.",
        )

    def test_every_call_has_inputs(self):
        files = {
            n: c
            for n, c in bundle_files().items()
            if not n.startswith("sample/calls/s2/")
        }
        self.assertRefused(files, "sample/calls/s2 has no inputs: add its in/ folder.")

    def test_every_call_has_a_task(self):
        files = bundle_files()
        del files["hidden/calls/h2/in/task.json"]
        self.assertRefused(
            files, "hidden/calls/h2/in has no task.json, which the harness reads."
        )

    def test_hidden_labels_never_go_into_inputs(self):
        files = {**bundle_files(), "probes/noise/calls/h1/in/labels.json": b"{}"}
        self.assertRefused(
            files,
            "probes/noise/calls/h1/in/labels.json: hidden labels never go into a "
            "call's inputs, which the solution reads.",
        )


class TaskTests(BundleTestCase):
    def test_the_harness_rules_apply(self):
        files = edit_json(
            bundle_files(),
            "sample/calls/s1/in/task.json",
            lambda t: t.update(horizon=[]),
        )
        self.assertRefused(
            files,
            "sample/calls/s1/in/task.json: horizon must be a non-empty list of ISO "
            "datetimes",
        )

    def test_the_task_has_the_bundle_kind(self):
        files = edit_json(
            bundle_files(),
            "hidden/calls/h1/in/task.json",
            lambda t: t.update(
                kind="event_detection", series="history.csv", id_column="id"
            ),
        )
        self.assertRefused(
            files,
            "hidden/calls/h1/in/task.json has the kind “event_detection”, the "
            "bundle “forecasting”.",
        )

    def test_named_inputs_exist(self):
        files = edit_json(
            bundle_files(),
            "hidden/calls/h3/in/task.json",
            lambda t: t.update(exogenous="weather.csv"),
        )
        self.assertRefused(
            files,
            "hidden/calls/h3/in/task.json names exogenous “weather.csv”, which is "
            "not there.",
        )

    def test_a_probe_forecasts_the_hidden_horizon(self):
        files = edit_json(
            bundle_files(),
            "probes/noise/calls/h2/in/task.json",
            lambda t: t.update(horizon=["2030-01-01T00:00:00", "2030-01-01T01:00:00"]),
        )
        self.assertRefused(
            files,
            "probes/noise/calls/h2/in/task.json forecasts another horizon than "
            "hidden call h2.",
        )

    def test_the_horizon_matches_the_labels(self):
        files = edit_json(
            bundle_files(),
            "sample/calls/s2/in/task.json",
            lambda t: t["horizon"].append("2026-01-07T02:00:00"),
        )
        self.assertRefused(
            files,
            "sample/calls/s2: the inputs ask for 3 predictions, sample/labels.json "
            "has 2 values.",
        )

    def test_table_rows_match_the_labels(self):
        files = bundle_files(kind="classification", probes=())
        files["hidden/calls/h2/in/inputs.csv"] = b"id,feature\na,1\nb,2\nc,3\n"
        self.assertRefused(
            files,
            "hidden/calls/h2: the inputs ask for 3 predictions, hidden/labels.json "
            "has 2 values.",
        )


class LabelTests(BundleTestCase):
    def test_every_split_has_labels(self):
        files = bundle_files()
        del files["hidden/labels.json"]
        self.assertRefused(
            files, "hidden/labels.json is missing: every split needs its truth."
        )

    def test_labels_have_the_shape_of_the_manifest(self):
        def change(labels):
            labels["calls"]["x1"] = labels["calls"].pop("s2")

        files = edit_json(bundle_files(), "sample/labels.json", change)
        self.assertRefused(
            files,
            "sample/labels.json has no labels for the calls s2.",
            "sample/labels.json has labels for calls that are not in "
            "manifest.json: x1.",
        )

    def test_labels_are_an_object_of_calls(self):
        files = {**bundle_files(), "hidden/labels.json": b"[1, 2, 3]"}
        self.assertRefused(
            files,
            "hidden/labels.json cannot be read: it must hold an object with "
            "“calls”, one entry per call.",
        )

    def test_y_true_holds_truth_values(self):
        def change(labels):
            labels["calls"]["h1"]["y_true"] = []
            labels["calls"]["h2"]["y_true"] = [1.0, None]

        files = edit_json(bundle_files(), "hidden/labels.json", change)
        self.assertRefused(
            files,
            "hidden/labels.json, call h1: y_true must be a non-empty list.",
            "hidden/labels.json, call h2: y_true[1] is None, not a valid truth value.",
        )

    def test_columns_have_one_value_per_point(self):
        files = edit_json(
            bundle_files(),
            "hidden/labels.json",
            lambda labels: labels["calls"]["h3"]["columns"].update(day=[1]),
        )
        self.assertRefused(
            files,
            "hidden/labels.json, call h3: column “day” must be a list with one "
            "value per point (2).",
        )

    def test_problems_are_reported_together_up_to_a_limit(self):
        files = bundle_files()
        for call_id in ("h1", "h2", "h3"):
            for where in ("hidden", "probes/noise"):
                files[f"{where}/calls/{call_id}/in/task.json"] = b"[]"
        problems = self.problems(tar_gz(files))
        self.assertEqual(len(problems), 6)
        self.assertEqual(
            problems[0],
            "hidden/calls/h1/in/task.json: task.json must hold a JSON object",
        )


class ConfigAgainstBundleTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.summary = _check(tar_gz(bundle_files()))

    def test_a_fitting_configuration_has_no_problem(self):
        self.assertEqual(
            config_bundle_problems(config(), self.summary, "forecasting"), []
        )

    def test_the_kinds_agree(self):
        self.assertEqual(
            config_bundle_problems(config(), self.summary, "classification"),
            [
                "The bundle's kind is “forecasting”, the suite's “classification”: "
                "make a suite of that kind for this bundle."
            ],
        )

    def test_label_columns_exist(self):
        metrics = [{"code": "skill_rmse", "params": {"baseline": "@naive"}}]
        self.assertEqual(
            config_bundle_problems(
                config(metrics=metrics, gates=[], leaderboard={}),
                self.summary,
                "forecasting",
            ),
            [
                "Metric “skill_rmse”: parameter baseline refers to the label column "
                "“naive”, which not every call of hidden, sample has."
            ],
        )

    def test_declared_probes_are_the_bundle_probes(self):
        self.assertEqual(
            config_bundle_problems(
                config(probes={"drift": {}}), self.summary, "forecasting"
            ),
            ["The configuration describes the probes drift; the bundle has noise."],
        )

    def test_gated_probes_are_in_the_bundle(self):
        gates = [
            {"metric": "mae", "comparator": "<=", "value": 1.0, "probe": "noise"},
            {
                "metric": "mae",
                "comparator": "<=",
                "value": 0.5,
                "probe": "drift",
                "delta": True,
            },
        ]
        self.assertEqual(
            config_bundle_problems(
                config(gates=gates, probes={}), self.summary, "forecasting"
            ),
            [
                "The gate on “mae” uses the probe “drift”, which the bundle does "
                "not have."
            ],
        )

    def test_the_input_schema_holds_in_every_call(self):
        schema = {
            "files": [
                {"name": "history.csv", "columns": ["timestamp", "temperature"]},
                {"name": "exogenous.csv"},
                {"name": "calendar.csv", "optional": True},
            ]
        }
        self.assertEqual(
            config_bundle_problems(
                config(input_schema=schema), self.summary, "forecasting"
            ),
            [
                "Input file “history.csv” lacks the columns temperature in some calls.",
                "Input file “exogenous.csv” is declared, but 0 of 8 calls have it.",
            ],
        )


class DemoBundleTests(SimpleTestCase):
    def test_the_demo_suites_bundles_pass_the_owner_checks(self):
        """C1 (forecasting) and C2b (event detection), as load_demo_suites builds them."""
        from evaluations.demo_suites import get_demo_suite
        from evaluations.suites import pack_bundle

        for key in ("c1", "c2b"):
            definition = get_demo_suite(key)
            with self.subTest(suite=key), tempfile.TemporaryDirectory() as folder:
                data = pack_bundle(definition.build_bundle(Path(folder) / "bundle"))
                summary = _check(data)
                self.assertEqual(summary["kind"], definition.task_kind)
                self.assertEqual(
                    config_bundle_problems(
                        definition.make_config(), summary, definition.task_kind
                    ),
                    [],
                )
