"""Intake checks on solution archives and prediction files.

Every archive here is built in tmp_path by the test itself; the hostile ones
are crafted byte by byte where zipfile or tarfile would refuse to write them.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import io
import os
import stat
import struct
import subprocess
import sys
import tarfile
import time
import warnings
import zipfile
from pathlib import Path

import pytest

from evaluations import intake
from evaluations.intake import (
    IntakeCode,
    IntakeError,
    IntakeLimits,
    extract_archive,
    inspect_archive,
    inspect_prediction_file,
    pack_solution,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "solutions"

MANIFEST = b"""\
name = "Test forecaster"
version = "0.1.0"
entrypoint = "model:predict"
description = "A test package."
task_kind = "forecasting"
"""
MODEL = b"def predict(history, exogenous, horizon):\n    return [0.0] * len(horizon)\n"
GOOD = [("solution.toml", MANIFEST), ("model.py", MODEL)]


# -- Builders ---------------------------------------------------------------


def make_zip(path: Path, members, *, mode: int = 0o644) -> Path:
    """Write a zip of (name, bytes) pairs; a name ending in "/" is a folder."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members:
                info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
                info.create_system = 3
                kind = (
                    stat.S_IFDIR | 0o755 if name.endswith("/") else stat.S_IFREG | mode
                )
                info.external_attr = kind << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
    return path


