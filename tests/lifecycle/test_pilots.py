"""Pilots: KPIs, measurements by hand and CSV, incidents, the comparison."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.core.exceptions import PermissionDenied, ValidationError

from lifecycle import selectors, services
from lifecycle.models import Pilot, PilotMeasurement
from portal.ledger.models import LedgerEntry
from portal.ledger.selectors import ledger_verify
from tests.lifecycle.helpers import LifecycleTestCase

GOOD_CSV = (
    b"kpi,timestamp,value\n"
    b"mape,2026-03-01T08:00:00+08:00,3.0\n"
    b"mape,2026-03-02T08:00:00+08:00,4.0\n"
    b"availability,2026-03-01T00:00:00Z,99.5\n"
)


class PilotTestCase(LifecycleTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.put_in("pilot")
        self.pilot = services.pilot_create(
            solution=self.solution,
            user=self.gina,
            site="Substation 7",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 5, 31),
            mode=Pilot.Mode.SHADOW,
        )
        # mape maps to the hidden run's metric (3.21); availability is entered.
        self.mape = services.pilot_kpi_add(
            pilot=self.pilot,
            user=self.gina,
            name="mape",
            unit="%",
            target=5.0,
            comparator="<=",
            tolerance_pct=10.0,
        )
        self.availability = services.pilot_kpi_add(
            pilot=self.pilot,
            user=self.gina,
            name="availability",
            unit="%",
            target=99.0,
            comparator=">=",
            tolerance_pct=1.0,
            sandbox_value=100.0,
        )


class PilotServiceTests(PilotTestCase):
    def test_the_sandbox_value_comes_from_the_hidden_run(self):
        self.assertEqual(self.mape.sandbox_value, 3.21)
        self.assertEqual(self.mape.sandbox_source, f"run:{self.hidden_run.pk}")
        self.assertEqual(self.availability.sandbox_source, "")

    def test_an_unmapped_kpi_needs_a_sandbox_value(self):
        with self.assertRaisesMessage(
            ValidationError, "No hidden-run metric is called uptime"
        ):
            services.pilot_kpi_add(
                pilot=self.pilot,
                user=self.gina,
                name="uptime",
                unit="",
                target=1,
                comparator=">=",
                tolerance_pct=5,
            )

    def test_only_owner_writers_and_operators_record(self):
        for user in (self.gary, self.alice, self.otto):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.pilot_create(
                    solution=self.solution,
                    user=user,
                    site="x",
                    starts_on=date(2026, 1, 1),
                    ends_on=date(2026, 2, 1),
                    mode="shadow",
                )

    def test_pilots_need_the_pilot_stage_and_a_sane_period(self):
        with self.assertRaisesMessage(ValidationError, "ends before it starts"):
            services.pilot_create(
                solution=self.solution,
                user=self.gina,
                site="x",
                starts_on=date(2026, 2, 1),
                ends_on=date(2026, 1, 1),
                mode="shadow",
            )
        self.put_in("testing")
        with self.assertRaisesMessage(ValidationError, "in the pilot stage"):
            services.pilot_create(
                solution=self.solution,
                user=self.gina,
                site="x",
                starts_on=date(2026, 1, 1),
                ends_on=date(2026, 2, 1),
                mode="shadow",
            )

    def test_the_comparison_matches_hand_computed_values(self):
        services.pilot_measurements_upload(
            pilot=self.pilot, user=self.gina, content=GOOD_CSV
        )
        rows = {c.name: c for c in selectors.pilot_comparison(self.pilot)}
        # mape: mean (3.0 + 4.0) / 2 = 3.5; drift (3.5 - 3.21) / 3.21 = 9.0343 %.
        self.assertEqual(rows["mape"].count, 2)
        self.assertAlmostEqual(rows["mape"].mean, 3.5)
        self.assertAlmostEqual(rows["mape"].drift_pct, 9.0343, places=4)
        self.assertIs(rows["mape"].within, True)
        self.assertIs(rows["mape"].target_met, True)
        # availability: 99.5 against 100: drift -0.5 %, within ±1 %.
        self.assertAlmostEqual(rows["availability"].drift_pct, -0.5)
        self.assertIs(rows["availability"].within, True)

    def test_drift_outside_tolerance_and_zero_sandbox(self):
        services.pilot_measurement_add(
            kpi=self.availability,
            user=self.gina,
            measured_at=datetime(2026, 3, 1, tzinfo=UTC),
            value=97.0,
        )
        row = {c.name: c for c in selectors.pilot_comparison(self.pilot)}[
            "availability"
        ]
        self.assertAlmostEqual(row.drift_pct, -3.0)
        self.assertIs(row.within, False)
        self.assertIs(row.target_met, False)
        self.assertEqual(
            selectors.compare_kpi(mean=0.0, sandbox=0.0, tolerance_pct=5), (0.0, True)
        )
        self.assertEqual(
            selectors.compare_kpi(mean=0.1, sandbox=0.0, tolerance_pct=5), (None, False)
        )
        self.assertEqual(
            selectors.compare_kpi(mean=None, sandbox=1.0, tolerance_pct=5), (None, None)
        )

    def test_a_bad_csv_reports_every_row_and_saves_nothing(self):
        content = (
            b"kpi,timestamp,value\n"
            b"mape,2026-03-01T08:00:00+08:00,3.0\n"
            b"speed,2026-03-01T08:00:00+08:00,1\n"
            b"mape,yesterday,abc\n"
            b"mape,2026-03-01T08:00:00,1\n"
            b"mape,2026-03-01T08:00:00Z\n"
            b"mape,2026-03-01T08:00:00Z,inf\n"
        )
        with self.assertRaises(ValidationError) as caught:
            services.pilot_measurements_upload(
                pilot=self.pilot, user=self.gina, content=content
            )
        self.assertEqual(
            caught.exception.messages,
            [
                "Line 3: unknown KPI 'speed'.",
                "Line 4: 'yesterday' is not a timestamp; 'abc' is not a number.",
                "Line 5: the timestamp has no time zone offset.",
                "Line 6: expected 3 columns, found 2.",
                "Line 7: 'inf' is not a finite number.",
            ],
        )
        self.assertEqual(PilotMeasurement.objects.count(), 0)

    def test_the_header_and_encoding_are_checked(self):
        for content, message in [
            (
                b"name,time,value\nmape,2026-03-01T08:00Z,1\n",
                "The first line must be the header",
            ),
            (b"", "The first line must be the header"),
            (b"kpi,timestamp,value\n", "no measurement rows"),
            (b"\xff\xfe\x00", "not UTF-8"),
        ]:
            with (
                self.subTest(message=message),
                self.assertRaisesMessage(ValidationError, message),
            ):
                services.pilot_measurements_upload(
                    pilot=self.pilot, user=self.gina, content=content
                )

    def test_a_closed_pilot_takes_no_measurements(self):
        services.pilot_close(pilot=self.pilot, user=self.gina)
        with self.assertRaisesMessage(ValidationError, "The pilot is closed"):
            services.pilot_measurements_upload(
                pilot=self.pilot, user=self.gina, content=GOOD_CSV
            )

    def test_ledger_entries_for_creation_closing_and_incidents(self):
        services.pilot_start(pilot=self.pilot, user=self.gina)
        services.pilot_incident_record(
            pilot=self.pilot,
            user=self.gina,
            occurred_at=datetime(2026, 3, 5, tzinfo=UTC),
            severity="critical",
            description="Wrong setpoint sent",
            fallback_activated=True,
        )
        services.pilot_close(pilot=self.pilot, user=self.gina)
        kinds = list(
            LedgerEntry.objects.filter(subject=f"pilot:{self.pilot.pk}")
            .order_by("sequence")
            .values_list("kind", flat=True)
        )
        self.assertEqual(
            kinds,
            [
                "lifecycle.pilot_created",
                "lifecycle.pilot_incident",
                "lifecycle.pilot_closed",
            ],
        )
        self.assertIs(ledger_verify().ok, True)

    def test_the_effectiveness_gate_reads_the_pilot(self):
        services.pilot_measurements_upload(
            pilot=self.pilot, user=self.gina, content=GOOD_CSV
        )
        services.pilot_incident_record(
            pilot=self.pilot,
            user=self.gina,
            occurred_at=datetime(2026, 3, 5, tzinfo=UTC),
            severity="critical",
            description="Trip",
            fallback_activated=True,
        )
        services.pilot_close(pilot=self.pilot, user=self.gina)
        result = selectors.gate_check(self.solution, to_stage="effectiveness")
        codes = {c.code: c for c in result.criteria}
        self.assertIs(codes["pilot_closed"].passed, True)
        self.assertIs(codes["field_kpis_within_tolerance"].passed, True)
        self.assertEqual(codes["critical_incidents"].observed, 1)
        self.assertIs(codes["critical_incidents"].passed, False)


class PilotToEffectivenessJourneyTests(LifecycleTestCase):
    def test_a_clean_pilot_and_safety_4_pass_the_gate(self):
        """Testing scores of 4 (with evidence), a closed pilot within
        tolerance and no critical incident move the solution on."""
        self.to_testing()
        self.decide_testing(4, evidence=[f"run:{self.hidden_run.pk}"])
        services.solution_advance(
            solution=self.solution, user=self.gina, to_stage="pilot"
        )
        pilot = services.pilot_create(
            solution=self.refresh(),
            user=self.gina,
            site="Substation 7",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 5, 31),
            mode=Pilot.Mode.CLOSED_LOOP,
        )
        services.pilot_kpi_add(
            pilot=pilot,
            user=self.gina,
            name="mape",
            unit="%",
            target=5.0,
            comparator="<=",
            tolerance_pct=10.0,
        )
        services.pilot_measurements_upload(
            pilot=pilot,
            user=self.gina,
            content=b"kpi,timestamp,value\nmape,2026-03-01T08:00:00+08:00,3.3\n",
        )
        services.pilot_incident_record(
            pilot=pilot,
            user=self.gina,
            occurred_at=datetime(2026, 3, 5, tzinfo=UTC),
            severity="minor",
            description="Late data",
            fallback_activated=False,
        )
        services.pilot_close(pilot=pilot, user=self.gina)
        row = services.solution_advance(
            solution=self.solution, user=self.gina, to_stage="effectiveness"
        )
        self.assertEqual(self.refresh().stage, "effectiveness")
        self.assertIn(f"pilot:{pilot.pk}", row.evidence)
        self.assertIs(ledger_verify().ok, True)
