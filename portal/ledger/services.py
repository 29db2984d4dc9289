"""Writes to the ledger: appending entries and recording verifications.

No function here changes or removes an entry; on PostgreSQL a trigger
refuses it anyway (migration 0002).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connections, router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import NotificationCategory, Organisation, User
from portal.accounts.selectors import AnyUser, operator_list
from portal.accounts.services import notification_send
from portal.ledger import hashing
from portal.ledger.models import LedgerCheck, LedgerEntry
from portal.ledger.selectors import Verification, entry_content

# Key of the PostgreSQL advisory lock that serialises appends: "LEDGER" in
# ASCII. Any fixed 64-bit number works, as long as nothing else uses it.
APPEND_LOCK_KEY = 0x4C4544474552

KIND_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
MAX_SUBJECT_LENGTH = 200
MAX_EVIDENCE_ITEMS = 1000
MAX_EVIDENCE_LENGTH = 200


def _now() -> datetime:
    """Return the current time. Used for mocking in tests."""
    return timezone.now()


def _user_or_none(user: AnyUser | None) -> User | None:
    # An anonymous visitor (a public download, say) is recorded as nobody.
    return user if isinstance(user, User) else None


def _checked_evidence(evidence: Iterable[str]) -> list[str]:
    items = list(evidence)
    if len(items) > MAX_EVIDENCE_ITEMS:
        raise ValueError(f"evidence: more than {MAX_EVIDENCE_ITEMS} items")
    for item in items:
        if not isinstance(item, str) or not item or len(item) > MAX_EVIDENCE_LENGTH:
            raise ValueError(f"evidence: {item!r} is not a reference string")
    return list(hashing.normalise(items, path="evidence"))


def _serialise_appends(using: str) -> None:
    """Make concurrent appends wait for each other until their commit.

    On PostgreSQL a transaction-scoped advisory lock: it is released when the
    caller's outermost transaction ends, so the next append reads the head
    only after this one is committed or rolled back. SQLite allows one
    writer at a time, and the unique sequence refuses a second head.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])


def ledger_append(
    *,
    kind: str,
    actor: AnyUser | None,
    subject: str,
    payload: dict[str, Any],
    evidence: Iterable[str] = (),
    true_actor: User | None = None,
    organisation: Organisation | None = None,
) -> LedgerEntry:
    """Append one entry to the chain, inside the caller's transaction.

    1. Check the kind (a dotted name), subject, evidence and payload; the
       payload is normalised (``hashing.normalise``) and must be a JSON
       object without NaN or infinities.
    2. Take the append lock, read the head, and number the entry after it.
    3. Hash the canonical content and chain it to the head's hash.
    4. Insert it. A rollback of the caller's transaction removes it again,
       so an action that did not happen leaves no entry.

    Call it late in a transaction: the lock is held until the commit, and
    every other append waits for it.
    """
    if not KIND_PATTERN.match(kind) or len(kind) > 100:
        raise ValueError(f"kind: {kind!r} is not a dotted event name")
    if not subject or len(subject) > MAX_SUBJECT_LENGTH:
        raise ValueError(f"subject: {subject!r} is empty or too long")
    if not isinstance(payload, dict):
        raise ValueError("payload: must be a JSON object")
    clean_payload = hashing.normalise(payload)
    clean_evidence = _checked_evidence(evidence)
    person = _user_or_none(actor)
    using = router.db_for_write(LedgerEntry)
    with transaction.atomic(using=using):
        _serialise_appends(using)
        head = (
            LedgerEntry.objects.using(using)
            .order_by("-sequence")
            .values_list("sequence", "entry_hash")
            .first()
        )
        sequence, prev_hash = (
            (head[0] + 1, head[1]) if head else (1, hashing.GENESIS_HASH)
        )
        entry = LedgerEntry(
            sequence=sequence,
            created_at=_now(),
            kind=kind,
            actor=person,
            actor_username=person.username if person else "",
            true_actor=true_actor,
            true_actor_username=true_actor.username if true_actor else "",
            organisation=organisation,
            organisation_slug=organisation.slug if organisation else "",
            subject=subject,
            payload=clean_payload,
            evidence=clean_evidence,
            prev_hash=prev_hash,
        )
        entry.content_hash = hashing.content_hash(entry_content(entry))
        entry.entry_hash = hashing.entry_hash(prev_hash, entry.content_hash)
        entry.save(using=using, force_insert=True)
    return entry


def _same_break(check: LedgerCheck | None, verification: Verification) -> bool:
    if check is None or check.ok or verification.broken is None:
        return False
    broken = (check.result or {}).get("broken") or {}
    return bool(
        broken.get("sequence") == verification.broken.sequence
        and broken.get("check") == verification.broken.check
    )


@transaction.atomic
def ledger_check_record(
    *, verification: Verification, user: AnyUser | None
) -> LedgerCheck:
    """Keep the outcome of a verification for the operator page.

    A broken chain is notified to the operators, in a category nobody can
    switch off; a check that finds the same break as the previous one does
    not notify again.
    """
    previous = LedgerCheck.objects.order_by("-ran_at", "-pk").first()
    check = LedgerCheck.objects.create(
        ran_by=_user_or_none(user),
        ok=verification.ok,
        checked=verification.checked,
        head_sequence=verification.head_sequence,
        head_hash=verification.head_hash,
        result=verification.as_dict(),
    )
    if verification.broken is not None and not _same_break(previous, verification):
        notification_send(
            users=operator_list(),
            subject=format_lazy(
                _("Ledger verification failed at entry {n}"),
                n=verification.broken.sequence,
            ),
            body=verification.broken.describe(),
            url=reverse("ledger:index"),
            category=NotificationCategory.LEDGER,
        )
    return check
