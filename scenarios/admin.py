"""Admin for scenarios, high-value lists and the data registry.

Operators use these pages to look things up and to correct content. Every
workflow change goes through the services, as actions: status, versions,
decisions and hashes are read-only here. What belongs to a data owner (a
published specification, a dataset's access policy, uploads, deciding on an
access request) is changed in the portal or the API, where the services
record it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.accounts.admin import OperatorAdminMixin
from scenarios import dataset_services, services
from scenarios.models import (
    AcceptanceThreshold,
    AccessRequest,
    Blob,
    Dataset,
    DatasetFile,
    DatasetVersion,
    DownloadLog,
    HighValueList,
    HighValueListEntry,
    Scenario,
    ScenarioEvent,
    ScenarioVersion,
)


class ReadOnlyMixin:
    """Show rows without letting anyone add, change or delete them."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


def run_service(
    model_admin: admin.ModelAdmin[Any],
    request: HttpRequest,
    objects: QuerySet[Any],
    call: Callable[[Any], object],
    done_message: Callable[[int], str],
) -> None:
    """Call ``call`` for each object and report successes and refusals."""
    done = 0
    for obj in objects:
        try:
            call(obj)
        except ValidationError as exc:
            model_admin.message_user(
                request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR
            )
        except PermissionDenied:
            refusal = _("You may not do this.")
            model_admin.message_user(request, f"{obj}: {refusal}", messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, done_message(done), messages.SUCCESS)


# --- scenarios ------------------------------------------------------------------------