def make_tgz(path: Path, members, **tar_options) -> Path:
    """Write a .tar.gz of (TarInfo or name, bytes or None) pairs."""
    with tarfile.open(path, "w:gz", **tar_options) as archive:
        for member, data in members:
            info = (
                member
                if isinstance(member, tarfile.TarInfo)
                else tarfile.TarInfo(member)
            )
            if data is not None:
                info.size = len(data)
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def tar_entry(
    name: str, kind: bytes, linkname: str = ""
) -> tuple[tarfile.TarInfo, None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info, None


def patch_zip_central(
    path: Path, offset: int, fmt: str, value: int, index: int = 0
) -> None:
    """Overwrite a field of the index-th central directory entry."""
    data = bytearray(path.read_bytes())
    pos = -1
    for _ in range(index + 1):
        pos = data.index(b"PK\x01\x02", pos + 1)
    struct.pack_into(fmt, data, pos + offset, value)
    path.write_bytes(bytes(data))


def replace_bytes(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert len(old) == len(new) and old in data
    path.write_bytes(data.replace(old, new))


def refused(path: Path, code: str, **kwargs) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        inspect_archive(path, **kwargs)
    assert caught.value.code == code, caught.value.message
    assert caught.value.message  # every refusal explains itself
    return caught.value


# -- Accepted archives ------------------------------------------------------


def test_it_accepts_a_good_zip_and_reports_it(tmp_path):
    path = make_zip(tmp_path / "solution.zip", GOOD)
    report = inspect_archive(path)
    assert report.format == "zip"
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert report.archive_bytes == path.stat().st_size
    assert [m.name for m in report.members] == ["solution.toml", "model.py"]
    assert report.total_bytes == len(MANIFEST) + len(MODEL)
    assert report.manifest["entrypoint"] == "model:predict"
    assert report.manifest["task_kind"] == "forecasting"
    assert report.root == ""


def test_it_accepts_a_tgz_judged_by_content_not_name(tmp_path):
    path = make_tgz(tmp_path / "upload.zip", GOOD)
    report = inspect_archive(path)
    assert report.format == "tar.gz"
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_it_strips_a_single_top_level_folder(tmp_path):
    members = [("pkg/", b""), ("pkg/solution.toml", MANIFEST), ("pkg/model.py", MODEL)]
    report = inspect_archive(make_zip(tmp_path / "a.zip", members))
    assert report.root == "pkg"
    assert sorted(m.name for m in report.members) == ["model.py", "solution.toml"]
    tar_members = [("./pkg/solution.toml", MANIFEST), ("./pkg/model.py", MODEL)]
    report = inspect_archive(make_tgz(tmp_path / "a.tgz", tar_members))
    assert report.root == "pkg"


def test_it_accepts_a_package_entrypoint(tmp_path):
    manifest = MANIFEST.replace(b"model:predict", b"my_pkg.core:predict")
    members = [
        ("solution.toml", manifest),
        ("my_pkg/__init__.py", b""),
        ("my_pkg/core/__init__.py", MODEL),
    ]
    report = inspect_archive(make_zip(tmp_path / "a.zip", members))
    assert report.manifest["entrypoint"] == "my_pkg.core:predict"


# -- Format and size ------------------------------------------------------------


def test_it_refuses_what_is_not_an_archive(tmp_path):
    text = tmp_path / "a.zip"
    text.write_text("id,prediction\n")
    refused(text, IntakeCode.UNKNOWN_FORMAT)
    plain_tar = tmp_path / "a.tar"
    with tarfile.open(plain_tar, "w") as archive:
        archive.addfile(tarfile.TarInfo("x"), io.BytesIO(b""))
    err = refused(plain_tar, IntakeCode.UNKNOWN_FORMAT)
    assert "uncompressed tar" in err.message


def test_it_refuses_an_archive_over_the_size_cap(tmp_path):
    path = make_zip(tmp_path / "a.zip", GOOD)
    err = refused(
        path, IntakeCode.ARCHIVE_TOO_LARGE, limits=IntakeLimits(archive_bytes=100)
    )
    assert "the limit is 100 bytes" in err.message


def test_it_refuses_damaged_archives(tmp_path):
    path = make_zip(tmp_path / "a.zip", GOOD)
    path.write_bytes(path.read_bytes()[:-30])
    refused(path, IntakeCode.CORRUPT_ARCHIVE)
    garbage = tmp_path / "b.tgz"
    garbage.write_bytes(b"\x1f\x8b" + os.urandom(200))
    refused(garbage, IntakeCode.CORRUPT_ARCHIVE)
    not_tar = tmp_path / "c.tgz"
    not_tar.write_bytes(gzip.compress(b"id,prediction\n1,2\n" * 10))
    refused(not_tar, IntakeCode.CORRUPT_ARCHIVE)


def test_it_refuses_too_many_members(tmp_path):
    members = GOOD + [(f"data/{i}.txt", b"x") for i in range(5)]
    limits = IntakeLimits(members=6)
    err = refused(
        make_zip(tmp_path / "a.zip", members),
        IntakeCode.TOO_MANY_MEMBERS,
        limits=limits,
    )
    assert "more than 6 files" in err.message
    refused(
        make_tgz(tmp_path / "a.tgz", members),
        IntakeCode.TOO_MANY_MEMBERS,
        limits=limits,
    )


def test_it_refuses_a_zip_bomb_by_its_ratio(tmp_path):
    members = [*GOOD, ("weights.bin", bytes(20 * 1024 * 1024))]
    err = refused(
        make_zip(tmp_path / "bomb.zip", members), IntakeCode.COMPRESSION_RATIO
    )
    assert "100:1" in err.message


def test_it_refuses_a_tgz_bomb_while_streaming(tmp_path):
    members = [*GOOD, ("weights.bin", bytes(20 * 1024 * 1024))]
    path = make_tgz(tmp_path / "bomb.tgz", members)
    assert path.stat().st_size < 100_000
    refused(path, IntakeCode.COMPRESSION_RATIO)


def test_it_refuses_contents_over_the_total_cap(tmp_path):
    members = [*GOOD, ("weights.bin", os.urandom(5000))]
    limits = IntakeLimits(total_bytes=4000)
    refused(
        make_zip(tmp_path / "a.zip", members),
        IntakeCode.TOO_LARGE_UNCOMPRESSED,
        limits=limits,
    )
    refused(
        make_tgz(tmp_path / "a.tgz", members),
        IntakeCode.TOO_LARGE_UNCOMPRESSED,
        limits=limits,
    )


def test_it_refuses_a_zip_whose_header_understates_or_overstates_a_size(tmp_path):
    members = [*GOOD, ("data.txt", b"0123456789" * 100)]
    smaller = make_zip(tmp_path / "smaller.zip", members)
    # Uncompressed size lives at offset 24 of a central directory entry.
    patch_zip_central(smaller, 24, "<I", 10, index=2)
    refused(smaller, IntakeCode.CORRUPT_ARCHIVE)  # stops at 10 bytes: bad CRC
    larger = make_zip(tmp_path / "larger.zip", members)
    patch_zip_central(larger, 24, "<I", 5000, index=2)
    refused(larger, IntakeCode.SIZE_MISMATCH)


def test_it_refuses_a_huge_pax_header(tmp_path):
    path = make_tgz(
        tmp_path / "a.tgz",
        [*GOOD],
        format=tarfile.PAX_FORMAT,
        pax_headers={"comment": "x" * (2 * 1024 * 1024)},
    )
    err = refused(path, IntakeCode.CORRUPT_ARCHIVE)
    assert "extended header" in err.message


def test_it_refuses_encrypted_members(tmp_path):
    path = make_zip(tmp_path / "a.zip", GOOD)
    patch_zip_central(path, 8, "<H", 0x1, index=1)  # general-purpose flags
    refused(path, IntakeCode.ENCRYPTED_MEMBER)


# -- Names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("../x.py", IntakeCode.PARENT_REFERENCE),
        ("lib/../../x.py", IntakeCode.PARENT_REFERENCE),
        ("/etc/cron.d/x", IntakeCode.ABSOLUTE_PATH),
        ("lib\\x.py", IntakeCode.BACKSLASH),
        ("C:/x.py", IntakeCode.DRIVE_LETTER),
        ("bad\nname.py", IntakeCode.BAD_CHARACTER),
        ("x" * 256 + ".py", IntakeCode.NAME_TOO_LONG),
        ("/".join(["d" * 250] * 17) + "/x.py", IntakeCode.PATH_TOO_LONG),
    ],
)
def test_it_refuses_unsafe_names(tmp_path, name, code):
    refused(make_zip(tmp_path / "a.zip", [*GOOD, (name, b"x")]), code)
    refused(
        make_tgz(tmp_path / "a.tgz", [*GOOD, (name, b"x")], format=tarfile.PAX_FORMAT),
        code,
    )


