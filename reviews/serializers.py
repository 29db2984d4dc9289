"""Serializers of the reviews API.

Output serializers read what ``selectors`` return; whether the vendor's
identity may be shown is decided by the caller and passed in the context
(``show_identity``), never computed here.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from reviews.models import Assignment, Decision, ReviewRound
from reviews.rubric import (
    CONFIDENCE_MAX,
    CONFIDENCE_MIN,
    SCORE_MAX,
    SCORE_MIN,
    Stage,
)


@extend_schema_field(
    {"type": "string", "enum": ReviewRound.Status.values},
    component_name="ReviewRoundStatusEnum",
)
class RoundStatusField(serializers.CharField):
    pass


@extend_schema_field(
    {"type": "string", "enum": Stage.values}, component_name="ReviewStageEnum"
)
class RoundStageField(serializers.CharField):
    pass


@extend_schema_field(
    {"type": "string", "enum": Assignment.Status.values},
    component_name="AssignmentStatusEnum",
)
class AssignmentStatusField(serializers.CharField):
    pass


@extend_schema_field(
    {"type": "string", "enum": Decision.Outcome.values},
    component_name="DecisionOutcomeEnum",
)
class OutcomeField(serializers.CharField):
    pass


class DimensionScoreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    score = serializers.IntegerField(
        min_value=SCORE_MIN, max_value=SCORE_MAX, allow_null=True, required=False
    )
    confidence = serializers.IntegerField(
        min_value=CONFIDENCE_MIN,
        max_value=CONFIDENCE_MAX,
        allow_null=True,
        required=False,
    )
    evidence = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list
    )
    justification = serializers.CharField(required=False, allow_blank=True, default="")


class DimensionScoresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    maturity = DimensionScoreSerializer(required=False)
    fit = DimensionScoreSerializer(required=False)
    economics = DimensionScoreSerializer(required=False)
    social = DimensionScoreSerializer(required=False)
    safety = DimensionScoreSerializer(required=False)
    user = DimensionScoreSerializer(required=False)


class ReviewInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    scores = DimensionScoresSerializer()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewVersionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    is_submitted = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    scores = DimensionScoresSerializer()
    comment = serializers.CharField()


class ReviewVersionBriefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    number = serializers.IntegerField()
    is_submitted = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class RoundBriefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    title = serializers.CharField()
    stage = RoundStageField()
    status = RoundStatusField()
    deadline = serializers.DateTimeField()
    blind = serializers.BooleanField()
    scenario = serializers.CharField(source="scenario.code")


class ReviewVendorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Who submitted the entry; null for reviewers of a blind round."""

    organisation = serializers.CharField(source="organisation.name")
    solution = serializers.CharField(source="name")
    version_label = serializers.CharField()


class AssignmentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    round = RoundBriefSerializer(source="entry.round")
    entry = serializers.IntegerField(source="entry.number")
    status = AssignmentStatusField()
    is_anchor = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class RunEvidenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    split = serializers.CharField()
    status = serializers.CharField()
    passed = serializers.BooleanField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    metrics = serializers.JSONField()
    gates = serializers.JSONField()
    probes = serializers.JSONField()
    resources = serializers.JSONField()


class ReviewThresholdSerializer(serializers.Serializer):  # type: ignore[type-arg]
    metric = serializers.CharField()
    comparator = serializers.CharField()
    value = serializers.CharField(source="value_display")
    unit = serializers.CharField()
    standard = serializers.CharField()


class ReviewDetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One reviewer's review of an entry with the evidence beside it."""

    assignment = AssignmentSerializer()
    vendor = ReviewVendorSerializer(allow_null=True)
    thresholds = ReviewThresholdSerializer(many=True)
    evidence = RunEvidenceSerializer(many=True)
    current = ReviewVersionSerializer(allow_null=True)
    submitted = ReviewVersionSerializer(allow_null=True)
    versions = ReviewVersionBriefSerializer(many=True)
    editable = serializers.BooleanField()


class DimensionSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    scores = serializers.ListField(child=serializers.IntegerField())
    mean = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    spread = serializers.IntegerField(allow_null=True)


class ReviewerRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reviewer = serializers.CharField(source="assignment.reviewer.username")
    status = AssignmentStatusField(source="assignment.status")
    is_anchor = serializers.BooleanField(source="assignment.is_anchor")
    submitted = ReviewVersionSerializer(source="version", allow_null=True)


class ReviewDecisionBriefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = OutcomeField()
    reasons = serializers.CharField()
    meta_review = serializers.CharField()
    created_at = serializers.DateTimeField()


class EntryRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(source="entry.pk")
    number = serializers.IntegerField(source="entry.number")
    vendor = ReviewVendorSerializer(source="entry.submission")
    reviews = ReviewerRowSerializer(source="cells", many=True)
    missing = serializers.IntegerField(source="missing_count")
    dimensions = serializers.DictField(child=DimensionSummarySerializer())
    comments = serializers.IntegerField(source="comment_count")
    has_response = serializers.BooleanField()
    decision = ReviewDecisionBriefSerializer(allow_null=True)


class RoundDetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    round = RoundBriefSerializer()
    reviewers_per_entry = serializers.IntegerField(source="round.reviewers_per_entry")
    reviewer_cap = serializers.IntegerField(source="round.reviewer_cap")
    weights = serializers.DictField(
        child=serializers.IntegerField(), source="round.weights"
    )
    chair = serializers.CharField(source="round.chair.username")
    entries = EntryRowSerializer(many=True)


class VendorDecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    entry = serializers.IntegerField(source="entry.pk")
    round = serializers.CharField(source="entry.round.title")
    scenario = serializers.CharField(source="entry.round.scenario.code")
    submission = serializers.IntegerField(source="entry.submission_id")
    outcome = OutcomeField()
    reasons = serializers.CharField()
    created_at = serializers.DateTimeField()


class _IntervalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    value = serializers.FloatField()
    low = serializers.FloatField()
    high = serializers.FloatField()


class ScorecardDimensionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    dimension = serializers.CharField(source="code")
    calibrated = serializers.FloatField(source="estimate", allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)
    method = serializers.CharField(
        help_text='"calibrated", "median", or empty when unscored'
    )
    raw = serializers.ListField(child=serializers.FloatField())
    band = serializers.ListField(
        child=serializers.IntegerField(), allow_null=True, help_text="[low, high]"
    )
    band_reasons = serializers.ListField(child=serializers.CharField())


class ScorecardEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    entry = serializers.IntegerField(source="entry.pk")
    number = serializers.IntegerField(source="entry.number")
    rank = serializers.IntegerField(source="rank.rank", allow_null=True, default=None)
    tied = serializers.BooleanField(source="rank.tied", default=False)
    composite = serializers.SerializerMethodField()
    missing = serializers.ListField(child=serializers.CharField())
    safety_blocks = serializers.BooleanField(
        source="safety.blocks", allow_null=True, default=None
    )
    needs_discussion = serializers.BooleanField()
    flags = serializers.ListField(child=serializers.CharField())
    dimensions = ScorecardDimensionSerializer(many=True, source="cells")

    @extend_schema_field(_IntervalSerializer(allow_null=True))
    def get_composite(self, row: Any) -> dict[str, float] | None:
        if row.composite is None:
            return None
        return {
            "value": row.composite.value,
            "low": row.composite.low,
            "high": row.composite.high,
        }


class ScorecardReliabilitySerializer(serializers.Serializer):  # type: ignore[type-arg]
    dimension = serializers.CharField(source="label")
    alpha = serializers.FloatField(allow_null=True)
    icc = serializers.FloatField(allow_null=True)
    units = serializers.IntegerField()
    weak = serializers.BooleanField()


class RoundScorecardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    round = RoundBriefSerializer()
    weights = serializers.DictField(
        child=serializers.IntegerField(), source="round.weights"
    )
    entries = ScorecardEntrySerializer(many=True)
    reliability = ScorecardReliabilitySerializer(many=True)
