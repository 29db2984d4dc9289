"""Writes to test suites and their versions: the scenario owner's side.

The writers of a scenario's owner organisation and operators manage its
suites (``suite_selectors.can_manage_suites``); every function checks that
itself and raises ``PermissionDenied``, or ``ValidationError`` with a message
under the field it concerns (``config``, ``bundle``, ``slug`` ...).

1. ``suite_create`` and ``suite_update``: a suite, its titles and texts.
2. ``suite_bundle_check`` checks an uploaded data bundle
   (``suite_bundles.check_bundle``) and stores it content-addressed.
3. ``suite_version_create`` makes a draft from a configuration and a
   checked bundle; ``suite_version_update`` edits a draft and
   ``suite_version_discard`` deletes one. A suite has one draft at a time.
4. ``suite_version_publish`` locks a draft for good and retires the
   version it replaces: one version of a suite takes submissions at a time,
   and results stay with the version they ran on.
5. ``suite_version_retire`` stops a published version taking submissions;
   its runs, results and leaderboard stay.

Each step is recorded in the scenario's history; publishing and retiring
notify the vendors registered on the scenario and those that submitted to
the suite.
"""

from __future__ import annotations

import json
import tempfile
import tomllib
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Submission, SuiteVersion, TestSuite
from evaluations.suite_bundles import check_bundle, config_bundle_problems
from evaluations.suite_selectors import can_manage_suites
from evaluations.suites import validate_config
from portal.accounts.models import NotificationCategory, User
from portal.accounts.selectors import AnyUser, organisation_people_list
from portal.accounts.services import notification_send
from portal.ledger.services import ledger_append
from scenarios.dataset_services import blob_store
from scenarios.models import (
    AccessPolicy,
    Blob,
    Dataset,
    Scenario,
    ScenarioEvent,
    ScenarioRegistration,
)

SUITE_TEXT_FIELDS = ["title_zh", "title_en", "description_zh", "description_en"]
CONFIG_TEXT_BYTES = 256 * 1024
CONFIG_FORMATS = ("auto", "json", "toml")
# A checked bundle is kept this long for the form that failed on something
# else, so the owner does not upload it again.
BUNDLE_TOKEN_SECONDS = 24 * 3600
_BUNDLE_REFERENCE_SALT = "evaluations.suite_services.bundle"


@dataclass(frozen=True)
class CheckedBundle:
    """A bundle that passed ``check_bundle`` and is stored as ``blob``."""

    blob: Blob
    summary: dict[str, Any]


# --- helpers ---------------------------------------------------------------------


def _require_manager(user: AnyUser, scenario: Scenario) -> None:
    if not can_manage_suites(user, scenario):
        raise PermissionDenied


def _require_open_scenario(scenario: Scenario) -> None:
    if scenario.status == Scenario.Status.ARCHIVED:
        raise ValidationError(_("An archived scenario's test suites do not change."))


def _record(scenario: Scenario, action: str, user: AnyUser, message: str) -> None:
    ScenarioEvent.objects.create(
        scenario=scenario,
        action=action,
        actor=user if isinstance(user, User) else None,
        message=message,
    )


def _ledger_suite_version(
    kind: str, version: SuiteVersion, user: AnyUser, **facts: Any
) -> None:
    """Append a suite version's publication or retirement to the ledger."""
    scenario = version.suite.scenario
    bundle_sha = version.bundle.sha256 if version.bundle is not None else None
    ledger_append(
        kind=kind,
        actor=user,
        organisation=scenario.owner,
        subject=f"suite_version:{version.pk}",
        payload={
            "scenario": scenario.code,
            "suite": version.suite.slug,
            "number": version.number,
            "status": version.status,
            "bundle_sha256": bundle_sha,
            **facts,
        },
        evidence=[f"scenario:{scenario.pk}"]
        + ([f"blob:sha256:{bundle_sha}"] if bundle_sha else []),
    )


def _label(version: SuiteVersion) -> str:
    return f"{version.suite.slug} v{version.number}"