def test_it_refuses_names_that_are_not_utf8(tmp_path):
    # Zip without the UTF-8 flag: the stored bytes must still decode.
    plain = make_zip(tmp_path / "plain.zip", [*GOOD, ("cafX.py", b"x")])
    replace_bytes(plain, b"cafX", b"caf\xe9")
    refused(plain, IntakeCode.NAME_NOT_UTF8)
    # Zip with the UTF-8 flag and invalid bytes.
    flagged = make_zip(tmp_path / "flagged.zip", [*GOOD, ("café.py", b"x")])
    replace_bytes(flagged, "é".encode(), b"\xff\xfe")
    refused(flagged, IntakeCode.NAME_NOT_UTF8)
    # Tar written in Latin-1.
    latin = make_tgz(
        tmp_path / "latin.tgz",
        [*GOOD, ("café.py", b"x")],
        format=tarfile.USTAR_FORMAT,
        encoding="latin-1",
    )
    refused(latin, IntakeCode.NAME_NOT_UTF8)


def test_it_refuses_duplicate_names(tmp_path):
    twice = make_zip(tmp_path / "a.zip", [*GOOD, ("model.py", MODEL)])
    refused(twice, IntakeCode.DUPLICATE_NAME)
    dotted = make_tgz(tmp_path / "a.tgz", [*GOOD, ("./model.py", MODEL)])
    refused(dotted, IntakeCode.DUPLICATE_NAME)
    file_and_folder = make_zip(
        tmp_path / "b.zip", [*GOOD, ("lib", b"x"), ("lib/a.py", b"")]
    )
    err = refused(file_and_folder, IntakeCode.DUPLICATE_NAME)
    assert "both a file and a folder" in err.message


