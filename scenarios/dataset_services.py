"""Writes to the data registry: datasets, their versions and files, access
requests and the download log (数据集 + 分类分级).

Like ``scenarios.services``, every function checks its own preconditions and
raises ``ValidationError`` or ``PermissionDenied``.
"""

from __future__ import annotations

import errno
import hashlib
import mimetypes
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import NotificationCategory, Organisation, User
from portal.accounts.selectors import (
    AnyUser,
    organisation_ids_of,
    organisation_people_list,
    organisation_writer_list,
)
from portal.accounts.services import notification_send
from portal.ledger.services import ledger_append
from scenarios.models import (
    AccessPolicy,
    AccessRequest,
    Blob,
    Dataset,
    DatasetFile,
    DatasetVersion,
    DownloadLog,
    Scenario,
)
from scenarios.selectors import (
    can_decide_access_request,
    can_withdraw_access_request,
    can_write_scenario,
)

DATASET_FIELDS = [
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "source_zh",
    "source_en",
    "collection_zh",
    "collection_en",
    "fields",
    "time_span_start",
    "time_span_end",
    "resolution",
    "labelling_zh",
    "labelling_en",
    "completeness_pct",
    "licence",
    "classification",
    "access_policy",
]


@transaction.atomic
def dataset_create(
    *,
    scenario: Scenario,
    user: AnyUser,
    slug: str,
    data: dict[str, Any],
    is_demo: bool = False,
) -> Dataset:
    if not can_write_scenario(user, scenario):
        raise PermissionDenied
    if Dataset.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("A dataset with this slug already exists.")})
    dataset = Dataset(scenario=scenario, slug=slug, is_demo=is_demo)
    for field in DATASET_FIELDS:
        if field in data:
            setattr(dataset, field, data[field])
    dataset.full_clean()
    dataset.save()
    return dataset


@transaction.atomic
def dataset_update(*, dataset: Dataset, user: AnyUser, data: dict[str, Any]) -> Dataset:
    """Edit a datasheet. Tightening the policy withdraws open approvals."""
    if not can_write_scenario(user, dataset.scenario):
        raise PermissionDenied
    for field in DATASET_FIELDS:
        if field in data:
            setattr(dataset, field, data[field])
    dataset.full_clean()
    dataset.save()
    if dataset.access_policy == AccessPolicy.HIDDEN:
        AccessRequest.objects.filter(
            dataset=dataset,
            status__in=[AccessRequest.Status.PENDING, AccessRequest.Status.APPROVED],
        ).update(
            status=AccessRequest.Status.WITHDRAWN,
            decided_at=timezone.now(),
            decision_reason=str(_("The dataset no longer leaves the platform.")),
        )
    return dataset


STORE_FULL_MESSAGE = _(
    "The file store is full, so this file was not saved and nothing was "
    "changed. Please try again later; if it happens again, tell the "
    "platform's operators."
)


def _remove_if_partial(name: str, size: int) -> None:
    """Delete a file at a content address whose size is not the content's.

    Only a write cut short (a full disk, a crash) leaves one. A complete
    file is never touched, so stored blobs stay as they are.
    """
    try:
        if default_storage.exists(name) and default_storage.size(name) != size:
            default_storage.delete(name)
    except OSError:  # pragma: no cover - the store itself is unreadable
        pass


def blob_store(uploaded: File[Any]) -> Blob:
    """Store a file content-addressed by sha256; identical content is kept once.

    The hash is computed while streaming, so large files never sit in memory.
    Storage I/O happens outside any transaction on purpose: a failed upload
    leaves at most an unreferenced file, never a row without its file.
    """
    digest = hashlib.sha256()
    size = 0
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
        size += len(chunk)
    sha = digest.hexdigest()
    existing = Blob.objects.filter(sha256=sha).first()
    if existing is not None:
        return existing
    name = f"blobs/{sha[:2]}/{sha[2:4]}/{sha}"
    uploaded.seek(0)
    _remove_if_partial(name, size)
    if not default_storage.exists(name):
        try:
            stored = default_storage.save(name, uploaded)
        except OSError as exc:
            # A full disk leaves the bytes written so far under the content
            # address, where a later upload of the same content would find
            # and trust them.
            _remove_if_partial(name, size)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise ValidationError(STORE_FULL_MESSAGE, code="store_full") from exc
            raise
        if stored != name:  # pragma: no cover - storage renamed a racing upload
            default_storage.delete(stored)
    try:
        return Blob.objects.create(sha256=sha, size=size, storage_name=name)
    except IntegrityError:
        return Blob.objects.get(sha256=sha)


