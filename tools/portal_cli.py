#!/usr/bin/env python3
"""Command-line client of the Energy AI Proving Ground API.

Standard library only, so a vendor can copy this one file anywhere Python
3.11 runs. docs/cli.md is the manual; in short::

    export PORTAL_URL=https://portal.example.com PORTAL_TOKEN=<key>
    portal_cli.py submit --suite-version 3 --organisation my-lab solution.zip
    portal_cli.py inputs 5 --split hidden
    portal_cli.py submit --suite-version 5 --organisation my-lab \
        --name "Gradient boosting" --version-label 2.1 predictions.csv
    portal_cli.py status 42 --follow
    portal_cli.py logs 42
    portal_cli.py leaderboard 3
    portal_cli.py runs
    portal_cli.py suite-bundle pack my-bundle bundle.tar.gz      (no portal needed)
    portal_cli.py suite-version create --suite 7 --config suite.toml bundle.tar.gz
    portal_cli.py suite-version publish 12

Exit codes: 0 done (for ``status --follow``: the run succeeded), 1 the run
ended without success, 2 usage or configuration error, 3 the portal refused
the input (400), 4 not signed in or not allowed (401, 403), 5 not found or
not visible to you (404), 6 the portal could not be reached or failed.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import stat
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

EXIT_OK = 0
EXIT_RUN_FAILED = 1
EXIT_USAGE = 2
EXIT_INVALID = 3
EXIT_AUTH = 4
EXIT_NOT_FOUND = 5
EXIT_UNAVAILABLE = 6

API_PREFIX = "/api/v1/"
HOW_TO_AUTHENTICATE = (
    "Set PORTAL_TOKEN or pass --token. Get a token with "
    "POST /api/v1/auth/token/ (username and password)."
)


class CliError(Exception):
    """A failure to report on stderr, with the exit code to end with."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --- HTTP ---------------------------------------------------------------------------


def _error_text(body: Any) -> str:
    """Turn DRF's error shapes into one readable line per message."""
    if isinstance(body, dict):
        if set(body) == {"detail"}:
            return str(body["detail"])
        lines: list[str] = []
        for field, messages in body.items():
            items = messages if isinstance(messages, list) else [messages]
            prefix = "" if field in {"non_field_errors", "detail"} else f"{field}: "
            lines.extend(f"{prefix}{_error_text(item)}" for item in items)
        return "\n".join(lines)
    if isinstance(body, list):
        return "\n".join(_error_text(item) for item in body)
    return str(body)