# -- Member types -------------------------------------------------------------------


def test_it_refuses_a_symlink_in_a_tar(tmp_path):
    path = make_tgz(
        tmp_path / "a.tgz", [*GOOD, tar_entry("labels", tarfile.SYMTYPE, "/etc/passwd")]
    )
    err = refused(path, IntakeCode.SYMLINK)
    assert "/etc/passwd" in err.message


def test_it_refuses_a_symlink_in_a_zip(tmp_path):
    path = make_zip(tmp_path / "a.zip", [*GOOD, ("labels", b"/etc/passwd")], mode=0o777)
    patch_zip_central(path, 38, "<I", (stat.S_IFLNK | 0o777) << 16, index=2)
    refused(path, IntakeCode.SYMLINK)


def test_it_refuses_a_hard_link_in_a_tar(tmp_path):
    path = make_tgz(
        tmp_path / "a.tgz", [*GOOD, tar_entry("copy.py", tarfile.LNKTYPE, "model.py")]
    )
    refused(path, IntakeCode.HARD_LINK)


@pytest.mark.parametrize("kind", [tarfile.FIFOTYPE, tarfile.CHRTYPE, tarfile.BLKTYPE])
def test_it_refuses_fifos_and_devices_in_a_tar(tmp_path, kind):
    path = make_tgz(tmp_path / "a.tgz", [*GOOD, tar_entry("dev", kind)])
    refused(path, IntakeCode.SPECIAL_FILE)


def test_it_refuses_a_fifo_in_a_zip(tmp_path):
    path = make_zip(tmp_path / "a.zip", [*GOOD, ("pipe", b"")])
    patch_zip_central(path, 38, "<I", (stat.S_IFIFO | 0o644) << 16, index=2)
    refused(path, IntakeCode.SPECIAL_FILE)


# -- The manifest ---------------------------------------------------------------------


def test_it_refuses_an_archive_without_a_manifest(tmp_path):
    err = refused(
        make_zip(tmp_path / "a.zip", [("model.py", MODEL)]), IntakeCode.MANIFEST_MISSING
    )
    assert "solution.toml" in err.message
    two_folders = [
        ("a/solution.toml", MANIFEST),
        ("a/model.py", MODEL),
        ("b/x.py", b""),
    ]
    refused(make_zip(tmp_path / "b.zip", two_folders), IntakeCode.MANIFEST_MISSING)
    refused(make_zip(tmp_path / "c.zip", []), IntakeCode.MANIFEST_MISSING)


@pytest.mark.parametrize(
    ("manifest", "code", "words"),
    [
        (b"name = [unclosed", IntakeCode.MANIFEST_SYNTAX, "not valid TOML"),
        (b"\xff\xfe", IntakeCode.MANIFEST_SYNTAX, "UTF-8"),
        (
            MANIFEST.replace(b'name = "Test forecaster"\n', b""),
            IntakeCode.MANIFEST_FIELD,
            "has no name",
        ),
        (
            MANIFEST.replace(b'"Test forecaster"', b'"' + b"n" * 101 + b'"'),
            IntakeCode.MANIFEST_FIELD,
            "1–100",
        ),
        (
            MANIFEST.replace(b'"0.1.0"', b"1"),
            IntakeCode.MANIFEST_FIELD,
            "quoted string",
        ),
        (
            MANIFEST.replace(b'description = "A test package."\n', b""),
            IntakeCode.MANIFEST_FIELD,
            "description",
        ),
        (
            MANIFEST.replace(b'"forecasting"', b'"regression"'),
            IntakeCode.MANIFEST_FIELD,
            "task_kind",
        ),
        (
            MANIFEST.replace(b'entrypoint = "model:predict"\n', b""),
            IntakeCode.BAD_ENTRYPOINT,
            "needs an entrypoint",
        ),
        (
            MANIFEST.replace(b"model:predict", b"model.predict"),
            IntakeCode.BAD_ENTRYPOINT,
            "module:function",
        ),
        (
            MANIFEST.replace(b"model:predict", b"model:predict()"),
            IntakeCode.BAD_ENTRYPOINT,
            "module:function",
        ),
        (
            MANIFEST.replace(b"model:predict", b"1model:predict"),
            IntakeCode.BAD_ENTRYPOINT,
            "module:function",
        ),
        (
            MANIFEST.replace(b"model:predict", b"class:predict"),
            IntakeCode.BAD_ENTRYPOINT,
            "module:function",
        ),
        (
            MANIFEST.replace(b"model:predict", b"model:predict\n"),
            IntakeCode.MANIFEST_SYNTAX,
            "TOML",
        ),
    ],
)
def test_it_checks_the_manifest_fields(tmp_path, manifest, code, words):
    err = refused(
        make_zip(
            tmp_path / "a.zip", [("solution.toml", manifest), ("model.py", MODEL)]
        ),
        code,
    )
    assert words in err.message


