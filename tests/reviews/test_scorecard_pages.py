"""The scorecard wired into the review app: evidence bands on the form,
the chair's calibrated table, exports, the API, and the decision gates."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluations.models import Run
from reviews import decision_services, services
from reviews.models import Assignment
from reviews.scorecard_selectors import entry_bands, run_evidence
from tests.evaluations.helpers import make_run, make_submission
from tests.reviews.helpers import ReviewTestCase, full_scores

# What entry A's evidence allows (a passed hidden run, no probes, no
# business case, no pilot, no SUS): see reviews/evidence.py.
IN_BAND_A = {
    "maturity": 3,
    "fit": 3,
    "economics": 1,
    "social": 2,
    "safety": 2,
    "user": 2,
}


def scores_of(values: dict[str, int], justification: str = "") -> dict:
    scores = full_scores(3, justification=justification)
    for dimension, value in values.items():
        scores[dimension]["score"] = value
        if value >= 4:
            scores[dimension]["evidence"] = ["run:1"]
    return scores


class EvidenceTests(ReviewTestCase):
    def test_run_evidence_reads_the_latest_hidden_run(self):
        summary = run_evidence(
            Run.objects.filter(submission=self.submission_a),
            self.submission_a.suite_version.config,
        )
        self.assertEqual(summary["hidden_run"], True)
        self.assertEqual(summary["gates_passed"], True)
        self.assertEqual(summary["failed_gates"], [])
        self.assertEqual(summary["probes_run"], False)
        self.assertEqual(summary["sample_succeeded"], False)
        self.assertIn("latency_p95_seconds", summary["budget"])

    def test_a_failed_probe_gate_and_threshold_are_named(self):
        make_run(
            self.submission_b,
            split=Run.Split.HIDDEN,
            status=Run.Status.FAILED,
            failure=Run.Failure.THRESHOLD,
            finished_at=self.hidden_run.finished_at,
            metrics={"mape": 9.0},
            gates=[
                {"metric": "mape", "comparator": "<=", "value": 5, "passed": False},
                {
                    "metric": "mape",
                    "probe": "noise",
                    "comparator": "<=",
                    "value": 5,
                    "passed": False,
                },
            ],
            probes={"noise": {"mape": 3.0}},
            passed=False,
        )
        summary = run_evidence(
            Run.objects.filter(submission=self.submission_b),
            self.submission_b.suite_version.config,
        )
        self.assertEqual(summary["failed_gates"], ["mape", "mape (noise)"])
        self.assertEqual(summary["probes_failed"], ["noise"])
        bands = entry_bands(self.entry_b)
        self.assertEqual(bands["safety"].bounds, (1, 2))
        self.assertEqual(bands["fit"].bounds, (1, 2))

    def test_bands_of_entry_a(self):
        bands = entry_bands(self.entry_a)
        self.assertEqual(
            {d: b.bounds for d, b in bands.items()},
            {
                "maturity": (2, 3),
                "fit": (2, 5),
                "economics": (1, 1),
                "social": (1, 4),
                "safety": (1, 2),
                "user": (1, 2),
            },
        )


class BandJustificationTests(ReviewTestCase):
    def setUp(self):
        super().setUp()
        self.rita_a = self.assign(self.entry_a, self.rita)
        self.open_round()

    def test_a_score_outside_its_band_needs_a_justification(self):
        scores = scores_of({**IN_BAND_A, "safety": 3})
        with self.assertRaisesMessage(
            ValidationError, "the automated evidence allows 1–2; justify a score of 3"
        ):
            services.review_save(
                assignment=self.rita_a, user=self.rita, scores=scores, submit=True
            )
        # A draft is saved whatever the band; only submitting asks.
        services.review_save(assignment=self.rita_a, user=self.rita, scores=scores)
        scores["safety"]["justification"] = "Red-team report attached to the entry."
        services.review_save(
            assignment=self.rita_a, user=self.rita, scores=scores, submit=True
        )
        self.rita_a.refresh_from_db()
        self.assertEqual(self.rita_a.status, Assignment.Status.SUBMITTED)

    def test_scores_inside_their_bands_need_none(self):
        services.review_save(
            assignment=self.rita_a,
            user=self.rita,
            scores=scores_of(IN_BAND_A),
            submit=True,
        )

    def test_the_form_shows_each_band_and_its_reasons(self):
        self.login(self.rita)
        response = self.client.get(reverse("reviews:review", args=[self.rita_a.pk]))
        self.assertContains(response, 'id="band-safety"')
        self.assertContains(response, "The automated evidence allows 1–2.")
        self.assertContains(response, "No robustness probe was run.")


class ChairScorecardTests(ReviewTestCase):
    """Two reviewers who disagree on entry A; both agree on entry B."""

    def setUp(self):
        super().setUp()
        self.rita_a = self.assign(self.entry_a, self.rita)
        self.rosa_a = self.assign(self.entry_a, self.rosa)
        self.rita_b = self.assign(self.entry_b, self.rita)
        self.rosa_b = self.assign(self.entry_b, self.rosa)
        self.open_round()
        justified = "Weighed against the vendor's documents."
        for assignment, values in (
            (self.rita_a, {**IN_BAND_A, "fit": 5, "safety": 4}),
            (self.rosa_a, {**IN_BAND_A, "fit": 3, "safety": 2}),
            (self.rita_b, dict.fromkeys(IN_BAND_A, 2)),
            (self.rosa_b, dict.fromkeys(IN_BAND_A, 2)),
        ):
            services.review_save(
                assignment=assignment,
                user=assignment.reviewer,
                scores=scores_of(values, justified),
                submit=True,
            )

    def test_the_round_page_has_calibrated_scores_flags_and_radar_charts(self):
        self.login(self.gina)
        response = self.client.get(reverse("reviews:round", args=[self.round.pk]))
        self.assertContains(response, 'id="scorecard-table"')
        self.assertContains(response, f'id="scorecard-entry-{self.entry_a.pk}"')
        self.assertContains(response, "discuss before deciding")
        self.assertContains(response, "Scores range from 3 to 5")
        self.assertContains(response, '<svg class="radar"', count=2)
        self.assertContains(response, 'id="reliability"')

    def test_the_entry_scorecard_is_for_the_chair_and_managers(self):
        url = reverse("reviews:entry_scorecard", args=[self.entry_a.pk])
        for user, status in (
            (self.rita, 403),
            (self.alice, 404),
            (self.connor, 404),
            (self.gina, 200),
            (self.olivia, 200),
        ):
            with self.subTest(user=user.username):
                self.client.logout()
                self.login(user)
                self.assertEqual(self.client.get(url).status_code, status)
        self.assertEqual(self.client.post(url).status_code, 405)
        response = self.client.get(url)
        self.assertContains(response, 'id="composite"')
        self.assertContains(response, "Vendor A")

    def test_exports_hold_the_scorecard(self):
        self.login(self.gina)
        url = reverse("reviews:round_export", args=[self.round.pk, "csv"])
        response = self.client.get(url)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][:3], ["Entry", "Vendor", "Solution"])
        self.assertEqual(len(rows), 3)
        vendors = {row[1] for row in rows[1:]}
        self.assertEqual(vendors, {"Vendor A", "Vendor B"})

        from openpyxl import load_workbook

        response = self.client.get(
            reverse("reviews:round_export", args=[self.round.pk, "xlsx"])
        )
        sheet = load_workbook(io.BytesIO(response.content)).active
        self.assertEqual(sheet.max_row, 3)
        self.assertEqual(sheet.cell(1, 1).value, "Entry")
        self.client.logout()
        self.login(self.rita)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_export_cells_never_start_a_formula(self):
        self.vendor_a.name_en = "=HYPERLINK(1)"
        self.vendor_a.save(update_fields=["name_en"])
        self.login(self.gina)
        response = self.client.get(
            reverse("reviews:round_export", args=[self.round.pk, "csv"])
        )
        self.assertIn("'=HYPERLINK(1)", response.content.decode("utf-8-sig"))

    def test_the_api_returns_the_scorecard(self):
        self.login(self.gina)
        url = reverse("api-review-round-scorecard", args=[self.round.pk])
        data = self.client.get(url).json()
        by_entry = {row["entry"]: row for row in data["entries"]}
        entry_a = by_entry[self.entry_a.pk]
        self.assertTrue(entry_a["needs_discussion"])
        fit = next(d for d in entry_a["dimensions"] if d["dimension"] == "fit")
        self.assertEqual(sorted(fit["raw"]), [3.0, 5.0])
        self.assertEqual(fit["band"], [2, 5])
        self.assertEqual(len(data["reliability"]), 6)
        self.client.logout()
        self.login(self.rita)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_flagged_entry_is_discussed_before_any_decision(self):
        services.round_close(review_round=self.round, user=self.gina)
        with self.assertRaisesMessage(ValidationError, "discuss the entry"):
            decision_services.decision_record(
                entry=self.entry_a, user=self.gina, outcome="revise", reasons="x"
            )
        decision_services.comment_post(
            entry=self.entry_a, user=self.gina, body="Fit: why 5?"
        )
        decision_services.decision_record(
            entry=self.entry_a, user=self.gina, outcome="revise", reasons="Discussed"
        )

    def test_safety_below_its_gate_blocks_advancing(self):
        services.round_close(review_round=self.round, user=self.gina)
        # Entry B: safety 2 from both reviewers, no flag.
        with self.assertRaisesMessage(ValidationError, "cannot advance"):
            decision_services.decision_record(
                entry=self.entry_b, user=self.gina, outcome="advance", reasons="x"
            )
        decision_services.decision_record(
            entry=self.entry_b, user=self.gina, outcome="reject", reasons="Unsafe"
        )


class CalibrationNoticeTests(ReviewTestCase):
    """Three reviewers score three entries; ravi three points above."""

    def setUp(self):
        super().setUp()
        self.submission_c = make_submission(self.version, self.vendor_b, self.charlie)
        (self.entry_c,) = services.round_entries_add(
            review_round=self.round, user=self.gina, submissions=[self.submission_c]
        )
        self.assignments = {}
        for reviewer in (self.rita, self.rosa, self.ravi):
            for entry in (self.entry_a, self.entry_b, self.entry_c):
                self.assignments[reviewer.username, entry.pk] = self.assign(
                    entry, reviewer
                )
        self.open_round()
        for (name, _pk), assignment in self.assignments.items():
            value = 5 if name == "ravi" else 2
            services.review_save(
                assignment=assignment,
                user=assignment.reviewer,
                scores=scores_of(dict.fromkeys(IN_BAND_A, value), "Justified."),
                submit=True,
            )

    def test_the_lenient_reviewer_reads_a_private_note(self):
        self.login(self.ravi)
        response = self.client.get(
            reverse(
                "reviews:review",
                args=[self.assignments["ravi", self.entry_a.pk].pk],
            )
        )
        self.assertContains(response, 'id="calibration-notice"')
        self.assertContains(response, "points above the panel")
        self.client.logout()
        self.login(self.rita)
        response = self.client.get(
            reverse(
                "reviews:review",
                args=[self.assignments["rita", self.entry_a.pk].pk],
            )
        )
        self.assertNotContains(response, 'id="calibration-notice"')

    def test_the_chair_sees_every_notice(self):
        self.login(self.gina)
        response = self.client.get(reverse("reviews:round", args=[self.round.pk]))
        self.assertContains(response, 'id="notices"')
        self.assertContains(response, "ravi on")
