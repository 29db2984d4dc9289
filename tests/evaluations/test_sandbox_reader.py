"""The host-side output reader never follows, blocks on or over-reads a file."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from evaluations.runners.reader import output_name_problem, read_outputs


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text("HOST-SECRET\n")
    return path


def test_it_reads_the_named_regular_files(out: Path) -> None:
    (out / "predictions.json").write_bytes(b"[1, 2]")
    (out / "score.json").write_bytes(b'{"score": 1.0}')

    read = read_outputs(out, ["predictions.json"], max_bytes=1024)

    assert read.files == {"predictions.json": b"[1, 2]"}
    assert read.problems == []


def test_it_never_follows_a_symlink(out: Path, secret: Path) -> None:
    (out / "predictions.json").symlink_to(secret)

    read = read_outputs(out, ["predictions.json"], max_bytes=1024)

    assert read.files == {}
    assert read.problems == [
        "output 'predictions.json' is a symbolic link; it was not followed"
    ]


def test_it_does_not_block_on_a_fifo(out: Path) -> None:
    os.mkfifo(out / "predictions.json")
    started = time.monotonic()

    read = read_outputs(out, ["predictions.json"], max_bytes=1024)

    assert time.monotonic() - started < 1
    assert read.problems == ["output 'predictions.json' is a FIFO, not a regular file"]


def test_it_refuses_a_hard_link(out: Path, secret: Path) -> None:
    os.link(secret, out / "predictions.json")

    read = read_outputs(out, ["predictions.json"], max_bytes=1024)

    assert read.files == {}
    assert read.problems == [
        "output 'predictions.json' has 2 hard links; "
        "only a file with exactly one link is read"
    ]


def test_it_refuses_a_file_above_the_cap(out: Path) -> None:
    (out / "predictions.json").write_bytes(b"x" * 1025)

    read = read_outputs(out, ["predictions.json"], max_bytes=1024)

    assert read.files == {}
    assert read.problems == [
        "output 'predictions.json' is larger than the 1024 bytes allowed for outputs"
    ]


def test_the_cap_covers_all_files_together(out: Path) -> None:
    (out / "a").write_bytes(b"x" * 600)
    (out / "b").write_bytes(b"y" * 600)

    read = read_outputs(out, ["a", "b"], max_bytes=1024)

    assert read.files == {"a": b"x" * 600}
    assert read.problems == [
        "output 'b' is larger than the 1024 bytes allowed for outputs"
    ]


def test_it_reports_a_missing_file(out: Path) -> None:
    read = read_outputs(out, ["predictions.json"], max_bytes=1024)

    assert read.problems == ["output 'predictions.json' is missing"]


def test_it_refuses_a_directory_and_a_socket(out: Path) -> None:
    (out / "folder").mkdir()
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(out / "sock"))

        read = read_outputs(out, ["folder", "sock"], max_bytes=1024)

    assert read.problems == [
        "output 'folder' is a directory, not a regular file",
        "output 'sock' is a socket, not a regular file",
    ]


def test_it_refuses_an_output_folder_that_is_a_link(tmp_path: Path, out: Path) -> None:
    (out / "predictions.json").write_bytes(b"[]")
    link = tmp_path / "link"
    link.symlink_to(out)

    read = read_outputs(link, ["predictions.json"], max_bytes=1024)

    assert read.files == {}
    assert read.problems == ["the output folder could not be opened (ENOTDIR)"]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "an output name is empty"),
        (".", "output name '.' is not a plain file name"),
        ("..", "output name '..' is not a plain file name"),
        ("../labels.csv", "output name '../labels.csv' is not a plain file name"),
        ("a/b", "output name 'a/b' is not a plain file name"),
        ("a\0b", "output name 'a\\x00b' is not a plain file name"),
        ("predictions.json", None),
    ],
)
def test_only_plain_names_are_accepted(name: str, problem: str | None) -> None:
    assert output_name_problem(name) == problem


def test_it_reads_nothing_when_a_name_is_not_plain(out: Path, secret: Path) -> None:
    read = read_outputs(out, ["../labels.csv"], max_bytes=1024)

    assert read.files == {}
    assert read.problems == ["output name '../labels.csv' is not a plain file name"]
