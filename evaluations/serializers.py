"""Serializers of the evaluations API.

Input serializers only check types and shapes; ``services`` owns the rules.
Output serializers read what the selectors and ``leaderboard`` return, with
related rows already loaded. Metric values that are not finite (a lead time
with no detected event is NaN) are shown as ``null``, since JSON has no NaN.
"""

from __future__ import annotations

import math
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluations import selectors, services
from evaluations.leaderboard import Board, BoardRow, Column, columns_for
from evaluations.leaderboard import primary_metric as primary_metric_of
from evaluations.models import Run, Submission, SuiteVersion
from portal.accounts.selectors import organisation_list
from portal.accounts.serializers import OrganisationBriefSerializer
from portal.lib.serializers import SlugRelatedField


def finite(value: Any) -> Any:
    """Return ``value`` with every non-finite float replaced by None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finite(item) for item in value]
    return value


NULLABLE_OBJECT = {"type": "object", "nullable": True, "additionalProperties": {}}


class FiniteJSONField(serializers.JSONField):
    def to_representation(self, value: Any) -> Any:
        return finite(value)


# Enums get their own schema components: "status" and "kind" mean different
# things on scenarios, organisations, runs and suite versions.


@extend_schema_field(
    {"type": "string", "enum": Run.Status.values}, component_name="RunStatusEnum"
)
class RunStatusField(serializers.ChoiceField):
    pass


@extend_schema_field(
    {"type": "string", "enum": Run.Split.values}, component_name="RunSplitEnum"
)
class RunSplitField(serializers.ChoiceField):
    pass


@extend_schema_field(
    {"type": "string", "enum": ["", *Run.Failure.values]},
    component_name="RunFailureEnum",
)
class RunFailureField(serializers.ChoiceField):
    pass


@extend_schema_field(
    {"type": "string", "enum": SuiteVersion.Status.values},
    component_name="SuiteVersionStatusEnum",
)
class SuiteVersionStatusField(serializers.ChoiceField):
    pass


@extend_schema_field(
    {"type": "string", "enum": Submission.Kind.values},
    component_name="SubmissionKindEnum",
)
class SubmissionKindField(serializers.ChoiceField):
    pass


@extend_schema_field(
    {"type": "string", "enum": ["higher", "lower", "zero"]},
    component_name="MetricDirectionEnum",
)
class DirectionField(serializers.CharField):
    pass


# --- suite versions and leaderboards ------------------------------------------------


class MetricColumnSerializer(serializers.Serializer[Column]):
    key = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True, help_text="Code in the registry.")
    direction = DirectionField(
        read_only=True,
        help_text="Which way is better; `zero`: the closer to zero the better.",
    )
    weight = serializers.FloatField(
        read_only=True, help_text="Leaderboard weight; 0 when not weighted."
    )


class GateSerializer(serializers.Serializer[dict[str, Any]]):
    metric = serializers.CharField(read_only=True)
    comparator = serializers.CharField(read_only=True)
    value = serializers.FloatField(read_only=True)
    probe = serializers.CharField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The robustness probe the gate holds on; null: the clean run.",
    )
    delta = serializers.BooleanField(
        read_only=True,
        default=False,
        help_text="On a probe: whether the gate holds on the change against the "
        "clean run rather than the probe's own figure.",
    )


class ProbeSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    calls = serializers.IntegerField(read_only=True, allow_null=True)


class InputFileSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(read_only=True)
    columns = serializers.ListField(
        child=serializers.CharField(), read_only=True, default=list
    )
    optional = serializers.BooleanField(read_only=True, default=False)
    description = serializers.CharField(read_only=True, default="")


class DevelopmentSerializer(serializers.Serializer[dict[str, Any]]):
    dataset = serializers.CharField(
        read_only=True, help_text="Slug of the dataset with the development split."
    )
    description = serializers.CharField(read_only=True, default="")


class InputsLinksSerializer(serializers.Serializer[dict[str, str]]):
    sample = serializers.URLField(
        read_only=True, help_text="Zip of the public sample's inputs."
    )
    hidden = serializers.URLField(
        read_only=True, help_text="Zip of the hidden test's inputs (no labels)."
    )


class SuiteVersionSerializer(serializers.ModelSerializer[SuiteVersion]):
    """A suite version with the parts of its configuration vendors need."""

    scenario = serializers.CharField(source="suite.scenario.code", read_only=True)
    suite = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title_zh = serializers.CharField(source="suite.title_zh", read_only=True)
    title_en = serializers.CharField(source="suite.title_en", read_only=True)
    task_kind = serializers.CharField(source="suite.task_kind", read_only=True)
    status = SuiteVersionStatusField(
        choices=SuiteVersion.Status.choices, read_only=True
    )
    metrics = serializers.SerializerMethodField()
    primary_metric = serializers.SerializerMethodField()
    gates = serializers.SerializerMethodField()
    limits = serializers.SerializerMethodField()
    submissions_per_day = serializers.SerializerMethodField()
    probes = serializers.SerializerMethodField()
    splits = serializers.SerializerMethodField()
    input_schema = serializers.SerializerMethodField()
    development = serializers.SerializerMethodField()
    accepts_prediction_files = serializers.BooleanField(
        read_only=True,
        help_text="Whether a CSV or Parquet file of predictions may be "
        "submitted instead of a solution package.",
    )
    inputs = serializers.SerializerMethodField()

    class Meta:
        model = SuiteVersion
        fields = [
            "id",
            "scenario",
            "suite",
            "title_zh",
            "title_en",
            "task_kind",
            "number",
            "status",
            "published_at",
            "change_notes",
            "metrics",
            "primary_metric",
            "gates",
            "limits",
            "submissions_per_day",
            "probes",
            "splits",
            "input_schema",
            "development",
            "accepts_prediction_files",
            "inputs",
        ]
        read_only_fields = fields

    @extend_schema_field(MetricColumnSerializer(many=True))
    def get_metrics(self, version: SuiteVersion) -> Any:
        return MetricColumnSerializer(columns_for(version.config), many=True).data

    @extend_schema_field(OpenApiTypes.STR)
    def get_primary_metric(self, version: SuiteVersion) -> str | None:
        return primary_metric_of(columns_for(version.config))

    @extend_schema_field(GateSerializer(many=True))
    def get_gates(self, version: SuiteVersion) -> Any:
        return GateSerializer(version.config.get("gates", []), many=True).data

    @extend_schema_field(
        serializers.DictField(
            child=serializers.FloatField(),
            help_text="Resource budget per call (wall_seconds, memory_mb ...).",
        )
    )
    def get_limits(self, version: SuiteVersion) -> dict[str, Any]:
        return dict(version.config.get("limits", {}))

    @extend_schema_field(OpenApiTypes.INT)
    def get_submissions_per_day(self, version: SuiteVersion) -> int:
        return int(version.config.get("quotas", {}).get("per_day", 10))

    @extend_schema_field(ProbeSerializer(many=True))
    def get_probes(self, version: SuiteVersion) -> Any:
        described = version.config.get("probes", {})
        counted = (version.bundle_summary or {}).get("probes", {})
        return ProbeSerializer(
            [
                {
                    "name": name,
                    "description": described.get(name, {}).get("description", ""),
                    "calls": counted.get(name, {}).get("calls"),
                }
                for name in sorted(set(described) | set(counted))
            ],
            many=True,
        ).data

    @extend_schema_field(
        serializers.DictField(
            child=serializers.IntegerField(),
            help_text="Calls per split (`sample`, `hidden`); empty when unknown.",
        )
    )
    def get_splits(self, version: SuiteVersion) -> dict[str, int]:
        splits = (version.bundle_summary or {}).get("splits", {})
        return {name: int(split["calls"]) for name, split in splits.items()}

    @extend_schema_field(InputFileSerializer(many=True))
    def get_input_schema(self, version: SuiteVersion) -> Any:
        files = version.config.get("input_schema", {}).get("files", [])
        return InputFileSerializer(files, many=True).data

    @extend_schema_field(DevelopmentSerializer(allow_null=True))
    def get_development(self, version: SuiteVersion) -> Any:
        development = version.config.get("development") or None
        return DevelopmentSerializer(development).data if development else None

    @extend_schema_field(InputsLinksSerializer(allow_null=True))
    def get_inputs(self, version: SuiteVersion) -> dict[str, str] | None:
        """Download links of the published inputs, if the caller may have them."""
        request = self.context.get("request")
        if request is None or not version.accepts_prediction_files:
            return None
        if not selectors.inputs_decision(request.user, version).allowed:
            return None
        return {
            split: request.build_absolute_uri(
                reverse("api-suite-version-inputs", args=[version.pk, split])
            )
            for split in Run.Split.values
        }


class LeaderboardRowSerializer(serializers.Serializer[BoardRow]):
    rank = serializers.IntegerField(source="row.rank", read_only=True)
    organisation = OrganisationBriefSerializer(
        source="row.organisation", read_only=True
    )
    solution = serializers.CharField(source="row.run.submission.name", read_only=True)
    solution_version = serializers.CharField(
        source="row.run.submission.version_label", read_only=True
    )
    submission = serializers.IntegerField(
        source="row.run.submission_id", read_only=True
    )
    submission_kind = SubmissionKindField(
        source="row.run.submission.kind",
        choices=Submission.Kind.choices,
        read_only=True,
        help_text="`predictions`: scored from an uploaded prediction file, "
        "without running code.",
    )
    run = serializers.IntegerField(source="row.run_id", read_only=True)
    submitted_at = serializers.DateTimeField(source="row.submitted_at", read_only=True)
    passed = serializers.BooleanField(
        source="row.passed", read_only=True, help_text="Every gate held."
    )
    composite = serializers.FloatField(source="row.composite", read_only=True)
    metrics = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.DictField(child=serializers.FloatField(allow_null=True))
    )
    def get_metrics(self, entry: BoardRow) -> dict[str, Any]:
        return finite(dict(entry.row.metrics))  # type: ignore[no-any-return]


class LeaderboardSerializer(serializers.Serializer[Board]):
    suite_version = serializers.IntegerField(source="suite_version.pk", read_only=True)
    primary_metric = serializers.CharField(
        source="primary", read_only=True, allow_null=True
    )
    columns = MetricColumnSerializer(many=True, read_only=True)
    rows = LeaderboardRowSerializer(many=True, read_only=True)


# --- submissions ---------------------------------------------------------------------


class SubmissionCreateInputSerializer(serializers.Serializer[Any]):
    # Verified organisations are public, so naming any of them leaks nothing;
    # the service refuses one the user may not submit for (403).
    organisation = SlugRelatedField(
        slug_field="slug",
        queryset=organisation_list(),
        help_text="Slug of the verified AI vendor you submit for.",
    )
    file = serializers.FileField(
        help_text="The solution package (a .zip or .tar.gz with solution.toml), "
        "or, where the suite version accepts them, a CSV or Parquet prediction "
        "file with the columns id and prediction. Judged by content."
    )
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.NAME_LIMIT,
        help_text="Solution name; required for a prediction file. For a "
        "package, empty means the name in solution.toml.",
    )
    version_label = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.VERSION_LIMIT,
        help_text="Solution version; required for a prediction file. For a "
        "package, empty means the version in solution.toml.",
    )
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.DESCRIPTION_LIMIT,
        help_text="For a package, empty means the description in solution.toml.",
    )


class RunBriefSerializer(serializers.ModelSerializer[Run]):
    split = RunSplitField(choices=Run.Split.choices, read_only=True)
    status = RunStatusField(choices=Run.Status.choices, read_only=True)

    class Meta:
        model = Run
        fields = ["id", "split", "status"]
        read_only_fields = fields


class SubmissionSerializer(serializers.ModelSerializer[Submission]):
    scenario = serializers.CharField(
        source="suite_version.suite.scenario.code", read_only=True
    )
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    kind = SubmissionKindField(choices=Submission.Kind.choices, read_only=True)
    runs = RunBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "suite_version",
            "scenario",
            "organisation",
            "submitted_by",
            "kind",
            "file_name",
            "name",
            "version_label",
            "description",
            "created_at",
            "runs",
        ]
        read_only_fields = fields


class SubmissionCreatedSerializer(SubmissionSerializer):
    validation_run = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [*SubmissionSerializer.Meta.fields, "validation_run"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.INT)
    def get_validation_run(self, submission: Submission) -> int:
        return next(r.pk for r in submission.runs.all() if r.split == Run.Split.SAMPLE)


# --- runs ---------------------------------------------------------------------------


class RunSerializer(serializers.ModelSerializer[Run]):
    """A run's state and results; never its log or raw output."""

    suite_version = serializers.IntegerField(
        source="submission.suite_version_id", read_only=True
    )
    organisation = serializers.CharField(
        source="submission.organisation.slug", read_only=True
    )
    split = RunSplitField(choices=Run.Split.choices, read_only=True)
    status = RunStatusField(choices=Run.Status.choices, read_only=True)
    failure = RunFailureField(choices=Run.Failure.choices, read_only=True)
    submission_kind = SubmissionKindField(
        source="submission.kind", choices=Submission.Kind.choices, read_only=True
    )
    is_final = serializers.BooleanField(read_only=True)
    queue_position = serializers.SerializerMethodField()
    hidden_run = serializers.SerializerMethodField()
    has_log = serializers.SerializerMethodField()
    metrics = FiniteJSONField(read_only=True)
    gates = FiniteJSONField(read_only=True)
    probes = serializers.SerializerMethodField(
        help_text="Metric deltas per robustness probe; null when not "
        "applicable (a prediction file runs no code)."
    )
    resources = serializers.SerializerMethodField(
        help_text="Time, memory and energy; null when not applicable (a "
        "prediction file runs no code)."
    )

    class Meta:
        model = Run
        fields = [
            "id",
            "submission",
            "suite_version",
            "organisation",
            "split",
            "submission_kind",
            "status",
            "failure",
            "message",
            "stage",
            "progress",
            "is_final",
            "queue_position",
            "attempt",
            "max_attempts",
            "enqueued_at",
            "started_at",
            "finished_at",
            "passed",
            "metrics",
            "gates",
            "probes",
            "resources",
            "hidden_run",
            "has_log",
        ]
        read_only_fields = fields

    @extend_schema_field(NULLABLE_OBJECT)
    def get_probes(self, run: Run) -> Any:
        if run.submission.kind == Submission.Kind.PREDICTIONS:
            return None
        return finite(run.probes)

    @extend_schema_field(NULLABLE_OBJECT)
    def get_resources(self, run: Run) -> Any:
        if run.submission.kind == Submission.Kind.PREDICTIONS:
            return None
        return finite(run.resources)

    @extend_schema_field(OpenApiTypes.INT)
    def get_queue_position(self, run: Run) -> int | None:
        return services.queue_position(run)

    @extend_schema_field(OpenApiTypes.INT)
    def get_hidden_run(self, run: Run) -> int | None:
        """The hidden run a successful validation run started, if any."""
        if run.split != Run.Split.SAMPLE:
            return None
        return (
            Run.objects.filter(submission_id=run.submission_id, split=Run.Split.HIDDEN)
            .values_list("pk", flat=True)
            .first()
        )

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_has_log(self, run: Run) -> bool:
        return selectors.can_see_log(self.context["request"].user, run) and bool(
            run.log
        )


class RunLogSerializer(serializers.Serializer[Run]):
    run = serializers.IntegerField(source="pk", read_only=True)
    log = serializers.CharField(read_only=True)
