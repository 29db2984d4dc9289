"""HTTP load test: wrk against gunicorn on loopback.

Usage::

    .venv/bin/python bench/http_load.py --data large --duration 20 \
        --json /tmp/http_load.json
    .venv/bin/python bench/http_load.py --data demo --duration 5   # quick look

What it does, in a throwaway folder (nothing in ``var/`` is touched):

1. migrates a fresh SQLite database and collects the static files, with
   production settings (``DJANGO_DEBUG`` off, whitenoise's manifest storage);
2. fills it: ``--data small|large`` runs ``generate_scale_data --scale`` (the
   synthetic load-test data set: 10,000 scenarios, 1,000 vendors and
   100,000 runs at ``large``), ``--data demo`` the demo loaders (scenarios,
   suites and reviews, without runs);
3. starts ``gunicorn portal.wsgi:application`` on 127.0.0.1 with
   ``--workers`` processes (the production server; docs/deploy.md §5);
4. checks every URL answers 200 (a logged-in page that redirects to the
   login would measure the login page), then runs ``wrk`` (Debian package
   ``wrk``) once per mix, after a warm-up: ``anonymous catalog`` rotates
   over the catalog with filters, later catalog pages, the scenario map and
   scenario pages; ``logged-in leaderboard`` rotates over the largest suite
   leaderboards with a vendor's session cookie.

wrk and gunicorn share the two cores, so the figures are what one small
machine serves while also generating the load: a floor, not a ceiling.
Every run is bounded in time (``--duration``) and connections.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402 - needs ROOT on sys.path
    machine_info,
    markdown_table,
    note,
    say,
    wait_for_quiet,
    write_json,
)
from tests.evaluations.worker_support import free_port  # noqa: E402

VENV_BIN = Path(sys.executable).parent

# Printed as JSON by ``manage.py shell``: the URLs of each mix and a
# vendor's session cookie. Scenario codes and suite ids come from the
# database, so the mixes follow whatever data set was loaded.
_TARGETS_SCRIPT = r"""
import json
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db.models import Count
from django.urls import reverse
from evaluations.models import TestSuite
from scenarios.models import Scenario

published = Scenario.objects.filter(status=Scenario.Status.PUBLISHED).order_by("id")
codes = list(published.values_list("code", flat=True)[:200])
step = max(1, len(codes) // 8)
sectors = list(published.values_list("sector", flat=True).distinct().order_by("sector")[:3])
catalog = reverse("scenarios:index")
anonymous = [catalog, catalog + "?page=3", reverse("scenarios:map")]
anonymous += [catalog + "?sector=" + s for s in sectors]
anonymous += [catalog + "?sector=" + sectors[0] + "&sort=-value_score"] if sectors else []
anonymous += [catalog + "?q=forecast"]
anonymous += [reverse("scenarios:detail", args=[c]) for c in codes[::step][:8]]

boards = (
    TestSuite.objects.annotate(n=Count("versions__leaderboard_rows"))
    .order_by("-n", "id")
    .values("id", "n")[:8]
)
leaderboards = [reverse("evaluations:leaderboard", args=[b["id"]]) for b in boards]
rows = [b["n"] for b in boards]

user = (
    get_user_model()
    .objects.filter(is_active=True, is_staff=False, memberships__organisation__kind="vendor")
    .order_by("id")
    .first()
)
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
# Axes's backend comes first but cannot load a user; take the next one.
session["_auth_user_backend"] = [
    b for b in settings.AUTHENTICATION_BACKENDS if "axes" not in b
][0]
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(json.dumps({
    "anonymous": anonymous,
    "leaderboards": leaderboards,
    "leaderboard_rows": rows,
    "cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
    "user": user.username,
}))
"""

_LUA = """
local paths = {%(paths)s}
local i = 0
%(headers)s
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _env(root: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "TMPDIR": str(root / "tmp"),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "http-load-benchmark-secret-not-for-any-deployment",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "PORTAL_HTTPS": "false",
        "PORTAL_DEMO_MODE": "false",
        "PORTAL_VAR_DIR": str(root / "var"),
        "DATABASE_URL": f"sqlite:///{root / 'var' / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(root / "static"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PORTAL_LOG_LEVEL": "WARNING",
    }


def _manage(env: dict[str, str], *args: str, timeout: float = 1800) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"manage.py {' '.join(args)} failed ({done.returncode}):\n"
            f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
        )
    return done.stdout


def prepare(root: Path, data: str) -> float:
    """Migrate, collect static files and load ``data``; return seconds taken."""
    env = _env(root)
    for name in ("var", "tmp"):
        (root / name).mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    _manage(env, "migrate", "--noinput")
    _manage(env, "collectstatic", "--noinput")
    if data == "demo":
        # The demo loaders refuse to create their published logins otherwise.
        demo_env = {**env, "PORTAL_DEMO_MODE": "true"}
        for command in ("load_demo", "load_demo_suites", "load_demo_reviews"):
            _manage(demo_env, command)
    else:
        _manage(env, "generate_scale_data", "--scale", data)
    return time.monotonic() - started


