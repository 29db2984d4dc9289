"""Evidence packs: contents, offline verification, tampering, access."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from evaluations.services import _ledger_run_scored
from lifecycle import evidence_pack, pack_verifier, services
from lifecycle.models import Pilot
from portal.accounts.models import Membership
from portal.ledger.models import LedgerEntry
from portal.ledger.services import ledger_append
from tests.lifecycle.helpers import LifecycleTestCase
from tests.portal.test_ledger_services import tampering

CSV = (
    b"kpi,timestamp,value\n"
    b"mape,2026-03-01T08:00:00+08:00,3.0\n"
    b"mape,2026-03-02T08:00:00+08:00,3.4\n"
)


def rezip(files: dict[str, bytes], *, refresh_manifest: bool = False) -> bytes:
    """Write ``files`` back as a ZIP; optionally re-hash the manifest, as a
    forger who edits a record would."""
    files = dict(files)
    if refresh_manifest:
        manifest = json.loads(files["manifest.json"])
        for name in manifest["files"]:
            manifest["files"][name]["sha256"] = hashlib.sha256(files[name]).hexdigest()
        files["manifest.json"] = json.dumps(manifest).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class EvidencePackTestCase(LifecycleTestCase):
    """alice's solution in the pilot stage: registered, R&D, testing, a
    decided testing round, moved to pilot on a scored hidden run; a closed
    pilot with two measurements and an incident."""

    KPI = "mape"
    SANDBOX_VALUE: float | None = None  # from the hidden run's "mape"

    def setUp(self) -> None:
        super().setUp()
        ledger_append(
            kind="submission.created",
            actor=self.alice,
            organisation=self.vendor_a,
            subject=f"submission:{self.submission_a.pk}",
            payload={
                "suite_version": self.version.pk,
                "kind": self.submission_a.kind,
                "sha256": self.submission_a.blob.sha256,
            },
        )
        _ledger_run_scored(self.hidden_run)
        self.to_testing()
        self.decision = self.decide_testing(3)
        services.solution_advance(
            solution=self.refresh(),
            user=self.gina,
            to_stage="pilot",
            run_id=self.hidden_run.pk,
        )
        self.pilot = services.pilot_create(
            solution=self.refresh(),
            user=self.gina,
            site="Substation 7",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 5, 31),
            mode=Pilot.Mode.SHADOW,
        )
        services.pilot_kpi_add(
            pilot=self.pilot,
            user=self.gina,
            name=self.KPI,
            sandbox_value=self.SANDBOX_VALUE,
            unit="%",
            target=5.0,
            comparator="<=",
            tolerance_pct=10.0,
        )
        content = CSV.replace(b"\nmape,", f"\n{self.KPI},".encode())
        services.pilot_measurements_upload(
            pilot=self.pilot, user=self.gina, content=content
        )
        services.pilot_incident_record(
            pilot=self.pilot,
            user=self.gina,
            occurred_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
            severity="minor",
            description="Feed delayed by 10 minutes.",
            fallback_activated=True,
        )
        services.pilot_close(pilot=self.pilot, user=self.gina)

    def build(self, user=None) -> evidence_pack.EvidencePack:
        return evidence_pack.evidence_pack_build(
            solution=self.refresh(), user=user or self.alice
        )

    def files(self, user=None) -> dict[str, bytes]:
        return pack_verifier.read_archive(self.build(user).archive())


class FormulaSafeMeasurementsTests(EvidencePackTestCase):
    """A KPI named like a formula is quoted in measurements.csv, which a
    spreadsheet will open, and the pack still verifies."""

    KPI = "=HYPERLINK(1)"
    SANDBOX_VALUE = 3.1

    def test_the_kpi_name_is_quoted_and_the_pack_verifies(self):
        files = self.files()
        lines = files["measurements.csv"].decode().splitlines()
        self.assertTrue(lines[1].split(",")[1].startswith("'=HYPERLINK(1)"), lines)
        result = pack_verifier.verify_files(files)
        self.assertEqual(result.problems, [])

    def test_quoting_round_trips_every_text(self):
        for text in ("mape", "=1+1", "+x", "-x", "@x", "'x", "''=x", ""):
            with self.subTest(text=text):
                written = pack_verifier.csv_text(text)
                self.assertNotIn(written[:1], ("=", "+", "-", "@"))
                self.assertEqual(pack_verifier.csv_text_value(written), text)


class ContentTests(EvidencePackTestCase):
    def test_it_holds_every_record(self):
        files = self.files()
        self.assertEqual(
            sorted(files),
            [
                "cases.json",
                "ledger.jsonl",
                "manifest.json",
                "measurements.csv",
                "pilots.json",
                "report.html",
                "reviews.json",
                "runs.json",
                "scenario.json",
                "submissions.json",
                "suite_versions.json",
                "transitions.json",
                "verify_pack.py",
            ],
        )
        runs = json.loads(files["runs.json"])
        self.assertEqual(
            {r["id"] for r in runs}, {self.sample_run.pk, self.hidden_run.pk}
        )
        hidden = next(r for r in runs if r["id"] == self.hidden_run.pk)
        self.assertEqual(hidden["resources"]["energy_wh"], 0.42)
        submissions = json.loads(files["submissions.json"])
        self.assertEqual(submissions[0]["sha256"], self.submission_a.blob.sha256)
        transitions = json.loads(files["transitions.json"])
        self.assertEqual(
            [t["to_stage"] for t in transitions],
            ["released", "rnd", "testing", "pilot"],
        )
        self.assertIn(
            b"mape,2026-03-01T00:00:00.000000Z,3.0", files["measurements.csv"]
        )
        pilots = json.loads(files["pilots.json"])
        self.assertEqual(pilots[0]["incidents"][0]["severity"], "minor")
        scenario = json.loads(files["scenario.json"])
        self.assertEqual(scenario["version"]["number"], 1)
        kinds = {
            json.loads(line)["kind"] for line in files["ledger.jsonl"].splitlines()
        }
        self.assertLessEqual(
            {
                "scenario.published",
                "submission.created",
                "run.scored",
                "lifecycle.transition",
                "lifecycle.pilot_created",
                "lifecycle.pilot_incident",
                "lifecycle.pilot_closed",
            },
            kinds,
        )
        self.assertEqual(
            files["verify_pack.py"], Path(pack_verifier.__file__).read_bytes()
        )

    def test_the_vendor_gets_decisions_but_no_reviews(self):
        reviews = json.loads(self.files(self.alice)["reviews.json"])
        self.assertEqual(reviews["audience"], "summary")
        entry = reviews["entries"][0]
        self.assertEqual(entry["decision"]["outcome"], "advance")
        self.assertNotIn("chair", entry["decision"])
        self.assertNotIn("reviews", entry)
        self.assertIsNotNone(entry["scorecard"])

    def test_the_owner_gets_reviews_without_reviewer_names(self):
        files = self.files(self.gina)
        reviews = json.loads(files["reviews.json"])
        self.assertEqual(reviews["audience"], "full")
        entry = reviews["entries"][0]
        self.assertEqual(entry["decision"]["chair"], "gina")
        self.assertEqual(
            [r["reviewer"] for r in entry["reviews"]],
            ["Reviewer 1", "Reviewer 2", "Reviewer 3"],
        )
        for name in (b"rita", b"ravi", b"rosa"):
            with self.subTest(name=name):
                self.assertNotIn(name, files["reviews.json"])
                self.assertNotIn(name, files["report.html"])

    def test_the_same_state_gives_the_same_bytes(self):
        first, _entry = evidence_pack.evidence_pack_issue(
            solution=self.refresh(), user=self.alice
        )
        second, _entry = evidence_pack.evidence_pack_issue(
            solution=self.refresh(), user=self.alice
        )
        # The first issue entry is not in the second pack's slice.
        self.assertEqual(first.archive(), second.archive())
        with zipfile.ZipFile(io.BytesIO(first.archive())) as archive:
            names = [info.filename for info in archive.infolist()]
            self.assertEqual(names, sorted(names))
            self.assertEqual(
                {info.date_time for info in archive.infolist()},
                {(1980, 1, 1, 0, 0, 0)},
            )

    def test_issuing_appends_the_manifest_hash(self):
        before = LedgerEntry.objects.count()
        pack, entry = evidence_pack.evidence_pack_issue(
            solution=self.refresh(), user=self.alice
        )
        self.assertEqual(LedgerEntry.objects.count(), before + 1)
        self.assertEqual(entry.kind, "evidence_pack.issued")
        self.assertEqual(entry.subject, f"solution:{self.solution.pk}")
        self.assertEqual(entry.payload["manifest_sha256"], pack.manifest_sha256)
        self.assertEqual(entry.payload["ledger_head"], entry.sequence - 1)
        self.assertEqual(pack.as_of_sequence, entry.sequence - 1)
        self.assertEqual(entry.actor, self.alice)


class VerifyTests(EvidencePackTestCase):
    def assertBroken(self, data: bytes, *fragments: str) -> None:
        result = pack_verifier.verify_archive(data)
        self.assertIs(result.ok, False)
        text = "\n".join(result.problems)
        for fragment in fragments:
            self.assertIn(fragment, text)

    def test_an_untouched_pack_verifies(self):
        for user in (self.alice, self.gina):
            with self.subTest(user=user.username):
                result = pack_verifier.verify_archive(self.build(user).archive())
                self.assertEqual(result.problems, [])
                self.assertGreater(result.records, 5)

    def test_a_changed_measurement_fails(self):
        files = self.files()
        files["measurements.csv"] = files["measurements.csv"].replace(
            b",3.4\n", b",2.4\n"
        )
        self.assertBroken(rezip(files), "measurements.csv: SHA-256")
        # Re-hashing the manifest does not help: the closing entry recorded
        # the mean.
        self.assertBroken(
            rezip(files, refresh_manifest=True),
            "measurements.csv: KPI mape of pilot",
            "ledger entry",
        )

    def test_a_changed_gate_result_fails(self):
        files = self.files()
        transitions = json.loads(files["transitions.json"])
        pilot_move = next(t for t in transitions if t["to_stage"] == "pilot")
        pilot_move["gate"]["criteria"][0]["observed"] = 4.9
        files["transitions.json"] = json.dumps(transitions).encode()
        self.assertBroken(rezip(files), "transitions.json: SHA-256")
        self.assertBroken(
            rezip(files, refresh_manifest=True),
            f"transitions.json: transition {pilot_move['id']} does not match "
            f"ledger entry {pilot_move['ledger_sequence']} (gate)",
        )

    def test_a_changed_ledger_entry_fails(self):
        files = self.files()
        lines = files["ledger.jsonl"].decode().splitlines()
        entry = json.loads(lines[2])
        entry["payload"]["forged"] = True
        lines[2] = json.dumps(entry)
        files["ledger.jsonl"] = ("\n".join(lines) + "\n").encode()
        self.assertBroken(
            rezip(files, refresh_manifest=True),
            f"ledger.jsonl: entry {entry['sequence']}: content hashes to",
        )

    def test_a_removed_transition_fails(self):
        files = self.files()
        transitions = json.loads(files["transitions.json"])
        gone = transitions.pop()
        files["transitions.json"] = json.dumps(transitions).encode()
        self.assertBroken(
            rezip(files, refresh_manifest=True),
            f"the transition of ledger entry {gone['ledger_sequence']}",
        )

    def test_a_changed_decision_and_run_fail(self):
        files = self.files()
        reviews = json.loads(files["reviews.json"])
        reviews["entries"][0]["decision"]["outcome"] = "reject"
        files["reviews.json"] = json.dumps(reviews).encode()
        runs = json.loads(files["runs.json"])
        hidden = next(r for r in runs if r["id"] == self.hidden_run.pk)
        hidden["metrics"]["mape"] = 1.0
        files["runs.json"] = json.dumps(runs).encode()
        self.assertBroken(
            rezip(files, refresh_manifest=True),
            f"reviews.json: decision {self.decision.pk} does not match",
            f"runs.json: run {self.hidden_run.pk} does not match ledger entry",
        )

    def test_an_extra_or_missing_file_fails(self):
        files = self.files()
        files["extra.txt"] = b"x"
        del files["cases.json"]
        self.assertBroken(
            rezip(files),
            "extra.txt: not listed in the manifest",
            "cases.json: listed in the manifest but missing",
        )

    def test_the_script_in_the_zip_runs_on_its_own(self):
        data = self.build().archive()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "pack.zip"
            path.write_bytes(data)
            with zipfile.ZipFile(path) as archive:
                archive.extract("verify_pack.py", folder)
            done = subprocess.run(
                [sys.executable, "-I", "verify_pack.py", "pack.zip"],
                cwd=folder,
                capture_output=True,
                text=True,
                check=False,
            )
            self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
            self.assertIn("OK:", done.stdout)
            path.write_bytes(rezip({**pack_verifier.read_archive(data), "x": b""}))
            done = subprocess.run(
                [sys.executable, "-I", "verify_pack.py", "pack.zip"],
                cwd=folder,
                capture_output=True,
                text=True,
                check=False,
            )
            self.assertEqual(done.returncode, 1)
            self.assertIn("FAIL x: not listed in the manifest", done.stdout)


class CommandTests(EvidencePackTestCase):
    def run_command(self, data: bytes, *args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        with tempfile.NamedTemporaryFile(suffix=".zip") as handle:
            handle.write(data)
            handle.flush()
            try:
                call_command(
                    "verify_evidence_pack", handle.name, *args, stdout=out, stderr=err
                )
            except SystemExit as exc:
                return int(exc.code or 0), out.getvalue(), err.getvalue()
        return 0, out.getvalue(), err.getvalue()

    def test_it_checks_against_the_live_ledger(self):
        pack, _entry = evidence_pack.evidence_pack_issue(
            solution=self.refresh(), user=self.alice
        )
        code, out, err = self.run_command(pack.archive(), "--against-ledger")
        self.assertEqual((code, err), (0, ""))
        self.assertIn("OK:", out)

    def test_a_pack_never_issued_is_refused_against_the_ledger(self):
        data = self.build().archive()
        self.assertEqual(self.run_command(data)[0], 0)
        code, _out, err = self.run_command(data, "--against-ledger")
        self.assertEqual(code, 1)
        self.assertIn("no evidence_pack.issued entry records manifest", err)

    def test_a_tampered_live_ledger_is_reported(self):
        pack, _entry = evidence_pack.evidence_pack_issue(
            solution=self.refresh(), user=self.alice
        )
        transition = self.solution.transitions.order_by("pk").last()
        with tampering():
            LedgerEntry.objects.filter(sequence=transition.ledger_sequence).update(
                payload={"forged": True}
            )
        code, _out, err = self.run_command(pack.archive(), "--against-ledger")
        self.assertEqual(code, 1)
        self.assertIn(f"Entry {transition.ledger_sequence} was changed", err)


class ViewTests(EvidencePackTestCase):
    def url(self) -> str:
        return reverse("lifecycle:evidence_pack", args=[self.solution.pk])

    def api_url(self) -> str:
        return f"/api/v1/solutions/{self.solution.pk}/evidence-pack/"

    def test_it_serves_the_vendor_the_owner_and_operators(self):
        for user in (self.alice, self.bob, self.gina, self.gary, self.olivia):
            for url in (self.url(), self.api_url()):
                with self.subTest(user=user.username, url=url):
                    self.login(user)
                    before = LedgerEntry.objects.count()
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200)
                    self.assertEqual(response["Content-Type"], "application/zip")
                    result = pack_verifier.verify_archive(response.content)
                    self.assertEqual(result.problems, [])
                    self.assertEqual(
                        response["X-Manifest-SHA256"], result.manifest_sha256
                    )
                    self.assertEqual(LedgerEntry.objects.count(), before + 1)
                    self.assertEqual(
                        LedgerEntry.objects.last().kind, "evidence_pack.issued"
                    )

    def test_it_checks_ownership(self):
        # rita reviewed the solution in a blind round: no pack for reviewers.
        for user in (self.charlie, self.otto, self.rita, self.nobody, None):
            for url in (self.url(), self.api_url()):
                with self.subTest(user=user and user.username, url=url):
                    self.client.logout()
                    if user is not None:
                        self.login(user)
                    before = LedgerEntry.objects.count()
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(LedgerEntry.objects.count(), before)

    def test_a_reviewer_who_is_an_owner_member_gets_the_full_pack(self):
        Membership.objects.create(
            user=self.rita, organisation=self.grid, role=Membership.Role.MEMBER
        )
        self.login(self.rita)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        files = pack_verifier.read_archive(response.content)
        # rita reviewed the entry: she is conflicted with nothing, but the
        # pack still names no reviewer.
        self.assertNotIn(b"rita", files["reviews.json"])

    def test_it_rejects_post(self):
        self.login(self.alice)
        for url in (self.url(), self.api_url()):
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url).status_code, 405)

    def test_it_requires_no_write_access(self):
        # A read-only member of the vendor may download (nothing is changed
        # but the ledger's record of the issue).
        self.login(self.bob)
        self.assertEqual(self.client.get(self.url()).status_code, 200)

    def test_a_chinese_request_works(self):
        self.login(self.alice)
        response = self.client.get(self.url(), headers={"accept-language": "zh-hans"})
        self.assertEqual(response.status_code, 200)
        files = pack_verifier.read_archive(response.content)
        self.assertEqual(json.loads(files["manifest.json"])["language"], "zh-hans")
        self.assertIn('<html lang="zh-hans">', files["report.html"].decode())
        self.assertEqual(pack_verifier.verify_files(files).problems, [])

    def test_the_solution_page_links_the_pack(self):
        self.login(self.alice)
        response = self.client.get(
            reverse("lifecycle:solution", args=[self.solution.pk])
        )
        self.assertContains(response, self.url())
