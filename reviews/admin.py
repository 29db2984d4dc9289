"""Admin of review rounds, for operators: read-only.

Rounds are created, opened, assigned and decided in the portal or the API
(``reviews.services``), which check roles, conflicts and status and keep
the history; review versions are never changed. The admin lets operators
look things up.
"""

from __future__ import annotations

from django.contrib import admin

from portal.accounts.admin import OperatorAdminMixin
from reviews.models import (
    Assignment,
    Conflict,
    Decision,
    ReviewRound,
    ReviewVersion,
    RoundEntry,
    RoundEvent,
)
from scenarios.admin import ReadOnlyMixin


class RoundEntryInline(ReadOnlyMixin, OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = RoundEntry
    extra = 0
    fields = ["number", "submission", "created_at"]


class RoundEventInline(ReadOnlyMixin, OperatorAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = RoundEvent
    extra = 0
    fields = ["created_at", "action", "actor", "message"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "scenario", "stage", "status", "deadline", "chair"]
    list_filter = ["status", "stage", "blind"]
    search_fields = ["title", "scenario__code"]
    inlines = [RoundEntryInline, RoundEventInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["entry", "reviewer", "source", "status", "is_anchor", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["reviewer__username", "entry__round__title"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["reviewer", "organisation", "entry", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["reviewer__username", "organisation__slug", "reason"]


@admin.register(ReviewVersion)
class ReviewVersionAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["review", "number", "is_submitted", "created_at"]
    list_filter = ["is_submitted"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, OperatorAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["entry", "outcome", "chair", "created_at"]
    list_filter = ["outcome"]
