"""Serializers of the suite management API.

Input serializers check types and shapes only (a configuration may come as
a JSON object, or as JSON or TOML text in a multipart upload);
``suite_services`` owns the rules. Output serializers never carry a label
value: a version shows its configuration and its bundle's summary.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from evaluations.models import SuiteVersion, TaskKind, TestSuite
from evaluations.serializers import SuiteVersionStatusField
from evaluations.suite_services import CONFIG_FORMATS, config_from_text


@extend_schema_field(
    {"type": "string", "enum": TaskKind.values}, component_name="SuiteTaskKindEnum"
)
class TaskKindField(serializers.ChoiceField):
    pass


@extend_schema_field(
    {
        "oneOf": [
            {"type": "object", "additionalProperties": True},
            {"type": "string"},
        ],
        "description": (
            "The suite configuration (docs/suites.md): a JSON object, or its "
            "text in JSON or TOML (see `config_format`), as a multipart upload "
            "sends it."
        ),
    }
)
class ConfigField(serializers.Field):  # type: ignore[type-arg]
    default_error_messages = {
        "invalid": "Send the configuration as an object, or as JSON or TOML text."
    }

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict | str):
            return data
        self.fail("invalid")

    def to_representation(self, value: Any) -> Any:
        return value


class _ConfigInput(serializers.Serializer[Any]):
    config_format = serializers.ChoiceField(
        choices=list(CONFIG_FORMATS),
        default="auto",
        help_text="How configuration text is written; `auto`: JSON if it starts "
        "with `{`, else TOML.",
    )
    change_notes = serializers.CharField(
        required=False, allow_blank=True, help_text="What changed and why."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        config = attrs.get("config")
        if isinstance(config, str):
            attrs["config"] = config_from_text(config, attrs["config_format"])
        return attrs


class SuiteVersionCreateInputSerializer(_ConfigInput):
    config = ConfigField()
    bundle = serializers.FileField(
        help_text="The data bundle: a .tar.gz with manifest.json at its top."
    )


class SuiteVersionUpdateInputSerializer(_ConfigInput):
    config = ConfigField(required=False)
    bundle = serializers.FileField(
        required=False, help_text="A new bundle to replace the draft's."
    )


class SuiteCreateInputSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField(max_length=80)
    task_kind = TaskKindField(choices=TaskKind.choices)
    title_zh = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200)
    description_zh = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)


class SuiteUpdateInputSerializer(serializers.Serializer[Any]):
    task_kind = TaskKindField(choices=TaskKind.choices, required=False)
    title_zh = serializers.CharField(max_length=200, required=False)
    title_en = serializers.CharField(max_length=200, required=False)
    description_zh = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)


class SuiteVersionBriefSerializer(serializers.ModelSerializer[SuiteVersion]):
    status = SuiteVersionStatusField(
        choices=SuiteVersion.Status.choices, read_only=True
    )

    class Meta:
        model = SuiteVersion
        fields = [
            "id",
            "number",
            "status",
            "change_notes",
            "created_at",
            "published_at",
        ]
        read_only_fields = fields


class SuiteSerializer(serializers.ModelSerializer[TestSuite]):
    """A suite with the versions the caller may see, newest first."""

    scenario = serializers.CharField(source="scenario.code", read_only=True)
    task_kind = TaskKindField(choices=TaskKind.choices, read_only=True)
    versions = SuiteVersionBriefSerializer(many=True, read_only=True)

    class Meta:
        model = TestSuite
        fields = [
            "id",
            "scenario",
            "slug",
            "task_kind",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "is_demo",
            "created_at",
            "versions",
        ]
        read_only_fields = fields


class SuiteVersionManageSerializer(serializers.ModelSerializer[SuiteVersion]):
    """A version as its managers see it: configuration and bundle summary."""

    suite = serializers.IntegerField(source="suite_id", read_only=True)
    suite_slug = serializers.CharField(source="suite.slug", read_only=True)
    scenario = serializers.CharField(source="suite.scenario.code", read_only=True)
    status = SuiteVersionStatusField(
        choices=SuiteVersion.Status.choices, read_only=True
    )
    config = serializers.JSONField(read_only=True)
    bundle_sha256 = serializers.CharField(
        source="bundle.sha256", read_only=True, allow_null=True, default=None
    )
    bundle_size = serializers.IntegerField(
        source="bundle.size", read_only=True, allow_null=True, default=None
    )
    bundle_summary = serializers.JSONField(
        read_only=True,
        help_text="Kind, calls and points per split, probes, label columns and "
        "input files of the bundle; never a label value.",
    )

    class Meta:
        model = SuiteVersion
        fields = [
            "id",
            "suite",
            "suite_slug",
            "scenario",
            "number",
            "status",
            "config",
            "bundle_sha256",
            "bundle_size",
            "bundle_summary",
            "change_notes",
            "created_at",
            "published_at",
        ]
        read_only_fields = fields
