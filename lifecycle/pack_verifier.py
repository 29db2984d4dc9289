"""Check an evidence pack offline: ``python3 verify_pack.py pack.zip``.

This file needs nothing but Python 3.11's standard library. The portal
copies it verbatim into every evidence pack as ``verify_pack.py``; the
``verify_evidence_pack`` management command and the tests import it as
``lifecycle.pack_verifier``. docs/lifecycle.md describes the pack.

Checks, in order (every problem is reported, each naming its file and,
where there is one, the ledger entry):

1. Files: ``manifest.json`` lists every other file with its SHA-256, and
   each file hashes to it; no file is missing or extra.
2. Ledger slice (``ledger.jsonl``): each entry's content hash is
   recomputed from its canonical form (docs/ledger.md) and its entry hash
   from ``prev_hash + content_hash``; where two entries are consecutive
   (sequence n and n + 1) the second names the first's hash.
3. Records against the ledger: every transition matches the
   ``lifecycle.transition`` entry whose sequence it keeps, and every such
   entry has its transition; runs, submissions, suite versions, the
   scenario version and pilots (creation, incidents, the KPI means at
   closing, recomputed from ``measurements.csv``) match the entries that
   name them; the decisions and business cases cited by gate results
   match the records; what transitions cite as evidence is in the pack.

The manifest's own SHA-256 is printed: the portal recorded it in an
``evidence_pack.issued`` ledger entry when it issued the pack.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

MANIFEST = "manifest.json"
LEDGER = "ledger.jsonl"
GENESIS_HASH = "0" * 64
CONTENT_KEYS = (
    "actor",
    "created_at",
    "evidence",
    "kind",
    "organisation",
    "payload",
    "sequence",
    "subject",
    "true_actor",
)
# How far a mean recomputed from the CSV may be from the database's.
MEAN_TOLERANCE = 1e-9


@dataclass
class Result:
    problems: list[str] = field(default_factory=list)
    manifest_sha256: str = ""
    files: int = 0
    entries: int = 0
    records: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"{self.files} files, {self.entries} ledger entries, "
            f"{self.records} records checked against the ledger; "
            f"manifest SHA-256 {self.manifest_sha256}"
        )


# measurements.csv is opened in spreadsheets: a text cell that starts with
# one of these (or with the escaping quote itself) is written with a
# leading "'", so it is never run as a formula; reading removes that quote.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_text(value: str) -> str:
    """A text cell of measurements.csv, safe to open in a spreadsheet."""
    return "'" + value if value[:1] in FORMULA_PREFIXES else value


def csv_text_value(cell: str) -> str:
    """The text that ``csv_text`` wrote as ``cell``."""
    return cell[1:] if cell[:1] == "'" else cell


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(value: Any) -> bytes:
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


# --- 1. files ---------------------------------------------------------------------


def read_archive(data: bytes) -> dict[str, bytes]:
    """Return the files of a ZIP archive by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            info.filename: archive.read(info)
            for info in archive.infolist()
            if not info.is_dir()
        }


def _check_files(files: dict[str, bytes], result: Result) -> dict[str, Any] | None:
    raw = files.get(MANIFEST)
    if raw is None:
        result.problems.append(f"{MANIFEST}: missing")
        return None
    result.manifest_sha256 = sha256(raw)
    manifest: Any = None
    listed: Any = None
    try:
        manifest = json.loads(raw)
        listed = manifest["files"]
    except (ValueError, KeyError, TypeError):
        pass
    if not isinstance(manifest, dict) or not isinstance(listed, dict):
        result.problems.append(f"{MANIFEST}: not a manifest")
        return None
    for name in sorted(listed):
        if name not in files:
            result.problems.append(f"{name}: listed in the manifest but missing")
            continue
        digest = sha256(files[name])
        expected = (
            listed[name].get("sha256") if isinstance(listed[name], dict) else None
        )
        if digest != expected:
            result.problems.append(
                f"{name}: SHA-256 {digest} does not match the manifest ({expected})"
            )
        result.files += 1
    for name in sorted(set(files) - set(listed) - {MANIFEST}):
        result.problems.append(f"{name}: not listed in the manifest")
    return manifest


