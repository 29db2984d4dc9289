"""Fill a throwaway database with a synthetic load-test data set."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = (
        "Fill a throwaway database with a synthetic, clearly marked load-test "
        "data set for benchmarks (never for the demo): scenarios coded LOAD-..., "
        "organisations and users named load-... (every user's password is "
        "'load-test-password'; the operator is 'load-operator', vendors "
        "'load-vendor-00000'..., energy companies 'load-energy-00000'..., "
        "reviewers 'load-reviewer-00000'...), suites, submissions with two runs "
        "each, leaderboard rows, lifecycle solutions with transitions and "
        "pilots, and review rounds with assignments. --scale large is 10,000 "
        "scenarios, 1,000 vendors and 100,000 runs; --scale small is 1/100 of "
        "that; --scenarios, --vendors and --runs override either. The same "
        "options and --seed make the same rows. Refuses a database that holds "
        "real data (any organisation, user or scenario not of a load-test set) "
        "unless --force, and one that already holds a load-test set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=["small", "large"],
            default="small",
            help="Preset sizes (default: small).",
        )
        parser.add_argument("--scenarios", type=int, help="Number of scenarios.")
        parser.add_argument(
            "--vendors", type=int, help="Number of vendor organisations."
        )
        parser.add_argument(
            "--runs", type=int, help="Number of runs (two per submission)."
        )
        parser.add_argument("--seed", type=int, default=7, help="Random seed.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the set to a database that holds real data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from lifecycle.scale_data import SIZES, ScaleDataError, Sizes, generate

        preset = SIZES[options["scale"]]
        values = {
            name: options[name] if options[name] is not None else preset[name]
            for name in ("scenarios", "vendors", "runs")
        }
        if values["scenarios"] < 1 or values["vendors"] < 1 or values["runs"] < 2:
            raise CommandError("Need at least one scenario, one vendor and two runs.")
        started = time.monotonic()
        try:
            counts = generate(
                Sizes(**values), seed=options["seed"], force=options["force"]
            )
        except ScaleDataError as exc:
            raise CommandError(str(exc)) from exc
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"load-test set made in {time.monotonic() - started:.1f} s")