def dataset_version_create(
    *,
    dataset: Dataset,
    user: AnyUser,
    label: str,
    notes: str,
    files: Sequence[File[Any]],
) -> DatasetVersion:
    """Add a version with its files; hashes are computed on the way in."""
    if not can_write_scenario(user, dataset.scenario):
        raise PermissionDenied
    label = label.strip()
    if not label:
        raise ValidationError({"label": _("Give the version a label, such as 1.0.")})
    if dataset.versions.filter(label=label).exists():
        raise ValidationError({"label": _("This version label is already used.")})
    names = [getattr(f, "name", "") or "" for f in files]
    if len(set(names)) != len(names):
        raise ValidationError({"files": _("Two files have the same name.")})
    for uploaded in files:
        if (
            uploaded.size is not None
            and uploaded.size > settings.DATASET_FILE_MAX_BYTES
        ):
            raise ValidationError(
                {"files": _("A file is larger than the allowed size.")}
            )
    blobs = [(f, blob_store(f)) for f in files]
    with transaction.atomic():
        version = DatasetVersion.objects.create(
            dataset=dataset,
            label=label,
            notes=notes,
            created_by=user if isinstance(user, User) else None,
        )
        for uploaded, blob in blobs:
            base_name = (uploaded.name or "file").replace("\\", "/").rsplit("/", 1)[-1]
            DatasetFile.objects.create(
                version=version,
                name=base_name[:200],
                blob=blob,
                media_type=mimetypes.guess_type(base_name)[0]
                or "application/octet-stream",
            )
    return version


@transaction.atomic
def access_request_create(
    *, dataset: Dataset, organisation: Organisation, user: AnyUser, purpose: str
) -> AccessRequest:
    """A verified vendor asks for a dataset that needs approval."""
    if organisation.pk not in organisation_ids_of(user, kind=Organisation.Kind.VENDOR):
        raise PermissionDenied
    if dataset.access_policy != AccessPolicy.APPROVED:
        raise ValidationError(_("This dataset is not available by request."))
    if dataset.scenario.status != Scenario.Status.PUBLISHED:
        raise ValidationError(
            _("Requests are accepted only while the scenario is open.")
        )
    purpose = purpose.strip()
    if len(purpose) < 20:
        raise ValidationError(
            {"purpose": _("Describe the purpose in at least 20 characters.")}
        )
    if AccessRequest.objects.filter(
        dataset=dataset,
        organisation=organisation,
        status__in=[AccessRequest.Status.PENDING, AccessRequest.Status.APPROVED],
    ).exists():
        raise ValidationError(_("Your organisation already has an open request."))
    if not isinstance(user, User):  # unreachable: a membership implies a user
        raise PermissionDenied
    request = AccessRequest.objects.create(
        dataset=dataset,
        organisation=organisation,
        requested_by=user,
        purpose=purpose,
    )
    notification_send(
        category=NotificationCategory.SCENARIOS,
        users=organisation_writer_list([dataset.scenario.owner_id]),
        subject=format_lazy(
            _("{org} requests access to {dataset}"),
            org=organisation.name,
            dataset=dataset.slug,
        ),
        body=purpose,
        url=request.get_absolute_url(),
    )
    return request