# --- 2. the ledger slice ----------------------------------------------------------


def _check_ledger(files: dict[str, bytes], result: Result) -> dict[int, dict[str, Any]]:
    entries: dict[int, dict[str, Any]] = {}
    raw = files.get(LEDGER)
    if raw is None:
        result.problems.append(f"{LEDGER}: missing")
        return entries
    previous: tuple[int, str] | None = None
    for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            sequence = int(entry["sequence"])
            content = {key: entry[key] for key in CONTENT_KEYS}
            digest = sha256(canonical_json(content))
        except (ValueError, KeyError, TypeError) as exc:
            result.problems.append(f"{LEDGER}: line {number} is not an entry ({exc})")
            continue
        where = f"{LEDGER}: entry {sequence}"
        if digest != entry.get("content_hash"):
            result.problems.append(
                f"{where}: content hashes to {digest}, not to its content hash "
                f"{entry.get('content_hash')}"
            )
        chained = sha256((str(entry.get("prev_hash")) + digest).encode("utf-8"))
        if chained != entry.get("entry_hash"):
            result.problems.append(f"{where}: entry hash does not match")
        if sequence == 1 and entry.get("prev_hash") != GENESIS_HASH:
            result.problems.append(f"{where}: does not start from the genesis hash")
        if previous is not None and sequence <= previous[0]:
            result.problems.append(f"{where}: out of order")
        if (
            previous is not None
            and previous[0] + 1 == sequence
            and entry.get("prev_hash") != previous[1]
        ):
            result.problems.append(f"{where}: chain broken after entry {previous[0]}")
        previous = (sequence, str(entry.get("entry_hash")))
        entries[sequence] = entry
        result.entries += 1
    return entries


# --- 3. records against the ledger --------------------------------------------------


def _load(files: dict[str, bytes], name: str, result: Result) -> Any:
    raw = files.get(name)
    if raw is None:
        result.problems.append(f"{name}: missing")
        return None
    try:
        return json.loads(raw)
    except ValueError:
        result.problems.append(f"{name}: not JSON")
        return None


def _by_subject(entries: dict[int, dict[str, Any]], kind: str) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for entry in entries.values():
        if entry["kind"] == kind:
            found.setdefault(entry["subject"], []).append(entry)
    return found


def _differences(
    record: dict[str, Any], payload: dict[str, Any], keys: Any
) -> list[str]:
    return [
        str(key)
        for key, payload_key in keys
        if record.get(key) != payload.get(payload_key)
    ]


