"""Reads of the ledger: verification, slices, the operator list and export."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection
from django.db.models import Func, IntegerField, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext as _

from portal.ledger import hashing
from portal.ledger.models import LedgerCheck, LedgerEntry

_ROW_FIELDS = (
    "sequence",
    "created_at",
    "kind",
    "actor_id",
    "actor_username",
    "true_actor_id",
    "true_actor_username",
    "organisation_id",
    "organisation_slug",
    "subject",
    "payload",
    "evidence",
    "prev_hash",
    "content_hash",
    "entry_hash",
)


class Check:
    """What a broken link failed (``BrokenLink.check``)."""

    CONTENT = "content"  # the content no longer hashes to content_hash
    ENTRY = "entry"  # entry_hash is not the hash of prev_hash + content_hash
    CHAIN = "chain"  # prev_hash is not the previous entry's entry_hash
    GAP = "gap"  # a sequence number is skipped
    MISSING = "missing"  # an entry the range needs does not exist


@dataclass(frozen=True)
class BrokenLink:
    sequence: int
    check: str
    expected: str
    found: str

    def describe(self) -> str:
        """Say in plain words what is wrong."""
        n = self.sequence
        if self.check == Check.CONTENT:
            return _(
                "Entry %(n)d was changed after it was written: its content "
                "hashes to %(expected)s, but the stored content hash is %(found)s."
            ) % {"n": n, "expected": self.expected, "found": self.found}
        if self.check == Check.ENTRY:
            return _(
                "Entry %(n)d has a wrong entry hash: its previous hash and "
                "content hash give %(expected)s, but %(found)s is stored."
            ) % {"n": n, "expected": self.expected, "found": self.found}
        if self.check == Check.CHAIN:
            return _(
                "The chain is broken at entry %(n)d: it names %(found)s as the "
                "previous hash, but entry %(p)d hashes to %(expected)s."
            ) % {"n": n, "p": n - 1, "expected": self.expected, "found": self.found}
        if self.check == Check.GAP:
            return _("Entry %(n)d is missing: the entry after %(p)d is %(found)s.") % {
                "n": n,
                "p": n - 1,
                "found": self.found,
            }
        return _("Entry %(n)d is missing: %(found)s.") % {"n": n, "found": self.found}


@dataclass(frozen=True)
class Verification:
    """The outcome of ``ledger_verify``.

    ``head_sequence`` and ``head_hash`` are those of the last entry checked
    (sequence ``start - 1`` and its hash, or the genesis hash, when none
    was); ``total`` is the number of entries in the ledger.
    """

    ok: bool
    start: int
    end: int | None
    checked: int
    total: int
    head_sequence: int
    head_hash: str
    broken: BrokenLink | None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.broken is not None:
            data["broken"]["message"] = self.broken.describe()
        return data


def entry_content(entry: LedgerEntry) -> dict[str, Any]:
    """Return the content object that ``entry.content_hash`` covers."""
    return _content({f: getattr(entry, f) for f in _ROW_FIELDS})


def _content(row: dict[str, Any]) -> dict[str, Any]:
    return hashing.content_of(
        sequence=row["sequence"],
        created_at=hashing.format_time(row["created_at"]),
        kind=row["kind"],
        actor=hashing.person_ref(row["actor_id"], row["actor_username"]),
        true_actor=hashing.person_ref(row["true_actor_id"], row["true_actor_username"]),
        organisation=hashing.organisation_ref(
            row["organisation_id"], row["organisation_slug"]
        ),
        subject=row["subject"],
        payload=row["payload"],
        evidence=row["evidence"],
    )


def ledger_verify(
    *, start: int = 1, end: int | None = None, chunk_size: int = 2000
) -> Verification:
    """Recompute the chain from ``start`` to ``end`` (the head if None).

    1. Take the hash that entry ``start - 1`` ends with (the genesis hash
       for 1); it must exist.
    2. Stream the entries in sequence order, ``chunk_size`` rows at a time,
       so memory stays constant however long the ledger is.
    3. For each: the sequence follows the previous one (else a gap); its
       content hashes to its content hash; its previous hash is the previous
       entry's hash; its entry hash is the hash of the two.
    4. Stop at the first broken link. If ``end`` is given, every entry up to
       it must exist.
    """
    if start < 1 or (end is not None and end < start):
        raise ValueError("start must be at least 1 and end at least start")
    total = LedgerEntry.objects.count()
    prev_hash = hashing.GENESIS_HASH
    if start > 1:
        before = (
            LedgerEntry.objects.filter(sequence=start - 1)
            .values_list("entry_hash", flat=True)
            .first()
        )
        if before is None:
            return Verification(
                ok=False,
                start=start,
                end=end,
                checked=0,
                total=total,
                head_sequence=start - 1,
                head_hash="",
                broken=BrokenLink(
                    sequence=start - 1,
                    check=Check.MISSING,
                    expected="",
                    found=_("the entry before the range does not exist"),
                ),
            )
        prev_hash = before
    entries = LedgerEntry.objects.filter(sequence__gte=start)
    if end is not None:
        entries = entries.filter(sequence__lte=end)
    expected_sequence = start
    checked = 0
    broken: BrokenLink | None = None
    rows = entries.order_by("sequence").values(*_ROW_FIELDS).iterator(chunk_size)
    for row in rows:
        broken = _first_problem(row, expected_sequence, prev_hash)
        if broken is not None:
            break
        checked += 1
        prev_hash = row["entry_hash"]
        expected_sequence += 1
    if broken is None and end is not None and expected_sequence <= end:
        broken = BrokenLink(
            sequence=expected_sequence,
            check=Check.MISSING,
            expected="",
            found=_("the ledger ends at entry %(n)d") % {"n": expected_sequence - 1},
        )
    return Verification(
        ok=broken is None,
        start=start,
        end=end,
        checked=checked,
        total=total,
        head_sequence=start + checked - 1,
        head_hash=prev_hash,
        broken=broken,
    )


def _first_problem(
    row: dict[str, Any], expected_sequence: int, prev_hash: str
) -> BrokenLink | None:
    sequence = row["sequence"]
    if sequence != expected_sequence:
        return BrokenLink(
            sequence=expected_sequence,
            check=Check.GAP,
            expected=str(expected_sequence),
            found=str(sequence),
        )
    try:
        recomputed = hashing.content_hash(_content(row))
    except (TypeError, ValueError) as exc:
        # A tampered payload need not even be valid canonical JSON.
        recomputed = f"unhashable ({exc})"
    if recomputed != row["content_hash"]:
        return BrokenLink(
            sequence=sequence,
            check=Check.CONTENT,
            expected=recomputed,
            found=row["content_hash"],
        )
    if row["prev_hash"] != prev_hash:
        return BrokenLink(
            sequence=sequence,
            check=Check.CHAIN,
            expected=prev_hash,
            found=row["prev_hash"],
        )
    chained = hashing.entry_hash(row["prev_hash"], row["content_hash"])
    if chained != row["entry_hash"]:
        return BrokenLink(
            sequence=sequence,
            check=Check.ENTRY,
            expected=chained,
            found=row["entry_hash"],
        )
    return None


def ledger_head() -> tuple[int, str]:
    """Return the last entry's sequence and hash (0 and genesis when empty)."""
    head = (
        LedgerEntry.objects.order_by("-sequence")
        .values_list("sequence", "entry_hash")
        .first()
    )
    return head if head is not None else (0, hashing.GENESIS_HASH)


