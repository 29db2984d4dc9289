"""Run a vendor solution once, inside the sandbox, and write its predictions.

Usage (inside the sandbox; the flags exist for local testing)::

    python3 -I /harness/harness.py [--code /code] [--input /in] [--output /out]
    python3 -I /harness/harness.py --session R,W [--code ...] [--input ...]

One call (the first form):

1. Read ``<input>/task.json`` and ``<code>/solution.toml``.
2. Load the task's input files with pandas (and numpy for images).
3. Import the manifest's ``module:callable`` with ``<code>`` first on
   ``sys.path``.
4. Call it once, timing only the call with ``time.perf_counter``.
5. Check the return value and write ``<output>/predictions.json``::

       {"schema_version": 1, "predictions": [...], "call_seconds": 0.12}

A session (the second form) serves several calls of one pass in one
process, so the interpreter starts, pandas loads and the solution is
imported once. It reads commands, one per line, from descriptor ``R``:
``call <n>`` runs the call whose inputs the host has just placed in
``<input>/<n>`` and writes ``<output>/predictions-<n>.json``; then the
harness answers ``done <n>`` on descriptor ``W`` and waits for the next
command. At end of file on ``R`` it exits with 0. The host places the
inputs of call n+1 only after it has read the predictions of call n, so
a rolling-origin solution never sees data from a later origin while it
can still change an earlier forecast. The first failing call ends the
session with that call's exit code.

Nothing else is written to ``<output>``. Exit codes: 0 success; 1 the
harness itself failed; 2 bad task.json, input files or manifest; 3 the
solution could not be imported; 4 the callable raised; 5 it returned
something invalid. Errors go to stderr in plain English, followed by the
vendor's traceback trimmed to its last 20 frames.

This file runs with the evaluation environment only (the standard library,
numpy, pandas and friends). It must never import Django or the portal, and
it imports numpy and pandas lazily so the host can import its constants.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import math
import os
import re
import sys
import time
import tomllib
import traceback
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
PREDICTIONS_FILE = "predictions.json"
MANIFEST_FILE = "solution.toml"
TASK_FILE = "task.json"

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_TASK = 2
EXIT_IMPORT = 3
EXIT_RAISED = 4
EXIT_INVALID = 5

TASK_KINDS = ("forecasting", "classification", "event_detection")
# What an event-detection suite wants back: flags (every value 0 or 1),
# scores (any finite number), or either when task.json does not say.
EVENT_OUTPUTS = (None, "flags", "scores")
MAX_TASK_BYTES = 4 * 1024 * 1024
MAX_LABEL_CHARS = 100
TRACEBACK_FRAMES = 20
# The runner kills a run whose stderr passes its cap (256 KiB by default);
# the harness's own report stays well below it, so the cause survives.
MAX_REPORT_CHARS = 32 * 1024

ENTRYPOINT_RE = re.compile(
    r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*:[A-Za-z_][A-Za-z0-9_]*"
)
# Input file names in task.json are plain names inside the input folder.
_FILE_NAME_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")
_HERE = os.path.abspath(__file__)


class HarnessError(Exception):
    def __init__(self, exit_code: int, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.message = message
        self.detail = detail


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # The runners name the folders in PORTAL_*_DIR too (the local runner's
    # are real host folders, not /code, /in and /out).
    env = os.environ.get
    parser.add_argument(
        "--code", default=env("PORTAL_CODE_DIR", "/code"), help="solution folder"
    )
    parser.add_argument(
        "--input", default=env("PORTAL_IN_DIR", "/in"), help="folder with task.json"
    )
    parser.add_argument(
        "--output", default=env("PORTAL_OUT_DIR", "/out"), help="where to write"
    )
    parser.add_argument(
        "--session",
        metavar="R,W",
        help="serve calls: read commands from descriptor R, answer on W",
    )
    args = parser.parse_args(argv)
    code_dir, input_dir, output_dir = (
        Path(args.code),
        Path(args.input),
        Path(args.output),
    )
    try:
        if args.session is not None:
            command_fd, reply_fd = _session_fds(args.session)
            calls = serve(code_dir, input_dir, output_dir, command_fd, reply_fd)
            _report(f"harness: session ended after {calls:,} calls")
            return EXIT_OK
        count, seconds = run(code_dir, input_dir, output_dir)
    except HarnessError as exc:
        _report(f"harness: error (exit {exc.exit_code}): {exc.message}", exc.detail)
        return exc.exit_code
    except Exception as exc:  # the harness's own failure, not the vendor's
        _report(
            f"harness: internal error (exit {EXIT_INTERNAL}): {exc!r}",
            _format_traceback(exc, keep_harness=True),
        )
        return EXIT_INTERNAL
    _report(f"harness: wrote {count:,} predictions; the call took {seconds:.3f} s")
    return EXIT_OK


def run(
    code_dir: Path,
    input_dir: Path,
    output_dir: Path,
    *,
    output_name: str = PREDICTIONS_FILE,
    imported: dict[str, Any] | None = None,
) -> tuple[int, float]:
    """Run the solution; return the number of predictions and call seconds.

    ``imported`` keeps the solution's callable between the calls of a
    session: the manifest is read and the module imported on the first.
    """
    task = load_task(input_dir)
    kind = task["kind"]
    if imported:
        attr, func = imported["attr"], imported["func"]
        args, expected, noun = load_inputs(task, input_dir)
    else:
        module_name, attr = load_entrypoint(code_dir)
        args, expected, noun = load_inputs(task, input_dir)
        func = import_callable(code_dir, module_name, attr)
        if imported is not None:
            imported.update(attr=attr, func=func)

    started = time.perf_counter()
    try:
        result = func(*args)
    except BaseException as exc:  # SystemExit and MemoryError included
        raise HarnessError(
            EXIT_RAISED,
            f"{attr}() raised {type(exc).__name__}: {_describe(exc)}",
            _format_traceback(exc),
        ) from None
    seconds = time.perf_counter() - started

    try:
        values = check_result(
            result,
            expected,
            kind,
            attr,
            noun,
            task.get("classes"),
            flags=task.get("output") == "flags",
        )
    except HarnessError:
        raise
    except BaseException as exc:  # the returned object's own methods failed
        raise HarnessError(
            EXIT_INVALID,
            f"{attr}() returned a value that could not be read: "
            f"{type(exc).__name__}: {_describe(exc)}",
            _format_traceback(exc),
        ) from None
    write_predictions(output_dir, values, seconds, name=output_name)
    return len(values), seconds


# -- Sessions -------------------------------------------------------------------

_COMMAND_RE = re.compile(rb"call ([0-9]{1,6})")
MAX_COMMAND_BYTES = 64


def _session_fds(value: str) -> tuple[int, int]:
    try:
        command_fd, reply_fd = (int(part) for part in value.split(","))
    except ValueError:
        raise HarnessError(
            EXIT_INTERNAL, f"--session needs two descriptors R,W, not {value!r}"
        ) from None
    return command_fd, reply_fd


def serve(
    code_dir: Path, input_root: Path, output_dir: Path, command_fd: int, reply_fd: int
) -> int:
    """Serve ``call <n>`` commands until end of file; return how many ran."""
    imported: dict[str, Any] = {}
    pending = b""
    served = 0
    while True:
        while b"\n" not in pending:
            if len(pending) > MAX_COMMAND_BYTES:
                raise HarnessError(EXIT_INTERNAL, "the host sent an overlong command")
            chunk = os.read(command_fd, 4096)
            if not chunk:
                if pending:
                    raise HarnessError(EXIT_INTERNAL, "the host's last command is cut")
                return served
            pending += chunk
        line, pending = pending.split(b"\n", 1)
        match = _COMMAND_RE.fullmatch(line)
        if match is None:
            raise HarnessError(
                EXIT_INTERNAL, f"unknown command from the host: {line!r}"
            )
        name = match.group(1).decode("ascii")
        count, seconds = run(
            code_dir,
            input_root / name,
            output_dir,
            output_name=f"predictions-{name}.json",
            imported=imported,
        )
        served += 1
        _report(
            f"harness: call {name} wrote {count:,} predictions; "
            f"the call took {seconds:.3f} s"
        )
        _write_all(reply_fd, f"done {name}\n".encode("ascii"))


def _write_all(fd: int, data: bytes) -> None:
    while data:
        written = os.write(fd, data)
        data = data[written:]


# -- task.json and the manifest --------------------------------------------


def load_task(input_dir: Path) -> dict[str, Any]:
    path = input_dir / TASK_FILE
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise HarnessError(
            EXIT_BAD_TASK, f"cannot read {path}: {exc.strerror}"
        ) from None
    if len(raw) > MAX_TASK_BYTES:
        raise HarnessError(EXIT_BAD_TASK, f"{path} is larger than 4 MiB")
    try:
        task = json.loads(raw, parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        raise HarnessError(EXIT_BAD_TASK, f"{path} is not valid JSON: {exc}") from None
    if not isinstance(task, dict):
        raise HarnessError(EXIT_BAD_TASK, f"{path} must hold a JSON object")
    if task.get("schema_version") != SCHEMA_VERSION:
        raise HarnessError(
            EXIT_BAD_TASK,
            f"{path} has schema_version {task.get('schema_version')!r}; "
            f"this harness reads version {SCHEMA_VERSION}",
        )
    kind = task.get("kind")
    if kind not in TASK_KINDS:
        raise HarnessError(
            EXIT_BAD_TASK,
            f"task kind {kind!r} is not one of {', '.join(TASK_KINDS)}",
        )
    if kind == "forecasting":
        _need(task, "origin", str)
        _need(task, "time_column", str)
        _need(task, "target", str)
        _need_file(task, "history")
        _need_file(task, "exogenous", optional=True)
        horizon = _need(task, "horizon", list)
        if not horizon or not all(isinstance(h, str) for h in horizon):
            raise HarnessError(
                EXIT_BAD_TASK, "horizon must be a non-empty list of ISO datetimes"
            )
    elif kind == "classification":
        _need_file(task, "inputs")
        _need(task, "id_column", str)
        _need_file(task, "image_dir", optional=True, folder=True)
        classes = task.get("classes")
        if classes is not None and not isinstance(classes, list):
            raise HarnessError(EXIT_BAD_TASK, "classes must be a list")
    else:
        _need_file(task, "series")
        _need(task, "id_column", str)
        _need(task, "time_column", str)
        if task.get("unit_column") is not None:
            _need(task, "unit_column", str)
        if task.get("output") not in EVENT_OUTPUTS:
            raise HarnessError(
                EXIT_BAD_TASK, 'task.json: output must be "flags", "scores" or absent'
            )
    return task


def _need(task: dict[str, Any], key: str, kind: type) -> Any:
    value = task.get(key)
    if not isinstance(value, kind):
        raise HarnessError(EXIT_BAD_TASK, f"task.json: {key} must be a {kind.__name__}")
    return value


def _need_file(
    task: dict[str, Any], key: str, *, optional: bool = False, folder: bool = False
) -> None:
    value = task.get(key)
    if value is None and optional:
        return
    if not isinstance(value, str) or not _FILE_NAME_RE.fullmatch(value):
        raise HarnessError(
            EXIT_BAD_TASK,
            f"task.json: {key} must be a plain file name inside the input folder",
        )
    if not folder and not value.endswith((".csv", ".parquet")):
        raise HarnessError(
            EXIT_BAD_TASK, f"task.json: {key} must name a .csv or .parquet file"
        )


def load_entrypoint(code_dir: Path) -> tuple[str, str]:
    path = code_dir / MANIFEST_FILE
    try:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise HarnessError(
            EXIT_BAD_TASK, f"cannot read {path}: {exc.strerror}"
        ) from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise HarnessError(EXIT_BAD_TASK, f"{path} is not valid TOML: {exc}") from None
    entrypoint = manifest.get("entrypoint")
    if not isinstance(entrypoint, str) or not ENTRYPOINT_RE.fullmatch(entrypoint):
        raise HarnessError(
            EXIT_BAD_TASK,
            f'{path}: entrypoint must look like "module:function", not {entrypoint!r}',
        )
    module_name, attr = entrypoint.split(":")
    return module_name, attr


# -- Inputs ---------------------------------------------------------------------


def load_inputs(
    task: dict[str, Any], input_dir: Path
) -> tuple[tuple[Any, ...], int, str]:
    """Return the call's arguments, the expected count and what it counts."""
    try:
        if task["kind"] == "forecasting":
            return _forecasting_inputs(task, input_dir)
        if task["kind"] == "classification":
            return _classification_inputs(task, input_dir)
        return _event_inputs(task, input_dir)
    except HarnessError:
        raise
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise HarnessError(
            EXIT_BAD_TASK, f"cannot load the input files: {type(exc).__name__}: {exc}"
        ) from None


