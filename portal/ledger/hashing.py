"""The canonical form of a ledger entry and its hashes (docs/ledger.md).

Pure functions on plain values, no Django: the same few lines verify an
exported slice offline.

1. The content of an entry is a JSON object with exactly the keys of
   ``CONTENT_KEYS``; ``actor`` and ``true_actor`` are ``{"id", "username"}``
   or null, ``organisation`` is ``{"id", "slug"}`` or null, ``created_at``
   is ISO 8601 in UTC with six digits of microseconds and a ``Z``.
2. It is serialised with sorted keys, the separators ``,`` and ``:``, no
   whitespace, non-ASCII characters written as themselves, and encoded as
   UTF-8 (``canonical_json``).
3. ``content_hash`` is the SHA-256 of those bytes, in lower-case hex;
   ``entry_hash`` is the SHA-256 of the ASCII text ``prev_hash +
   content_hash``.

Payloads are normalised before they are stored (``normalise``), so that a
value read back from the database serialises exactly as it did when hashed.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime
from typing import Any, TypedDict

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


class PersonRef(TypedDict):
    id: int
    username: str


class OrganisationRef(TypedDict):
    id: int
    slug: str


def canonical_json(value: Any) -> bytes:
    """Return the canonical UTF-8 JSON bytes of an already normalised value."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    ).encode("utf-8")


def normalise(value: Any, *, path: str = "payload") -> Any:
    """Return ``value`` as plain JSON data that survives a database round trip.

    Objects must have string keys; tuples become lists; a float with an
    integral value becomes an int (PostgreSQL's jsonb writes ``2e16`` back
    as ``20000000000000000``); NaN and infinities are refused, as are
    strings with a NUL character (jsonb refuses them) or with characters
    that UTF-8 cannot encode. Raise ``ValueError`` naming the bad place.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{path}: {value!r} is not a finite number")
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        _check_text(value, path)
        return str(value)
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: key {key!r} is not a string")
            _check_text(key, path)
            result[str(key)] = normalise(item, path=f"{path}.{key}")
        return result
    if isinstance(value, list | tuple):
        return [normalise(item, path=f"{path}[{i}]") for i, item in enumerate(value)]
    raise ValueError(f"{path}: {type(value).__name__} is not JSON data")


def _check_text(text: str, path: str) -> None:
    if "\x00" in text:
        raise ValueError(f"{path}: text contains a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{path}: text is not valid Unicode") from exc


def format_time(moment: datetime) -> str:
    """Return ``moment`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC."""
    if moment.tzinfo is None:
        raise ValueError("the time of a ledger entry must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def person_ref(user_id: int | None, username: str) -> PersonRef | None:
    return None if user_id is None else {"id": user_id, "username": username}


def organisation_ref(organisation_id: int | None, slug: str) -> OrganisationRef | None:
    return None if organisation_id is None else {"id": organisation_id, "slug": slug}


def content_of(
    *,
    sequence: int,
    created_at: str,
    kind: str,
    actor: PersonRef | None,
    true_actor: PersonRef | None,
    organisation: OrganisationRef | None,
    subject: str,
    payload: Any,
    evidence: list[str],
) -> dict[str, Any]:
    """Return the content object of an entry, keyed by ``CONTENT_KEYS``."""
    return {
        "actor": actor,
        "created_at": created_at,
        "evidence": evidence,
        "kind": kind,
        "organisation": organisation,
        "payload": payload,
        "sequence": sequence,
        "subject": subject,
        "true_actor": true_actor,
    }


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def entry_hash(prev_hash: str, content_digest: str) -> str:
    return hashlib.sha256((prev_hash + content_digest).encode("ascii")).hexdigest()
