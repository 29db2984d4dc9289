"""Review rounds, their entries, assignments, conflicts, reviews with every
saved version, discussion, vendor responses and decisions.

Who may see or change what is decided in ``selectors`` and ``services``;
models hold single-row invariants only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reviews.rubric import (
    CONFIDENCE_MAX,
    CONFIDENCE_MIN,
    DIMENSIONS,
    SCORE_MAX,
    SCORE_MIN,
    Stage,
)

MAX_EVIDENCE_LINKS = 10
MAX_EVIDENCE_LENGTH = 300
MAX_JUSTIFICATION_LENGTH = 2000
MAX_COMMENT_LENGTH = 5000


class ReviewRound(models.Model):
    """One round of expert review of a scenario's entries at a stage."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        DECIDED = "decided", _("Decided")

    scenario = models.ForeignKey(
        "scenarios.Scenario", on_delete=models.CASCADE, related_name="review_rounds"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    title = models.CharField(_("title"), max_length=200)
    deadline = models.DateTimeField(_("review deadline"))
    reviewers_per_entry = models.PositiveSmallIntegerField(
        _("reviewers per entry"), default=3
    )
    reviewer_cap = models.PositiveSmallIntegerField(
        _("maximum entries per reviewer"), default=8
    )
    blind = models.BooleanField(
        _("blind review"),
        default=True,
        help_text=_("Hide the vendor's identity from reviewers until the decision."),
    )
    # Per dimension, summing to 100; frozen when the round opens.
    weights = models.JSONField(_("dimension weights"), default=dict)
    response_limit = models.PositiveIntegerField(
        _("vendor response limit (characters)"), default=3000
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    chair = models.ForeignKey(
        "accounts.User",
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_rounds",
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:round", args=[self.pk])

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        weights = self.weights
        if (
            not isinstance(weights, dict)
            or set(weights) != set(DIMENSIONS)
            or not all(
                isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 100
                for v in weights.values()
            )
        ):
            errors["weights"] = _(
                "Give every dimension a whole-number weight from 0 to 100."
            )
        elif sum(weights.values()) != 100:
            errors["weights"] = _("The weights must add up to 100.")
        if not 1 <= self.reviewers_per_entry <= 10:
            errors["reviewers_per_entry"] = _("Choose from 1 to 10 reviewers.")
        if not 1 <= self.reviewer_cap <= 100:
            errors["reviewer_cap"] = _("Choose from 1 to 100 entries.")
        if not 200 <= self.response_limit <= 20000:
            errors["response_limit"] = _("Choose from 200 to 20,000 characters.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class RoundEvent(models.Model):
    """The round's audit trail: who opened, assigned, closed, decided."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        ENTRIES_ADDED = "entries_added", _("Entries added")
        OPENED = "opened", _("Opened")
        ASSIGNED = "assigned", _("Reviewers assigned")
        CONFLICT = "conflict", _("Conflict of interest recorded")
        CLOSED = "closed", _("Closed")
        DECIDED = "decided", _("Decision recorded")

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("round event")
        verbose_name_plural = _("round events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.round_id} {self.action}"


class RoundEntry(models.Model):
    """One vendor solution version (a submission) reviewed in a round."""

    round = models.ForeignKey(
        ReviewRound, on_delete=models.CASCADE, related_name="entries"
    )
    submission = models.ForeignKey(
        "evaluations.Submission", on_delete=models.PROTECT, related_name="+"
    )
    # Shown as "Entry 3" where the round is blind.
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("round entry")
        verbose_name_plural = _("round entries")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submission"], name="round_entry_unique_submission"
            ),
            models.UniqueConstraint(
                fields=["round", "number"], name="round_entry_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} #{self.number}"


class Assignment(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", _("Manual")
        AUTOMATIC = "automatic", _("Automatic")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        DECLINED = "declined", _("Declined")
        SUBMITTED = "submitted", _("Submitted")

    entry = models.ForeignKey(
        RoundEntry, on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="review_assignments"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ASSIGNED
    )
    # The calibration anchor: an entry every reviewer of the round scores.
    is_anchor = models.BooleanField(_("calibration anchor"), default=False)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    # Set when the deadline reminder was sent (claimed by a conditional
    # update, so a reminder goes out once however often the task runs).
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["entry", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "reviewer"], name="assignment_unique_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} ← {self.reviewer_id}"

    def get_absolute_url(self) -> str:
        return reverse("reviews:review", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.DECLINED


class Conflict(models.Model):
    """A conflict of interest between a reviewer and a vendor or an entry."""

    class Source(models.TextChoices):
        REVIEWER = "reviewer_declared", _("Declared by the reviewer")
        VENDOR = "vendor_declared", _("Declared by the vendor")
        DETECTED = "detected", _("Detected")

    reviewer = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="review_conflicts"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("vendor organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    entry = models.ForeignKey(
        RoundEntry, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(entry__isnull=False),
                name="conflict_names_a_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} × {self.organisation_id or self.entry_id}"


class Review(models.Model):
    """A reviewer's review of one entry; its content lives in versions."""

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="review"
    )
    # The latest saved version (draft or submitted) and the latest
    # submitted one, which is what the chair and other reviewers see.
    current = models.ForeignKey(
        "ReviewVersion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted = models.ForeignKey(
        "ReviewVersion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"review of {self.assignment}"


class ReviewVersion(models.Model):
    """One save of a review. Rows are only ever added, never changed.

    ``scores`` maps each dimension code to ``{"score": 1–5 or None,
    "confidence": 1–3 or None, "evidence": [run ids or URLs],
    "justification": text}``.
    """

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    scores = models.JSONField(_("scores"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    is_submitted = models.BooleanField(_("submitted"), default=False)
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("review version")
        verbose_name_plural = _("review versions")
        ordering = ["review", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="review_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.review_id} v{self.number}"

    def clean(self) -> None:
        """Check shapes and ranges; completeness is checked on submit."""
        errors: list[str] = []
        if not isinstance(self.scores, dict) or not set(self.scores) <= set(DIMENSIONS):
            raise ValidationError({"scores": _("Unknown dimension.")})
        for item in self.scores.values():
            score = item.get("score")
            confidence = item.get("confidence")
            evidence = item.get("evidence", [])
            if score is not None and not SCORE_MIN <= score <= SCORE_MAX:
                errors.append(_("Scores go from 1 to 5."))
            if confidence is not None and not (
                CONFIDENCE_MIN <= confidence <= CONFIDENCE_MAX
            ):
                errors.append(_("Confidence goes from 1 to 3."))
            if len(evidence) > MAX_EVIDENCE_LINKS or any(
                len(link) > MAX_EVIDENCE_LENGTH for link in evidence
            ):
                errors.append(_("Give at most 10 evidence links per dimension."))
            if len(item.get("justification", "")) > MAX_JUSTIFICATION_LENGTH:
                errors.append(_("Keep each justification to 2,000 characters."))
        if len(self.comment) > MAX_COMMENT_LENGTH:
            errors.append(_("Keep the comment to 5,000 characters."))
        if errors:
            raise ValidationError({"scores": sorted(set(map(str, errors)))})

    def score(self, dimension: str) -> int | None:
        value = self.scores.get(dimension, {}).get("score")
        return value if isinstance(value, int) else None


class Comment(models.Model):
    """A message in an entry's discussion among its reviewers and the chair."""

    entry = models.ForeignKey(
        RoundEntry, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=MAX_COMMENT_LENGTH)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("discussion comment")
        verbose_name_plural = _("discussion comments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.entry_id}"


class VendorResponse(models.Model):
    """The vendor's one response in a round, within its window and limit."""

    entry = models.OneToOneField(
        RoundEntry, on_delete=models.CASCADE, related_name="response"
    )
    author = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("response"))
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("vendor response")
        verbose_name_plural = _("vendor responses")

    def __str__(self) -> str:
        return f"response on {self.entry_id}"


class Decision(models.Model):
    """The chair's meta-review and decision on one entry."""

    class Outcome(models.TextChoices):
        ADVANCE = "advance", _("Advance")
        REVISE = "revise", _("Revise and resubmit")
        REJECT = "reject", _("Reject")

    entry = models.OneToOneField(
        RoundEntry, on_delete=models.CASCADE, related_name="decision"
    )
    chair = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    reasons = models.TextField(_("reasons"), max_length=MAX_COMMENT_LENGTH)
    meta_review = models.TextField(
        _("meta-review"), max_length=MAX_COMMENT_LENGTH, blank=True
    )
    created_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.outcome}"


# --- calculators feeding the scorecard: business case, impact, users --------
#
# Each save of a business case or a social impact adds a row with the next
# version number; nothing is ever changed in place, so the figures reviewers
# scored against stay on record. Who may write what is decided in
# ``case_services``.


class CaseBasis(models.TextChoices):
    PROJECTED = "projected", _("Projected")
    MEASURED = "measured", _("Measured in a pilot")


class CaseAuthorRole(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    OWNER = "owner", _("Scenario owner")
    OPERATOR = "operator", _("Operator")


class BusinessCase(models.Model):
    """One saved version of an entry's business case (rubric D3)."""

    class Currency(models.TextChoices):
        CNY = "CNY", _("Chinese yuan (CNY)")

    entry = models.ForeignKey(
        RoundEntry, on_delete=models.CASCADE, related_name="business_cases"
    )
    version = models.PositiveIntegerField(_("version"))
    basis = models.CharField(
        _("basis"),
        max_length=16,
        choices=CaseBasis.choices,
        default=CaseBasis.PROJECTED,
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.CNY
    )
    investment = models.DecimalField(
        _("initial investment"), max_digits=16, decimal_places=2
    )
    horizon_years = models.PositiveSmallIntegerField(_("horizon (years)"))
    # 8 % is the social discount rate of 《建设项目经济评价方法与参数》
    # (第三版, 发改投资[2006]1325号) for economic appraisal; a company's
    # hurdle rate may be used for a financial appraisal instead.
    discount_rate = models.DecimalField(
        _("discount rate"), max_digits=7, decimal_places=4, default=Decimal("0.08")
    )
    asset_life_years = models.PositiveSmallIntegerField(
        _("asset life (years)"), null=True, blank=True
    )
    service_units = models.DecimalField(
        _("annual service units"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
    )
    unit_label = models.CharField(_("service unit"), max_length=60, blank=True)
    # Inputs of the compute cost line filled from the sandbox; the line
    # itself is stored with the others (``is_compute``).
    calls_per_year = models.PositiveBigIntegerField(
        _("calls per year"), null=True, blank=True
    )
    tariff_per_kwh = models.DecimalField(
        _("electricity tariff (CNY/kWh)"),
        max_digits=8,
        decimal_places=4,
        null=True,
        blank=True,
    )
    pue = models.DecimalField(
        _("PUE"), max_digits=5, decimal_places=3, default=Decimal(1)
    )
    cpu_hour_price = models.DecimalField(
        _("price per CPU-core-hour (CNY)"),
        max_digits=10,
        decimal_places=4,
        default=Decimal(0),
    )
    compute_run = models.ForeignKey(
        "evaluations.Run",
        verbose_name=_("run measured"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    author = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_role = models.CharField(
        _("author's role"), max_length=16, choices=CaseAuthorRole.choices
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("business case")
        verbose_name_plural = _("business cases")
        ordering = ["entry", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "version"], name="business_case_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} business case v{self.version}"


class BusinessCaseLine(models.Model):
    """An annual cost line or benefit driver of one business case version."""

    class Kind(models.TextChoices):
        COST = "cost", _("Cost")
        BENEFIT = "benefit", _("Benefit")

    case = models.ForeignKey(
        BusinessCase, on_delete=models.CASCADE, related_name="lines"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=120)
    amount = models.DecimalField(
        _("annual amount (year 1)"), max_digits=16, decimal_places=2
    )
    escalation = models.DecimalField(
        _("escalation per year"), max_digits=7, decimal_places=4, default=Decimal(0)
    )
    driver = models.TextField(_("driver"), blank=True)
    # Filled from the sandbox's measured energy and CPU time.
    is_compute = models.BooleanField(_("compute cost from the sandbox"), default=False)

    class Meta:
        verbose_name = _("business case line")
        verbose_name_plural = _("business case lines")
        ordering = ["case", "kind", "position"]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class SocialImpact(models.Model):
    """One saved version of an entry's social impact (rubric D4)."""

    class EnergyKind(models.TextChoices):
        SAVED = "saved", _("Electricity saved")
        RENEWABLE = "renewable", _("Renewable output absorbed")

    entry = models.ForeignKey(
        RoundEntry, on_delete=models.CASCADE, related_name="social_impacts"
    )
    version = models.PositiveIntegerField(_("version"))
    basis = models.CharField(
        _("basis"),
        max_length=16,
        choices=CaseBasis.choices,
        default=CaseBasis.PROJECTED,
    )
    energy_kind = models.CharField(
        _("energy effect"),
        max_length=16,
        choices=EnergyKind.choices,
        default=EnergyKind.SAVED,
    )
    # Negative when the solution raises consumption.
    energy_mwh = models.DecimalField(
        _("energy per year (MWh)"), max_digits=14, decimal_places=3
    )
    region = models.CharField(_("grid region"), max_length=20)
    factor_year = models.PositiveSmallIntegerField(_("factor year"))
    calls_per_year = models.PositiveBigIntegerField(
        _("calls per year"), null=True, blank=True
    )
    pue = models.DecimalField(
        _("PUE"), max_digits=5, decimal_places=3, default=Decimal(1)
    )
    # The solution's own annual compute energy, scaled from the run below at
    # save time so that the result does not move when new runs finish.
    compute_mwh = models.DecimalField(
        _("compute energy per year (MWh)"),
        max_digits=14,
        decimal_places=6,
        default=Decimal(0),
    )
    compute_run = models.ForeignKey(
        "evaluations.Run",
        verbose_name=_("run measured"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    method = models.TextField(_("method"), blank=True)
    author = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_role = models.CharField(
        _("author's role"), max_length=16, choices=CaseAuthorRole.choices
    )
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("social impact")
        verbose_name_plural = _("social impacts")
        ordering = ["entry", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "version"], name="social_impact_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} social impact v{self.version}"


class ImpactItem(models.Model):
    """Another quantified impact: hazardous work hours, outage minutes..."""

    impact = models.ForeignKey(
        SocialImpact, on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("impact"), max_length=120)
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=40)
    method = models.TextField(_("method"))

    class Meta:
        verbose_name = _("other impact")
        verbose_name_plural = _("other impacts")
        ordering = ["impact", "position"]

    def __str__(self) -> str:
        return self.name


class SusInvitation(models.Model):
    """A request to one named user to rate an entry on the SUS (rubric D6)."""

    entry = models.ForeignKey(
        RoundEntry, on_delete=models.CASCADE, related_name="sus_invitations"
    )
    respondent = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="sus_invitations"
    )
    sent_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("SUS invitation")
        verbose_name_plural = _("SUS invitations")
        ordering = ["entry", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "respondent"], name="sus_invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"SUS {self.entry_id} → {self.respondent_id}"


class SusResponse(models.Model):
    """The one answer to an invitation: ten answers 1–5 and their score."""

    invitation = models.OneToOneField(
        SusInvitation, on_delete=models.CASCADE, related_name="response"
    )
    answers = models.JSONField(_("answers"))
    score = models.FloatField(_("SUS score"))
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("SUS response")
        verbose_name_plural = _("SUS responses")

    def __str__(self) -> str:
        return f"SUS response {self.invitation_id}: {self.score:g}"


class PilotLog(models.Model):
    """Acceptance and override counts from pilot logs, as entered by the
    scenario owner. Rows are only added; the latest is the one used."""

    entry = models.ForeignKey(
        RoundEntry, on_delete=models.CASCADE, related_name="pilot_logs"
    )
    recommendations = models.PositiveIntegerField(_("recommendations logged"))
    accepted = models.PositiveIntegerField(_("accepted"))
    overridden = models.PositiveIntegerField(_("overridden"))
    source = models.TextField(_("source of the counts"))
    author = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("pilot log counts")
        verbose_name_plural = _("pilot log counts")
        ordering = ["entry", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"pilot {self.entry_id}: {self.accepted}/{self.recommendations}"