def _ledger_access_request(kind: str, request: AccessRequest, user: AnyUser) -> None:
    """Append a decision on a data request to the ledger (可追溯).

    The reason stays in the request; the ledger keeps the facts.
    """
    ledger_append(
        kind=kind,
        actor=user,
        organisation=request.dataset.scenario.owner,
        subject=f"access_request:{request.pk}",
        payload={
            "dataset": request.dataset.slug,
            "requester": request.organisation.slug,
            "status": request.status,
        },
        evidence=[f"dataset:{request.dataset_id}"],
    )


@transaction.atomic
def access_request_decide(
    *, request: AccessRequest, user: AnyUser, approve: bool, reason: str
) -> AccessRequest:
    """The data owner approves or denies a pending request, with a reason."""
    if not can_decide_access_request(user, request):
        raise PermissionDenied
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Tell the requester why.")})
    status = AccessRequest.Status.APPROVED if approve else AccessRequest.Status.DENIED
    changed = AccessRequest.objects.filter(
        pk=request.pk, status=AccessRequest.Status.PENDING
    ).update(
        status=status,
        decided_by=user,
        decided_at=timezone.now(),
        decision_reason=reason,
    )
    if not changed:
        raise ValidationError(_("This request has already been decided."))
    request.refresh_from_db()
    _ledger_access_request("access_request.decided", request, user)
    notification_send(
        category=NotificationCategory.SCENARIOS,
        users=organisation_people_list([request.organisation_id]),
        subject=format_lazy(
            _("Access to {dataset}: {status}"),
            dataset=request.dataset.slug,
            status=request.get_status_display(),
        ),
        body=reason,
        url=request.get_absolute_url(),
    )
    return request


@transaction.atomic
def access_request_withdraw(*, request: AccessRequest, user: AnyUser) -> AccessRequest:
    if not can_withdraw_access_request(user, request):
        raise PermissionDenied
    AccessRequest.objects.filter(
        pk=request.pk, status=AccessRequest.Status.PENDING
    ).update(status=AccessRequest.Status.WITHDRAWN, decided_at=timezone.now())
    request.refresh_from_db()
    return request


@transaction.atomic
def access_request_revoke(
    *, request: AccessRequest, user: AnyUser, reason: str
) -> AccessRequest:
    """The owner withdraws an earlier approval; later downloads are refused."""
    if not can_decide_access_request(user, request):
        raise PermissionDenied
    if request.status != AccessRequest.Status.APPROVED:
        raise ValidationError(_("Only an approved request can be revoked."))
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the requester why.")})
    request.status = AccessRequest.Status.WITHDRAWN
    request.decision_reason = reason.strip()
    request.decided_by = user if isinstance(user, User) else None
    request.decided_at = timezone.now()
    request.save(
        update_fields=["status", "decision_reason", "decided_by", "decided_at"]
    )
    _ledger_access_request("access_request.revoked", request, user)
    notification_send(
        category=NotificationCategory.SCENARIOS,
        users=organisation_people_list([request.organisation_id]),
        subject=format_lazy(
            _("Access to {dataset} revoked"), dataset=request.dataset.slug
        ),
        body=request.decision_reason,
        url=request.get_absolute_url(),
    )
    return request


@transaction.atomic
def dataset_file_download_log(
    *,
    dataset_file: DatasetFile,
    user: AnyUser,
    organisation: Organisation | None,
    ip_address: str | None,
    via_api: bool,
) -> DownloadLog:
    """Record a download before the file is streamed, in the log and the
    ledger (the address stays in the log only)."""
    log = DownloadLog.objects.create(
        user=user if isinstance(user, User) else None,
        organisation=organisation,
        dataset_file=dataset_file,
        sha256=dataset_file.blob.sha256,
        ip_address=ip_address,
        via_api=via_api,
    )
    ledger_append(
        kind="dataset.downloaded",
        actor=user,
        organisation=organisation,
        subject=f"dataset_file:{dataset_file.pk}",
        payload={"file": dataset_file.name, "via_api": via_api},
        evidence=[f"blob:sha256:{log.sha256}", f"download:{log.pk}"],
    )
    return log
