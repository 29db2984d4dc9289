"""Writes to the ledger: appending entries and recording verifications.

No function here changes or removes an entry; on PostgreSQL a trigger
refuses it anyway (migration 0002).
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import NotificationCategory, Organisation, User
from portal.accounts.selectors import AnyUser, operator_list
from portal.accounts.services import notification_send
from portal.ledger import hashing
from portal.ledger.models import LedgerCheck, LedgerEntry
from portal.ledger.selectors import (
    BrokenLink,
    Verification,
    entry_content,
    ledger_verify,
)

logger = logging.getLogger(__name__)

# Key of the PostgreSQL advisory lock that serialises appends: "LEDGER" in
# ASCII. Any fixed 64-bit number works, as long as nothing else uses it.
APPEND_LOCK_KEY = 0x4C4544474552
# Key of the lock a scheduled verification holds: "LEDGERV".
VERIFY_LOCK_KEY = 0x4C454447455256

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


def _check_fields(verification: Verification) -> dict[str, Any]:
    broken = verification.broken
    return {
        "ok": verification.ok,
        "checked": verification.checked,
        "head_sequence": verification.head_sequence,
        "head_hash": verification.head_hash,
        "result": verification.as_dict(),
        "full": verification.start == 1 and verification.end is None,
        "broken_sequence": broken.sequence if broken else None,
        "message": broken.describe() if broken else "",
    }


@transaction.atomic
def ledger_check_record(
    *,
    verification: Verification,
    user: AnyUser | None,
    source: str = LedgerCheck.Source.PAGE,
) -> LedgerCheck:
    """Keep the outcome of a verification for the operator page."""
    return LedgerCheck.objects.create(
        ran_by=_user_or_none(user), source=source, **_check_fields(verification)
    )


def _try_verify_lock(using: str) -> bool:
    """Whether no other scheduled verification is running (PostgreSQL);
    held until the transaction ends."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [VERIFY_LOCK_KEY])
        row = cursor.fetchone()
    return bool(row and row[0])


def _alert_key(check: LedgerCheck, broken: BrokenLink) -> str:
    """The same break since the last intact whole-chain check has one key."""
    since = (
        LedgerCheck.objects.filter(ok=True, full=True, pk__lt=check.pk)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    ) or 0
    what = f"{broken.sequence}:{broken.check}:{broken.expected}:{broken.found}"
    return f"{since}:{hashlib.sha256(what.encode('utf-8')).hexdigest()[:40]}"


def _alert_operators(check: LedgerCheck, broken: BrokenLink, now: datetime) -> bool:
    """Notify every operator of a new break, once; return whether it was new.

    The unique ``alert_key`` is the claim: a second check that finds the
    same break (the next hour, or another machine) cannot take it.
    """
    key = _alert_key(check, broken)
    try:
        with transaction.atomic():
            LedgerCheck.objects.filter(pk=check.pk).update(
                alert_key=key, notified_at=now
            )
    except IntegrityError:
        return False
    check.alert_key, check.notified_at = key, now
    notification_send(
        users=operator_list(),
        subject=format_lazy(
            _("Ledger verification failed at entry {n}"), n=broken.sequence
        ),
        body=format_lazy(
            _(
                "The scheduled verification of the ledger found a broken link. "
                "{message} Entries checked before it: {checked}."
            ),
            # Described in each recipient's language.
            message=lazy(broken.describe, str)(),
            checked=check.checked,
        ),
        url=reverse("ledger:index"),
        category=NotificationCategory.LEDGER,
    )
    return True


def ledger_check_scheduled(*, now: datetime | None = None) -> LedgerCheck | None:
    """Verify the whole chain once per interval; alert on a new break.

    1. Claim the interval: insert its check row, whose ``slot`` is unique.
       A duplicate delivery, or beat on another machine, fails the insert
       (on PostgreSQL it waits for the first to commit) and returns None.
       On PostgreSQL a try-lock also keeps two intervals from verifying at
       once.
    2. Verify from entry 1 to the head and store the outcome in the row.
    3. On a break: log at ERROR, and notify every operator in the portal
       and by e-mail, unless the same break was already alerted since the
       chain last verified intact (``_alert_operators``).

    Everything happens in one transaction, so a crash leaves no half row
    and the next interval tries again.
    """
    moment = now or _now()
    interval = max(int(settings.LEDGER_VERIFY_INTERVAL_SECONDS), 1)
    slot = int(moment.timestamp()) // interval
    using = router.db_for_write(LedgerCheck)
    with transaction.atomic(using=using):
        if not _try_verify_lock(using):
            return None
        try:
            with transaction.atomic(using=using):
                check = LedgerCheck.objects.create(
                    ran_at=moment,
                    source=LedgerCheck.Source.SCHEDULE,
                    slot=slot,
                    ok=False,
                    checked=0,
                    head_hash="",
                )
        except IntegrityError:
            return None  # another run has this interval
        verification = ledger_verify()
        fields = _check_fields(verification)
        for name, value in fields.items():
            setattr(check, name, value)
        check.save(update_fields=list(fields))
        if verification.broken is not None:
            logger.error(
                "Ledger verification failed: %s", verification.broken.describe()
            )
            _alert_operators(check, verification.broken, moment)
    return check