class ThresholdInline(OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    """Editable until the scenario is published; then only a version changes it."""

    model = AcceptanceThreshold
    extra = 0
    fields = [
        "position",
        "metric",
        "comparator",
        "value",
        "unit",
        "standard",
        "note_zh",
        "note_en",
    ]

    def _locked(self, obj: Model | None) -> bool:
        return isinstance(obj, Scenario) and obj.is_locked

    def has_add_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class ScenarioVersionInline(ReadOnlyMixin, OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = ScenarioVersion
    extra = 0
    fields = ["number", "change_notes", "created_by", "created_at"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[ScenarioVersion]:
        return super().get_queryset(request).select_related("created_by")


class ScenarioEventInline(ReadOnlyMixin, OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = ScenarioEvent
    extra = 0
    fields = ["created_at", "action", "actor", "from_status", "to_status", "message"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ScenarioEvent]:
        return super().get_queryset(request).select_related("actor")


@admin.register(Scenario)
class ScenarioAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "code",
        "title",
        "owner",
        "status",
        "sector",
        "stage",
        "version",
        "is_demo",
    ]
    list_filter = [
        "status",
        "sector",
        "stage",
        "task_type",
        "is_demo",
        ("owner", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["owner"]
    search_fields = ["code", "title_zh", "title_en"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "code",
        "owner",
        "status",
        "version",
        "published_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = (
        (
            None,
            {"fields": ("code", "owner", "status", "version", "is_demo", "closes_at")},
        ),
        (
            _("Classification"),
            {"fields": ("sector", "stage", "task_type")},
        ),
        (
            _("Description"),
            {
                "fields": (
                    "title_zh",
                    "title_en",
                    "summary_zh",
                    "summary_en",
                    "description_zh",
                    "description_en",
                )
            },
        ),
        (
            _("Value and constraints"),
            {
                "fields": (
                    "business_value_metric_zh",
                    "business_value_metric_en",
                    "annual_value_estimate",
                    "data_readiness",
                    "replicable_sites",
                    "latency_sla_ms",
                    "deployment_mode",
                    "requires_domestic_hardware",
                    "requires_domestic_software",
                    "security_zone",
                    "contact_name",
                    "contact_email",
                )
            },
        ),
        (
            _("History"),
            {"fields": ("published_at", "created_by", "created_at", "updated_at")},
        ),
    )
    inlines = [ThresholdInline, ScenarioVersionInline, ScenarioEventInline]
    actions = ["publish_selected", "close_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Owners create scenarios in the portal or the API, which records
        # the history and checks the owner's rights.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if isinstance(obj, Scenario) and obj.is_locked:
            # A published specification changes only through a new version.
            fields += services.SPEC_FIELDS
        return fields

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # Keep the search index in step with corrected titles and thresholds.
        scenario = form.instance
        Scenario.objects.filter(pk=scenario.pk).update(
            search_document=services.build_search_document(
                scenario, list(scenario.thresholds.all())
            )
        )

    @admin.action(
        description=_("Publish selected submitted scenarios"), permissions=["change"]
    )
    def publish_selected(
        self, request: HttpRequest, queryset: QuerySet[Scenario]
    ) -> None:
        run_service(
            self,
            request,
            queryset.select_related("owner"),
            lambda scenario: services.scenario_publish(
                scenario=scenario, user=request.user
            ),
            lambda n: (
                ngettext(
                    "%(count)d scenario published.", "%(count)d scenarios published.", n
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Close selected published scenarios"), permissions=["change"]
    )
    def close_selected(
        self, request: HttpRequest, queryset: QuerySet[Scenario]
    ) -> None:
        run_service(
            self,
            request,
            queryset.select_related("owner"),
            lambda scenario: services.scenario_close(
                scenario=scenario,
                user=request.user,
                reason=str(_("Closed by an operator.")),
            ),
            lambda n: (
                ngettext("%(count)d scenario closed.", "%(count)d scenarios closed.", n)
                % {"count": n}
            ),
        )


@admin.register(ScenarioVersion)
class ScenarioVersionAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["scenario", "number", "created_by", "created_at"]
    list_select_related = ["scenario", "created_by"]
    search_fields = ["scenario__code"]
    fields = [
        "scenario",
        "number",
        "change_notes",
        "created_by",
        "created_at",
        "spec_display",
    ]
    readonly_fields = fields

    @admin.display(description=_("specification"))
    def spec_display(self, obj: ScenarioVersion) -> SafeString:
        return format_html(
            "<pre>{}</pre>",
            json.dumps(obj.spec, indent=2, ensure_ascii=False, default=str),
        )


# --- high-value lists -------------------------------------------------------------------


class HighValueListEntryInline(OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    """Editable while the list is a draft; a published list is fixed."""

    model = HighValueListEntry
    extra = 0
    fields = ["rank", "scenario", "rationale_zh", "rationale_en", "score_at_listing"]
    readonly_fields = ["score_at_listing"]

    def _published(self, obj: Model | None) -> bool:
        return isinstance(obj, HighValueList) and obj.is_published

    def get_queryset(self, request: HttpRequest) -> QuerySet[HighValueListEntry]:
        return super().get_queryset(request).select_related("scenario")

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "scenario":
            # Only published scenarios can be listed (see high_value_list_add).
            kwargs["queryset"] = Scenario.objects.filter(
                status=Scenario.Status.PUBLISHED
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return not self._published(obj) and super().has_add_permission(request, obj)

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return not self._published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return not self._published(obj) and super().has_delete_permission(request, obj)


@admin.register(HighValueList)
class HighValueListAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "year", "batch", "entry_count", "published_at", "is_demo"]
    list_filter = ["year", ("published_at", admin.EmptyFieldListFilter), "is_demo"]
    search_fields = ["slug", "title_zh", "title_en"]
    readonly_fields = ["published_at", "published_by", "created_at"]
    inlines = [HighValueListEntryInline]
    actions = ["rank_selected_by_score", "publish_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[HighValueList]:
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if isinstance(obj, HighValueList) and obj.is_published:
            fields += ["slug", "year", "batch", "title_zh", "title_en"]
            fields += ["description_zh", "description_en", "is_demo"]
        return fields

    @admin.display(description=_("entries"), ordering="entry_count")
    def entry_count(self, obj: Any) -> int:
        return int(obj.entry_count)

    @admin.action(
        description=_("Rank selected draft lists by value score"),
        permissions=["change"],
    )
    def rank_selected_by_score(
        self, request: HttpRequest, queryset: QuerySet[HighValueList]
    ) -> None:
        run_service(
            self,
            request,
            queryset,
            lambda hv_list: services.high_value_list_rank_by_score(
                hv_list=hv_list, user=request.user
            ),
            lambda n: (
                ngettext("%(count)d list ranked.", "%(count)d lists ranked.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Publish selected lists"), permissions=["change"])
    def publish_selected(
        self, request: HttpRequest, queryset: QuerySet[HighValueList]
    ) -> None:
        run_service(
            self,
            request,
            queryset,
            lambda hv_list: services.high_value_list_publish(
                hv_list=hv_list, user=request.user
            ),
            lambda n: (
                ngettext("%(count)d list published.", "%(count)d lists published.", n)
                % {"count": n}
            ),
        )


# --- data registry ------------------------------------------------------------------------


class DatasetVersionInline(ReadOnlyMixin, OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = DatasetVersion
    extra = 0
    fields = ["label", "notes", "created_by", "created_at"]
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[DatasetVersion]:
        return super().get_queryset(request).select_related("created_by")


@admin.register(Dataset)
class DatasetAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "slug",
        "title",
        "scenario",
        "classification",
        "access_policy",
        "is_demo",
    ]
    list_filter = ["classification", "access_policy", "is_demo"]
    list_select_related = ["scenario"]
    search_fields = ["slug", "title_zh", "title_en", "scenario__code"]
    # The owner changes the policy in the portal: tightening it withdraws
    # open approvals (dataset_services.dataset_update), which a plain save would not.
    readonly_fields = [
        "scenario",
        "slug",
        "classification",
        "access_policy",
        "created_at",
    ]
    inlines = [DatasetVersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class DatasetFileInline(ReadOnlyMixin, OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = DatasetFile
    extra = 0
    fields = ["name", "media_type", "sha256", "size", "created_at"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[DatasetFile]:
        return super().get_queryset(request).select_related("blob")

    @admin.display(description="SHA-256")
    def sha256(self, obj: DatasetFile) -> str:
        return obj.sha256

    @admin.display(description=_("size (bytes)"))
    def size(self, obj: DatasetFile) -> int:
        return obj.size


@admin.register(DatasetVersion)
class DatasetVersionAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["dataset", "label", "created_by", "created_at"]
    list_select_related = ["dataset", "created_by"]
    search_fields = ["dataset__slug", "label"]
    fields = ["dataset", "label", "notes", "created_by", "created_at"]
    readonly_fields = ["dataset", "label", "created_by", "created_at"]
    inlines = [DatasetFileInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Uploads go through dataset_services.dataset_version_create, which hashes
        # and stores the files.
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        # Downloads of its files are logged and must keep their file.
        return False


@admin.register(Blob)
class BlobAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["sha256", "size", "storage_name", "created_at"]
    search_fields = ["sha256"]
    fields = ["sha256", "size", "storage_name", "created_at"]
    readonly_fields = fields


@admin.register(AccessRequest)
class AccessRequestAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "__str__",
        "dataset",
        "organisation",
        "requested_by",
        "status",
        "created_at",
        "decided_at",
    ]
    list_filter = ["status"]
    list_select_related = ["dataset", "organisation", "requested_by"]
    search_fields = [
        "dataset__slug",
        "organisation__slug",
        "organisation__name_zh",
        "organisation__name_en",
        "requested_by__username",
    ]
    date_hierarchy = "created_at"
    fields = [
        "dataset",
        "organisation",
        "requested_by",
        "purpose",
        "created_at",
        "status",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    readonly_fields = fields
    # Denying needs a written reason for the requester; that happens in the
    # portal or the API, not as a bulk action.
    actions = ["approve_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    @admin.action(
        description=_("Approve selected pending requests"), permissions=["change"]
    )
    def approve_selected(
        self, request: HttpRequest, queryset: QuerySet[AccessRequest]
    ) -> None:
        run_service(
            self,
            request,
            queryset.select_related("dataset__scenario", "organisation"),
            lambda access_request: dataset_services.access_request_decide(
                request=access_request, user=request.user, approve=True, reason=""
            ),
            lambda n: (
                ngettext(
                    "%(count)d request approved.", "%(count)d requests approved.", n
                )
                % {"count": n}
            ),
        )


@admin.register(DownloadLog)
class DownloadLogAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "created_at",
        "user",
        "organisation",
        "dataset_file",
        "sha256",
        "via_api",
        "ip_address",
    ]
    list_filter = ["via_api"]
    list_select_related = ["user", "organisation", "dataset_file"]
    search_fields = [
        "sha256",
        "user__username",
        "organisation__slug",
        "dataset_file__name",
    ]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "user",
        "organisation",
        "dataset_file",
        "sha256",
        "ip_address",
        "via_api",
    ]
    readonly_fields = fields
