"""Admin of test suites, submissions, runs and leaderboards, for operators.

Operators look things up here and correct texts. What is locked stays
locked: a published or retired version, a submission, a run's results and a
leaderboard row are read-only, and nothing here shows a bundle's content,
a hidden label or a run's log. Suites and versions are created, published
and retired in the portal or the API (``evaluations.suite_services``),
which check the data and record the history; the actions below call those
services.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from evaluations import suite_services
from evaluations.models import LeaderboardRow, Run, Submission, SuiteVersion, TestSuite
from portal.accounts.admin import OperatorAdminMixin, is_staff_operator
from scenarios.admin import ReadOnlyMixin, run_service


def _pretty_json(value: Any) -> SafeString:
    return format_html(
        "<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False, default=str)
    )


class SuiteVersionInline(ReadOnlyMixin, OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = SuiteVersion
    extra = 0
    fields = ["number", "status", "created_at", "published_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(TestSuite)
class TestSuiteAdmin(OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["slug", "title", "scenario", "task_kind", "is_demo", "created_at"]
    list_filter = ["task_kind", "is_demo"]
    list_select_related = ["scenario"]
    search_fields = ["slug", "title_zh", "title_en", "scenario__code"]
    fields = [
        "scenario",
        "slug",
        "task_kind",
        "title_zh",
        "title_en",
        "description_zh",
        "description_en",
        "is_demo",
        "created_at",
    ]
    # The slug names the suite in URLs and the history; the kind must match
    # the bundles of its versions.
    readonly_fields = ["scenario", "slug", "task_kind", "is_demo", "created_at"]
    inlines = [SuiteVersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Suites are created in the portal or the API, which record them in
        # the scenario's history.
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        # Submissions protect their versions; a suite goes with its scenario.
        return False


@admin.register(SuiteVersion)
class SuiteVersionAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: drafts change in the portal, published versions never."""

    list_display = ["__str__", "status", "bundle_sha256", "created_at", "published_at"]
    list_filter = ["status", "suite__task_kind", "suite__is_demo"]
    list_select_related = ["suite", "suite__scenario", "bundle"]
    search_fields = ["suite__slug", "suite__scenario__code", "bundle__sha256"]
    date_hierarchy = "created_at"
    fields = [
        "suite",
        "number",
        "status",
        "change_notes",
        "created_at",
        "published_at",
        "bundle_sha256",
        "bundle_size",
        "config_display",
        "summary_display",
    ]
    readonly_fields = fields
    actions = ["publish_selected", "retire_selected"]

    def has_manage_permission(self, request: HttpRequest) -> bool:
        """Publishing and retiring: the services check the rest."""
        return is_staff_operator(request)

    @admin.display(description="SHA-256")
    def bundle_sha256(self, obj: SuiteVersion) -> str:
        return obj.bundle.sha256 if obj.bundle else "—"

    @admin.display(description=_("bundle size (bytes)"))
    def bundle_size(self, obj: SuiteVersion) -> int | str:
        return obj.bundle.size if obj.bundle else "—"

    @admin.display(description=_("configuration"))
    def config_display(self, obj: SuiteVersion) -> SafeString:
        return _pretty_json(obj.config)

    @admin.display(description=_("bundle summary (no label values)"))
    def summary_display(self, obj: SuiteVersion) -> SafeString:
        return _pretty_json(obj.bundle_summary)

    @admin.action(description=_("Publish selected drafts"), permissions=["manage"])
    def publish_selected(
        self, request: HttpRequest, queryset: QuerySet[SuiteVersion]
    ) -> None:
        run_service(
            self,
            request,
            queryset.select_related("suite__scenario"),
            lambda version: suite_services.suite_version_publish(
                version=version, user=request.user
            ),
            lambda n: (
                ngettext(
                    "%(count)d version published.", "%(count)d versions published.", n
                )
                % {"count": n}
            ),
        )

    @admin.action(
        description=_("Retire selected published versions"), permissions=["manage"]
    )
    def retire_selected(
        self, request: HttpRequest, queryset: QuerySet[SuiteVersion]
    ) -> None:
        run_service(
            self,
            request,
            queryset.select_related("suite__scenario"),
            lambda version: suite_services.suite_version_retire(
                version=version, user=request.user
            ),
            lambda n: (
                ngettext("%(count)d version retired.", "%(count)d versions retired.", n)
                % {"count": n}
            ),
        )


