"""Check a suite data bundle (and a configuration) as the portal will."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)

from evaluations.models import TaskKind


class Command(BaseCommand):
    help = (
        "Run the portal's upload checks on a suite bundle (.tar.gz) and, with "
        "--config, on a configuration against it; print the bundle's summary. "
        "Reads nothing from the database (the development dataset is checked "
        "on upload)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bundle", help="The bundle: a .tar.gz.")
        parser.add_argument("--config", help="A configuration: .toml or .json.")
        parser.add_argument(
            "--kind",
            choices=TaskKind.values,
            help="The suite's task kind (default: the bundle's).",
        )

    @no_translations  # the messages in English, whatever the locale
    def handle(self, *args: Any, **options: Any) -> None:
        from evaluations.suite_bundles import check_bundle, config_bundle_problems
        from evaluations.suite_services import config_from_text
        from evaluations.suites import validate_config

        path = Path(options["bundle"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            summary = check_bundle(path)
        except ValidationError as exc:
            raise CommandError(
                "The bundle is refused:\n" + "\n".join(f"- {m}" for m in exc.messages)
            ) from exc
        self.stdout.write(json.dumps(summary, indent=2))
        if not options["config"]:
            return
        config_path = Path(options["config"])
        fmt = {".toml": "toml", ".json": "json"}.get(config_path.suffix, "auto")
        kind = options["kind"] or summary["kind"]
        problems: list[str]
        try:
            config = config_from_text(config_path.read_text(encoding="utf-8"), fmt)
            validate_config(config, task_kind=kind)
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            problems = config_bundle_problems(config, summary, kind)
        if problems:
            raise CommandError(
                "The configuration is refused:\n"
                + "\n".join(f"- {m}" for m in problems)
            )
        self.stdout.write("The bundle and the configuration fit together.")
