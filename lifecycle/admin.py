"""Read-only admin views: lifecycle rows change only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from lifecycle.models import (
    BenchmarkCase,
    GateConfig,
    GateRefusal,
    Pilot,
    PilotReminder,
    PilotUsage,
    Solution,
    Transition,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Solution)
class SolutionAdmin(ReadOnlyAdmin):
    list_display = ["name", "scenario", "organisation", "stage", "is_demo"]
    list_filter = ["stage", "is_demo"]


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["solution", "kind", "from_stage", "to_stage", "actor", "created_at"]


@admin.register(Pilot)
class PilotAdmin(ReadOnlyAdmin):
    list_display = ["site", "solution", "mode", "status"]


@admin.register(GateConfig)
class GateConfigAdmin(ReadOnlyAdmin):
    list_display = ["scenario", "updated_at"]


@admin.register(BenchmarkCase)
class BenchmarkCaseAdmin(ReadOnlyAdmin):
    list_display = ["slug", "solution", "status", "published_at", "ledger_sequence"]
    list_filter = ["status", "is_demo"]


@admin.register(GateRefusal)
class GateRefusalAdmin(ReadOnlyAdmin):
    list_display = ["solution", "to_stage", "actor", "notified", "created_at"]


@admin.register(PilotReminder)
class PilotReminderAdmin(ReadOnlyAdmin):
    list_display = ["pilot", "kind", "ends_on", "sent_at"]


@admin.register(PilotUsage)
class PilotUsageAdmin(ReadOnlyAdmin):
    list_display = ["pilot", "period_start", "period_end", "presented", "accepted"]
