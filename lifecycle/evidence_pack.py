"""Evidence packs (可追溯): a ZIP per solution, checkable offline.

``evidence_pack_build`` reads (selector style) everything the pack holds;
``evidence_pack_issue`` (the service) builds it and appends an
``evidence_pack.issued`` ledger entry with the SHA-256 of its manifest.

The ledger slice in the pack is taken up to the head at build time, before
the issue entry, and leaves out earlier ``evidence_pack.issued`` entries: a
pack cannot contain the entry that records its own hash, and leaving the
earlier ones out makes the same state give the same bytes however often it
is downloaded. The archive is deterministic: names sorted, every timestamp
1980-01-01, fixed permissions.

Who gets what (``pack_audience``): anyone who may see the solution (its
vendor's members, the scenario owner's members, operators; 404 for anybody
else, reviewers included) downloads a pack. Members of the owner and
operators get the ``full`` pack: each unconflicted submitted review's scores
as "Reviewer 1", "Reviewer 2" (never names), the chair and the SUS summary.
The vendor gets the ``summary`` pack, as on the portal: decisions with their
reasons and the calibrated scores, never the reviews. Someone conflicted
with one of the solution's round entries gets the summary pack too.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation

from evaluations.models import Run, Submission, SuiteVersion
from lifecycle import pack_verifier, selectors
from lifecycle.models import PilotMeasurement, Solution
from portal.accounts.selectors import AnyUser, is_operator
from portal.ledger import hashing
from portal.ledger.models import LedgerEntry
from portal.ledger.selectors import (
    ledger_export_lines,
    ledger_head,
    ledger_slice,
    ledger_verify,
)
from portal.ledger.services import ledger_append
from reviews import case_selectors
from reviews.models import BusinessCase, ReviewRound, RoundEntry, SocialImpact
from reviews.scorecard_selectors import RoundScorecard, round_scorecard
from reviews.selectors import EntryAccess, entry_review_list, is_conflicted, round_table
from scenarios.models import ScenarioVersion

FORMAT = "evidence-pack/1"
ISSUED_KIND = "evidence_pack.issued"
VERIFIER_NAME = "verify_pack.py"
# ZIP timestamps cannot be earlier than 1980.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class Audience:
    FULL = "full"  # the owner's members and operators
    SUMMARY = "summary"  # the vendor's members


def pack_audience(user: AnyUser, solution: Solution) -> str:
    """Which pack ``user`` gets (see the module docstring)."""
    if not (is_operator(user) or selectors.is_owner_member(user, solution)):
        return Audience.SUMMARY
    entries = _round_entries(solution, _submission_ids(solution))
    if any(is_conflicted(user, entry) for entry in entries):
        return Audience.SUMMARY
    return Audience.FULL


# --- plain values ------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Return ``value`` as JSON data: no NaN, exact decimals, UTC times."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return hashing.format_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _finite_or_none(value: Any) -> float | int | None:
    # As the ledger's run.scored entry records metrics.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


def _json(value: Any) -> bytes:
    text = json.dumps(
        _plain(value), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False
    )
    return (text + "\n").encode("utf-8")


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, digits)


# --- records -----------------------------------------------------------------------


def _submission_ids(solution: Solution) -> list[int]:
    """Every version of the solution: under test, in the field, and each
    version its transitions name."""
    ids = {solution.submission_id}
    if solution.field_submission_id:
        ids.add(solution.field_submission_id)
    for refs in solution.transitions.values_list("evidence", flat=True):
        for ref in refs or []:
            kind, _sep, pk = str(ref).partition(":")
            if kind == "submission" and pk.isdigit():
                ids.add(int(pk))
    return sorted(
        Submission.objects.filter(
            pk__in=ids, organisation_id=solution.organisation_id
        ).values_list("pk", flat=True)
    )


def _round_entries(solution: Solution, submission_ids: list[int]) -> list[RoundEntry]:
    return list(
        RoundEntry.objects.filter(
            submission_id__in=submission_ids, round__scenario_id=solution.scenario_id
        )
        .select_related("round", "decision__chair", "submission__organisation")
        .order_by("round__created_at", "round__pk", "number")
    )


def _scenario_record(solution: Solution) -> dict[str, Any]:
    scenario = solution.scenario
    version = (
        ScenarioVersion.objects.filter(scenario=scenario, number__lte=scenario.version)
        .order_by("-number")
        .first()
    )
    record: dict[str, Any] = {
        "id": scenario.pk,
        "code": scenario.code,
        "title_zh": scenario.title_zh,
        "title_en": scenario.title_en,
        "owner": scenario.owner.slug,
        "version": None,
    }
    if version is not None:
        spec = hashing.normalise(_plain(version.spec), path="spec")
        record["version"] = {
            "id": version.pk,
            "number": version.number,
            "created_at": version.created_at,
            "spec": spec,
            "spec_sha256": hashlib.sha256(hashing.canonical_json(spec)).hexdigest(),
        }
    return record


def _suite_version_records(versions: list[SuiteVersion]) -> list[dict[str, Any]]:
    rows = []
    for version in versions:
        config = hashing.normalise(_plain(version.config), path="config")
        rows.append(
            {
                "id": version.pk,
                "suite": version.suite.slug,
                "number": version.number,
                "status": version.status,
                "published_at": version.published_at,
                "config": config,
                "config_sha256": hashlib.sha256(
                    hashing.canonical_json(config)
                ).hexdigest(),
                "bundle_sha256": version.bundle.sha256 if version.bundle else None,
                "bundle_summary": version.bundle_summary,
            }
        )
    return rows


def _submission_records(
    solution: Solution, submissions: list[Submission]
) -> list[dict[str, Any]]:
    def role(pk: int) -> str:
        if pk == solution.submission_id:
            return "under_test"
        if pk == solution.field_submission_id:
            return "in_field"
        return "earlier"

    return [
        {
            "id": s.pk,
            "role": role(s.pk),
            "name": s.name,
            "version_label": s.version_label,
            "kind": s.kind,
            "sha256": s.blob.sha256,
            "bytes": s.blob.size,
            "suite_version": s.suite_version_id,
            "created_at": s.created_at,
        }
        for s in submissions
    ]


def _run_records(submission_ids: list[int]) -> list[dict[str, Any]]:
    runs = Run.objects.filter(submission_id__in=submission_ids).order_by("pk")
    return [
        {
            "id": run.pk,
            "submission": run.submission_id,
            "split": run.split,
            "status": run.status,
            "failure": run.failure,
            "passed": run.passed,
            "metrics": {
                str(name): _finite_or_none(value)
                for name, value in sorted((run.metrics or {}).items())
            },
            "gates": run.gates,
            "resources": run.resources,
            "enqueued_at": run.enqueued_at,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
        }
        for run in runs
    ]


def _transition_records(solution: Solution) -> list[dict[str, Any]]:
    return [
        {
            "id": t.pk,
            "kind": t.kind,
            "from_stage": t.from_stage,
            "to_stage": t.to_stage,
            "actor": t.actor.username,
            "true_actor": t.true_actor.username if t.true_actor else None,
            "gate": t.gate,
            "evidence": t.evidence,
            "reasons": t.reasons,
            "ledger_sequence": t.ledger_sequence,
            "created_at": t.created_at,
            "gaps": [
                {"criterion": g.criterion, "gap": g.gap, "tests": g.tests}
                for g in (t.plan.gaps.all() if hasattr(t, "plan") else [])
            ],
        }
        for t in selectors.transition_list(solution)
    ]


def _scorecard_of(
    entry: RoundEntry, cards: dict[int, RoundScorecard]
) -> dict[str, Any] | None:
    review_round = entry.round
    if review_round.status == ReviewRound.Status.DRAFT:
        return None
    if review_round.pk not in cards:
        # Calibrated as the gates see it: no viewer is conflicted.
        cards[review_round.pk] = round_scorecard(
            review_round, round_table(review_round, AnonymousUser())
        )
    card = cards[review_round.pk].card(entry)
    if card is None:
        return None
    return {
        "dimensions": {
            name: _round(item.estimate)
            for name, item in sorted(card.dimensions.items())
        },
        "composite": _round(card.composite.value) if card.composite else None,
    }


def _review_records(entries: list[RoundEntry], audience: str) -> dict[str, Any]:
    cards: dict[int, RoundScorecard] = {}
    rows = []
    for entry in entries:
        review_round = entry.round
        decision = getattr(entry, "decision", None)
        row: dict[str, Any] = {
            "round": {
                "id": review_round.pk,
                "title": review_round.title,
                "stage": review_round.stage,
                "status": review_round.status,
                "blind": review_round.blind,
            },
            "entry": entry.pk,
            "number": entry.number,
            "submission": entry.submission_id,
            "scorecard": _scorecard_of(entry, cards),
            "decision": None,
        }
        if decision is not None:
            row["decision"] = {
                "id": decision.pk,
                "outcome": decision.outcome,
                "reasons": decision.reasons,
                "decided_at": decision.created_at,
            }
        if audience == Audience.FULL:
            if decision is not None:
                row["decision"]["chair"] = decision.chair.username
            access = EntryAccess(
                entry, is_chair=False, can_manage=True, assignment=None
            )
            row["reviews"] = [
                {
                    "reviewer": f"Reviewer {review.label}",
                    "submitted_at": review.version.created_at,
                    "scores": {
                        name: {
                            "score": item.get("score"),
                            "confidence": item.get("confidence"),
                        }
                        for name, item in sorted(review.version.scores.items())
                    },
                }
                for review in entry_review_list(access)
            ]
        rows.append(row)
    return {"audience": audience, "entries": rows}


def _case_records(entries: list[RoundEntry], audience: str) -> dict[str, Any]:
    rows = []
    for entry in entries:
        business = []
        for case in (
            BusinessCase.objects.filter(entry=entry)
            .prefetch_related("lines")
            .order_by("version")
        ):
            appraisal = case_selectors.appraisal_of(case)
            business.append(
                {
                    "id": case.pk,
                    "version": case.version,
                    "basis": case.basis,
                    "currency": case.currency,
                    "investment": case.investment,
                    "horizon_years": case.horizon_years,
                    "discount_rate": case.discount_rate,
                    "lines": [
                        {
                            "kind": line.kind,
                            "name": line.name,
                            "amount": line.amount,
                            "escalation": line.escalation,
                        }
                        for line in case.lines.all()
                    ],
                    "npv": _round(appraisal.npv, 2),
                    "bcr": appraisal.bcr,
                    "discounted_payback": _round(appraisal.discounted_payback, 2),
                    "saved_at": case.created_at,
                }
            )
        impacts = []
        for impact in SocialImpact.objects.filter(entry=entry).order_by("version"):
            impacts.append(
                {
                    "id": impact.pk,
                    "version": impact.version,
                    "basis": impact.basis,
                    "energy_kind": impact.energy_kind,
                    "energy_mwh": impact.energy_mwh,
                    "region": impact.region,
                    "factor_year": impact.factor_year,
                    "co2_net_t": _round(case_selectors.carbon_of(impact).net_t, 3),
                    "saved_at": impact.created_at,
                }
            )
        row: dict[str, Any] = {
            "entry": entry.pk,
            "business_cases": business,
            "social_impacts": impacts,
        }
        if audience == Audience.FULL:
            sus = case_selectors.sus_summary_of(entry)
            row["sus"] = {"n": sus.n, "mean": _round(sus.mean, 2)} if sus else None
        rows.append(row)
    return {"entries": rows}


def _pilot_records(solution: Solution) -> tuple[list[dict[str, Any]], bytes]:
    pilots = list(solution.pilots.order_by("pk"))
    records = []
    for pilot in pilots:
        records.append(
            {
                "id": pilot.pk,
                "site": pilot.site,
                "starts_on": pilot.starts_on,
                "ends_on": pilot.ends_on,
                "mode": pilot.mode,
                "status": pilot.status,
                "created_at": pilot.created_at,
                "closed_at": pilot.closed_at,
                "kpis": [
                    {
                        "name": c.kpi.name,
                        "unit": c.kpi.unit,
                        "target": c.kpi.target,
                        "comparator": c.kpi.comparator,
                        "sandbox_value": c.kpi.sandbox_value,
                        "sandbox_source": c.kpi.sandbox_source,
                        "tolerance_pct": c.kpi.tolerance_pct,
                        "count": c.count,
                        "mean": c.mean,
                        "drift_pct": c.drift_pct,
                        "within": c.within,
                        "target_met": c.target_met,
                    }
                    for c in selectors.pilot_comparison(pilot)
                ],
                "incidents": [
                    {
                        "id": i.pk,
                        "occurred_at": i.occurred_at,
                        "severity": i.severity,
                        "description": i.description,
                        "fallback_activated": i.fallback_activated,
                    }
                    for i in pilot.incidents.order_by("occurred_at", "pk")
                ],
            }
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["pilot", "kpi", "timestamp", "value"])
    for pilot_id, name, when, value in (
        PilotMeasurement.objects.filter(kpi__pilot__in=pilots)
        .order_by("kpi__pilot_id", "kpi__name", "measured_at", "pk")
        .values_list("kpi__pilot_id", "kpi__name", "measured_at", "value")
    ):
        writer.writerow(
            [
                pilot_id,
                pack_verifier.csv_text(name),
                hashing.format_time(when),
                repr(value),
            ]
        )
    return records, buffer.getvalue().encode("utf-8")


def _slice(
    solution: Solution,
    *,
    submission_ids: list[int],
    run_ids: list[int],
    suite_version_ids: list[int],
    pilot_ids: list[int],
    head: int,
) -> QuerySet[LedgerEntry]:
    scenario = solution.scenario
    subjects = [
        f"solution:{solution.pk}",
        f"scenario:{scenario.pk}",
        f"scenario:{scenario.code}",
        *(f"submission:{pk}" for pk in submission_ids),
        *(f"run:{pk}" for pk in run_ids),
        *(f"suite_version:{pk}" for pk in suite_version_ids),
        *(f"pilot:{pk}" for pk in pilot_ids),
    ]
    entries = ledger_slice(subjects=subjects, evidence=f"solution:{solution.pk}")
    return entries.filter(sequence__lte=head).exclude(kind=ISSUED_KIND)


# --- the pack ------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidencePack:
    solution_id: int
    audience: str
    # The ledger's head when the pack was built, and the last entry of its
    # slice (what the pack is "as of").
    head_sequence: int
    as_of_sequence: int
    # Every file by name, manifest.json included.
    files: dict[str, bytes]

    @property
    def manifest_sha256(self) -> str:
        return hashlib.sha256(self.files["manifest.json"]).hexdigest()

    @property
    def filename(self) -> str:
        return f"evidence-pack-solution-{self.solution_id}-{self.as_of_sequence}.zip"

    def archive(self) -> bytes:
        """The ZIP: sorted names, fixed times and permissions."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name in sorted(self.files):
                info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3  # Unix, whatever system builds it
                archive.writestr(info, self.files[name])
        return buffer.getvalue()


