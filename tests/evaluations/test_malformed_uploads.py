"""Malformed uploads through the real upload view: refused, explained, nothing kept.

test_intake.py checks each intake rule in depth on files. This module sends
one file of every malformed kind the security issue lists through the
upload form a vendor uses, and checks the whole product's answer: a 400
with the refusal next to the file field, and nothing stored — no
submission, no blob row, no file under the media folder, no run queued.
A good package is accepted by the same path at the end, so the refusals
are not the form refusing everything.
"""

from __future__ import annotations

import io
import stat
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from evaluations.models import Submission
from scenarios.models import Blob
from tests.evaluations.helpers import make_prediction_suite, prediction_csv
from tests.evaluations.test_views_submit import SubmitViewTestCase

MANIFEST = (
    b'name = "Test forecaster"\nversion = "0.1.0"\nentrypoint = "model:predict"\n'
    b'description = "A test package."\ntask_kind = "forecasting"\n'
)
MODEL = b"def predict(history, exogenous, horizon):\n    return [0.0] * len(horizon)\n"
GOOD = [("solution.toml", MANIFEST), ("model.py", MODEL)]


def _zip(members) -> bytes:
    """(name, data) or (name, data, mode) members; mode defaults to a file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, *rest in members:
            mode = rest[0] if rest else stat.S_IFREG | 0o644
            info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
            info.create_system = 3
            info.external_attr = mode << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _tgz(entries) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for info, data in entries:
            if data is not None:
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


def _tar_member(name: str, kind: bytes = tarfile.REGTYPE, link: str = ""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info


def _nested_bomb() -> bytes:
    # A zip in a zip in a zip, the innermost 40 MB of zeros: each level is
    # small and incompressible, so only looking inside finds the bomb.
    inner = _zip([("zeros.bin", b"\0" * 40_000_000)])
    middle = _zip([("inner.zip", inner)])
    return _zip([*GOOD, ("data/weights.bin", middle)])


def _non_utf8_name() -> bytes:
    raw = bytearray(_zip([*GOOD, ("caf\u00e9.py", b"")]))
    # Rewrite the UTF-8 name as Latin-1 bytes of the same length plus a
    # padding byte, and clear the UTF-8 flag, in both headers.
    encoded = "caf\u00e9.py".encode()
    latin = b"caf\xe9.pyx"
    assert len(encoded) == len(latin)
    raw = bytearray(bytes(raw).replace(encoded, latin))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = -1
        while (position := bytes(raw).find(signature, position + 1)) != -1:
            raw[position + flag_offset + 1] &= ~0x08  # bit 11: names in UTF-8
    return bytes(raw)


CASES: dict[str, Callable[[], tuple[str, bytes]]] = {
    "not an archive": lambda: ("solution.zip", b"just some text, not a zip"),
    "wrong extension": lambda: ("solution.zip", b"%PDF-1.7\n" + b"x" * 200),
    "empty file": lambda: ("solution.zip", b""),
    "empty archive": lambda: ("solution.zip", _zip([])),
    "truncated zip": lambda: ("solution.zip", _zip(GOOD)[:-40]),
    "corrupt gzip": lambda: ("solution.tar.gz", _tgz([(_tar_member("a"), b"x")])[:30]),
    "zip bomb by ratio": lambda: (
        "solution.zip",
        _zip([*GOOD, ("z", b"\0" * 30_000_000)]),
    ),
    "zip bomb by nesting": lambda: ("solution.zip", _nested_bomb()),
    "path traversal": lambda: ("solution.zip", _zip([*GOOD, ("../../evil.py", b"")])),
    "absolute path": lambda: ("solution.zip", _zip([*GOOD, ("/etc/cron.d/x", b"")])),
    "symlink in zip": lambda: (
        "solution.zip",
        _zip([*GOOD, ("link", b"/etc/passwd", stat.S_IFLNK | 0o777)]),
    ),
    "hard link in tar": lambda: (
        "solution.tar.gz",
        _tgz(
            [(_tar_member(n), d) for n, d in GOOD]
            + [(_tar_member("h", tarfile.LNKTYPE, "/etc/shadow"), None)]
        ),
    ),
    "device file in tar": lambda: (
        "solution.tar.gz",
        _tgz(
            [(_tar_member(n), d) for n, d in GOOD]
            + [(_tar_member("dev", tarfile.CHRTYPE), None)]
        ),
    ),
    "fifo in tar": lambda: (
        "solution.tar.gz",
        _tgz(
            [(_tar_member(n), d) for n, d in GOOD]
            + [(_tar_member("pipe", tarfile.FIFOTYPE), None)]
        ),
    ),
    "duplicate names": lambda: ("solution.zip", _zip([*GOOD, ("model.py", b"x=1\n")])),
    "non-UTF-8 name": lambda: ("solution.zip", _non_utf8_name()),
    "no manifest": lambda: ("solution.zip", _zip([("model.py", MODEL)])),
    "huge manifest": lambda: (
        "solution.zip",
        _zip([("solution.toml", MANIFEST + b"#" * 200_000), ("model.py", MODEL)]),
    ),
    "invalid TOML": lambda: (
        "solution.zip",
        _zip([("solution.toml", b'name = "unterminated\n'), ("model.py", MODEL)]),
    ),
    "missing entrypoint module": lambda: (
        "solution.zip",
        _zip([("solution.toml", MANIFEST), ("other.py", MODEL)]),
    ),
    "bad entrypoint": lambda: (
        "solution.zip",
        _zip(
            [
                ("solution.toml", MANIFEST.replace(b"model:predict", b"os.system")),
                ("model.py", MODEL),
            ]
        ),
    ),
}


# What each case must be refused as: the intake code ending the message.
EXPECTED = {
    "not an archive": "unknown_format",
    "wrong extension": "unknown_format",
    "empty file": "empty",
    "empty archive": "manifest_missing",
    "truncated zip": "corrupt_archive",
    "corrupt gzip": "corrupt_archive",
    "zip bomb by ratio": "compression_ratio",
    "zip bomb by nesting": "compression_ratio",
    "path traversal": "parent_reference",
    "absolute path": "absolute_path",
    "symlink in zip": "symlink",
    "hard link in tar": "hard_link",
    "device file in tar": "special_file",
    "fifo in tar": "special_file",
    "duplicate names": "duplicate_name",
    "non-UTF-8 name": "name_not_utf8",
    "no manifest": "manifest_missing",
    "huge manifest": "manifest_too_large",
    "invalid TOML": "manifest_syntax",
    "missing entrypoint module": "entrypoint_missing",
    "bad entrypoint": "bad_entrypoint",
}


@override_settings(EVALUATION_PACKAGE_MAX_BYTES=2 * 1024 * 1024)
class MalformedUploadTests(SubmitViewTestCase):
    def _stored_files(self) -> list[Path]:
        media = Path(self.tmp / "media")
        return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []

    def assert_refused_and_nothing_kept(self, name: str, content: bytes) -> str:
        response = self.post(file=SimpleUploadedFile(name, content))
        self.assertEqual(response.status_code, 400, response.content[:300])
        errors = response.context["form"].errors.get("file", [])
        self.assertTrue(errors and len(errors[0]) > 20, errors)
        self.assertEqual(Submission.objects.count(), 0)
        self.assertEqual(Blob.objects.count(), 0)
        self.assertEqual(self._stored_files(), [])
        self.enqueued.assert_not_called()
        return errors[0]

    def test_every_malformed_package_is_refused_and_nothing_is_kept(self):
        self.login(self.alice)
        self.assertGreaterEqual(len(CASES) + 2, 15)
        for label, build in CASES.items():
            with self.subTest(label):
                message = self.assert_refused_and_nothing_kept(*build())
                expected = EXPECTED[label]
                if expected == "empty":  # the form's own check, before intake
                    self.assertIn("empty", message)
                else:
                    self.assertTrue(message.endswith(f"({expected})"), message)

    def test_an_oversized_upload_is_refused_and_nothing_is_kept(self):
        self.login(self.alice)
        message = self.assert_refused_and_nothing_kept(
            "solution.zip", _zip(GOOD) + b"\0" * (3 * 1024 * 1024)
        )
        self.assertIn("(archive_too_large)", message)

    def test_malformed_prediction_files_are_refused_and_nothing_is_kept(self):
        version = make_prediction_suite(self.scenario, self.tmp)
        stored_before = set(self._stored_files())
        blobs_before = Blob.objects.count()
        self.login(self.alice)
        good = prediction_csv().decode()
        bad = {
            "missing ids": "id,prediction\ns1,1\n",
            "NaN value": good.replace(",1\n", ",nan\n", 1),
            "extra column": good.replace("id,prediction", "id,prediction,x", 1),
            "not UTF-8": "id,prediction\n\xff\xfe,1\n",
            "parquet by name only": "PAR1 but not really",
        }
        for label, text in bad.items():
            with self.subTest(label):
                name = "p.parquet" if "parquet" in label else "p.csv"
                data = text.encode("latin-1") if label == "not UTF-8" else text.encode()
                response = self.post(
                    version,
                    file=SimpleUploadedFile(name, data),
                    name="Predictions",
                    version_label="1",
                )
                self.assertEqual(response.status_code, 400, label)
                self.assertTrue(response.context["form"].errors.get("file"))
                self.assertEqual(Submission.objects.count(), 0)
                self.assertEqual(Blob.objects.count(), blobs_before)
                self.assertEqual(set(self._stored_files()), stored_before)

    def test_a_good_package_still_passes_the_same_path(self):
        self.login(self.alice)
        response = self.post(file=SimpleUploadedFile("solution.zip", _zip(GOOD)))
        self.assertEqual(response.status_code, 302, response.content[:300])
        self.assertEqual(Submission.objects.count(), 1)
