"""Benchmark cases: the public list and page under /cases/, and the forms on
a solution's page that draft, publish and withdraw its case.

The public pages need no login; a case not published (or whose solution
left scale rollout) is 404. The forms start with the solution's scoped
fetch (404 for outsiders); the services raise ``PermissionDenied`` (403)
for roles that may not make the change.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lifecycle import case_selectors, case_services, selectors
from lifecycle.forms import CaseForm, CaseWithdrawForm
from lifecycle.models import BenchmarkCase, Solution
from portal.lib.forms import apply_errors
from portal.lib.taxonomy import Sector


@require_GET
def case_list(request: HttpRequest, *, results_only: bool = False) -> HttpResponse:
    """Published benchmark cases; ``results_only`` serves the HTMX partial."""
    sector = request.GET.get("sector") or ""
    if sector not in Sector.values:
        sector = ""
    context = {
        "cases": list(case_selectors.public_case_list(sector=sector or None)),
        "sector": sector,
        "sectors": Sector.choices,
    }
    template = (
        "lifecycle/_case_results.html"
        if results_only or request.htmx
        else "lifecycle/case_list.html"
    )
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def case_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = case_selectors.get_public_case(slug)
    return render(
        request,
        "lifecycle/case_detail.html",
        {"case": case, **case_selectors.case_page(case)},
    )


# --- on the solution's page -------------------------------------------------------------


def _case_of(solution: Solution) -> BenchmarkCase:
    case = case_selectors.case_for_solution(solution)
    if case is None:
        raise Http404("No benchmark case for this solution.")
    return case


def _back(solution: Solution) -> HttpResponse:
    return redirect(solution.get_absolute_url() + "#case")


@login_required
@require_POST
def case_save(request: HttpRequest, pk: int) -> HttpResponse:
    solution = selectors.get_solution_for_user(request.user, pk)
    form = CaseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(solution)
    try:
        case_services.benchmark_case_save(
            solution=solution, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("Benchmark case saved."))
    return _back(solution)


@login_required
@require_POST
def case_publish(request: HttpRequest, pk: int) -> HttpResponse:
    solution = selectors.get_solution_for_user(request.user, pk)
    case = _case_of(solution)
    try:
        case = case_services.benchmark_case_publish(case=case, user=request.user)
    except ValidationError as exc:
        apply_errors(None, exc, request)
        return _back(solution)
    messages.success(request, _("Benchmark case published."))
    return redirect(case)


@login_required
@require_POST
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    solution = selectors.get_solution_for_user(request.user, pk)
    case = _case_of(solution)
    form = CaseWithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        case_services.benchmark_case_withdraw(
            case=case, user=request.user, reason=reason
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("Benchmark case withdrawn."))
    return _back(solution)
