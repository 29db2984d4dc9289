"""Read-only admin of the ledger: entries are never changed by hand."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from portal.accounts.admin import is_staff_operator
from portal.ledger.models import LedgerCheck, LedgerEntry


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Staff operators may look; nobody, not even a superuser, may edit."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_staff_operator(request) or super().has_module_permission(request)

    def has_view_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_staff_operator(request) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["sequence", "created_at", "kind", "subject", "actor_username"]
    list_filter = ["kind"]
    search_fields = ["subject", "kind", "actor_username", "entry_hash"]
    list_select_related = ["actor", "true_actor", "organisation"]
    ordering = ["-sequence"]
    show_full_result_count = False


@admin.register(LedgerCheck)
class LedgerCheckAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "ok", "checked", "head_sequence", "ran_by"]
    list_select_related = ["ran_by"]