def config_from_text(text: str, fmt: str = "auto") -> dict[str, Any]:
    """Parse a configuration written as JSON or TOML (``auto``: by its start).

    Raise ``ValidationError`` under ``config`` with the line of the problem.
    """
    if fmt not in CONFIG_FORMATS:
        raise ValidationError({"config_format": _("Choose JSON or TOML.")})
    if len(text.encode("utf-8")) > CONFIG_TEXT_BYTES:
        raise ValidationError(
            {"config": _("The configuration is larger than 256 KiB.")}
        )
    if fmt == "auto":
        fmt = "json" if text.lstrip().startswith("{") else "toml"
    if fmt == "json":
        try:
            config = json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                {
                    "config": _(
                        "The configuration is not valid JSON: {problem} (line "
                        "{line}, column {column})."
                    ).format(problem=exc.msg, line=exc.lineno, column=exc.colno)
                }
            ) from None
        except ValueError as exc:
            raise ValidationError({"config": str(exc)}) from None
    else:
        try:
            config = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValidationError(
                {
                    "config": _(
                        "The configuration is not valid TOML: {problem}."
                    ).format(problem=exc)
                }
            ) from None
    if not isinstance(config, dict):
        raise ValidationError(
            {"config": _("The suite configuration must be an object.")}
        )
    try:
        json.dumps(config, allow_nan=False)
    except (TypeError, ValueError):
        raise ValidationError(
            {
                "config": _(
                    "The configuration holds a date, a time or a number that is "
                    "not finite; write dates as text."
                )
            }
        ) from None
    return config


def _no_constant(name: str) -> None:
    raise ValueError(
        _("The configuration uses {name}, which is not a number.").format(name=name)
    )


def config_problems(
    *, suite: TestSuite, config: Any, summary: dict[str, Any] | None
) -> list[str]:
    """Return what keeps ``config`` from being used by ``suite``; read only.

    1. ``validate_config``: the configuration on its own.
    2. ``config_bundle_problems``: against the bundle's ``summary``, when
       one is given.
    3. The development dataset is one of the scenario's datasets that
       vendors may download.
    """
    try:
        validate_config(config, task_kind=suite.task_kind)
    except ValidationError as exc:
        return list(exc.messages)
    problems = (
        config_bundle_problems(config, summary, suite.task_kind)
        if summary is not None
        else []
    )
    slug = config.get("development", {}).get("dataset")
    if slug:
        dataset = Dataset.objects.filter(scenario=suite.scenario, slug=slug).first()
        if dataset is None:
            problems.append(
                _(
                    "development.dataset “{slug}” is not a dataset of scenario "
                    "{code}; register the development data there first."
                ).format(slug=slug, code=suite.scenario.code)
            )
        elif dataset.access_policy == AccessPolicy.HIDDEN:
            problems.append(
                _(
                    "development.dataset “{slug}” never leaves the platform, so "
                    "vendors could not download it; choose a dataset they may "
                    "download."
                ).format(slug=slug)
            )
    return problems


def _checked_config(
    config: Any, summary: dict[str, Any], suite: TestSuite
) -> dict[str, Any]:
    """Return ``config`` if it is valid and fits the bundle; raise otherwise."""
    problems = config_problems(suite=suite, config=config, summary=summary)
    if problems:
        raise ValidationError({"config": problems})
    return dict(config)


# --- suites ------------------------------------------------------------------------


@transaction.atomic
def suite_create(
    *,
    scenario: Scenario,
    user: AnyUser,
    slug: str,
    task_kind: str,
    data: dict[str, Any],
) -> TestSuite:
    """Add a test suite to a scenario; its content comes with versions."""
    _require_manager(user, scenario)
    _require_open_scenario(scenario)
    slug = slug.strip().lower()
    if TestSuite.objects.filter(scenario=scenario, slug=slug).exists():
        raise ValidationError(
            {"slug": _("This scenario already has a test suite with this slug.")}
        )
    suite = TestSuite(scenario=scenario, slug=slug, task_kind=task_kind)
    for field in SUITE_TEXT_FIELDS:
        if field in data:
            setattr(suite, field, data[field])
    suite.full_clean()
    suite.save()
    _record(
        scenario,
        ScenarioEvent.Action.SUITE_CREATED,
        user,
        f"{suite.slug}: {suite.title_zh} / {suite.title_en}",
    )
    return suite


