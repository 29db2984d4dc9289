"""The benchmark runner and the load test's reading of wrk.

The benchmarks themselves measure time and run outside the test suite
(bench/README.md); these tests keep ``make bench`` runnable: every
benchmark it names exists and takes the options the runner passes, and the
wrk output parser reads real wrk output.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.http_load import parse_wrk
from bench.run_all import BENCHMARKS, NOT_TIMED

ROOT = Path(__file__).resolve().parents[1]

# Real output of wrk 4.1.0 (Debian) with --latency, against the portal.
WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:40121
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   295.67ms   63.47ms 503.28ms   71.85%
    Req/Sec    27.43      9.33    50.00     64.58%
  Latency Distribution
     50%  280.91ms
     75%  321.33ms
     90%  384.06ms
     99%    1.46s
  135 requests in 5.02s, 4.37MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:     26.91
Transfer/sec:      0.87MB
"""


def test_parse_wrk_reads_throughput_percentiles_and_errors():
    figures = parse_wrk(WRK_OUTPUT)

    assert figures["rps"] == 26.91
    assert figures["requests"] == 135
    assert figures["percentiles_ms"] == {
        "50": 280.91,
        "75": 321.33,
        "90": 384.06,
        "99": 1460.0,
    }
    assert figures["non_2xx"] == 3
    assert figures["socket_errors"] == "connect 0, read 0, write 0, timeout 2"


def test_parse_wrk_refuses_output_without_figures():
    with pytest.raises(ValueError, match="wrk printed no figures"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused\n")


@pytest.mark.parametrize("name", sorted(BENCHMARKS))
def test_every_benchmark_takes_the_runners_options(name):
    script = ROOT / "bench" / f"{name}.py"
    assert script.is_file()
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(script), "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "--json" in done.stdout
    if name not in NOT_TIMED:
        assert "--wait-quiet" in done.stdout
    full, quick = BENCHMARKS[name]
    for argv in (full, quick):
        for option in (a for a in argv if a.startswith("--")):
            assert option in done.stdout, f"{name} has no {option}"