def test_it_refuses_an_entrypoint_whose_module_is_missing(tmp_path):
    err = refused(
        make_zip(
            tmp_path / "a.zip", [("solution.toml", MANIFEST), ("other.py", MODEL)]
        ),
        IntakeCode.ENTRYPOINT_MISSING,
    )
    assert "model.py or model/__init__.py" in err.message


def test_it_refuses_an_oversized_manifest(tmp_path):
    manifest = MANIFEST + b"# " + b"x" * (70 * 1024) + b"\n"
    refused(
        make_zip(
            tmp_path / "a.zip", [("solution.toml", manifest), ("model.py", MODEL)]
        ),
        IntakeCode.MANIFEST_TOO_LARGE,
    )


# -- Extraction -------------------------------------------------------------------------


def tree(folder: Path) -> dict[str, tuple[str, int]]:
    """Map each path under folder to its kind and permission bits."""
    found = {}
    for current, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(current, name)
            mode = path.lstat().st_mode
            kind = (
                "dir"
                if stat.S_ISDIR(mode)
                else "file"
                if stat.S_ISREG(mode)
                else "other"
            )
            found[path.relative_to(folder).as_posix()] = (kind, stat.S_IMODE(mode))
    return found


def test_it_extracts_regular_files_and_folders_only(tmp_path):
    members = [
        ("pkg/", b""),
        ("pkg/solution.toml", MANIFEST),
        ("pkg/model.py", MODEL),
        ("pkg/lib/deep/x.py", b"x = 1\n"),
    ]
    path = make_zip(tmp_path / "a.zip", members, mode=0o4777)  # setuid, world-writable
    report = inspect_archive(path)
    dest = tmp_path / "code"
    extract_archive(path, dest, report)
    assert tree(dest) == {
        "solution.toml": ("file", 0o644),
        "model.py": ("file", 0o644),
        "lib": ("dir", 0o755),
        "lib/deep": ("dir", 0o755),
        "lib/deep/x.py": ("file", 0o644),
    }
    assert (dest / "model.py").read_bytes() == MODEL
    assert stat.S_IMODE(dest.stat().st_mode) == 0o755


def test_it_extracts_a_tgz_into_an_existing_empty_folder(tmp_path):
    path = make_tgz(tmp_path / "a.tgz", [tar_entry(".", tarfile.DIRTYPE), *GOOD])
    dest = tmp_path / "code"
    dest.mkdir()
    extract_archive(path, dest, inspect_archive(path))
    assert sorted(os.listdir(dest)) == ["model.py", "solution.toml"]