@transaction.atomic
def suite_update(*, suite: TestSuite, user: AnyUser, data: dict[str, Any]) -> TestSuite:
    """Edit a suite's titles and descriptions, and its kind before any version.

    The slug never changes (it names the suite in URLs and the history).
    """
    _require_manager(user, suite.scenario)
    _require_open_scenario(suite.scenario)
    changed = [
        field
        for field in [*SUITE_TEXT_FIELDS, "task_kind"]
        if field in data and getattr(suite, field) != data[field]
    ]
    if "task_kind" in changed and suite.versions.exists():
        raise ValidationError(
            {
                "task_kind": _(
                    "The task kind is fixed once the suite has a version; make a "
                    "new suite for another kind."
                )
            }
        )
    if not changed:
        return suite
    for field in changed:
        setattr(suite, field, data[field])
    suite.full_clean()
    suite.save(update_fields=changed)
    _record(
        suite.scenario,
        ScenarioEvent.Action.SUITE_EDITED,
        user,
        f"{suite.slug}: {', '.join(changed)}",
    )
    return suite


# --- bundles -------------------------------------------------------------------------


def suite_bundle_check(
    *, suite: TestSuite, user: AnyUser, upload: File[Any]
) -> CheckedBundle:
    """Check an uploaded bundle and store it content-addressed.

    Checking and storing are slow I/O and happen outside any transaction: a
    failure later leaves at most an unreferenced blob (see ``blob_store``).
    """
    _require_manager(user, suite.scenario)
    with tempfile.TemporaryDirectory(prefix="suite-upload-") as folder:
        path = Path(folder) / "bundle.tar.gz"
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        summary = check_bundle(path)
        with path.open("rb") as handle:
            blob = blob_store(File(handle, name="bundle.tar.gz"))
    return CheckedBundle(blob=blob, summary=dict(summary))


def bundle_token(*, checked: CheckedBundle, suite: TestSuite, user: AnyUser) -> str:
    """Return a signed reference to a checked bundle, for one user and suite."""
    return signing.dumps(
        {
            "sha256": checked.blob.sha256,
            "summary": checked.summary,
            "suite": suite.pk,
            "user": user.pk,
        },
        salt=_BUNDLE_REFERENCE_SALT,
        compress=True,
    )


def bundle_from_token(*, token: str, suite: TestSuite, user: AnyUser) -> CheckedBundle:
    """Return the checked bundle a ``bundle_token`` refers to, or raise."""
    expired = ValidationError(
        {"bundle": _("The checked bundle is no longer available; upload it again.")}
    )
    try:
        data = signing.loads(
            token, salt=_BUNDLE_REFERENCE_SALT, max_age=BUNDLE_TOKEN_SECONDS
        )
    except signing.BadSignature:
        raise expired from None
    if data.get("suite") != suite.pk or data.get("user") != user.pk:
        raise expired
    blob = Blob.objects.filter(sha256=data.get("sha256")).first()
    if blob is None:
        raise expired
    return CheckedBundle(blob=blob, summary=dict(data["summary"]))


# --- versions --------------------------------------------------------------------------


def suite_version_create(
    *,
    suite: TestSuite,
    user: AnyUser,
    config: dict[str, Any],
    bundle: CheckedBundle,
    change_notes: str = "",
) -> SuiteVersion:
    """Make a draft version from a configuration and a checked bundle.

    1. The user manages the scenario's suites; the scenario is not archived.
    2. The suite has no other draft (one draft at a time keeps numbers and
       reviews simple).
    3. The configuration passes ``validate_config`` and fits the bundle
       (``config_bundle_problems``) and the scenario's datasets.
    4. The draft takes the next number; the history records it.
    """
    _require_manager(user, suite.scenario)
    _require_open_scenario(suite.scenario)
    with transaction.atomic():
        suite = (
            TestSuite.objects.select_for_update(of=("self",))
            .select_related("scenario")
            .get(pk=suite.pk)
        )
        draft = suite.versions.filter(status=SuiteVersion.Status.DRAFT).first()
        if draft is not None:
            raise ValidationError(
                _(
                    "Version {n} of this suite is still a draft: edit, publish or "
                    "discard it first."
                ).format(n=draft.number)
            )
        config = _checked_config(config, bundle.summary, suite)
        last = suite.versions.aggregate(last=Max("number"))["last"] or 0
        version = SuiteVersion(
            suite=suite,
            number=last + 1,
            status=SuiteVersion.Status.DRAFT,
            config=config,
            bundle=bundle.blob,
            bundle_summary=bundle.summary,
            change_notes=change_notes.strip(),
        )
        version.full_clean()
        version.save()
        _record(
            suite.scenario,
            ScenarioEvent.Action.SUITE_DRAFTED,
            user,
            _label(version),
        )
    return version


