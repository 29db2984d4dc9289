"""Solutions moving through the lifecycle, their transitions and pilots.

A ``Solution`` is one vendor's solution for one scenario across its
submission versions (the issue's "entry"). Its stage changes only through
``lifecycle.services``, which checks the gate (``lifecycle.gates``), adds a
``Transition`` row and appends to the ledger. Transitions, maturation
plans, measurements and incidents are never changed once written.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lifecycle import gates
from portal.accounts.models import pick_language


class Stage(models.TextChoices):
    RELEASED = "released", _("Released")
    RND = "rnd", _("R&D")
    TESTING = "testing", _("Testing and validation")
    PILOT = "pilot", _("Engineering implementation (pilot)")
    EFFECTIVENESS = "effectiveness", _("Effectiveness evaluation")
    SCALE = "scale", _("Scale rollout")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


class Solution(models.Model):
    scenario = models.ForeignKey(
        "scenarios.Scenario", on_delete=models.PROTECT, related_name="solutions"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("vendor"),
        on_delete=models.PROTECT,
        related_name="solutions",
    )
    name = models.CharField(_("name"), max_length=100)
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage.choices, default=Stage.RELEASED
    )
    submission = models.ForeignKey(
        "evaluations.Submission",
        verbose_name=_("version under test"),
        on_delete=models.PROTECT,
        related_name="solutions_under_test",
    )
    field_submission = models.ForeignKey(
        "evaluations.Submission",
        verbose_name=_("version in the field"),
        on_delete=models.PROTECT,
        related_name="solutions_in_field",
        null=True,
        blank=True,
    )
    rescore_on_new_suite = models.BooleanField(
        _("re-score on a new suite version"),
        default=False,
        help_text=_(
            "When the scenario's owner publishes a new test-suite version, the "
            "version under test is submitted to it again and scored."
        ),
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        ordering = ["scenario__code", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "organisation", "name"],
                name="solution_unique_name",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:solution", args=[self.pk])

    @property
    def is_terminal(self) -> bool:
        return self.stage in gates.TERMINAL

    @property
    def next_stage(self) -> str | None:
        return gates.NEXT_STAGE.get(self.stage)


class GateConfig(models.Model):
    """A scenario's gate thresholds (``gates.validate_config``)."""

    scenario = models.OneToOneField(
        "scenarios.Scenario", on_delete=models.CASCADE, related_name="gate_config"
    )
    config = models.JSONField(_("gate thresholds"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("gate configuration")
        verbose_name_plural = _("gate configurations")

    def __str__(self) -> str:
        return f"gates of {self.scenario_id}"

    def clean(self) -> None:
        try:
            self.config = gates.validate_config(self.config)
        except ValueError as exc:
            raise ValidationError({"config": str(exc)}) from exc


class Transition(models.Model):
    """One move of a solution from a stage to another. Append-only."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("Registered")
        ADVANCE = "advance", _("Advanced")
        SEND_BACK = "send_back", _("Sent back")
        WITHDRAW = "withdraw", _("Withdrawn")
        REJECT = "reject", _("Rejected")
        REGRESSION = "regression", _("New version (regression)")

    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="transitions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_stage = models.CharField(
        _("from"), max_length=16, choices=Stage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    true_actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("true actor"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    gate = models.JSONField(_("gate result"), default=dict, blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    ledger_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["solution", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.solution_id}: {self.from_stage} → {self.to_stage}"


class MaturationPlan(models.Model):
    """What a solution sent back must close before it may move on again."""

    transition = models.OneToOneField(
        Transition, on_delete=models.CASCADE, related_name="plan"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("maturation plan")
        verbose_name_plural = _("maturation plans")

    def __str__(self) -> str:
        return f"plan of transition {self.transition_id}"


class MaturationGap(models.Model):
    plan = models.ForeignKey(
        MaturationPlan, on_delete=models.CASCADE, related_name="gaps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    criterion = models.CharField(_("criterion"), max_length=60, blank=True)
    gap = models.TextField(_("gap"), max_length=2000)
    tests = models.TextField(_("tests to close it"), max_length=2000)

    class Meta:
        verbose_name = _("gap")
        verbose_name_plural = _("gaps")
        ordering = ["plan", "position"]

    def __str__(self) -> str:
        return self.gap[:60]


class Pilot(models.Model):
    class Mode(models.TextChoices):
        SHADOW = "shadow", _("Shadow mode")
        CLOSED_LOOP = "closed_loop", _("Closed loop")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="pilots"
    )
    site = models.CharField(_("site"), max_length=200)
    starts_on = models.DateField(_("period start"))
    ends_on = models.DateField(_("period end"))
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.site} ({self.solution_id})"

    def get_absolute_url(self) -> str:
        return reverse("lifecycle:pilot", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The period ends before it starts.")})


class PilotKpi(models.Model):
    class Comparator(models.TextChoices):
        AT_MOST = "<=", _("at most")
        AT_LEAST = ">=", _("at least")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("name"), max_length=60)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    target = models.FloatField(_("target"))
    comparator = models.CharField(
        _("comparator"), max_length=2, choices=Comparator.choices
    )
    sandbox_value = models.FloatField(_("sandbox value"))
    # "run:<id>" when copied from the hidden run's metric of the same name.
    sandbox_source = models.CharField(_("sandbox source"), max_length=40, blank=True)
    tolerance_pct = models.FloatField(_("drift tolerance (%)"))

    class Meta:
        verbose_name = _("pilot KPI")
        verbose_name_plural = _("pilot KPIs")
        ordering = ["pilot", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "name"], name="pilot_kpi_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PilotMeasurement(models.Model):
    kpi = models.ForeignKey(
        PilotKpi, on_delete=models.CASCADE, related_name="measurements"
    )
    measured_at = models.DateTimeField(_("time"))
    value = models.FloatField(_("value"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["kpi", "measured_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.measured_at:%Y-%m-%d %H:%M} {self.value}"


class PilotIncident(models.Model):
    class Severity(models.TextChoices):
        CRITICAL = "critical", _("Critical")
        MAJOR = "major", _("Major")
        MINOR = "minor", _("Minor")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField(_("time"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    description = models.TextField(_("description"), max_length=5000)
    fallback_activated = models.BooleanField(_("fallback activated"), default=False)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["pilot", "-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.severity}: {self.description[:40]}"


class Rescore(models.Model):
    """The version under test, submitted again to a new suite version.

    One per solution and suite version, so a repeated task adds nothing.
    """

    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="rescores"
    )
    suite_version = models.ForeignKey(
        "evaluations.SuiteVersion", on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        "evaluations.Submission",
        verbose_name=_("version re-scored"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submission = models.OneToOneField(
        "evaluations.Submission",
        verbose_name=_("re-scored submission"),
        on_delete=models.PROTECT,
        related_name="rescore",
    )
    ledger_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("re-score")
        verbose_name_plural = _("re-scores")
        ordering = ["solution", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "suite_version"], name="rescore_once_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.solution_id} on suite version {self.suite_version_id}"


class BenchmarkCase(models.Model):
    """A solution at scale rollout published as a benchmark case (标杆案例).

    The vendor's writers consent to the summary as written; the scenario
    owner's writers publish with that consent, operators on their own
    responsibility (``lifecycle.case_services``). At publication the
    evidence numbers are copied into ``evidence`` so the public page stays
    as it was published and costs one query.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    solution = models.OneToOneField(
        Solution, on_delete=models.PROTECT, related_name="benchmark_case"
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    summary_zh = models.TextField(
        _("solution summary (Chinese)"), max_length=5000, blank=True
    )
    summary_en = models.TextField(
        _("solution summary (English)"), max_length=5000, blank=True
    )
    vendor_consent_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("vendor consent by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    vendor_consent_at = models.DateTimeField(
        _("vendor consent at"), null=True, blank=True
    )
    evidence = models.JSONField(_("evidence at publication"), default=dict, blank=True)
    ledger_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    ledger_hash = models.CharField(_("ledger entry hash"), max_length=64, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)
    is_demo = models.BooleanField(_("demo content"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("benchmark case")
        verbose_name_plural = _("benchmark cases")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.slug])

    @property
    def summary(self) -> str:
        return pick_language(self.summary_zh, self.summary_en)


class PilotUsage(models.Model):
    """How the pilot's users treated the recommendations over a period, as
    counted by the owner from the pilot's logs. Rows are only added."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="usage")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    presented = models.PositiveIntegerField(_("recommendations presented"))
    accepted = models.PositiveIntegerField(_("accepted"))
    overridden = models.PositiveIntegerField(_("overridden"))
    source = models.CharField(_("source of the counts"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("pilot usage counts")
        verbose_name_plural = _("pilot usage counts")
        ordering = ["pilot", "period_start", "pk"]

    def __str__(self) -> str:
        return f"{self.pilot_id} {self.period_start}–{self.period_end}"

    def clean(self) -> None:
        errors = {}
        if (
            self.period_start
            and self.period_end
            and self.period_end < self.period_start
        ):
            errors["period_end"] = _("The period ends before it starts.")
        if (
            self.presented is not None
            and self.accepted is not None
            and self.overridden is not None
            and self.accepted + self.overridden > self.presented
        ):
            errors["accepted"] = _(
                "Accepted plus overridden cannot exceed the recommendations presented."
            )
        if errors:
            raise ValidationError(errors)


class KpiBenefit(models.Model):
    """How a pilot KPI drives a benefit line of the business case.

    The line's annual amount is the improvement over the baseline times the
    benefit per unit; the improvement is ``baseline − value`` for a KPI that
    must stay at most its target and ``value − baseline`` for one that must
    reach at least it. See docs/lifecycle.md, "Business case from field
    data".
    """

    kpi = models.OneToOneField(
        PilotKpi, on_delete=models.CASCADE, related_name="benefit"
    )
    line_name = models.CharField(_("benefit line"), max_length=120)
    baseline = models.FloatField(_("baseline (without the solution)"))
    benefit_per_unit = models.FloatField(
        _("benefit per unit of improvement (CNY a year)")
    )
    set_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("KPI benefit mapping")
        verbose_name_plural = _("KPI benefit mappings")

    def __str__(self) -> str:
        return f"{self.kpi_id} → {self.line_name}"

    def improvement(self, value: float) -> float:
        if self.kpi.comparator == PilotKpi.Comparator.AT_MOST:
            return self.baseline - value
        return value - self.baseline

    def amount(self, value: float) -> float:
        """The benefit line's annual amount at the KPI ``value`` (≥ 0)."""
        return max(self.improvement(value) * self.benefit_per_unit, 0.0)


class GateRefusal(models.Model):
    """A transition refused by its gate, kept after the refused request
    rolled back; it decides whether the parties are notified."""

    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="gate_refusals"
    )
    to_stage = models.CharField(_("to"), max_length=16, choices=Stage.choices)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    # Codes of the failed criteria, sorted.
    failed = models.JSONField(_("failed criteria"), default=list)
    notified = models.BooleanField(_("notified"), default=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("gate refusal")
        verbose_name_plural = _("gate refusals")
        ordering = ["solution", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.solution_id} → {self.to_stage} refused"


class PilotReminder(models.Model):
    """A pilot deadline reminder that was sent; at most one per kind and
    end date, so a rerun of the beat task sends nothing new."""

    class Kind(models.TextChoices):
        ENDING = "ending", _("Ends soon")
        OVERDUE = "overdue", _("Past its end, still open")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The end date reminded of: a pilot whose period is extended is
    # reminded again.
    ends_on = models.DateField(_("period end"))
    recipients = models.JSONField(_("recipients"), default=list)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("pilot reminder")
        verbose_name_plural = _("pilot reminders")
        ordering = ["pilot", "sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pilot", "kind", "ends_on"], name="pilot_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pilot_id} {self.kind} {self.ends_on}"