def encode_multipart(
    fields: Mapping[str, str], files: Mapping[str, tuple[str, bytes]]
) -> tuple[bytes, str]:
    """Return a multipart/form-data body and its content type."""
    boundary = f"portal-cli-{uuid.uuid4().hex}"
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (file_name, content) in files.items():
        safe_name = file_name.replace('"', "_").replace("\r", "_").replace("\n", "_")
        parts.append(
            (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="{name}"; filename="{safe_name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    """Calls the portal's API and decodes its JSON answers."""

    def __init__(
        self, base_url: str, token: str | None = None, *, timeout: float = 60
    ) -> None:
        parsed = urllib.parse.urlsplit(base_url)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise CliError(
                f"The portal URL must start with http:// or https://, not {base_url!r}.",
                EXIT_USAGE,
            )
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def url(self, path: str, query: Mapping[str, Any] | None = None) -> str:
        if path.startswith(("http://", "https://")):
            # A "next" link from a paginated answer: keep its path and query
            # but never send the token to a host other than the portal's.
            link = urllib.parse.urlsplit(path)
            base = urllib.parse.urlsplit(self.base_url)
            return urllib.parse.urlunsplit(
                (base.scheme, base.netloc, link.path, link.query, "")
            )
        url = f"{self.base_url}{API_PREFIX}{path.lstrip('/')}"
        if query:
            url += "?" + urllib.parse.urlencode(
                {k: v for k, v in query.items() if v is not None}
            )
        return url

    def get(self, path: str, query: Mapping[str, Any] | None = None) -> Any:
        return self._send("GET", self.url(path, query))

    def download(self, path: str, target: Path) -> int:
        """Save a file answer to ``target``; return the number of bytes."""
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            self.url(path), headers=self._headers(), method="GET"
        )
        partial = target.with_name(f"{target.name}.partial")
        size = 0
        try:
            with (
                urllib.request.urlopen(request, timeout=self.timeout) as response,  # noqa: S310 (as above)
                partial.open("wb") as out,
            ):
                while chunk := response.read(1024 * 1024):
                    out.write(chunk)
                    size += len(chunk)
            partial.replace(target)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CliError(
                f"Cannot reach the portal at {self.base_url}: {reason}",
                EXIT_UNAVAILABLE,
            ) from None
        except OSError as exc:
            raise CliError(
                f"Cannot write {target}: {exc.strerror}", EXIT_USAGE
            ) from None
        finally:
            partial.unlink(missing_ok=True)
        return size

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", "Accept-Language": "en"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        return headers

    def post(
        self,
        path: str,
        fields: Mapping[str, str] | None = None,
        files: Mapping[str, tuple[str, bytes]] | None = None,
    ) -> Any:
        body, content_type = encode_multipart(fields or {}, files or {})
        return self._send("POST", self.url(path), body, content_type)

    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> Any:
        headers = self._headers()
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked in __init__)
            url, data=body, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (as above)
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            reason = getattr(exc, "reason", exc)
            raise CliError(
                f"Cannot reach the portal at {self.base_url}: {reason}",
                EXIT_UNAVAILABLE,
            ) from None
        try:
            return json.loads(raw) if raw else None
        except ValueError:
            raise CliError(
                f"The portal at {self.base_url} did not answer with JSON; "
                "is PORTAL_URL the portal's address?",
                EXIT_UNAVAILABLE,
            ) from None

    def _http_error(self, exc: urllib.error.HTTPError) -> CliError:
        try:
            text = _error_text(json.loads(exc.read() or b"null"))
        except ValueError:
            text = exc.reason or ""
        status = exc.code
        if status == 400:
            return CliError(f"The portal refused the request:\n{text}", EXIT_INVALID)
        if status == 401:
            return CliError(f"Not signed in: {text}\n{HOW_TO_AUTHENTICATE}", EXIT_AUTH)
        if status == 403:
            return CliError(f"Not allowed: {text}", EXIT_AUTH)
        if status == 404:
            return CliError(f"Not found: {text}", EXIT_NOT_FOUND)
        if status == 429:
            wait = exc.headers.get("Retry-After", "a few")
            return CliError(
                f"Too many requests; try again in {wait} seconds.", EXIT_UNAVAILABLE
            )
        return CliError(
            f"The portal answered HTTP {status}: {text}".rstrip(": "), EXIT_UNAVAILABLE
        )


# --- output -----------------------------------------------------------------------


def _number(value: Any, places: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:.{places}f}"


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    )


SPLITS = {"sample": "validation", "hidden": "hidden test"}
ARROWS = {"higher": "↑", "lower": "↓", "zero": "→0"}
FILE_MARK = " [file]"
FILE_NOTE = "[file]: scored from a prediction file; no code ran."


def _solution(item: Mapping[str, Any], name: str, version: str, kind: str) -> str:
    text = f"{item[name]} {item[version]}".strip()
    return text + (FILE_MARK if item.get(kind) == "predictions" else "")


def progress_line(run: Mapping[str, Any]) -> str:
    status = run["status"]
    if status == "queued":
        position = run.get("queue_position")
        where = f"position {position} in the queue" if position else "waiting"
        return f"run {run['id']}: queued, {where}"
    if status == "running":
        stage = run.get("stage") or "running"
        return f"run {run['id']}: {stage} {run.get('progress', 0)}%"
    return f"run {run['id']}: {status}"


def run_summary(run: Mapping[str, Any]) -> str:
    split = SPLITS.get(run["split"], run["split"])
    lines = [
        f"Run {run['id']} ({split}) of submission {run['submission']}, "
        f"{run['organisation']}: {run['status']}"
        + (f" ({run['failure']})" if run.get("failure") else "")
    ]
    if not run["is_final"]:
        lines.append(progress_line(run))
    if run.get("message"):
        lines.append(f"Message: {run['message']}")
    if run.get("passed") is not None:
        lines.append(
            "Gates: all passed" if run["passed"] else "Gates: at least one not met"
        )
    for gate in run.get("gates") or []:
        state = "passed" if gate.get("passed") else "not met"
        lines.append(
            f"  {gate.get('metric')} {gate.get('comparator')} {gate.get('value')}: "
            f"{_number(gate.get('observed'))} {state}"
        )
    if run.get("metrics"):
        lines.append("Metrics:")
        width = max(len(key) for key in run["metrics"])
        lines.extend(
            f"  {key.ljust(width)}  {_number(value)}"
            for key, value in run["metrics"].items()
        )
    if run.get("submission_kind") == "predictions":
        lines.append(
            "Probes and resources: not applicable (a prediction file runs no code)"
        )
    for probe, deltas in (run.get("probes") or {}).items():
        changes = ", ".join(f"{k} {_number(v, 4)}" for k, v in deltas.items())
        lines.append(f"Probe {probe}: {changes}")
    resources = run.get("resources") or {}
    if resources:
        lines.append(
            "Resources: "
            f"wall {_number(resources.get('wall_seconds'), 2)} s, "
            f"CPU {_number(resources.get('cpu_seconds'), 2)} s, "
            f"energy {_number(resources.get('energy_wh'), 4)} Wh"
        )
    if run.get("hidden_run"):
        lines.append(
            f"Hidden test run: {run['hidden_run']} "
            f"(portal_cli.py status {run['hidden_run']} --follow)"
        )
    if run.get("has_log"):
        lines.append(f"Log: portal_cli.py logs {run['id']}")
    return "\n".join(lines)


