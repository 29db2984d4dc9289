"""Server time and SQL queries of the portal's pages at two data sizes.

1. Make two throwaway worlds (``tests/evaluations/worker_support``): their
   own ``PORTAL_VAR_DIR`` and SQLite file, migrated.
2. Fill one with ``generate_scale_data --scale small`` and the other with
   ``--scale large`` (100 times the rows).
3. Start one process per world (``--serve``) and request each page through
   Django's test client: warm-up requests, one request whose SQL queries
   are counted with ``CaptureQueriesContext``, then ``--repeat`` rounds of
   one timed request per size, in alternating order, so drift in the
   machine's load reaches both sizes alike. The figure is the median.
4. Print page, queries small, queries large, time small, time large and the
   ratio. Targets: the same number of queries at both sizes, and the large
   size at most 1.5 × the small one.

``--db-dir DIR`` reuses ``DIR/small.sqlite3`` and ``DIR/large.sqlite3``
(made by earlier runs with ``--keep-dbs DIR``) instead of generating them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    ROOT,
    World,
    machine_info,
    markdown_table,
    note,
    say,
    summarize,
    wait_for_quiet,
    write_json,
)

SIZES = ("small", "large")
TARGET_RATIO = 1.5


# --- the pages (run inside a world's process) -----------------------------------------


def _pages() -> list[tuple[str, str | None, str]]:
    from lifecycle.scale_data import benchmark_pages

    return benchmark_pages()


class _Pages:
    """The pages of one world, served to the driver one request batch at a
    time (``serve``), so the two sizes can be measured interleaved."""

    def __init__(self) -> None:
        import django

        django.setup()
        from django.test import Client
        from django.test.utils import override_settings

        from portal.accounts.models import User

        # The test client's host; plain static storage (no collectstatic).
        override_settings(
            ALLOWED_HOSTS=["testserver"],
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {
                    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
                },
            },
        ).enable()
        self.pages = _pages()
        self.clients: dict[str | None, Any] = {}
        for _page, username, _url in self.pages:
            if username in self.clients:
                continue
            client = Client(headers={"accept-language": "en"})
            if username is not None:
                client.force_login(User.objects.get(username=username))
            self.clients[username] = client

    def describe(self) -> list[dict[str, Any]]:
        return [
            {"page": page, "persona": username or "anonymous", "url": url}
            for page, username, url in self.pages
        ]

    def queries(self, index: int, warmup: int) -> dict[str, Any]:
        """Warm the page up, then count the SQL of one request."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        page, username, url = self.pages[index]
        client = self.clients[username]
        for _ in range(warmup):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{page}: {url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # Read them now: the next request empties the connection's log.
        sql = [q["sql"] for q in captured.captured_queries]
        return {"queries": len(sql), "sql": sql, "bytes": len(response.content)}

    def time(self, index: int, repeat: int) -> list[float]:
        _page, username, url = self.pages[index]
        client = self.clients[username]
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        return times


def serve() -> None:
    """Answer the driver's requests, one JSON line in, one JSON line out."""
    pages = _Pages()
    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "describe":
            answer: Any = pages.describe()
        elif request["op"] == "queries":
            answer = pages.queries(request["index"], request["warmup"])
        else:
            answer = pages.time(request["index"], request["repeat"])
        out.write(json.dumps(answer) + "\n")
        out.flush()


class _Server:
    """A world's page server, driven over its stdin and stdout."""

    def __init__(self, world: World) -> None:
        self.popen = subprocess.Popen(  # noqa: S603 - this interpreter, this script
            [sys.executable, str(Path(__file__).resolve()), "--serve"],
            cwd=ROOT,
            env=world.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, **request: Any) -> Any:
        assert self.popen.stdin is not None and self.popen.stdout is not None  # noqa: S101
        self.popen.stdin.write(json.dumps(request) + "\n")
        self.popen.stdin.flush()
        line = self.popen.stdout.readline()
        if not line:
            raise SystemExit("a page server stopped; see its errors above")
        return json.loads(line)

    def close(self) -> None:
        if self.popen.stdin is not None:
            self.popen.stdin.close()
        self.popen.wait(timeout=60)


def measure(worlds: dict[str, World], repeat: int, warmup: int) -> dict[str, Any]:
    """Count each page's queries, then time it at both sizes, interleaved.

    The timed requests go in rounds: each round asks every size for one
    request of the page, in an order that alternates, so drift in the
    machine's load reaches both sizes alike.
    """
    servers = {size: _Server(world) for size, world in worlds.items()}
    try:
        pages = servers["small"].ask(op="describe")
        results: dict[str, Any] = {size: {} for size in servers}
        for index, page in enumerate(pages):
            name = page["page"]
            for size, server in servers.items():
                results[size][name] = {
                    **page,
                    **server.ask(op="queries", index=index, warmup=warmup),
                    "seconds": [],
                }
            for round_ in range(repeat):
                order = list(servers) if round_ % 2 == 0 else list(reversed(servers))
                for size in order:
                    results[size][name]["seconds"] += servers[size].ask(
                        op="time", index=index, repeat=1
                    )
            for size in servers:
                entry = results[size][name]
                entry["summary"] = summarize(entry["seconds"])
            note(
                f"  {name}: "
                + ", ".join(
                    f"{size} {results[size][name]['queries']} queries "
                    f"{results[size][name]['summary']['median'] * 1000:.1f} ms"
                    for size in servers
                )
            )
        return results
    finally:
        for server in servers.values():
            server.close()


# --- the driver -------------------------------------------------------------------------


def _run(world: World, argv: list[str], *, timeout: float) -> str:
    done = subprocess.run(  # noqa: S603 - this interpreter, our own scripts
        [sys.executable, *argv],
        cwd=ROOT,
        env=world.env,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv)} failed:\n{done.stderr.decode('utf-8', 'replace')[-4000:]}"
        )
    return done.stdout.decode("utf-8")