def _read_table(path: Path, id_column: str | None = None) -> Any:
    import pandas as pd

    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        if id_column is not None and id_column in frame.columns:
            frame[id_column] = frame[id_column].astype(str)
        return frame
    dtype = {id_column: str} if id_column else None
    return pd.read_csv(path, dtype=dtype)


def _need_columns(frame: Any, name: str, *columns: str | None) -> None:
    for column in columns:
        if column is not None and column not in frame.columns:
            raise HarnessError(EXIT_BAD_TASK, f"{name} has no column {column!r}")


def _timestamps(values: Any, what: str) -> Any:
    import pandas as pd

    try:
        return pd.to_datetime(values, format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise HarnessError(
            EXIT_BAD_TASK, f"{what} holds values that are not ISO datetimes: {exc}"
        ) from None


def _forecasting_inputs(
    task: dict[str, Any], input_dir: Path
) -> tuple[tuple[Any, ...], int, str]:
    import pandas as pd

    time_column, target = task["time_column"], task["target"]
    history = _read_table(input_dir / task["history"])
    _need_columns(history, task["history"], time_column, target)
    history[time_column] = _timestamps(history[time_column], task["history"])
    history = history.set_index(time_column).sort_index(kind="stable")
    history.attrs["target"] = target

    horizon = pd.DatetimeIndex(
        _timestamps(task["horizon"], "horizon"), name=time_column
    )
    origin = _timestamps(pd.Series([task["origin"]]), "origin").iloc[0]
    # Defence in depth for the rolling-origin rule: the host builds the
    # history, but a solution must never see a value from its own horizon.
    try:
        leaks = len(history) and (
            history.index.max() > origin or history.index.max() >= horizon.min()
        )
    except TypeError:
        raise HarnessError(
            EXIT_BAD_TASK,
            "history, origin and horizon mix time zones (some have an offset, "
            "some do not)",
        ) from None
    if leaks:
        raise HarnessError(
            EXIT_BAD_TASK, "history contains data after the forecast origin"
        )

    exogenous = None
    if task.get("exogenous"):
        exogenous = _read_table(input_dir / task["exogenous"])
        _need_columns(exogenous, task["exogenous"], time_column)
        exogenous[time_column] = _timestamps(exogenous[time_column], task["exogenous"])
        exogenous = exogenous.set_index(time_column).sort_index(kind="stable")
    return (history, exogenous, horizon), len(horizon), "horizon timestamp"


def _classification_inputs(
    task: dict[str, Any], input_dir: Path
) -> tuple[tuple[Any, ...], int, str]:
    import numpy as np

    id_column = task["id_column"]
    inputs = _read_table(input_dir / task["inputs"], id_column)
    _need_columns(inputs, task["inputs"], id_column)
    images = None
    if task.get("image_dir"):
        image_dir = input_dir / task["image_dir"]
        images = []
        for row_id in inputs[id_column]:
            if not _FILE_NAME_RE.fullmatch(str(row_id)):
                raise HarnessError(
                    EXIT_BAD_TASK, f"id {row_id!r} cannot name an image file"
                )
            images.append(np.load(image_dir / f"{row_id}.npy", allow_pickle=False))
    return (inputs, images), len(inputs), "input row"


def _event_inputs(
    task: dict[str, Any], input_dir: Path
) -> tuple[tuple[Any, ...], int, str]:
    time_column, unit_column = task["time_column"], task.get("unit_column")
    series = _read_table(input_dir / task["series"], task["id_column"])
    _need_columns(series, task["series"], task["id_column"], time_column, unit_column)
    series[time_column] = _timestamps(series[time_column], task["series"])
    return (series,), len(series), "series row"


# -- The vendor's code ----------------------------------------------------------


def import_callable(code_dir: Path, module_name: str, attr: str) -> Any:
    sys.dont_write_bytecode = True  # /code is read-only; keep test trees clean
    sys.path.insert(0, str(code_dir))
    try:
        module = importlib.import_module(module_name)
    except BaseException as exc:
        raise HarnessError(
            EXIT_IMPORT,
            f"importing {module_name} failed with {type(exc).__name__}: "
            f"{_describe(exc)}",
            _format_traceback(exc),
        ) from None
    func = getattr(module, attr, None)
    if func is None:
        raise HarnessError(
            EXIT_IMPORT,
            f"{module_name} has no attribute {attr!r} (the manifest's entrypoint)",
        )
    if not callable(func):
        raise HarnessError(
            EXIT_IMPORT,
            f"{module_name}.{attr} is a {type(func).__name__}, not a function",
        )
    return func


def check_result(
    result: Any,
    expected: int,
    kind: str,
    attr: str,
    noun: str,
    classes: list[Any] | None = None,
    *,
    flags: bool = False,
) -> list[float] | list[str]:
    """Turn the return value into a list of floats or labels, or raise 5.

    With ``flags`` every value must be 0 or 1 (True and False count).
    """
    import numpy as np
    import pandas as pd

    def invalid(message: str) -> HarnessError:
        return HarnessError(EXIT_INVALID, f"{attr}() {message}")

    if isinstance(result, pd.DataFrame):
        if result.shape[1] != 1:
            raise invalid(
                f"returned a DataFrame with {result.shape[1]} columns; return "
                "one value per row (a list, numpy array or Series)"
            )
        result = result.iloc[:, 0]
    if isinstance(result, np.ndarray):
        if result.ndim == 2 and result.shape[1] == 1:
            result = result[:, 0]
        if result.ndim != 1:
            raise invalid(
                f"returned an array of shape {result.shape}; expected a "
                "one-dimensional array"
            )
        items = result.tolist()
    elif isinstance(result, pd.Series | pd.Index):
        items = result.tolist()
    elif isinstance(result, list | tuple):
        items = list(result)
    else:
        raise invalid(
            f"returned {type(result).__name__}; expected a list, tuple, numpy "
            "array or pandas Series"
        )
    if len(items) != expected:
        raise invalid(
            f"returned {len(items):,} values; expected {expected:,} (one per {noun})"
        )

    allowed = {str(c) for c in classes} if classes else None
    numbers: list[float] = []
    labels: list[str] = []
    for index, item in enumerate(items):
        where = f"value {index:,} (counting from 0)"
        if isinstance(item, np.generic):
            item = item.item()
        if isinstance(item, bool):
            if kind == "forecasting":
                raise invalid(f"returned a boolean as {where}; expected a number")
            numbers.append(float(item))
        elif isinstance(item, int | float):
            try:
                number = float(item)
            except OverflowError:
                raise invalid(f"returned a number too large as {where}") from None
            if not math.isfinite(number):
                raise invalid(f"returned {number} as {where}; expected a finite number")
            if flags and number not in (0.0, 1.0):
                raise invalid(
                    f"returned {number} as {where}; this suite expects flags, "
                    "1 (anomalous) or 0 (normal)"
                )
            numbers.append(number)
        elif isinstance(item, str):
            if kind != "classification":
                raise invalid(
                    f"returned text ({item[:40]!r}) as {where}; expected a number"
                )
            if not 1 <= len(item) <= MAX_LABEL_CHARS:
                raise invalid(
                    f"returned a label of {len(item):,} characters as {where}; "
                    f"labels have 1 to {MAX_LABEL_CHARS}"
                )
            if allowed is not None and item not in allowed:
                raise invalid(
                    f"returned the label {item[:40]!r} as {where}; it is not "
                    f"one of the task's classes"
                )
            labels.append(str.__str__(item))  # a plain str, even from a subclass
        elif item is None or item is pd.NA or item is pd.NaT:
            raise invalid(f"returned a missing value as {where}")
        else:
            raise invalid(
                f"returned a {type(item).__name__} as {where}; expected a number"
            )
        if numbers and labels:
            raise invalid("returned a mix of numbers and labels; use one or the other")
    return labels if labels else numbers


# -- Output and reporting -------------------------------------------------------


def write_predictions(
    output_dir: Path,
    values: list[float] | list[str],
    seconds: float,
    *,
    name: str = PREDICTIONS_FILE,
) -> None:
    payload = {
        "schema_version": SCHEMA_VERSION,
        "predictions": values,
        "call_seconds": round(seconds, 6),
    }
    data = json.dumps(payload, allow_nan=False, separators=(",", ":")).encode()
    path = output_dir / name
    # The solution may have left something at this name (even a link);
    # replace it rather than write through it.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(path, flags, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _format_traceback(exc: BaseException, *, keep_harness: bool = False) -> str:
    """Format the exception, keeping only the last 20 frames of vendor code."""
    formatted = traceback.TracebackException.from_exception(exc)
    note = ""
    seen: set[int] = set()
    pending = [formatted]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        frames = [
            frame
            for frame in current.stack
            if keep_harness
            or (
                frame.filename not in (_HERE, importlib.__file__)
                and not frame.filename.startswith("<frozen importlib")
            )
        ]
        if current is formatted and len(frames) > TRACEBACK_FRAMES:
            note = f"({len(frames) - TRACEBACK_FRAMES} earlier frames omitted)\n"
        current.stack = traceback.StackSummary.from_list(frames[-TRACEBACK_FRAMES:])
        pending.extend(
            e for e in (current.__cause__, current.__context__) if e is not None
        )
    return note + "".join(formatted.format())


def _report(message: str, detail: str = "") -> None:
    text = (
        message
        + "\n"
        + (detail if detail.endswith("\n") or not detail else detail + "\n")
    )
    if len(text) > MAX_REPORT_CHARS:
        text = text[: MAX_REPORT_CHARS - 40] + "\n... (report shortened)\n"
    # os.write: the solution may have replaced or closed sys.stderr.
    _write_all(2, text.encode("utf-8", "backslashreplace"))


def _describe(exc: BaseException, limit: int = 2000) -> str:
    try:
        text = str(exc)
    except Exception:  # a solution's exception whose __str__ itself fails
        text = "(the exception's message could not be shown)"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


if __name__ == "__main__":
    code = main()
    for stream in (sys.stdout, sys.stderr):
        # The solution may have closed or replaced them.
        with contextlib.suppress(Exception):
            stream.flush()
    # Exit at once: threads the solution started must not keep the run alive
    # until the wall-clock kill, and its atexit hooks must not run.
    os._exit(code)