def _get(url: str, cookie: str | None) -> int:
    request = urllib.request.Request(url)  # noqa: S310 - loopback http only
    if cookie:
        request.add_header("Cookie", cookie)

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def start_gunicorn(root: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    log = (root / "gunicorn.log").open("wb")
    proc = subprocess.Popen(  # noqa: S603 - the venv's gunicorn
        [
            str(VENV_BIN / "gunicorn"),
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--max-requests",
            "0",
            "--log-level",
            "warning",
        ],
        env=_env(root),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(
                "gunicorn exited:\n" + (root / "gunicorn.log").read_text()[-4000:]
            )
        try:
            _get(f"http://127.0.0.1:{port}/", None)
            return proc
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unreadable wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests/s, latency percentiles, errors and non-2xx from wrk's text."""
    result: dict[str, Any] = {"percentiles_ms": {}}
    for line in output.splitlines():
        line = line.strip()
        match = re.match(r"(50|75|90|99)%\s+(\S+)", line)
        if match:
            result["percentiles_ms"][match.group(1)] = _ms(match.group(2))
        elif line.startswith("Requests/sec:"):
            result["rps"] = float(line.split()[1])
        elif re.match(r"\d+ requests in", line):
            result["requests"] = int(line.split()[0])
        elif line.startswith("Non-2xx or 3xx responses:"):
            result["non_2xx"] = int(line.split(":")[1])
        elif line.startswith("Socket errors:"):
            result["socket_errors"] = line.split(":", 1)[1].strip()
    result.setdefault("non_2xx", 0)
    if "rps" not in result or "99" not in result["percentiles_ms"]:
        raise ValueError("wrk printed no figures:\n" + output)
    return result


def run_wrk(
    root: Path,
    port: int,
    name: str,
    paths: list[str],
    cookie: str | None,
    *,
    threads: int,
    connections: int,
    duration: int,
) -> dict[str, Any]:
    headers = f'wrk.headers["Cookie"] = "{cookie}"' if cookie else ""
    script = root / f"{name}.lua"
    script.write_text(
        _LUA % {"paths": ", ".join(json.dumps(p) for p in paths), "headers": headers}
    )
    argv = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--timeout",
        "30s",
        "--latency",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
    ]
    done = subprocess.run(  # noqa: S603 - wrk on loopback
        argv, capture_output=True, text=True, timeout=duration + 120, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    figures = parse_wrk(done.stdout)
    figures["argv"] = argv
    figures["raw"] = done.stdout
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", choices=("demo", "small", "large"), default="large")
    parser.add_argument("--duration", type=int, default=20, help="seconds per mix")
    parser.add_argument("--warmup", type=int, default=3, help="seconds per mix")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--workers", type=int, default=len(os.sched_getaffinity(0)), help="gunicorn"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the prepared database here and reuse it on the next run",
    )
    parser.add_argument("--wait-quiet", type=float, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    root = args.workdir or Path(tempfile.mkdtemp(prefix="portal-http-load-"))
    prepared = (root / "var" / "db.sqlite3").exists() and (root / "static").exists()
    try:
        prepare_seconds = 0.0 if prepared else prepare(root, args.data)
        if prepared:
            note(f"reusing the database in {root}")
        targets = json.loads(
            _manage(_env(root), "shell", "-c", _TARGETS_SCRIPT).strip().splitlines()[-1]
        )
        wait_for_quiet(args.wait_quiet)
        port = free_port()
        server = start_gunicorn(root, port, args.workers)
        mixes = [
            ("anonymous catalog", targets["anonymous"], None),
            ("logged-in leaderboard", targets["leaderboards"], targets["cookie"]),
        ]
        results: dict[str, Any] = {}
        try:
            for name, paths, cookie in mixes:
                if not paths:
                    raise SystemExit(f"no URLs for {name}: is the data set empty?")
                for path in paths:
                    status = _get(f"http://127.0.0.1:{port}{path}", cookie)
                    if status != 200:
                        raise SystemExit(f"{path} answered {status}, not 200")
                slug = name.replace(" ", "-")
                common = {
                    "threads": args.threads,
                    "connections": args.connections,
                }
                run_wrk(root, port, slug, paths, cookie, duration=args.warmup, **common)
                load = os.getloadavg()[0]
                results[name] = run_wrk(
                    root, port, slug, paths, cookie, duration=args.duration, **common
                )
                results[name]["urls"] = paths
                results[name]["load_before"] = round(load, 2)
        finally:
            stop(server)
        rows = [
            (
                name,
                len(r["urls"]),
                r["requests"],
                f"{r['rps']:.1f}",
                f"{r['percentiles_ms']['50']:.1f}",
                f"{r['percentiles_ms']['99']:.1f}",
                r["non_2xx"],
                r["load_before"],
            )
            for name, r in results.items()
        ]
        say(
            f"data={args.data} gunicorn workers={args.workers} wrk threads="
            f"{args.threads} connections={args.connections} duration={args.duration}s"
        )
        say(f"leaderboard rows on the boards measured: {targets['leaderboard_rows']}")
        say(
            markdown_table(
                (
                    "mix",
                    "URLs",
                    "requests",
                    "req/s",
                    "p50 ms",
                    "p99 ms",
                    "non-2xx",
                    "load before",
                ),
                rows,
            )
        )
        write_json(
            args.json,
            {
                "argv": sys.argv,
                "machine": machine_info(),
                "data": args.data,
                "prepare_seconds": prepare_seconds,
                "leaderboard_rows": targets["leaderboard_rows"],
                "results": results,
            },
        )
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