def test_it_refuses_to_extract_into_a_used_destination(tmp_path):
    path = make_zip(tmp_path / "a.zip", GOOD)
    report = inspect_archive(path)
    dest = tmp_path / "code"
    dest.mkdir()
    (dest / "model.py").write_text("keep me")
    with pytest.raises(IntakeError) as caught:
        extract_archive(path, dest, report)
    assert caught.value.code == IntakeCode.DESTINATION_NOT_EMPTY
    empty = tmp_path / "empty"
    empty.mkdir()
    link = tmp_path / "link"
    link.symlink_to(empty)
    with pytest.raises(IntakeError) as caught:
        extract_archive(path, link, report)
    assert caught.value.code == IntakeCode.DESTINATION_NOT_EMPTY


def test_it_never_overwrites_or_follows_links(tmp_path, monkeypatch):
    """Even if something appears in dest after the emptiness check."""
    path = make_zip(
        tmp_path / "a.zip",
        [("solution.toml", MANIFEST), ("model.py", MODEL), ("lib/x.py", b"")],
    )
    report = inspect_archive(path)
    dest = tmp_path / "code"
    dest.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (dest / "lib").symlink_to(outside)
    (dest / "model.py").write_text("keep me")
    monkeypatch.setattr(
        "evaluations.intake.archives._has_children", lambda folder: False
    )
    with pytest.raises(IntakeError) as caught:
        extract_archive(path, dest, report)
    assert caught.value.code == IntakeCode.DESTINATION_EXISTS
    assert (dest / "model.py").read_text() == "keep me"
    assert list(outside.iterdir()) == []
    # What this extraction created (solution.toml) is gone again.
    assert sorted(os.listdir(dest)) == ["lib", "model.py"]


def test_it_refuses_to_extract_an_archive_that_changed(tmp_path):
    path = make_zip(tmp_path / "a.zip", GOOD)
    report = inspect_archive(path)
    make_zip(path, [*GOOD, ("extra.py", b"")])
    with pytest.raises(IntakeError) as caught:
        extract_archive(path, tmp_path / "code", report)
    assert caught.value.code == IntakeCode.ARCHIVE_CHANGED
    assert not (tmp_path / "code").exists()


def test_it_enforces_the_caps_while_writing(tmp_path):
    path = make_tgz(tmp_path / "a.tgz", [*GOOD, ("weights.bin", os.urandom(5000))])
    report = inspect_archive(path)
    tighter = dataclasses.replace(report, limits=IntakeLimits(total_bytes=3000))
    with pytest.raises(IntakeError) as caught:
        extract_archive(path, tmp_path / "code", tighter)
    assert caught.value.code == IntakeCode.TOO_LARGE_UNCOMPRESSED
    assert not (tmp_path / "code").exists()


# -- Packing the examples ----------------------------------------------------------------


def test_the_examples_pack_deterministically_and_pass_intake(tmp_path):
    folders = sorted(p.parent for p in EXAMPLES.glob("*/solution.toml"))
    assert [f.name for f in folders] == [
        "classification-logistic",
        "event-detection-zscore",
        "forecasting-ridge",
        "forecasting-seasonal-naive",
        "scada-fleet-detector",
        "scada-power-curve-residual",
        "scada-power-ratio",
        "wind-lightgbm",
        "wind-mos-lightgbm",
        "wind-power-curve",
        "wind-robust-ensemble",
    ]
    for folder in folders:
        first = tmp_path / f"{folder.name}-1.zip"
        sha = pack_solution(folder, first)
        time.sleep(0.01)
        second = tmp_path / f"{folder.name}-2.zip"
        assert pack_solution(folder, second) == sha
        assert first.read_bytes() == second.read_bytes()
        report = inspect_archive(first)
        assert report.sha256 == sha
        assert report.manifest["task_kind"] in intake.TASK_KINDS
        assert not any("__pycache__" in m.name for m in report.members)


