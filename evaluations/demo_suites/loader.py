"""The registry of demo suites and ``ensure_demo_suites``, which loads them."""

from __future__ import annotations

import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from evaluations.demo_suites.c1 import C1
from evaluations.demo_suites.c2a import C2A
from evaluations.demo_suites.c2b import C2B
from evaluations.demo_suites.common import EXAMPLES_DIR, DemoSuite, SuiteDataError
from evaluations.models import Submission, SuiteVersion, TestSuite
from evaluations.suites import pack_bundle
from portal.accounts.models import Membership, Organisation, User
from scenarios.models import Scenario

DEMO_SUITES: tuple[DemoSuite, ...] = (C1, C2A, C2B)


def get_demo_suite(key: str) -> DemoSuite:
    for suite in DEMO_SUITES:
        if suite.key == key:
            return suite
    known = ", ".join(s.key for s in DEMO_SUITES)
    raise KeyError(f"Unknown demo suite {key!r}; known: {known}.")


@dataclass
class EnsureReport:
    """What ``ensure_demo_suites`` did, one line per action."""

    lines: list[str] = field(default_factory=list)
    created: int = 0

    def add(self, line: str, *, created: bool = True) -> None:
        self.lines.append(line)
        self.created += int(created)


def _demo_vendors() -> list[tuple[Organisation, User]]:
    """Return the verified demo vendors that have an owner, oldest first."""
    vendors = []
    for vendor in Organisation.objects.filter(
        kind=Organisation.Kind.VENDOR, is_demo=True, verified_at__isnull=False
    ).order_by("pk"):
        owner = (
            Membership.objects.filter(organisation=vendor, role=Membership.Role.OWNER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if owner is not None:
            vendors.append((vendor, owner.user))
    if not vendors:
        raise SuiteDataError(
            "No verified demo vendor with an owner exists; run `manage.py load_demo`."
        )
    return vendors


def _ensure_suite(definition: DemoSuite, report: EnsureReport) -> TestSuite:
    scenario = Scenario.objects.filter(code=definition.scenario_code).first()
    if scenario is None:
        raise SuiteDataError(
            f"Scenario {definition.scenario_code} does not exist; "
            "run `manage.py load_demo` first."
        )
    text = {
        "title_zh": definition.title_zh,
        "title_en": definition.title_en,
        "description_zh": definition.description_zh,
        "description_en": definition.description_en,
    }
    suite, created = TestSuite.objects.get_or_create(
        scenario=scenario,
        slug=definition.slug,
        defaults={**text, "task_kind": definition.task_kind, "is_demo": True},
    )
    if created:
        report.add(f"{definition.key}: created suite {suite}")
        return suite
    changed = [name for name, value in text.items() if getattr(suite, name) != value]
    if changed:
        for name in changed:
            setattr(suite, name, text[name])
        suite.save(update_fields=changed)
        report.add(f"{definition.key}: updated {', '.join(changed)}")
    return suite


def _ensure_version(
    definition: DemoSuite, suite: TestSuite, report: EnsureReport
) -> SuiteVersion:
    """Return the version with the current configuration, publishing it if new.

    Published versions never change: a changed configuration or data recipe
    makes a new version, and the older published ones are retired.
    """
    from scenarios.dataset_services import blob_store

    config = definition.make_config()
    latest = suite.versions.order_by("-number").first()
    if latest is not None and latest.config == config:
        return latest
    # Building and storing the bundle is slow I/O: do it before the
    # transaction, which then only writes rows.
    with tempfile.TemporaryDirectory(prefix=f"suite-{definition.key}-") as folder:
        data = pack_bundle(definition.build_bundle(Path(folder) / "bundle"))
    blob = blob_store(ContentFile(data, name=f"{definition.slug}.tar.gz"))
    now = timezone.now()
    with transaction.atomic():
        number = (latest.number + 1) if latest is not None else 1
        suite.versions.filter(status=SuiteVersion.Status.PUBLISHED).update(
            status=SuiteVersion.Status.RETIRED
        )
        version = SuiteVersion.objects.create(
            suite=suite,
            number=number,
            status=SuiteVersion.Status.PUBLISHED,
            config=config,
            bundle=blob,
            change_notes=f"Demo suite built from recipe {config['data']['recipe']}.",
            published_at=now,
        )
    report.add(f"{definition.key}: published {version} ({blob.size:,} bytes bundle)")
    return version


def _manifest(folder: Path) -> dict[str, Any]:
    with (folder / "solution.toml").open("rb") as handle:
        return tomllib.load(handle)


def _submit_baselines(
    definition: DemoSuite, version: SuiteVersion, report: EnsureReport
) -> None:
    """Submit each baseline its demo vendor has not submitted to ``version``."""
    from evaluations.intake import pack_solution
    from evaluations.services import submission_create

    if version.status != SuiteVersion.Status.PUBLISHED:
        return
    vendors = _demo_vendors()
    # One baseline per demo vendor, so that each leaderboard (one row per
    # organisation) shows every baseline.
    for index, folder_name in enumerate(definition.baselines):
        vendor, owner = vendors[index % len(vendors)]
        folder = EXAMPLES_DIR / folder_name
        manifest = _manifest(folder)
        if Submission.objects.filter(
            suite_version=version,
            organisation=vendor,
            name=str(manifest["name"]),
            version_label=str(manifest["version"]),
        ).exists():
            continue
        with tempfile.TemporaryDirectory(prefix="baseline-") as tmp:
            archive = Path(tmp) / f"{folder_name}.zip"
            pack_solution(folder, archive)
            with archive.open("rb") as handle:
                submission = submission_create(
                    suite_version=version,
                    organisation=vendor,
                    user=owner,
                    upload=File(handle, name=archive.name),
                    file_name=archive.name,
                )
        report.add(
            f"{definition.key}: submitted {submission.name!r} for {vendor.slug} "
            "(validation run queued)"
        )


def ensure_demo_suites(keys: list[str] | None = None) -> EnsureReport:
    """Create whatever part of the demo suites is missing (idempotent).

    1. Ensure the suite on its demo scenario, with its current texts.
    2. Ensure a published version whose configuration matches the
       definition, building and storing its bundle when it is new.
    3. Submit each baseline example on behalf of the first demo vendor,
       unless that vendor already submitted it to this version; the
       validation run is queued for the Celery worker.
    """
    chosen = [get_demo_suite(k) for k in keys] if keys else list(DEMO_SUITES)
    report = EnsureReport()
    for definition in chosen:
        suite = _ensure_suite(definition, report)
        version = _ensure_version(definition, suite, report)
        _submit_baselines(definition, version, report)
    return report