def _prepare(
    world: World,
    size: str,
    *,
    db_dir: Path | None,
    keep: Path | None,
    template: Path,
) -> dict[str, Any]:
    cached = db_dir / f"{size}.sqlite3" if db_dir else None
    if cached is not None and cached.exists():
        shutil.copyfile(cached, world.db_path)
        note(f"{size}: reusing {cached}")
        return {"reused": str(cached)}
    if not template.exists():
        note("migrating a fresh database")
        _run(
            world,
            [str(ROOT / "manage.py"), "migrate", "--no-input", "-v", "0"],
            timeout=600,
        )
        shutil.copyfile(world.db_path, template)
    shutil.copyfile(template, world.db_path)
    note(f"{size}: generating the data set")
    started = time.monotonic()
    out = _run(
        world,
        [str(ROOT / "manage.py"), "generate_scale_data", "--scale", size],
        timeout=3600,
    )
    seconds = time.monotonic() - started
    note(out.strip())
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(world.db_path, keep / f"{size}.sqlite3")
    return {"generate_seconds": seconds, "generate_output": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeat", type=int, default=15, help="timed requests per page"
    )
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first")
    parser.add_argument("--json", type=Path, help="write every sample here")
    parser.add_argument(
        "--db-dir", type=Path, help="reuse small/large.sqlite3 from here"
    )
    parser.add_argument(
        "--keep-dbs", type=Path, help="copy the generated databases here"
    )
    parser.add_argument(
        "--wait-quiet", type=float, help="wait for a load average below this"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.serve:
        serve()
        return 0

    results: dict[str, Any] = {}
    preparation: dict[str, Any] = {}
    worlds = {
        size: World.create(slots=1, prefix=f"portal-webpages-{size}-") for size in SIZES
    }
    try:
        template = worlds["small"].root / "template.sqlite3"
        for size, world in worlds.items():
            preparation[size] = _prepare(
                world, size, db_dir=args.db_dir, keep=args.keep_dbs, template=template
            )
        wait_for_quiet(args.wait_quiet)
        load_before = os.getloadavg()[0]
        results = measure(worlds, args.repeat, args.warmup)
        load_after = os.getloadavg()[0]
    finally:
        for world in worlds.values():
            world.close()

    rows = []
    for page in results["small"]:
        small, large = results["small"][page], results["large"][page]
        t_small, t_large = small["summary"]["median"], large["summary"]["median"]
        ratio = t_large / t_small
        met = small["queries"] == large["queries"] and ratio <= TARGET_RATIO
        rows.append(
            [
                page,
                small["persona"],
                small["queries"],
                large["queries"],
                f"{t_small * 1000:.1f}",
                f"{t_large * 1000:.1f}",
                f"{ratio:.2f}",
                "yes" if met else "no",
                f"{small['bytes'] / 1024:.0f}",
                f"{large['bytes'] / 1024:.0f}",
            ]
        )
    say(
        markdown_table(
            [
                "page",
                "persona",
                "queries small",
                "queries large",
                "ms small",
                "ms large",
                "ratio",
                "met",
                "KB small",
                "KB large",
            ],
            rows,
        )
    )
    say(
        f"\nmedian of {args.repeat} requests after {args.warmup} warm-up; "
        f"1-minute load average {load_before:.2f} before, {load_after:.2f} after"
    )
    write_json(
        args.json,
        {
            "command": sys.argv,
            "machine": machine_info(),
            "load_average": {"before": load_before, "after": load_after},
            "preparation": preparation,
            "results": results,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