def test_the_build_script_writes_to_the_given_folder(tmp_path):
    result = subprocess.run(  # noqa: S603 - the repository's own script, test paths
        [sys.executable, str(EXAMPLES / "build.py"), "--dist", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "classification-logistic.zip",
        "event-detection-zscore.zip",
        "forecasting-ridge.zip",
        "forecasting-seasonal-naive.zip",
        "scada-fleet-detector.zip",
        "scada-power-curve-residual.zip",
        "scada-power-ratio.zip",
        "wind-lightgbm.zip",
        "wind-mos-lightgbm.zip",
        "wind-power-curve.zip",
        "wind-robust-ensemble.zip",
    ]
    assert len(result.stdout.splitlines()) == 11


# -- Prediction files ------------------------------------------------------------------------

IDS = ["a", "b", "c"]


def write_csv(tmp_path: Path, text: str, name: str = "p.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def write_parquet(tmp_path: Path, columns: dict) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "p.parquet"
    pq.write_table(pa.table(columns), path)
    return path


def prediction_refused(
    path: Path, code: str, *, ids=IDS, kind="forecasting", **kwargs
) -> str:
    with pytest.raises(IntakeError) as caught:
        inspect_prediction_file(path, expected_ids=ids, kind=kind, **kwargs)
    assert caught.value.code == code, caught.value.message
    return caught.value.message


def test_a_csv_is_returned_in_expected_id_order(tmp_path):
    path = write_csv(tmp_path, "\ufeffprediction,id\n2.5,b\n-1e3,c\n1,a\n")
    assert inspect_prediction_file(path, expected_ids=IDS, kind="forecasting") == [
        1.0,
        2.5,
        -1000.0,
    ]


def test_numeric_ids_match_their_text(tmp_path):
    path = write_csv(tmp_path, "id,prediction\n1,0.1\n2,0.2\n")
    assert inspect_prediction_file(
        path, expected_ids=[2, 1], kind="event_detection"
    ) == [0.2, 0.1]


def test_a_prediction_file_must_cover_every_id_exactly_once(tmp_path):
    message = prediction_refused(
        write_csv(tmp_path, "id,prediction\na,1\nb,2\n"), IntakeCode.MISSING_IDS
    )
    assert "1 of 3 ids" in message and "'c'" in message
    message = prediction_refused(
        write_csv(tmp_path, "id,prediction\na,1\nb,2\nc,3\nb,2\n"),
        IntakeCode.DUPLICATE_IDS,
    )
    assert "'b'" in message
    message = prediction_refused(
        write_csv(tmp_path, "id,prediction\na,1\nb,2\nc,3\nz,4\n"),
        IntakeCode.UNEXPECTED_IDS,
    )
    assert "'z'" in message


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("nan", IntakeCode.NOT_FINITE),
        ("NaN", IntakeCode.NOT_FINITE),
        ("-inf", IntakeCode.NOT_FINITE),
        ("1e999", IntakeCode.NOT_FINITE),
        ("", IntakeCode.MISSING_VALUE),
        ("high", IntakeCode.NOT_A_NUMBER),
        ("1_000", IntakeCode.NOT_A_NUMBER),
    ],
)
def test_csv_values_are_finite_numbers(tmp_path, value, code):
    path = write_csv(tmp_path, f"id,prediction\na,1\nb,{value}\nc,3\n")
    message = prediction_refused(path, code)
    assert "'b'" in message


def test_csv_columns_are_exactly_id_and_prediction(tmp_path):
    prediction_refused(
        write_csv(tmp_path, "id,prediction,extra\na,1,x\n"), IntakeCode.WRONG_COLUMNS
    )
    prediction_refused(write_csv(tmp_path, "a,1\nb,2\nc,3\n"), IntakeCode.WRONG_COLUMNS)
    prediction_refused(
        write_csv(tmp_path, "id,prediction\na,1,2\n"), IntakeCode.CORRUPT_FILE
    )