def leaderboard_text(board: Mapping[str, Any]) -> str:
    if not board["rows"]:
        return "No hidden-test result yet."
    columns = board["columns"]
    header = [
        "Rank",
        "Organisation",
        "Solution",
        "Gates",
        "Composite",
        *[f"{c['key']}{ARROWS.get(c['direction'], '')}" for c in columns],
        "Submitted",
    ]
    rows = [header]
    for row in board["rows"]:
        rows.append(
            [
                str(row["rank"]),
                row["organisation"]["slug"],
                _solution(row, "solution", "solution_version", "submission_kind"),
                "passed" if row["passed"] else "not met",
                _number(row["composite"]),
                *[_number(row["metrics"].get(c["key"])) for c in columns],
                str(row["submitted_at"])[:16].replace("T", " "),
            ]
        )
    primary = board.get("primary_metric")
    note = (
        "Order: gates passed first, composite score, "
        f"then {primary or 'the primary metric'}, then the earlier submission."
    )
    if any(row.get("submission_kind") == "predictions" for row in board["rows"]):
        note += "\n" + FILE_NOTE
    return _table(rows) + "\n\n" + note


def runs_text(submissions: Sequence[Mapping[str, Any]]) -> str:
    if not submissions:
        return "No submission yet."
    rows = [
        ["Submission", "Suite version", "Organisation", "Solution", "Submitted", "Runs"]
    ]
    for item in submissions:
        runs = ", ".join(
            f"{SPLITS.get(r['split'], r['split'])} {r['id']} {r['status']}"
            for r in item["runs"]
        )
        rows.append(
            [
                str(item["id"]),
                str(item["suite_version"]),
                item["organisation"],
                _solution(item, "name", "version_label", "kind"),
                str(item["created_at"])[:16].replace("T", " "),
                runs or "—",
            ]
        )
    return _table(rows)


# --- commands -----------------------------------------------------------------------