def _verifier_source() -> bytes:
    return Path(pack_verifier.__file__).read_bytes()


def evidence_pack_build(*, solution: Solution, user: AnyUser) -> EvidencePack:
    """Read everything the pack of ``solution`` holds for ``user``.

    Takes a solution the user may see (``selectors.get_solution_for_user``).
    The report is written in the active language.
    """
    head_sequence, _head_hash = ledger_head()
    audience = pack_audience(user, solution)
    submission_ids = _submission_ids(solution)
    submissions = list(
        Submission.objects.filter(pk__in=submission_ids)
        .select_related("blob")
        .order_by("pk")
    )
    suite_versions = list(
        SuiteVersion.objects.filter(submissions__in=submission_ids)
        .select_related("suite", "bundle")
        .distinct()
        .order_by("pk")
    )
    entries = _round_entries(solution, submission_ids)
    runs = _run_records(submission_ids)
    pilots, measurements = _pilot_records(solution)
    ledger = _slice(
        solution,
        submission_ids=submission_ids,
        run_ids=[r["id"] for r in runs],
        suite_version_ids=[v.pk for v in suite_versions],
        pilot_ids=[p["id"] for p in pilots],
        head=head_sequence,
    )
    records: dict[str, Any] = {
        "scenario.json": _scenario_record(solution),
        "suite_versions.json": _suite_version_records(suite_versions),
        "submissions.json": _submission_records(solution, submissions),
        "runs.json": runs,
        "transitions.json": _transition_records(solution),
        "reviews.json": _review_records(entries, audience),
        "cases.json": _case_records(entries, audience),
        "pilots.json": pilots,
    }
    files = {name: _json(value) for name, value in records.items()}
    files["measurements.csv"] = measurements
    ledger_entries = list(ledger)
    files["ledger.jsonl"] = "".join(ledger_export_lines(ledger)).encode("utf-8")
    # The pack is as of the last entry of its slice, not the ledger's head:
    # entries about other objects (and this pack's own issue entry) leave
    # its bytes alone.
    last = ledger_entries[-1] if ledger_entries else None
    as_of = (last.sequence, last.entry_hash) if last else (0, hashing.GENESIS_HASH)
    files[VERIFIER_NAME] = _verifier_source()
    language = translation.get_language() or "en"
    files["report.html"] = render_to_string(
        "lifecycle/evidence_pack_report.html",
        {
            "solution": solution,
            "audience": audience,
            "language": language,
            "head_sequence": as_of[0],
            "head_hash": as_of[1],
            "ledger": ledger_entries,
            **{name.split(".")[0]: _plain(value) for name, value in records.items()},
        },
    ).encode("utf-8")
    manifest = {
        "format": FORMAT,
        "solution": {
            "id": solution.pk,
            "name": solution.name,
            "scenario": solution.scenario.code,
            "vendor": solution.organisation.slug,
            "stage": solution.stage,
        },
        "audience": audience,
        "language": language,
        "as_of": {"sequence": as_of[0], "hash": as_of[1]},
        "note": (
            "The ledger slice was read before the evidence_pack.issued entry "
            "that records the SHA-256 of this file, and leaves out earlier "
            "evidence_pack.issued entries; as_of is its last entry."
        ),
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in sorted(files.items())
        },
    }
    files["manifest.json"] = _json(manifest)
    return EvidencePack(solution.pk, audience, head_sequence, as_of[0], files)