def _locked_draft(version: SuiteVersion) -> SuiteVersion:
    """Lock the version's row and return it if it is still a draft."""
    # Only the version's row is locked: PostgreSQL cannot lock the nullable
    # side of the outer join to the bundle.
    fresh = (
        SuiteVersion.objects.select_for_update(of=("self",))
        .select_related("suite", "suite__scenario", "bundle")
        .get(pk=version.pk)
    )
    if fresh.status != SuiteVersion.Status.DRAFT:
        raise ValidationError(
            _(
                "Version {n} is {status} and locked: new data or thresholds make a "
                "new version."
            ).format(n=fresh.number, status=fresh.get_status_display())
        )
    return fresh


def suite_version_update(
    *,
    version: SuiteVersion,
    user: AnyUser,
    config: dict[str, Any] | None = None,
    bundle: CheckedBundle | None = None,
    change_notes: str | None = None,
) -> SuiteVersion:
    """Edit a draft: its configuration, its bundle or its change notes.

    The configuration is checked again against the (new) bundle.
    """
    _require_manager(user, version.suite.scenario)
    _require_open_scenario(version.suite.scenario)
    with transaction.atomic():
        draft = _locked_draft(version)
        changed: list[str] = []
        if bundle is not None and (
            draft.bundle_id != bundle.blob.pk or draft.bundle_summary != bundle.summary
        ):
            draft.bundle = bundle.blob
            draft.bundle_summary = bundle.summary
            changed += ["bundle", "bundle_summary"]
        new_config = draft.config if config is None else config
        checked = _checked_config(new_config, draft.bundle_summary, draft.suite)
        if checked != draft.config:
            draft.config = checked
            changed.append("config")
        if change_notes is not None and change_notes.strip() != draft.change_notes:
            draft.change_notes = change_notes.strip()
            changed.append("change_notes")
        if changed:
            draft.save(update_fields=changed)
            _record(
                draft.suite.scenario,
                ScenarioEvent.Action.SUITE_EDITED,
                user,
                f"{_label(draft)}: {', '.join(c for c in changed if c != 'bundle_summary')}",
            )
    return draft


def suite_version_discard(*, version: SuiteVersion, user: AnyUser) -> None:
    """Delete a draft; its stored bundle stays (blobs are shared)."""
    _require_manager(user, version.suite.scenario)
    with transaction.atomic():
        draft = _locked_draft(version)
        label = _label(draft)
        draft.delete()
        _record(
            draft.suite.scenario,
            ScenarioEvent.Action.SUITE_EDITED,
            user,
            _("{version}: draft discarded").format(version=label),
        )


def _vendor_people(suite: TestSuite) -> list[User]:
    """People of the vendors registered on the scenario or submitting to it."""
    registered = ScenarioRegistration.objects.filter(
        scenario_id=suite.scenario_id
    ).values_list("organisation_id", flat=True)
    submitting = Submission.objects.filter(suite_version__suite=suite).values_list(
        "organisation_id", flat=True
    )
    return organisation_people_list({*registered, *submitting})