class Context:
    """What every command needs: the client, the streams and the clock."""

    def __init__(
        self,
        client: Client | None,
        *,
        stdout: TextIO,
        stderr: TextIO,
        as_json: bool = False,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self._client = client
        self.stdout = stdout
        self.stderr = stderr
        self.as_json = as_json
        self.sleep = sleep

    @property
    def client(self) -> Client:
        if self._client is None:  # a command declared as offline called the portal
            raise CliError("This command works without the portal.", EXIT_USAGE)
        return self._client

    def out(self, text: str) -> None:
        self.stdout.write(text + "\n")

    def json(self, data: Any) -> None:
        self.out(json.dumps(data, indent=2, ensure_ascii=False))


def cmd_submit(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise CliError(f"No such file: {path}", EXIT_USAGE)
    fields = {"organisation": args.organisation}
    for field, value in (
        ("name", args.name),
        ("version_label", args.version_label),
        ("description", args.description),
    ):
        if value is not None:
            fields[field] = value
    submission = ctx.client.post(
        f"suite-versions/{args.suite_version}/submissions/",
        fields=fields,
        files={"file": (path.name, path.read_bytes())},
    )
    if ctx.as_json:
        ctx.json(submission)
        return EXIT_OK
    run_id = submission["validation_run"]
    what = " (prediction file)" if submission.get("kind") == "predictions" else ""
    ctx.out(
        f"Submission {submission['id']} accepted{what}: "
        f"{submission['name']} {submission['version_label']} for "
        f"{submission['organisation']}.\n"
        f"Validation run {run_id} is queued. Follow it with:\n"
        f"  portal_cli.py status {run_id} --follow"
    )
    return EXIT_OK


def cmd_inputs(ctx: Context, args: argparse.Namespace) -> int:
    target = Path(
        args.output or f"suite-version-{args.suite_version_id}-{args.split}-inputs.zip"
    )
    if target.exists() and not args.force:
        raise CliError(f"{target} exists; pass --force to replace it.", EXIT_USAGE)
    size = ctx.client.download(
        f"suite-versions/{args.suite_version_id}/inputs/{args.split}/", target
    )
    if ctx.as_json:
        ctx.json({"path": str(target), "bytes": size, "split": args.split})
    else:
        ctx.out(
            f"Saved the {SPLITS[args.split]} inputs to {target} ({size:,} bytes). "
            "ids.csv lists the ids to predict."
        )
    return EXIT_OK


def cmd_status(ctx: Context, args: argparse.Namespace) -> int:
    run = ctx.client.get(f"runs/{args.run_id}/")
    if args.follow:
        live = ctx.stderr.isatty()
        last = ""
        while not run["is_final"]:
            line = progress_line(run)
            if line != last:
                ctx.stderr.write(f"\r\033[K{line}" if live else f"{line}\n")
                ctx.stderr.flush()
                last = line
            ctx.sleep(args.interval)
            run = ctx.client.get(f"runs/{args.run_id}/")
        if live and last:
            ctx.stderr.write("\r\033[K")
    if ctx.as_json:
        ctx.json(run)
    else:
        ctx.out(run_summary(run))
    if args.follow and run["status"] != "succeeded":
        return EXIT_RUN_FAILED
    return EXIT_OK


def cmd_logs(ctx: Context, args: argparse.Namespace) -> int:
    try:
        data = ctx.client.get(f"runs/{args.run_id}/log/")
    except CliError as exc:
        if exc.code == EXIT_NOT_FOUND:
            raise CliError(
                f"Run {args.run_id} has no log you can read: only validation runs "
                "have logs, and only the submitting organisation reads them.",
                EXIT_NOT_FOUND,
            ) from None
        raise
    if ctx.as_json:
        ctx.json(data)
    elif data["log"]:
        ctx.stdout.write(
            data["log"] if data["log"].endswith("\n") else data["log"] + "\n"
        )
    else:
        ctx.stderr.write(f"The log of run {args.run_id} is empty.\n")
    return EXIT_OK


def cmd_leaderboard(ctx: Context, args: argparse.Namespace) -> int:
    board = ctx.client.get(f"suite-versions/{args.suite_version_id}/leaderboard/")
    if ctx.as_json:
        ctx.json(board)
    else:
        ctx.out(leaderboard_text(board))
    return EXIT_OK


def cmd_runs(ctx: Context, args: argparse.Namespace) -> int:
    page = ctx.client.get("submissions/", {"suite_version": args.suite_version})
    submissions = list(page["results"])
    while page.get("next") and len(submissions) < args.limit:
        page = ctx.client.get(page["next"])
        submissions.extend(page["results"])
    submissions = submissions[: args.limit]
    if ctx.as_json:
        ctx.json(submissions)
    else:
        ctx.out(runs_text(submissions))
    return EXIT_OK


# --- suites (scenario owners) ------------------------------------------------------


BUNDLE_MANIFEST = "manifest.json"


def pack_bundle_folder(folder: Path) -> bytes:
    """Return a deterministic tar.gz of a suite bundle folder.

    Members are the folder's files and folders, sorted, named relative to
    the folder (so manifest.json is at the top), with fixed owners, times and
    modes; the gzip header carries no time. The same folder always gives the
    same bytes, and so the same SHA-256 on the portal. Links are refused.
    """
    if not (folder / BUNDLE_MANIFEST).is_file():
        raise CliError(
            f"{folder} has no {BUNDLE_MANIFEST} at its top: give the bundle "
            "folder itself (docs/suites.md, Building a suite bundle).",
            EXIT_USAGE,
        )
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for path in sorted(folder.rglob("*")):
            mode = path.lstat().st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise CliError(
                    f"{path} is not a regular file or folder (a link?); copy the "
                    "file into the bundle instead.",
                    EXIT_USAGE,
                )
            info = tarfile.TarInfo(path.relative_to(folder).as_posix())
            info.mtime = 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if stat.S_ISDIR(mode):
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                archive.addfile(info)
            else:
                info.mode = 0o644
                info.size = path.stat().st_size
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
    return buffer.getvalue()


def cmd_bundle_pack(ctx: Context, args: argparse.Namespace) -> int:
    import hashlib

    folder, target = Path(args.folder), Path(args.output)
    if not folder.is_dir():
        raise CliError(f"No such folder: {folder}", EXIT_USAGE)
    data = pack_bundle_folder(folder)
    target.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    if ctx.as_json:
        ctx.json({"file": str(target), "bytes": len(data), "sha256": digest})
    else:
        ctx.out(f"Wrote {target} ({len(data):,} bytes), SHA-256 {digest}.")
    return EXIT_OK


def cmd_version_create(ctx: Context, args: argparse.Namespace) -> int:
    config_path, bundle_path = Path(args.config), Path(args.bundle)
    for path in (config_path, bundle_path):
        if not path.is_file():
            raise CliError(f"No such file: {path}", EXIT_USAGE)
    config_format = {".toml": "toml", ".json": "json"}.get(
        config_path.suffix.lower(), "auto"
    )
    version = ctx.client.post(
        f"test-suites/{args.suite}/versions/",
        fields={
            "config": config_path.read_text(encoding="utf-8"),
            "config_format": config_format,
            "change_notes": args.notes,
        },
        files={"bundle": (bundle_path.name, bundle_path.read_bytes())},
    )
    if ctx.as_json:
        ctx.json(version)
        return EXIT_OK
    summary = version.get("bundle_summary") or {}
    splits = ", ".join(
        f"{name} {split['calls']} calls"
        for name, split in (summary.get("splits") or {}).items()
    )
    probes = ", ".join(summary.get("probes") or {}) or "none"
    ctx.out(
        f"Draft version {version['number']} of suite {version['suite_slug']} "
        f"({version['scenario']}) saved as suite version {version['id']}.\n"
        f"Bundle SHA-256 {version['bundle_sha256']}: {splits}; probes: {probes}.\n"
        f"Publish it with:\n  portal_cli.py suite-version publish {version['id']}"
    )
    return EXIT_OK


def cmd_version_publish(ctx: Context, args: argparse.Namespace) -> int:
    version = ctx.client.post(f"suite-versions/{args.suite_version_id}/publish/")
    if ctx.as_json:
        ctx.json(version)
    else:
        ctx.out(
            f"Version {version['number']} of suite {version['suite_slug']} "
            f"({version['scenario']}) is published and locked."
        )
    return EXIT_OK


# name: (function, needs a token, needs the portal)
COMMANDS: dict[str, tuple[Callable[[Context, argparse.Namespace], int], bool, bool]] = {
    "submit": (cmd_submit, True, True),
    "inputs": (cmd_inputs, False, True),
    "status": (cmd_status, True, True),
    "logs": (cmd_logs, True, True),
    "leaderboard": (cmd_leaderboard, False, True),
    "runs": (cmd_runs, True, True),
    "suite-bundle pack": (cmd_bundle_pack, False, False),
    "suite-version create": (cmd_version_create, True, True),
    "suite-version publish": (cmd_version_publish, True, True),
}


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text}")
    return value


def _interval(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.1 <= value <= 3600:
        raise argparse.ArgumentTypeError("must be between 0.1 and 3600 seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    # The connection options work before or after the command name; on the
    # subcommands they default to SUPPRESS so they never hide a value given
    # before the command.
    def connection(parser: argparse.ArgumentParser, default: Any) -> None:
        parser.add_argument(
            "--url", default=default, help="portal address (default: $PORTAL_URL)"
        )
        parser.add_argument(
            "--token", default=default, help="API token (default: $PORTAL_TOKEN)"
        )
        parser.add_argument(
            "--json",
            action="store_true",
            default=False if default is None else default,
            help="print the API's JSON instead of text",
        )

    common = argparse.ArgumentParser(add_help=False)
    connection(common, argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="portal_cli.py",
        description="Command-line client of the Energy AI Proving Ground API.",
        epilog="Exit codes: 0 ok, 1 run not successful, 2 usage, 3 refused input, "
        "4 not signed in or not allowed, 5 not found, 6 portal unreachable.",
    )
    connection(parser, None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    submit = commands.add_parser(
        "submit",
        parents=[common],
        help="upload a solution package or a prediction file",
    )
    submit.add_argument("--suite-version", type=_positive_int, required=True)
    submit.add_argument(
        "--organisation", required=True, help="slug of your vendor organisation"
    )
    submit.add_argument("--name", help="solution name (required for a prediction file)")
    submit.add_argument(
        "--version-label", help="solution version (required for a prediction file)"
    )
    submit.add_argument("--description", help="shown to reviewers")
    submit.add_argument(
        "file",
        help="a package (.zip or .tar.gz with solution.toml) or, where the "
        "suite accepts them, a prediction file (.csv or .parquet)",
    )

    inputs = commands.add_parser(
        "inputs",
        parents=[common],
        help="download the inputs to predict (suites that accept prediction files)",
    )
    inputs.add_argument(
        "suite_version_id", type=_positive_int, metavar="SUITE_VERSION_ID"
    )
    inputs.add_argument(
        "--split",
        choices=sorted(SPLITS),
        default="hidden",
        help="sample or hidden (default); a prediction file covers both",
    )
    inputs.add_argument(
        "--output", "-o", help="where to save the zip (default: a name in .)"
    )
    inputs.add_argument(
        "--force", action="store_true", help="replace an existing output file"
    )

    status = commands.add_parser(
        "status", parents=[common], help="show a run; --follow until it ends"
    )
    status.add_argument("run_id", type=_positive_int, metavar="RUN_ID")
    status.add_argument(
        "--follow", action="store_true", help="poll until the run has finished"
    )
    status.add_argument(
        "--interval",
        type=_interval,
        default=2.0,
        help="seconds between polls (default 2)",
    )

    logs = commands.add_parser(
        "logs", parents=[common], help="print the log of a validation run"
    )
    logs.add_argument("run_id", type=_positive_int, metavar="RUN_ID")

    board = commands.add_parser(
        "leaderboard", parents=[common], help="show a suite version's leaderboard"
    )
    board.add_argument(
        "suite_version_id", type=_positive_int, metavar="SUITE_VERSION_ID"
    )

    runs = commands.add_parser(
        "runs", parents=[common], help="list your submissions and their runs"
    )
    runs.add_argument("--suite-version", type=_positive_int)
    runs.add_argument(
        "--limit", type=_positive_int, default=20, help="at most this many (20)"
    )

    bundle = commands.add_parser(
        "suite-bundle", help="build a suite data bundle (scenario owners)"
    )
    bundle_actions = bundle.add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    pack = bundle_actions.add_parser(
        "pack",
        parents=[common],
        help="pack a bundle folder into a deterministic .tar.gz (offline)",
    )
    pack.add_argument("folder", help="the bundle folder, with manifest.json at its top")
    pack.add_argument("output", help="the .tar.gz to write")

    suite_version = commands.add_parser(
        "suite-version", help="draft and publish suite versions (scenario owners)"
    )
    version_actions = suite_version.add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    create = version_actions.add_parser(
        "create",
        parents=[common],
        help="upload a bundle and a configuration as a draft",
    )
    create.add_argument("--suite", type=_positive_int, required=True, help="suite id")
    create.add_argument(
        "--config", required=True, help="the configuration: a .toml or .json file"
    )
    create.add_argument("--notes", default="", help="change notes for vendors")
    create.add_argument("bundle", help="the bundle: a .tar.gz (suite-bundle pack)")
    publish = version_actions.add_parser(
        "publish", parents=[common], help="publish a draft (locks it for good)"
    )
    publish.add_argument(
        "suite_version_id", type=_positive_int, metavar="SUITE_VERSION_ID"
    )
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], object] = time.sleep,
) -> int:
    """Run one command and return its exit code."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    env = os.environ if env is None else env
    parser = build_parser()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage or the help
        return int(exc.code or 0)
    name = (
        f"{args.command} {args.action}"
        if getattr(args, "action", None)
        else args.command
    )
    function, needs_token, needs_portal = COMMANDS[name]
    url = args.url or env.get("PORTAL_URL", "")
    token = args.token or env.get("PORTAL_TOKEN") or None
    try:
        if needs_portal and not url:
            raise CliError(
                "No portal address. Set PORTAL_URL or pass --url.", EXIT_USAGE
            )
        if needs_token and not token:
            raise CliError(f"No API token. {HOW_TO_AUTHENTICATE}", EXIT_USAGE)
        context = Context(
            Client(url, token) if needs_portal else None,
            stdout=stdout,
            stderr=stderr,
            as_json=args.json,
            sleep=sleep,
        )
        return function(context, args)
    except CliError as exc:
        stderr.write(f"portal_cli: {exc.message}\n")
        return exc.code
    except KeyboardInterrupt:
        stderr.write("\nportal_cli: stopped following; the run itself goes on.\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
