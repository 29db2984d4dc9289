"""Serializers of the scenarios API.

Input serializers only check types and shapes; the services own the rules
and write the rows (``ModelSerializer`` inputs borrow the model's field
definitions and are never saved). Output serializers read what the selectors
return, with related rows already loaded, so a list renders in a fixed
number of queries.

Bilingual text is exposed as both ``*_zh`` and ``*_en``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.accounts.models import Organisation
from portal.accounts.selectors import AnyUser, memberships_of
from portal.accounts.serializers import OrganisationBriefSerializer
from portal.lib.serializers import SlugRelatedField
from portal.lib.taxonomy import TaskType
from scenarios import selectors
from scenarios.dataset_services import DATASET_FIELDS
from scenarios.models import (
    AcceptanceThreshold,
    AccessRequest,
    Dataset,
    DatasetFile,
    DatasetVersion,
    HighValueList,
    HighValueListEntry,
    Scenario,
    ScenarioEvent,
    ScenarioRegistration,
    ScenarioVersion,
    ValueAssessment,
)
from scenarios.services import SPEC_FIELDS

# --- fields ---------------------------------------------------------------------


class VisibleSlugRelatedField(SlugRelatedField):
    """A slug naming an object the requesting user may see.

    ``queryset_for`` is a selector taking the user, so an object the user may
    not know exists is reported exactly like one that does not exist. The
    ``queryset`` argument only tells the schema which model is meant.
    """

    def __init__(
        self, *, queryset_for: Callable[[AnyUser], QuerySet[Any]], **kwargs: Any
    ) -> None:
        self.queryset_for = queryset_for
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return self.queryset_for(self.context["request"].user)


def _username(user: Model | None) -> str | None:
    return getattr(user, "username", None)


# --- shared output ----------------------------------------------------------------


class ScenarioBriefSerializer(serializers.ModelSerializer[Scenario]):
    """A scenario as referenced from datasets, lists and requests."""

    owner = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = Scenario
        fields = ["code", "title_zh", "title_en", "status", "owner"]
        read_only_fields = fields


class ThresholdSerializer(serializers.ModelSerializer[AcceptanceThreshold]):
    """An acceptance threshold, read and written in the same shape."""

    class Meta:
        model = AcceptanceThreshold
        fields = [
            "metric",
            "comparator",
            "value",
            "unit",
            "standard",
            "note_zh",
            "note_en",
        ]
        extra_kwargs = {"value": {"normalize_output": True}}


class ValueAssessmentSerializer(serializers.ModelSerializer[ValueAssessment]):
    class Meta:
        model = ValueAssessment
        fields = [
            "application_value",
            "data_readiness",
            "scale_potential",
            "strategic_priority",
            "base_score",
            "adjustment",
            "justification",
            "score",
            "assessed_at",
        ]
        read_only_fields = fields


# --- scenarios -----------------------------------------------------------------------


class ScenarioSpecInputSerializer(serializers.ModelSerializer[Scenario]):
    """The editable specification of a scenario, plus its thresholds."""

    thresholds = ThresholdSerializer(many=True, required=False)

    class Meta:
        model = Scenario
        fields = [*SPEC_FIELDS, "thresholds"]


class ScenarioCreateInputSerializer(ScenarioSpecInputSerializer):
    # A plain field: the service upper-cases the code, then validates its
    # pattern and uniqueness.
    code = serializers.CharField(max_length=40)
    owner = SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        help_text="Slug of the energy company that owns the scenario.",
    )

    class Meta(ScenarioSpecInputSerializer.Meta):
        fields = ["code", "owner", *ScenarioSpecInputSerializer.Meta.fields]


class ScenarioUpdateInputSerializer(ScenarioSpecInputSerializer):
    change_notes = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required once the scenario is published: what changed and why.",
    )

    class Meta(ScenarioSpecInputSerializer.Meta):
        fields = [*ScenarioSpecInputSerializer.Meta.fields, "change_notes"]


class ScenarioSerializer(serializers.ModelSerializer[Scenario]):
    """A scenario in a list: no related rows beyond owner and assessment."""

    owner = OrganisationBriefSerializer(read_only=True)
    value_score = serializers.DecimalField(
        source="assessment.score",
        max_digits=5,
        decimal_places=2,
        read_only=True,
        allow_null=True,
    )

    class Meta:
        model = Scenario
        fields = [
            "code",
            "status",
            "version",
            "owner",
            "sector",
            "stage",
            "task_type",
            "title_zh",
            "title_en",
            "summary_zh",
            "summary_en",
            "annual_value_estimate",
            "data_readiness",
            "replicable_sites",
            "deployment_mode",
            "security_zone",
            "value_score",
            "published_at",
            "closes_at",
            "is_demo",
        ]
        read_only_fields = fields


class DatasetSummarySerializer(serializers.ModelSerializer[Dataset]):
    """A dataset as listed on its scenario (versions are prefetched)."""

    latest_version = serializers.SerializerMethodField()
    file_count = serializers.SerializerMethodField()

    class Meta:
        model = Dataset
        fields = [
            "slug",
            "title_zh",
            "title_en",
            "classification",
            "access_policy",
            "latest_version",
            "file_count",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_latest_version(self, dataset: Dataset) -> str | None:
        versions = list(dataset.versions.all())
        return versions[0].label if versions else None

    @extend_schema_field(OpenApiTypes.INT)
    def get_file_count(self, dataset: Dataset) -> int:
        versions = list(dataset.versions.all())
        return len(versions[0].files.all()) if versions else 0


class ScenarioDetailSerializer(ScenarioSerializer):
    """A scenario with everything its page shows.

    Expects ``context["related"]`` from ``selectors.scenario_detail_related``.
    """

    assessment = ValueAssessmentSerializer(read_only=True, allow_null=True)
    thresholds = serializers.SerializerMethodField()
    datasets = serializers.SerializerMethodField()
    registration_count = serializers.SerializerMethodField()
    registered_organisations = serializers.SerializerMethodField()

    class Meta(ScenarioSerializer.Meta):
        fields = [
            *ScenarioSerializer.Meta.fields,
            "description_zh",
            "description_en",
            "business_value_metric_zh",
            "business_value_metric_en",
            "latency_sla_ms",
            "requires_domestic_hardware",
            "requires_domestic_software",
            "contact_name",
            "contact_email",
            "created_at",
            "updated_at",
            "assessment",
            "thresholds",
            "datasets",
            "registration_count",
            "registered_organisations",
        ]
        read_only_fields = fields

    @extend_schema_field(ThresholdSerializer(many=True))
    def get_thresholds(self, scenario: Scenario) -> Any:
        return ThresholdSerializer(
            self.context["related"]["thresholds"], many=True
        ).data

    @extend_schema_field(DatasetSummarySerializer(many=True))
    def get_datasets(self, scenario: Scenario) -> Any:
        return DatasetSummarySerializer(
            self.context["related"]["datasets"], many=True
        ).data

    @extend_schema_field(OpenApiTypes.INT)
    def get_registration_count(self, scenario: Scenario) -> int:
        return int(self.context["related"]["registration_count"])

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text="Slugs of the caller's vendor organisations registered to it.",
        )
    )
    def get_registered_organisations(self, scenario: Scenario) -> list[str]:
        registered = self.context["related"]["registered_org_ids"]
        return sorted(
            m.organisation.slug
            for m in memberships_of(self.context["request"].user)
            if m.organisation_id in registered
        )


class ScenarioVersionSerializer(serializers.ModelSerializer[ScenarioVersion]):
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = ScenarioVersion
        fields = ["number", "change_notes", "created_by", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_created_by(self, version: ScenarioVersion) -> str | None:
        return _username(version.created_by)


class ScenarioVersionDetailSerializer(ScenarioVersionSerializer):
    spec = serializers.JSONField(
        read_only=True, help_text="The frozen specification, thresholds included."
    )

    class Meta(ScenarioVersionSerializer.Meta):
        fields = [*ScenarioVersionSerializer.Meta.fields, "spec"]
        read_only_fields = fields


class ScenarioEventSerializer(serializers.ModelSerializer[ScenarioEvent]):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ScenarioEvent
        fields = [
            "action",
            "actor",
            "from_status",
            "to_status",
            "message",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_actor(self, event: ScenarioEvent) -> str | None:
        return _username(event.actor)


class ReasonInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True)


class OptionalReasonInputSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OrganisationInputSerializer(serializers.Serializer[Any]):
    organisation = SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        help_text="Slug of one of your verified vendor organisations.",
    )


class RegistrationSerializer(serializers.ModelSerializer[ScenarioRegistration]):
    scenario = serializers.CharField(source="scenario.code", read_only=True)
    organisation = OrganisationBriefSerializer(read_only=True)

    class Meta:
        model = ScenarioRegistration
        fields = ["scenario", "organisation", "created_at"]
        read_only_fields = fields


class ValueAssessmentInputSerializer(serializers.Serializer[Any]):
    strategic_priority = serializers.IntegerField(help_text="1 (low) to 5 (high).")
    adjustment = serializers.DecimalField(
        max_digits=4, decimal_places=1, help_text="Points added to the score, ±10."
    )
    justification = serializers.CharField(required=False, allow_blank=True, default="")


# --- scenario map -----------------------------------------------------------------------


class ScenarioMapInputSerializer(serializers.Serializer[Any]):
    task_type = serializers.ChoiceField(
        choices=TaskType.choices, required=False, allow_blank=True
    )


class ChoiceSerializer(serializers.Serializer[Any]):
    """A taxonomy value with its label in the active language."""

    value = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)


class ScenarioMapCellSerializer(serializers.Serializer[Any]):
    stage = serializers.CharField(read_only=True)
    count = serializers.IntegerField(read_only=True)
    heat = serializers.IntegerField(read_only=True, help_text="0 (none) to 4.")


class ScenarioMapRowSerializer(serializers.Serializer[Any]):
    sector = ChoiceSerializer(read_only=True)
    cells = ScenarioMapCellSerializer(many=True, read_only=True)
    total = serializers.IntegerField(read_only=True)


class ScenarioMapSerializer(serializers.Serializer[Any]):
    stages = ChoiceSerializer(many=True, read_only=True)
    rows = ScenarioMapRowSerializer(many=True, read_only=True)
    column_totals = serializers.ListField(
        child=serializers.IntegerField(), read_only=True
    )
    total = serializers.IntegerField(read_only=True)


# --- high-value lists ---------------------------------------------------------------------


class HighValueListSerializer(serializers.ModelSerializer[HighValueList]):
    # Annotated by the selector; a list fresh from the service has none.
    entry_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = HighValueList
        fields = [
            "slug",
            "year",
            "batch",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "published_at",
            "entry_count",
            "is_demo",
        ]
        read_only_fields = fields


class HighValueListEntrySerializer(serializers.ModelSerializer[HighValueListEntry]):
    scenario = ScenarioBriefSerializer(read_only=True)
    current_score = serializers.DecimalField(
        source="scenario.assessment.score",
        max_digits=5,
        decimal_places=2,
        read_only=True,
        allow_null=True,
    )

    class Meta:
        model = HighValueListEntry
        fields = [
            "rank",
            "scenario",
            "score_at_listing",
            "current_score",
            "rationale_zh",
            "rationale_en",
        ]
        read_only_fields = fields


class HighValueListDetailSerializer(HighValueListSerializer):
    """A list with its ranked entries, from ``context["entries"]``."""

    entries = serializers.SerializerMethodField()

    class Meta(HighValueListSerializer.Meta):
        fields = [*HighValueListSerializer.Meta.fields, "entries"]
        read_only_fields = fields

    @extend_schema_field(HighValueListEntrySerializer(many=True))
    def get_entries(self, hv_list: HighValueList) -> Any:
        return HighValueListEntrySerializer(self.context["entries"], many=True).data


class HighValueListCreateInputSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    batch = serializers.IntegerField(min_value=1)
    slug = serializers.SlugField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text="Defaults to <year>-batch-<batch>.",
    )
    title_zh = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200)
    description_zh = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)


class HighValueListEntryInputSerializer(serializers.Serializer[Any]):
    scenario = VisibleSlugRelatedField(
        slug_field="code",
        queryset=Scenario.objects.none(),
        queryset_for=selectors.scenario_queryset,
        help_text="Code of a published scenario.",
    )
    rationale_zh = serializers.CharField(required=False, allow_blank=True, default="")
    rationale_en = serializers.CharField(required=False, allow_blank=True, default="")


# --- datasets -----------------------------------------------------------------------------


class DatasetSerializer(serializers.ModelSerializer[Dataset]):
    """A dataset in a list: its card without versions."""

    scenario = ScenarioBriefSerializer(read_only=True)

    class Meta:
        model = Dataset
        fields = [
            "slug",
            "scenario",
            "title_zh",
            "title_en",
            "classification",
            "access_policy",
            "licence",
            "resolution",
            "time_span_start",
            "time_span_end",
            "is_demo",
            "created_at",
        ]
        read_only_fields = fields


class DatasetFileSerializer(serializers.ModelSerializer[DatasetFile]):
    sha256 = serializers.CharField(source="blob.sha256", read_only=True)
    size = serializers.IntegerField(source="blob.size", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DatasetFile
        fields = [
            "id",
            "name",
            "media_type",
            "sha256",
            "size",
            "created_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_download_url(self, dataset_file: DatasetFile) -> str:
        return reverse(
            "api-dataset-file-download",
            args=[self.context["dataset"].slug, dataset_file.pk],
        )


class DatasetVersionSerializer(serializers.ModelSerializer[DatasetVersion]):
    created_by = serializers.SerializerMethodField()
    files = DatasetFileSerializer(many=True, read_only=True)

    class Meta:
        model = DatasetVersion
        fields = ["label", "notes", "created_by", "created_at", "files"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_created_by(self, version: DatasetVersion) -> str | None:
        return _username(version.created_by)


class DownloadDecisionSerializer(serializers.Serializer[Any]):
    can_download = serializers.BooleanField(source="allowed", read_only=True)
    reason = serializers.CharField(
        read_only=True,
        help_text=(
            "Why: hidden, owner, public, registered, approved (allowed) or "
            "login, verified_organisation, request (denied)."
        ),
    )
    organisation = serializers.CharField(
        source="organisation.slug",
        read_only=True,
        allow_null=True,
        help_text="Slug of the organisation a download is attributed to.",
    )


class DatasetDetailSerializer(DatasetSerializer):
    """A datasheet with versions and files, and what the caller may do.

    Expects ``context["versions"]`` and ``context["decision"]``.
    """

    versions = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta(DatasetSerializer.Meta):
        fields = [
            *DatasetSerializer.Meta.fields,
            "description_zh",
            "description_en",
            "source_zh",
            "source_en",
            "collection_zh",
            "collection_en",
            "fields",
            "labelling_zh",
            "labelling_en",
            "completeness_pct",
            "versions",
            "download",
        ]
        read_only_fields = fields

    @extend_schema_field(DatasetVersionSerializer(many=True))
    def get_versions(self, dataset: Dataset) -> Any:
        return DatasetVersionSerializer(
            self.context["versions"], many=True, context=self.context
        ).data

    @extend_schema_field(DownloadDecisionSerializer)
    def get_download(self, dataset: Dataset) -> Any:
        return DownloadDecisionSerializer(self.context["decision"]).data


class DatasetCreateInputSerializer(serializers.ModelSerializer[Dataset]):
    class Meta:
        model = Dataset
        fields = ["slug", *DATASET_FIELDS]


class DatasetVersionCreateInputSerializer(serializers.Serializer[Any]):
    label = serializers.CharField(max_length=40, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    files = serializers.ListField(
        child=serializers.FileField(), allow_empty=False, help_text="One or more files."
    )


# --- access requests -------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "enum": AccessRequest.Status.values},
    component_name="AccessRequestStatusEnum",
)
class AccessRequestStatusField(serializers.ChoiceField):
    """Its own schema component: ``status`` of a scenario is another enum."""


class AccessRequestSerializer(serializers.ModelSerializer[AccessRequest]):
    status = AccessRequestStatusField(
        choices=AccessRequest.Status.choices, read_only=True
    )
    dataset = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    scenario = serializers.CharField(source="dataset.scenario.code", read_only=True)
    organisation = OrganisationBriefSerializer(read_only=True)
    requested_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = AccessRequest
        fields = [
            "id",
            "dataset",
            "scenario",
            "organisation",
            "requested_by",
            "purpose",
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_requested_by(self, request: AccessRequest) -> str | None:
        return _username(request.requested_by)

    @extend_schema_field(OpenApiTypes.STR)
    def get_decided_by(self, request: AccessRequest) -> str | None:
        return _username(request.decided_by)


class AccessRequestCreateInputSerializer(serializers.Serializer[Any]):
    dataset = VisibleSlugRelatedField(
        slug_field="slug",
        queryset=Dataset.objects.none(),
        queryset_for=selectors.dataset_queryset,
    )
    organisation = SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.all(),
        help_text="Slug of your verified vendor organisation that asks.",
    )
    purpose = serializers.CharField(
        allow_blank=True, help_text="At least 20 characters on what the data is for."
    )