def test_labels_are_accepted_for_classification_only(tmp_path):
    path = write_csv(tmp_path, "id,prediction\na,defective\nb,ok\nc,ok\n")
    assert inspect_prediction_file(path, expected_ids=IDS, kind="classification") == [
        "defective",
        "ok",
        "ok",
    ]
    prediction_refused(path, IntakeCode.NOT_A_NUMBER, kind="forecasting")
    mixed = write_csv(tmp_path, "id,prediction\na,defective\nb,0.5\nc,ok\n", "m.csv")
    prediction_refused(mixed, IntakeCode.MIXED_VALUES, kind="classification")
    long = write_csv(tmp_path, f"id,prediction\na,{'x' * 101}\nb,ok\nc,ok\n", "l.csv")
    prediction_refused(long, IntakeCode.BAD_LABEL, kind="classification")


def test_prediction_files_have_caps(tmp_path):
    path = write_csv(tmp_path, "id,prediction\na,1\nb,2\nc,3\n")
    limits = intake.PredictionFileLimits(rows=2)
    prediction_refused(path, IntakeCode.TOO_MANY_ROWS, limits=limits)
    limits = intake.PredictionFileLimits(file_bytes=10)
    prediction_refused(path, IntakeCode.FILE_TOO_LARGE, limits=limits)


def test_prediction_files_must_be_plain_utf8_csv_or_parquet(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id,prediction\ncafé,1\n".encode("latin-1"))
    prediction_refused(latin, IntakeCode.BAD_ENCODING)
    packed = tmp_path / "p.csv.gz"
    packed.write_bytes(gzip.compress(b"id,prediction\na,1\n"))
    prediction_refused(packed, IntakeCode.UNKNOWN_FORMAT)
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"PAR1" + os.urandom(100) + b"PAR1")
    prediction_refused(broken, IntakeCode.CORRUPT_FILE)


def test_a_parquet_file_is_read_like_a_csv(tmp_path):
    path = write_parquet(tmp_path, {"id": [3, 1, 2], "prediction": [0.3, 0.1, 0.2]})
    assert inspect_prediction_file(
        path, expected_ids=["1", "2", "3"], kind="forecasting"
    ) == [0.1, 0.2, 0.3]


def test_parquet_values_are_checked(tmp_path):
    nan = write_parquet(tmp_path, {"id": IDS, "prediction": [0.1, float("nan"), 0.3]})
    prediction_refused(nan, IntakeCode.NOT_FINITE)
    missing = write_parquet(tmp_path, {"id": IDS, "prediction": [0.1, None, 0.3]})
    prediction_refused(missing, IntakeCode.MISSING_VALUE)
    flags = write_parquet(tmp_path, {"id": IDS, "prediction": [True, False, True]})
    prediction_refused(flags, IntakeCode.NOT_A_NUMBER, kind="event_detection")
    columns = write_parquet(tmp_path, {"id": IDS, "score": [0.1, 0.2, 0.3]})
    prediction_refused(columns, IntakeCode.WRONG_COLUMNS)


def test_it_refuses_a_bomb_nested_inside_a_harmless_looking_member(tmp_path):
    inner = make_zip(tmp_path / "i.zip", [("zeros.bin", b"\0" * 40_000_000)])
    middle = make_zip(tmp_path / "m.zip", [("inner.zip", inner.read_bytes())])
    nested = gzip.compress(middle.read_bytes())
    path = make_zip(tmp_path / "a.zip", [*GOOD, ("weights.bin", nested)])

    err = refused(path, IntakeCode.COMPRESSION_RATIO)

    assert "'weights.bin' is an archive inside the archive" in err.message


def test_it_accepts_small_nested_archives_such_as_saved_arrays(tmp_path):
    rng_bytes = hashlib.sha256(b"seed").digest() * 2000  # 64 KB, little repetition
    arrays = make_zip(
        tmp_path / "arrays.zip", [("w.npy", rng_bytes), ("b.npy", b"\0" * 200_000)]
    ).read_bytes()
    path = make_zip(tmp_path / "a.zip", [*GOOD, ("model.npz", arrays)])

    report = inspect_archive(path)

    assert "model.npz" in {m.name for m in report.members}
