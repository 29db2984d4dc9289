"""Scenarios, their versions and history, value assessments, high-value
lists, and the data registry (datasets, files, access requests, downloads).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import pick_language
from portal.lib.taxonomy import Sector, Stage, TaskType

SCENARIO_CODE_VALIDATOR = RegexValidator(
    r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$",
    _("Use capital letters, digits and hyphens, for example GRID-PO-FC-001."),
)

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class DataReadiness(models.IntegerChoices):
    NONE = 1, _("1 – no data yet")
    RAW = 2, _("2 – scattered raw data")
    COLLECTED = 3, _("3 – collected, not labelled")
    CURATED = 4, _("4 – curated and labelled")
    LIVE = 5, _("5 – curated, labelled, continuously updated")


class DeploymentMode(models.TextChoices):
    ON_PREMISE = "on_premise", _("On premise")
    OFFLINE = "offline", _("Offline / air-gapped")
    PRIVATE_CLOUD = "private_cloud", _("Private cloud")
    PUBLIC_CLOUD = "public_cloud", _("Public cloud allowed")


class SecurityZone(models.TextChoices):
    ZONE_I = "I", _("Zone I – real-time control")
    ZONE_II = "II", _("Zone II – non-control production")
    ZONE_III = "III", _("Zone III – management information")
    ZONE_IV = "IV", _("Zone IV – internet-facing")


class Scenario(models.Model):
    """An energy company's AI scenario (场景), from draft to archive.

    The specification fields below are the live specification. Once the
    scenario is published they change only through a new
    ``ScenarioVersion`` (see ``services.scenario_revise``), which keeps a
    frozen snapshot of every published version.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    code = models.CharField(
        _("code"), max_length=40, unique=True, validators=[SCENARIO_CODE_VALIDATOR]
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        related_name="scenarios",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    stage = models.CharField(
        _("value-chain stage"), max_length=32, choices=Stage.choices
    )
    task_type = models.CharField(
        _("AI task type"), max_length=32, choices=TaskType.choices
    )

    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    summary_zh = models.CharField(_("summary (Chinese)"), max_length=500)
    summary_en = models.CharField(_("summary (English)"), max_length=500)
    description_zh = models.TextField(_("description (Chinese, Markdown)"), blank=True)
    description_en = models.TextField(_("description (English, Markdown)"), blank=True)

    business_value_metric_zh = models.CharField(
        _("business value metric (Chinese)"), max_length=200
    )
    business_value_metric_en = models.CharField(
        _("business value metric (English)"), max_length=200
    )
    annual_value_estimate = models.PositiveIntegerField(
        _("annual value estimate (10k CNY)"),
        help_text=_("Estimated value per year in units of 10,000 yuan (万元)."),
    )
    data_readiness = models.PositiveSmallIntegerField(
        _("data readiness"), choices=DataReadiness.choices
    )
    replicable_sites = models.PositiveIntegerField(
        _("replicable sites"),
        help_text=_("How many sites the solution could be rolled out to."),
    )
    latency_sla_ms = models.PositiveIntegerField(
        _("latency SLA (ms)"), null=True, blank=True
    )
    deployment_mode = models.CharField(
        _("deployment"), max_length=16, choices=DeploymentMode.choices
    )
    requires_domestic_hardware = models.BooleanField(
        _("domestic hardware required"), default=False
    )
    requires_domestic_software = models.BooleanField(
        _("domestic software required"), default=False
    )
    security_zone = models.CharField(
        _("security zone"), max_length=4, choices=SecurityZone.choices
    )
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_email = models.EmailField(_("contact e-mail"))
    closes_at = models.DateTimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_("When set, the scenario closes automatically at this time."),
    )

    version = models.PositiveIntegerField(_("published version"), default=0)
    search_document = models.TextField(editable=False, blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["status", "sector", "stage"], name="scenario_map"),
            models.Index(fields=["status", "-published_at"], name="scenario_recent"),
            # The map filtered by task type, read from the index alone.
            models.Index(
                fields=["task_type", "status", "sector", "stage"],
                name="scenario_map_task",
            ),
            # The home page counts public scenarios and their owners.
            models.Index(fields=["status", "owner"], name="scenario_status_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("scenarios:detail", args=[self.code])

    @property
    def title(self) -> str:
        return pick_language(self.title_zh, self.title_en)

    @property
    def summary(self) -> str:
        return pick_language(self.summary_zh, self.summary_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)

    @property
    def business_value_metric(self) -> str:
        return pick_language(
            self.business_value_metric_zh, self.business_value_metric_en
        )

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_locked(self) -> bool:
        """A published specification changes only through a new version."""
        return self.version > 0


PUBLIC_STATUSES = (
    Scenario.Status.PUBLISHED,
    Scenario.Status.CLOSED,
    Scenario.Status.ARCHIVED,
)


class AcceptanceThreshold(models.Model):
    """One structured acceptance criterion, e.g. ``A_CN >= 90 %``."""

    class Comparator(models.TextChoices):
        LE = "<=", "≤"
        LT = "<", "<"
        GE = ">=", "≥"
        GT = ">", ">"

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="thresholds"
    )
    metric = models.CharField(_("metric"), max_length=60)
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    standard = models.CharField(_("cited standard"), max_length=120, blank=True)
    note_zh = models.CharField(_("note (Chinese)"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("acceptance threshold")
        verbose_name_plural = _("acceptance thresholds")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.metric} {self.get_comparator_display()} {self.value_display}{self.unit}"

    @property
    def note(self) -> str:
        return pick_language(self.note_zh, self.note_en)

    @property
    def value_display(self) -> str:
        return format(self.value.normalize(), "f")

    def as_dict(self) -> dict[str, str]:
        return {
            "metric": self.metric,
            "comparator": self.comparator,
            "value": self.value_display,
            "unit": self.unit,
            "standard": self.standard,
            "note_zh": self.note_zh,
            "note_en": self.note_en,
        }


class ScenarioVersion(models.Model):
    """A frozen snapshot of a published specification."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    spec = models.JSONField(_("specification"))
    change_notes = models.TextField(_("change notes"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("scenario version")
        verbose_name_plural = _("scenario versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "number"], name="scenario_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario.code} v{self.number}"


class ScenarioEvent(models.Model):
    """History of a scenario: every status change and revision, with reasons."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted for review")
        REJECTED = "rejected", _("Returned with reasons")
        PUBLISHED = "published", _("Published")
        REVISED = "revised", _("New version published")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")
        ARCHIVED = "archived", _("Archived")
        ASSESSED = "assessed", _("Value assessed")
        # Test suites (evaluations.suite_services); the message names the
        # suite and version.
        SUITE_CREATED = "suite_created", _("Test suite created")
        SUITE_EDITED = "suite_edited", _("Test suite edited")
        SUITE_DRAFTED = "suite_drafted", _("Test suite version drafted")
        SUITE_PUBLISHED = "suite_published", _("Test suite version published")
        SUITE_RETIRED = "suite_retired", _("Test suite version retired")

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("scenario event")
        verbose_name_plural = _("scenario events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.action}"


class ScenarioRegistration(models.Model):
    """A vendor organisation registered to work on a published scenario."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="registrations"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="registrations"
    )
    registered_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("vendor registration")
        verbose_name_plural = _("vendor registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "organisation"], name="registration_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.scenario.code}"


class ValueAssessment(models.Model):
    """The documented value score of a scenario (高价值场景遴选).

    See docs/value-assessment.md: four sub-scores of 1–5 are weighted into
    a base score of 0–100, then an operator may adjust it by at most ±10
    points with a written justification.
    """

    WEIGHTS = {
        "application_value": Decimal("0.35"),
        "data_readiness": Decimal("0.25"),
        "scale_potential": Decimal("0.20"),
        "strategic_priority": Decimal("0.20"),
    }

    scenario = models.OneToOneField(
        Scenario, on_delete=models.CASCADE, related_name="assessment"
    )
    application_value = models.PositiveSmallIntegerField(
        _("application value"), validators=ONE_TO_FIVE
    )
    data_readiness = models.PositiveSmallIntegerField(
        _("data readiness"), validators=ONE_TO_FIVE
    )
    scale_potential = models.PositiveSmallIntegerField(
        _("scale potential"), validators=ONE_TO_FIVE
    )
    strategic_priority = models.PositiveSmallIntegerField(
        _("strategic priority"), validators=ONE_TO_FIVE
    )
    base_score = models.DecimalField(_("base score"), max_digits=5, decimal_places=2)
    adjustment = models.DecimalField(
        _("operator adjustment"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[
            MinValueValidator(Decimal("-10")),
            MaxValueValidator(Decimal("10")),
        ],
    )
    justification = models.TextField(_("justification"), blank=True)
    score = models.DecimalField(_("value score"), max_digits=5, decimal_places=2)
    assessed_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)

    class Meta:
        verbose_name = _("value assessment")
        verbose_name_plural = _("value assessments")

    def __str__(self) -> str:
        return f"{self.scenario_id}: {self.score}"

    def clean(self) -> None:
        if self.adjustment and not self.justification.strip():
            raise ValidationError(
                {"justification": _("An adjustment needs a written justification.")}
            )


class HighValueList(models.Model):
    """A published batch of high-value scenarios, e.g. 2026 第一批."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    batch = models.PositiveSmallIntegerField(_("batch"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese, Markdown)"), blank=True)
    description_en = models.TextField(_("description (English, Markdown)"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("high-value list")
        verbose_name_plural = _("high-value lists")
        ordering = ["-year", "-batch"]
        constraints = [
            models.UniqueConstraint(fields=["year", "batch"], name="list_unique_batch")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scenarios:list_detail", args=[self.slug])

    @property
    def title(self) -> str:
        return pick_language(self.title_zh, self.title_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class HighValueListEntry(models.Model):
    high_value_list = models.ForeignKey(
        HighValueList, on_delete=models.CASCADE, related_name="entries"
    )
    scenario = models.ForeignKey(
        Scenario, on_delete=models.PROTECT, related_name="list_entries"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    rationale_zh = models.TextField(_("rationale (Chinese)"), blank=True)
    rationale_en = models.TextField(_("rationale (English)"), blank=True)
    score_at_listing = models.DecimalField(
        _("value score at listing"), max_digits=5, decimal_places=2, null=True
    )

    class Meta:
        verbose_name = _("list entry")
        verbose_name_plural = _("list entries")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["high_value_list", "scenario"], name="list_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.scenario.code}"

    @property
    def rationale(self) -> str:
        return pick_language(self.rationale_zh, self.rationale_en)


class Classification(models.TextChoices):
    """Data classification levels (数据分类分级)."""

    GENERAL = "general", _("General data (一般数据)")
    IMPORTANT = "important", _("Important data (重要数据)")
    CORE = "core", _("Core data (核心数据)")


class AccessPolicy(models.TextChoices):
    PUBLIC = "public", _("Public")
    REGISTERED = "registered", _("Registered organisations")
    APPROVED = "approved", _("By approved request")
    HIDDEN = "hidden", _("Never leaves the platform")


# The most open policy each classification allows.
ALLOWED_POLICIES = {
    Classification.GENERAL: set(AccessPolicy.values),
    Classification.IMPORTANT: {AccessPolicy.APPROVED, AccessPolicy.HIDDEN},
    Classification.CORE: {AccessPolicy.HIDDEN},
}


class Dataset(models.Model):
    """A dataset attached to a scenario, with its datasheet."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="datasets"
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source_zh = models.CharField(_("source (Chinese)"), max_length=300)
    source_en = models.CharField(_("source (English)"), max_length=300)
    collection_zh = models.TextField(_("collection method (Chinese)"), blank=True)
    collection_en = models.TextField(_("collection method (English)"), blank=True)
    fields = models.TextField(_("fields (Markdown)"), blank=True)
    time_span_start = models.DateField(_("time span from"), null=True, blank=True)
    time_span_end = models.DateField(_("time span to"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=60, blank=True)
    labelling_zh = models.TextField(_("labelling (Chinese)"), blank=True)
    labelling_en = models.TextField(_("labelling (English)"), blank=True)
    completeness_pct = models.DecimalField(
        _("completeness (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    licence = models.CharField(_("licence"), max_length=200)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices
    )
    access_policy = models.CharField(
        _("access policy"), max_length=16, choices=AccessPolicy.choices
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["scenario__code", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("scenarios:dataset", args=[self.slug])

    def clean(self) -> None:
        allowed = ALLOWED_POLICIES.get(Classification(self.classification), set())
        if self.access_policy and self.access_policy not in allowed:
            raise ValidationError(
                {
                    "access_policy": _(
                        "%(classification)s may not use the policy “%(policy)s”."
                    )
                    % {
                        "classification": self.get_classification_display(),
                        "policy": self.get_access_policy_display(),
                    }
                }
            )
        if (
            self.time_span_start
            and self.time_span_end
            and self.time_span_end < self.time_span_start
        ):
            raise ValidationError(
                {"time_span_end": _("The end of the time span is before its start.")}
            )

    @property
    def title(self) -> str:
        return pick_language(self.title_zh, self.title_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)

    @property
    def source(self) -> str:
        return pick_language(self.source_zh, self.source_en)

    @property
    def collection(self) -> str:
        return pick_language(self.collection_zh, self.collection_en)

    @property
    def labelling(self) -> str:
        return pick_language(self.labelling_zh, self.labelling_en)


class DatasetVersion(models.Model):
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="versions"
    )
    label = models.CharField(_("version"), max_length=40)
    notes = models.TextField(_("release notes"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("dataset version")
        verbose_name_plural = _("dataset versions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "label"], name="dataset_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset.slug} {self.label}"


class Blob(models.Model):
    """Content-addressed file storage: one row per distinct sha256."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    storage_name = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return self.sha256


class DatasetFile(models.Model):
    version = models.ForeignKey(
        DatasetVersion, on_delete=models.CASCADE, related_name="files"
    )
    name = models.CharField(_("file name"), max_length=200)
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")
    media_type = models.CharField(_("media type"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("dataset file")
        verbose_name_plural = _("dataset files")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "name"], name="dataset_file_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sha256(self) -> str:
        return self.blob.sha256

    @property
    def size(self) -> int:
        return self.blob.size


class AccessRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, related_name="access_requests"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="access_requests",
    )
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="access_requests"
    )
    purpose = models.TextField(_("purpose"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One open request per organisation and dataset.
            models.UniqueConstraint(
                fields=["dataset", "organisation"],
                condition=models.Q(status__in=["pending", "approved"]),
                name="access_request_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.dataset.slug} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("scenarios:access_request", args=[self.pk])


class DownloadLog(models.Model):
    """Who downloaded which file, when, and the hash they received."""

    user = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    dataset_file = models.ForeignKey(
        DatasetFile, on_delete=models.PROTECT, related_name="downloads"
    )
    sha256 = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    via_api = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("downloaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.dataset_file_id} {self.created_at:%Y-%m-%d %H:%M}"