class RunInline(ReadOnlyMixin, OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Run
    extra = 0
    fields = ["split", "status", "failure", "passed", "enqueued_at", "finished_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "__str__",
        "organisation",
        "suite_version",
        "kind",
        "submitted_by",
        "created_at",
    ]
    list_filter = ["kind", "suite_version__status"]
    list_select_related = [
        "organisation",
        "submitted_by",
        "suite_version__suite__scenario",
    ]
    search_fields = [
        "name",
        "version_label",
        "file_name",
        "organisation__slug",
        "organisation__name_zh",
        "organisation__name_en",
        "submitted_by__username",
        "blob__sha256",
    ]
    date_hierarchy = "created_at"
    fields = [
        "suite_version",
        "organisation",
        "submitted_by",
        "kind",
        "name",
        "version_label",
        "description",
        "file_name",
        "archive_sha256",
        "manifest_display",
        "created_at",
    ]
    readonly_fields = fields
    inlines = [RunInline]

    @admin.display(description="SHA-256")
    def archive_sha256(self, obj: Submission) -> str:
        return obj.blob.sha256

    @admin.display(description=_("manifest"))
    def manifest_display(self, obj: Submission) -> SafeString:
        return _pretty_json(obj.manifest)


@admin.register(Run)
class RunAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Runs change only through their tasks and services; the log is the
    vendor's (``selectors.can_see_log``) and is not shown here."""

    list_display = [
        "pk",
        "submission",
        "organisation",
        "split",
        "status",
        "failure",
        "passed",
        "attempt",
        "worker",
        "enqueued_at",
        "finished_at",
    ]
    list_filter = [
        "status",
        "failure",
        "split",
        "passed",
        "submission__suite_version__suite__task_kind",
    ]
    list_select_related = [
        "submission",
        "submission__organisation",
        "submission__suite_version__suite",
    ]
    search_fields = [
        "=id",
        "submission__name",
        "submission__organisation__slug",
        "submission__organisation__name_zh",
        "submission__organisation__name_en",
        "submission__suite_version__suite__slug",
        "submission__suite_version__suite__scenario__code",
        "lease_owner",
        "worker",
        "message",
    ]
    date_hierarchy = "enqueued_at"
    fields = [
        "submission",
        "split",
        "status",
        "failure",
        "message",
        "stage",
        "progress",
        "attempt",
        "max_attempts",
        "worker",
        "lease_owner",
        "lease_expires_at",
        "heartbeat_at",
        "enqueued_at",
        "started_at",
        "finished_at",
        "passed",
        "metrics_display",
        "gates_display",
        "probes_display",
        "resources_display",
    ]
    readonly_fields = fields

    @admin.display(description=_("organisation"))
    def organisation(self, obj: Run) -> str:
        return str(obj.submission.organisation)

    @admin.display(description=_("metrics"))
    def metrics_display(self, obj: Run) -> SafeString:
        return _pretty_json(obj.metrics)

    @admin.display(description=_("threshold results"))
    def gates_display(self, obj: Run) -> SafeString:
        return _pretty_json(obj.gates)

    @admin.display(description=_("robustness probes"))
    def probes_display(self, obj: Run) -> SafeString:
        return _pretty_json(obj.probes)

    @admin.display(description=_("resources"))
    def resources_display(self, obj: Run) -> SafeString:
        return _pretty_json(obj.resources)


@admin.register(LeaderboardRow)
class LeaderboardRowAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Materialised by ``leaderboard.ensure_leaderboard_row``; never edited."""

    list_display = [
        "suite_version",
        "rank",
        "organisation",
        "passed",
        "composite",
        "run",
        "updated_at",
    ]
    list_filter = ["passed", "suite_version__status"]
    list_select_related = ["suite_version__suite", "organisation", "run"]
    search_fields = [
        "organisation__slug",
        "organisation__name_zh",
        "organisation__name_en",
        "suite_version__suite__slug",
        "suite_version__suite__scenario__code",
    ]
    fields = [
        "suite_version",
        "organisation",
        "run",
        "rank",
        "passed",
        "composite",
        "metrics_display",
        "submitted_at",
        "updated_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("metrics"))
    def metrics_display(self, obj: LeaderboardRow) -> SafeString:
        return _pretty_json(obj.metrics)