def suite_version_publish(*, version: SuiteVersion, user: AnyUser) -> SuiteVersion:
    """Publish a draft: lock it and make it the suite's open version.

    1. The user manages the suite; the scenario is not archived.
    2. The suite's row is locked, so two publications queue up; the version
       must still be a draft with a bundle, and its configuration still fits
       (a development dataset may have changed since).
    3. The suite's published version, if any, is retired: it takes no more
       submissions, and its runs, results and leaderboard stay.
    4. The draft becomes published; the history records both changes.
    5. The vendors registered on the scenario, and those that submitted to
       the suite, are notified.
    """
    _require_manager(user, version.suite.scenario)
    _require_open_scenario(version.suite.scenario)
    with transaction.atomic():
        TestSuite.objects.select_for_update().filter(pk=version.suite_id).first()
        draft = _locked_draft(version)
        if draft.bundle is None:
            raise ValidationError(_("Upload the data bundle before publishing."))
        _checked_config(draft.config, draft.bundle_summary, draft.suite)
        previous = list(
            SuiteVersion.objects.filter(
                suite_id=draft.suite_id, status=SuiteVersion.Status.PUBLISHED
            ).order_by("number")
        )
        SuiteVersion.objects.filter(pk__in=[v.pk for v in previous]).update(
            status=SuiteVersion.Status.RETIRED
        )
        draft.status = SuiteVersion.Status.PUBLISHED
        draft.published_at = timezone.now()
        draft.save(update_fields=["status", "published_at"])
        scenario = draft.suite.scenario
        for old in previous:
            _record(
                scenario,
                ScenarioEvent.Action.SUITE_RETIRED,
                user,
                _("{old}: replaced by version {n}").format(
                    old=_label(old), n=draft.number
                ),
            )
        _record(
            scenario,
            ScenarioEvent.Action.SUITE_PUBLISHED,
            user,
            f"{_label(draft)}: {draft.change_notes}".rstrip(": "),
        )
        for old in previous:
            old.status = SuiteVersion.Status.RETIRED
            _ledger_suite_version(
                "suite_version.retired", old, user, replaced_by=draft.number
            )
        _ledger_suite_version(
            "suite_version.published",
            draft,
            user,
            retired=[old.number for old in previous],
        )
        replaced = (
            format_lazy(
                gettext_lazy("Version {old} is retired: it takes no more submissions."),
                old=", ".join(str(v.number) for v in previous),
            )
            if previous
            else ""
        )
        notification_send(
            category=NotificationCategory.SCENARIOS,
            users=_vendor_people(draft.suite),
            subject=format_lazy(
                gettext_lazy("{code}: test suite “{suite}” version {n} is published"),
                code=scenario.code,
                suite=draft.suite.slug,
                n=draft.number,
            ),
            body=format_lazy(
                "{notes}\n\n{replaced}",
                notes=draft.change_notes or gettext_lazy("No change notes."),
                replaced=replaced,
            ),
            url=reverse("evaluations:suite", args=[draft.pk]),
        )
        # Solutions that opted in are submitted again to the new version.
        from lifecycle.tasks import solutions_rescore as solutions_rescore_task

        transaction.on_commit(partial(solutions_rescore_task.delay, draft.pk))
    return draft


def suite_version_retire(*, version: SuiteVersion, user: AnyUser) -> SuiteVersion:
    """Stop a published version from taking submissions.

    Queued and running evaluations finish; results and the leaderboard stay
    visible. A retired version is never published again: publish a new one.
    """
    _require_manager(user, version.suite.scenario)
    with transaction.atomic():
        fresh = (
            SuiteVersion.objects.select_for_update(of=("self",))
            .select_related("suite", "suite__scenario")
            .get(pk=version.pk)
        )
        if fresh.status != SuiteVersion.Status.PUBLISHED:
            raise ValidationError(_("Only a published version can be retired."))
        fresh.status = SuiteVersion.Status.RETIRED
        fresh.save(update_fields=["status"])
        scenario = fresh.suite.scenario
        _record(scenario, ScenarioEvent.Action.SUITE_RETIRED, user, _label(fresh))
        _ledger_suite_version("suite_version.retired", fresh, user, replaced_by=None)
        notification_send(
            category=NotificationCategory.SCENARIOS,
            users=_vendor_people(fresh.suite),
            subject=format_lazy(
                gettext_lazy(
                    "{code}: test suite “{suite}” version {n} takes no more submissions"
                ),
                code=scenario.code,
                suite=fresh.suite.slug,
                n=fresh.number,
            ),
            body=gettext_lazy(
                "Evaluations already queued finish; results and the leaderboard stay."
            ),
            url=reverse("evaluations:suite", args=[fresh.pk]),
        )
    return fresh
