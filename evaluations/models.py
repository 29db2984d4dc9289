"""Test suites, their locked versions, submissions and sandboxed runs.

The database row of a ``Run`` is the source of truth for its state: tasks
claim it with a conditional update and hold a lease renewed by a heartbeat;
a periodic sweeper re-queues runs whose lease expired (see ``services`` and
``tasks``).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import pick_language


class TaskKind(models.TextChoices):
    FORECASTING = "forecasting", _("Rolling-origin forecasting")
    CLASSIFICATION = "classification", _("Classification")
    EVENT_DETECTION = "event_detection", _("Event and anomaly detection")


class TestSuite(models.Model):
    """A scenario's test suite; its content lives in numbered versions."""

    __test__ = False  # not a pytest test class, despite the name

    scenario = models.ForeignKey(
        "scenarios.Scenario", on_delete=models.CASCADE, related_name="suites"
    )
    slug = models.SlugField(_("slug"), max_length=80)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese, Markdown)"), blank=True)
    description_en = models.TextField(_("description (English, Markdown)"), blank=True)
    task_kind = models.CharField(
        _("task kind"), max_length=20, choices=TaskKind.choices
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("test suite")
        verbose_name_plural = _("test suites")
        ordering = ["scenario__code", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "slug"], name="suite_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id}/{self.slug}"

    @property
    def title(self) -> str:
        return pick_language(self.title_zh, self.title_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)

    @property
    def draft(self) -> SuiteVersion | None:
        """The suite's draft version, if any (uses prefetched versions)."""
        return next(
            (v for v in self.versions.all() if v.status == SuiteVersion.Status.DRAFT),
            None,
        )


class SuiteVersion(models.Model):
    """One version of a suite. Published versions never change.

    ``config`` declares the metrics with their thresholds, the robustness
    probes, the resource budget, the leaderboard weights and the quotas
    (validated by ``evaluations.suites.validate_config``). ``bundle`` is the
    prepared data: the sample and hidden calls with their inputs, and the
    labels, which are read only by the scorer on the host.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    suite = models.ForeignKey(
        TestSuite, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    config = models.JSONField(_("configuration"))
    bundle = models.ForeignKey(
        "scenarios.Blob",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    # What ``evaluations.suite_bundles.check_bundle`` found in the bundle:
    # kind, calls and points per split, probes, label columns and input
    # files. Never any label value. Empty for versions made before the check
    # existed (the demo loader's).
    bundle_summary = models.JSONField(_("bundle summary"), default=dict, blank=True)
    change_notes = models.TextField(_("change notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("suite version")
        verbose_name_plural = _("suite versions")
        ordering = ["suite", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["suite", "number"], name="suite_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.suite} v{self.number}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from evaluations.suites import validate_config

        try:
            validate_config(self.config, task_kind=self.suite.task_kind)
        except ValidationError as exc:
            raise ValidationError({"config": exc.messages}) from exc

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def accepts_prediction_files(self) -> bool:
        from evaluations.suites import prediction_files_allowed

        return prediction_files_allowed(self.config, self.suite.task_kind)


class Submission(models.Model):
    """A vendor's solution package (or prediction file) for a suite version."""

    class Kind(models.TextChoices):
        PACKAGE = "package", _("Solution package")
        PREDICTIONS = "predictions", _("Prediction file")

    suite_version = models.ForeignKey(
        SuiteVersion, on_delete=models.PROTECT, related_name="submissions"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="submissions"
    )
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="submissions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    blob = models.ForeignKey(
        "scenarios.Blob", on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=200)
    name = models.CharField(_("solution name"), max_length=100)
    version_label = models.CharField(_("solution version"), max_length=40)
    description = models.TextField(_("description"), blank=True)
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["organisation", "-created_at"], name="submission_org_recent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.version_label}"


class Run(models.Model):
    """One evaluation of a submission on one split of its suite version."""

    class Split(models.TextChoices):
        SAMPLE = "sample", _("Validation (public sample)")
        HIDDEN = "hidden", _("Hidden test")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        PLATFORM_ERROR = "platform_error", _("Platform error")
        CANCELLED = "cancelled", _("Cancelled")

    class Failure(models.TextChoices):
        TIMEOUT = "timeout", _("Time limit exceeded")
        MEMORY = "memory", _("Memory limit exceeded")
        CRASH = "crash", _("Solution crashed")
        OUTPUT_LIMIT = "output_limit", _("Output limit exceeded")
        INVALID_OUTPUT = "invalid_output", _("Invalid output")
        THRESHOLD = "threshold", _("Threshold not met")
        WORKER_LOST = "worker_lost", _("Worker lost")
        PLATFORM = "platform", _("Platform fault")

    FINAL_STATUSES = (
        Status.SUCCEEDED,
        Status.FAILED,
        Status.PLATFORM_ERROR,
        Status.CANCELLED,
    )

    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, related_name="runs"
    )
    split = models.CharField(_("split"), max_length=16, choices=Split.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    failure = models.CharField(
        _("failure"), max_length=20, choices=Failure.choices, blank=True
    )
    message = models.TextField(_("message"), blank=True)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)

    attempt = models.PositiveSmallIntegerField(_("attempt"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=3)
    lease_owner = models.CharField(max_length=200, blank=True)
    # The Celery node name (``-n name@host``) of the worker that claimed the
    # latest attempt, for operators: which machine ran it.
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(_("enqueued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    gates = models.JSONField(_("threshold results"), default=list, blank=True)
    resources = models.JSONField(_("resources"), default=dict, blank=True)
    # Robustness probes: metric deltas against the clean run, per probe.
    probes = models.JSONField(_("robustness probes"), default=dict, blank=True)
    passed = models.BooleanField(_("all gates passed"), null=True)
    # Validation runs only: what the vendor's code printed, capped.
    log = models.TextField(_("log"), blank=True)

    class Meta:
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        ordering = ["-enqueued_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "enqueued_at"], name="run_queue"),
            models.Index(fields=["status", "lease_expires_at"], name="run_lease"),
            # A submission's run of one split, and the dashboards' counts of
            # runs by status and result, read from the index alone.
            models.Index(
                fields=["submission", "split", "status", "passed"],
                name="run_submission_split",
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.split}, {self.status})"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:run", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL_STATUSES


class LeaderboardRow(models.Model):
    """An organisation's place on the leaderboard of one suite version.

    Materialised by ``evaluations.leaderboard.ensure_leaderboard_row`` when a
    hidden run finishes: the row points at the organisation's best hidden
    run and copies its metrics; ``composite`` and ``rank`` are recomputed for
    the whole suite version whenever one of its rows changes.
    """

    suite_version = models.ForeignKey(
        SuiteVersion, on_delete=models.CASCADE, related_name="leaderboard_rows"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="+")
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    passed = models.BooleanField(_("all gates passed"), default=False)
    composite = models.FloatField(_("composite score"), default=0.0)
    rank = models.PositiveIntegerField(_("rank"), default=0)
    # A copy of the submission time: the last tie-breaker of the ranking.
    submitted_at = models.DateTimeField(_("submitted at"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("leaderboard row")
        verbose_name_plural = _("leaderboard rows")
        ordering = ["suite_version", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suite_version", "organisation"],
                name="leaderboard_row_unique_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.suite_version} #{self.rank} {self.organisation_id}"