@transaction.atomic
def evidence_pack_issue(
    *, solution: Solution, user: AnyUser
) -> tuple[EvidencePack, LedgerEntry]:
    """Build the pack and record its issue in the ledger.

    The ``evidence_pack.issued`` entry holds the manifest's SHA-256, the
    audience and the head the slice ends at, so a pack handed on can be
    traced to the moment it was issued and to whom.
    """
    pack = evidence_pack_build(solution=solution, user=user)
    entry = ledger_append(
        kind=ISSUED_KIND,
        actor=user,
        subject=f"solution:{solution.pk}",
        organisation=solution.organisation,
        payload={
            "manifest_sha256": pack.manifest_sha256,
            "audience": pack.audience,
            "language": json.loads(pack.files["manifest.json"])["language"],
            "ledger_head": pack.head_sequence,
        },
        evidence=[f"solution:{solution.pk}"],
    )
    return pack, entry


def pack_against_ledger(
    files: dict[str, bytes], result: pack_verifier.Result
) -> list[str]:
    """Compare a pack with the live ledger; return the problems found.

    1. An ``evidence_pack.issued`` entry records the manifest's SHA-256.
    2. Every entry of the slice is in the ledger with the same entry hash.
    3. The live chain verifies from the first entry of the slice to the
       pack's head.
    """
    problems = []
    if not LedgerEntry.objects.filter(
        kind=ISSUED_KIND, payload__manifest_sha256=result.manifest_sha256
    ).exists():
        problems.append(
            f"ledger: no {ISSUED_KIND} entry records manifest {result.manifest_sha256}"
        )
    lines = [
        json.loads(line)
        for line in files.get("ledger.jsonl", b"").decode("utf-8").splitlines()
        if line.strip()
    ]
    stored = dict(
        LedgerEntry.objects.filter(
            sequence__in=[line.get("sequence") for line in lines]
        ).values_list("sequence", "entry_hash")
    )
    for line in lines:
        sequence = line.get("sequence")
        if stored.get(sequence) != line.get("entry_hash"):
            problems.append(
                f"ledger.jsonl: entry {sequence} differs from the ledger's entry "
                f"{sequence} ({stored.get(sequence, 'missing')})"
            )
    if lines:
        verification = ledger_verify(
            start=min(int(line["sequence"]) for line in lines),
            end=max(int(line["sequence"]) for line in lines),
        )
        if verification.broken is not None:
            problems.append(f"ledger: {verification.broken.describe()}")
    return problems