def ledger_slice(
    *,
    subject: str | None = None,
    evidence: str | None = None,
    subjects: Iterable[str] = (),
) -> QuerySet[LedgerEntry]:
    """Return the entries about an object, in sequence order.

    An entry belongs to the slice when its subject is ``subject`` (or one
    of ``subjects``) or when its evidence names ``evidence``; with several,
    when any holds. With none, the slice is empty.
    """
    condition = Q()
    if subject:
        condition |= Q(subject=subject)
    wanted = sorted(set(subjects))
    if wanted:
        condition |= Q(subject__in=wanted)
    if evidence:
        condition |= _evidence_names(evidence)
    if not condition:
        return LedgerEntry.objects.none()
    return LedgerEntry.objects.filter(condition).order_by("sequence")


def _evidence_names(ref: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(evidence__contains=[ref])
    # SQLite has no JSON containment lookup, and its LIKE ignores case. The
    # stored text of the list (Django writes it with json.dumps) holds each
    # reference as a quoted JSON string, so a case-sensitive search for the
    # quoted reference matches whole items only.
    position = Func(
        Cast("evidence", TextField()),
        Value(json.dumps(ref)),
        function="INSTR",
        output_field=IntegerField(),
    )
    return Q(GreaterThan(position, 0))


def ledger_entry_list(*, kind: str = "", subject: str = "") -> QuerySet[LedgerEntry]:
    """Entries for the operator page, newest first, filtered exactly."""
    # The snapshots (actor_username, organisation_slug) are what the page
    # shows, so no join is needed.
    entries = LedgerEntry.objects.all()
    if kind:
        entries = entries.filter(kind=kind)
    if subject:
        entries = entries.filter(subject=subject)
    return entries.order_by("-sequence")


def ledger_kind_list() -> list[str]:
    return list(
        LedgerEntry.objects.order_by("kind").values_list("kind", flat=True).distinct()
    )


def ledger_check_latest(*, source: str | None = None) -> LedgerCheck | None:
    checks = LedgerCheck.objects.select_related("ran_by")
    if source:
        checks = checks.filter(source=source)
    return checks.first()


def ledger_check_list(*, limit: int = 10) -> list[LedgerCheck]:
    """The latest checks, newest first, for the operator page."""
    return list(LedgerCheck.objects.select_related("ran_by")[:limit])


def export_line(entry: LedgerEntry) -> dict[str, Any]:
    """Return everything needed to re-verify ``entry`` offline.

    The keys of ``hashing.CONTENT_KEYS`` hold the content exactly as hashed;
    ``prev_hash``, ``content_hash`` and ``entry_hash`` are as stored.
    """
    line = entry_content(entry)
    line["prev_hash"] = entry.prev_hash
    line["content_hash"] = entry.content_hash
    line["entry_hash"] = entry.entry_hash
    return line


def ledger_export_lines(entries: QuerySet[LedgerEntry]) -> Iterator[str]:
    """Yield ``entries`` as JSON lines (one canonical JSON object each)."""
    for entry in entries.order_by("sequence").iterator(chunk_size=2000):
        yield hashing.canonical_json(export_line(entry)).decode("utf-8") + "\n"
