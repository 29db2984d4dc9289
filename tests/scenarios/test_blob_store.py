"""The content-addressed file store on a full disk.

tests/evaluations/test_faults.py fills a real tmpfs; here the storage's
write is cut short in-process, as a full disk cuts it.
"""

from __future__ import annotations

import errno
import hashlib
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase

from scenarios.dataset_services import STORE_FULL_MESSAGE, blob_store
from scenarios.models import Blob

CONTENT = b"half-hourly load, made up for this test\n" * 200


def _address(content: bytes) -> str:
    sha = hashlib.sha256(content).hexdigest()
    return f"blobs/{sha[:2]}/{sha[2:4]}/{sha}"


def _write_half_then_fail(name, content, max_length=None):
    """What FileSystemStorage leaves when the disk fills mid-write."""
    data = content.read()
    default_storage._save(name, ContentFile(data[: len(data) // 2]))
    raise OSError(errno.ENOSPC, "No space left on device")


class FullDiskTests(TestCase):
    def tearDown(self):
        default_storage.delete(_address(CONTENT))

    def test_it_refuses_with_a_clear_message_and_leaves_nothing(self):
        with (
            mock.patch.object(default_storage, "save", _write_half_then_fail),
            self.assertRaisesMessage(ValidationError, str(STORE_FULL_MESSAGE)),
        ):
            blob_store(ContentFile(CONTENT, name="upload"))

        self.assertIs(default_storage.exists(_address(CONTENT)), False)
        self.assertIs(Blob.objects.exists(), False)

    def test_it_stores_the_file_whole_once_there_is_room_again(self):
        with (
            mock.patch.object(default_storage, "save", _write_half_then_fail),
            self.assertRaises(ValidationError),
        ):
            blob_store(ContentFile(CONTENT, name="upload"))

        blob = blob_store(ContentFile(CONTENT, name="upload"))

        with default_storage.open(blob.storage_name, "rb") as stored:
            self.assertEqual(stored.read(), CONTENT)
        self.assertEqual(blob.size, len(CONTENT))

    def test_it_replaces_a_partial_file_left_by_a_crash(self):
        default_storage._save(_address(CONTENT), ContentFile(CONTENT[:10]))

        blob = blob_store(ContentFile(CONTENT, name="upload"))

        with default_storage.open(blob.storage_name, "rb") as stored:
            self.assertEqual(stored.read(), CONTENT)

    def test_other_storage_errors_are_not_called_full(self):
        def denied(name, content, max_length=None):
            raise PermissionError(errno.EACCES, "Permission denied")

        with (
            mock.patch.object(default_storage, "save", denied),
            self.assertRaisesMessage(PermissionError, "Permission denied"),
        ):
            blob_store(ContentFile(CONTENT, name="upload"))
