"""The operator's ledger page: entries, the head, and verification."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.selectors import is_operator
from portal.ledger import selectors, services
from portal.ledger.forms import LedgerFilterForm
from portal.ledger.models import LedgerCheck

PAGE_SIZE = 50


def _require_operator(request: HttpRequest) -> None:
    if not is_operator(request.user):
        raise PermissionDenied


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    form = LedgerFilterForm(request.GET or None, kinds=selectors.ledger_kind_list())
    kind = subject = ""
    if form.is_valid():
        kind = form.cleaned_data["kind"]
        subject = form.cleaned_data["subject"].strip()
    entries = selectors.ledger_entry_list(kind=kind, subject=subject)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    head_sequence, head_hash = selectors.ledger_head()
    return render(
        request,
        "ledger/index.html",
        {
            "form": form,
            "page": page,
            "head_sequence": head_sequence,
            "head_hash": head_hash,
            "check": selectors.ledger_check_latest(),
            "checks": selectors.ledger_check_list(limit=10),
            "interval_minutes": settings.LEDGER_VERIFY_INTERVAL_SECONDS // 60,
        },
    )


@login_required
@require_POST
def verify(request: HttpRequest) -> HttpResponse:
    _require_operator(request)
    verification = selectors.ledger_verify()
    services.ledger_check_record(
        verification=verification,
        user=request.user,
        source=LedgerCheck.Source.PAGE,
    )
    if verification.broken is None:
        messages.success(
            request,
            _("The ledger is intact: %(n)d entries checked.")
            % {"n": verification.checked},
        )
    else:
        messages.error(request, verification.broken.describe())
    return redirect("ledger:index")