def _instant(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def _check_transitions(
    transitions: list[dict[str, Any]],
    entries: dict[int, dict[str, Any]],
    solution: Any,
    result: Result,
) -> None:
    name = "transitions.json"
    seen = set()
    for row in transitions:
        result.records += 1
        sequence = row.get("ledger_sequence")
        entry = entries.get(sequence) if isinstance(sequence, int) else None
        if entry is None:
            result.problems.append(
                f"{name}: transition {row.get('id')}: its ledger entry "
                f"{sequence} is not in {LEDGER}"
            )
            continue
        seen.add(sequence)
        payload = entry["payload"]
        diff = []
        if entry["kind"] != "lifecycle.transition":
            diff.append("kind of entry")
        diff += _differences(
            row,
            payload,
            [
                ("id", "transition"),
                ("kind", "kind"),
                ("from_stage", "from"),
                ("to_stage", "to"),
                ("gate", "gate"),
                ("reasons", "reasons"),
            ],
        )
        if f"transition:{row.get('id')}" not in entry["evidence"]:
            diff.append("evidence")
        if diff:
            result.problems.append(
                f"{name}: transition {row.get('id')} does not match ledger entry "
                f"{sequence} ({', '.join(diff)})"
            )
    for sequence, entry in sorted(entries.items()):
        if (
            entry["kind"] == "lifecycle.transition"
            and entry["subject"] == f"solution:{solution}"
            and sequence not in seen
        ):
            result.problems.append(
                f"{name}: the transition of ledger entry {sequence} "
                f"({entry['payload'].get('transition')}) is missing"
            )


def _check_runs(
    runs: list[dict[str, Any]], entries: dict[int, dict[str, Any]], result: Result
) -> None:
    scored = _by_subject(entries, "run.scored")
    for run in runs:
        for entry in scored.get(f"run:{run.get('id')}", []):
            result.records += 1
            diff = _differences(
                run,
                entry["payload"],
                [
                    ("submission", "submission"),
                    ("split", "split"),
                    ("status", "status"),
                    ("passed", "passed"),
                    ("metrics", "metrics"),
                ],
            )
            if diff:
                result.problems.append(
                    f"runs.json: run {run.get('id')} does not match ledger entry "
                    f"{entry['sequence']} ({', '.join(diff)})"
                )


def _check_submissions(
    submissions: list[dict[str, Any]],
    entries: dict[int, dict[str, Any]],
    result: Result,
) -> None:
    created = _by_subject(entries, "submission.created")
    for row in submissions:
        for entry in created.get(f"submission:{row.get('id')}", []):
            result.records += 1
            diff = _differences(
                row,
                entry["payload"],
                [("sha256", "sha256"), ("suite_version", "suite_version")],
            )
            if diff:
                result.problems.append(
                    f"submissions.json: submission {row.get('id')} does not match "
                    f"ledger entry {entry['sequence']} ({', '.join(diff)})"
                )


def _check_suite_versions(
    versions: list[dict[str, Any]],
    entries: dict[int, dict[str, Any]],
    result: Result,
) -> None:
    published = _by_subject(entries, "suite_version.published")
    for row in versions:
        for entry in published.get(f"suite_version:{row.get('id')}", []):
            result.records += 1
            diff = _differences(
                row,
                entry["payload"],
                [("number", "number"), ("bundle_sha256", "bundle_sha256")],
            )
            if diff:
                result.problems.append(
                    f"suite_versions.json: suite version {row.get('id')} does not "
                    f"match ledger entry {entry['sequence']} ({', '.join(diff)})"
                )


def _check_scenario(
    scenario: dict[str, Any], entries: dict[int, dict[str, Any]], result: Result
) -> None:
    version = scenario.get("version") or {}
    ref = f"scenario_version:{version.get('id')}"
    for entry in entries.values():
        if ref in entry["evidence"] and "version" in entry["payload"]:
            result.records += 1
            if entry["payload"]["version"] != version.get("number"):
                result.problems.append(
                    f"scenario.json: version {version.get('number')} does not match "
                    f"ledger entry {entry['sequence']}"
                )
    spec = version.get("spec")
    if spec is not None and sha256(canonical_json(spec)) != version.get("spec_sha256"):
        result.problems.append("scenario.json: the spec does not match its SHA-256")


def _measurement_means(
    files: dict[str, bytes], result: Result
) -> dict[tuple[int, str], list[float]]:
    values: dict[tuple[int, str], list[float]] = {}
    raw = files.get("measurements.csv")
    if raw is None:
        result.problems.append("measurements.csv: missing")
        return values
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8")))
    for line, row in enumerate(reader, start=2):
        try:
            key = (int(row["pilot"]), csv_text_value(row["kpi"]))
            values.setdefault(key, []).append(float(row["value"]))
        except (KeyError, TypeError, ValueError):
            result.problems.append(
                f"measurements.csv: line {line} is not a measurement"
            )
    return values


def _check_pilot_closed(
    pilot: dict[str, Any],
    entry: dict[str, Any],
    measured: dict[tuple[int, str], list[float]],
    result: Result,
) -> None:
    for kpi in entry["payload"].get("kpis", []):
        result.records += 1
        values = measured.get((int(pilot["id"]), str(kpi.get("name"))), [])
        mean = sum(values) / len(values) if values else None
        recorded = kpi.get("mean")
        same = (
            len(values) == kpi.get("count")
            and (mean is None) == (recorded is None)
            and (
                mean is None
                or math.isclose(mean, recorded, rel_tol=MEAN_TOLERANCE, abs_tol=1e-12)
            )
        )
        if not same:
            result.problems.append(
                f"measurements.csv: KPI {kpi.get('name')} of pilot {pilot['id']} has "
                f"{len(values)} values with mean {mean}, but ledger entry "
                f"{entry['sequence']} recorded {kpi.get('count')} with mean {recorded}"
            )


def _check_pilots(
    pilots: list[dict[str, Any]],
    entries: dict[int, dict[str, Any]],
    files: dict[str, bytes],
    result: Result,
) -> None:
    measured = _measurement_means(files, result)
    by_kind = {
        kind: _by_subject(entries, kind)
        for kind in (
            "lifecycle.pilot_created",
            "lifecycle.pilot_incident",
            "lifecycle.pilot_closed",
        )
    }
    for pilot in pilots:
        subject = f"pilot:{pilot.get('id')}"
        for entry in by_kind["lifecycle.pilot_created"].get(subject, []):
            result.records += 1
            diff = _differences(
                pilot,
                entry["payload"],
                [
                    ("site", "site"),
                    ("starts_on", "starts_on"),
                    ("ends_on", "ends_on"),
                    ("mode", "mode"),
                ],
            )
            if diff:
                result.problems.append(
                    f"pilots.json: pilot {pilot.get('id')} does not match ledger "
                    f"entry {entry['sequence']} ({', '.join(diff)})"
                )
        incidents = {i.get("id"): i for i in pilot.get("incidents", [])}
        for entry in by_kind["lifecycle.pilot_incident"].get(subject, []):
            result.records += 1
            payload = entry["payload"]
            incident = incidents.get(payload.get("incident"))
            if incident is None:
                result.problems.append(
                    f"pilots.json: incident {payload.get('incident')} of ledger "
                    f"entry {entry['sequence']} is missing"
                )
                continue
            diff = _differences(
                incident,
                payload,
                [
                    ("severity", "severity"),
                    ("description", "description"),
                    ("fallback_activated", "fallback_activated"),
                ],
            )
            if _instant(incident.get("occurred_at")) != _instant(
                payload.get("occurred_at")
            ):
                diff.append("occurred_at")
            if diff:
                result.problems.append(
                    f"pilots.json: incident {incident.get('id')} does not match "
                    f"ledger entry {entry['sequence']} ({', '.join(diff)})"
                )
        for entry in by_kind["lifecycle.pilot_closed"].get(subject, []):
            _check_pilot_closed(pilot, entry, measured, result)


def _cited(transitions: list[dict[str, Any]], codes: tuple[str, ...]) -> Any:
    """(transition id, criterion, cited id) for criteria of ``codes``."""
    for row in transitions:
        gate = row.get("gate") or {}
        for criterion in gate.get("criteria", []):
            if criterion.get("code") not in codes:
                continue
            for ref in criterion.get("evidence", []):
                kind, _sep, pk = str(ref).partition(":")
                if kind in ("decision", "case") and pk.isdigit():
                    yield row.get("id"), criterion, kind, int(pk)


def _check_reviews_and_cases(
    transitions: list[dict[str, Any]],
    reviews: dict[str, Any],
    cases: dict[str, Any],
    result: Result,
) -> None:
    decisions = {
        e["decision"]["id"]: e["decision"]
        for e in reviews.get("entries", [])
        if e.get("decision")
    }
    business = {
        c.get("id"): c for e in cases.get("entries", []) for c in e["business_cases"]
    }
    codes = ("testing_decision", "effectiveness_decision", "measured_bcr")
    for transition, criterion, kind, pk in _cited(transitions, codes):
        result.records += 1
        if kind == "decision" and criterion["code"] != "measured_bcr":
            decision = decisions.get(pk)
            if decision is None:
                result.problems.append(
                    f"reviews.json: decision {pk} cited by transition "
                    f"{transition} is missing"
                )
            elif decision.get("outcome") != criterion.get("observed"):
                result.problems.append(
                    f"reviews.json: decision {pk} does not match the gate result of "
                    f"transition {transition} (outcome)"
                )
        elif kind == "case" and criterion["code"] == "measured_bcr":
            case = business.get(pk)
            bcr = case.get("bcr") if case else None
            if case is None:
                result.problems.append(
                    f"cases.json: business case {pk} cited by transition "
                    f"{transition} is missing"
                )
            elif bcr is None or round(bcr, 2) != criterion.get("observed"):
                result.problems.append(
                    f"cases.json: business case {pk} does not match the gate result "
                    f"of transition {transition} (bcr)"
                )


def _check_evidence_present(
    transitions: list[dict[str, Any]],
    records: dict[str, set[Any]],
    result: Result,
) -> None:
    files = {
        "run": "runs.json",
        "submission": "submissions.json",
        "pilot": "pilots.json",
    }
    for row in transitions:
        for ref in row.get("evidence", []):
            kind, _sep, pk = str(ref).partition(":")
            if kind in files and pk.isdigit() and int(pk) not in records[kind]:
                result.problems.append(
                    f"{files[kind]}: {ref}, cited by transition {row.get('id')}, "
                    "is missing"
                )


def _check_records(
    files: dict[str, bytes],
    manifest: dict[str, Any],
    entries: dict[int, dict[str, Any]],
    result: Result,
) -> None:
    loaded = {
        name: _load(files, name, result)
        for name in (
            "transitions.json",
            "runs.json",
            "submissions.json",
            "suite_versions.json",
            "scenario.json",
            "pilots.json",
            "reviews.json",
            "cases.json",
        )
    }
    if any(value is None for value in loaded.values()):
        return
    solution = (manifest.get("solution") or {}).get("id")
    transitions = loaded["transitions.json"]
    try:
        _check_transitions(transitions, entries, solution, result)
        _check_runs(loaded["runs.json"], entries, result)
        _check_submissions(loaded["submissions.json"], entries, result)
        _check_suite_versions(loaded["suite_versions.json"], entries, result)
        _check_scenario(loaded["scenario.json"], entries, result)
        _check_pilots(loaded["pilots.json"], entries, files, result)
        _check_reviews_and_cases(
            transitions, loaded["reviews.json"], loaded["cases.json"], result
        )
        _check_evidence_present(
            transitions,
            {
                "run": {r.get("id") for r in loaded["runs.json"]},
                "submission": {s.get("id") for s in loaded["submissions.json"]},
                "pilot": {p.get("id") for p in loaded["pilots.json"]},
            },
            result,
        )
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        result.problems.append(f"the records are malformed ({exc!r})")


def verify_files(files: dict[str, bytes]) -> Result:
    """Run every check on the files of a pack."""
    result = Result()
    manifest = _check_files(files, result)
    entries = _check_ledger(files, result)
    if manifest is not None:
        _check_records(files, manifest, entries, result)
    return result


def verify_archive(data: bytes) -> Result:
    """Run every check on a pack's ZIP bytes."""
    try:
        files = read_archive(data)
    except zipfile.BadZipFile:
        return Result(problems=["the file is not a ZIP archive"])
    return verify_files(files)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python3 verify_pack.py evidence-pack.zip")  # noqa: T201
        return 2
    with open(argv[0], "rb") as handle:
        result = verify_archive(handle.read())
    for problem in result.problems:
        print(f"FAIL {problem}")  # noqa: T201
    print(("OK: " if result.ok else "BROKEN: ") + result.summary())  # noqa: T201
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
