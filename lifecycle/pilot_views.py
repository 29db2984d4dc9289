"""Pages and forms of a pilot's users and economics: usage counts, the SUS
questionnaire, and the business case from field data.

Like ``lifecycle.views``: a scoped fetch first (404 for a pilot the user
may not see, 403 for a write without the owner's write access), then one
service, then back to the page with the outcome as a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lifecycle import pilot_selectors, pilot_services, selectors
from lifecycle.forms import KpiBenefitForm, SusInviteForm, UsageForm
from lifecycle.models import Pilot
from portal.lib.forms import apply_errors


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def pilot_users_context(pilot: Pilot, *, writable: bool) -> dict[str, Any]:
    """What the pilot page shows of its users (``views.pilot_detail``)."""
    sus = pilot_selectors.sus_panel(pilot.solution)
    return {
        "usage": pilot_selectors.usage_summary(pilot),
        "usage_form": UsageForm() if writable else None,
        "sus": sus,
        "sus_form": SusInviteForm(candidates=sus.candidates)
        if writable and sus.entry is not None and sus.candidates
        else None,
    }


@login_required
@require_POST
def usage_add(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = selectors.get_pilot_for_user(request.user, pk, write=True)
    form = UsageForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(pilot)
    try:
        pilot_services.pilot_usage_record(
            pilot=pilot, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("Usage counts recorded."))
    return redirect(pilot)


@login_required
@require_POST
def sus_invite(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = selectors.get_pilot_for_user(request.user, pk, write=True)
    candidates = pilot_selectors.sus_panel(pilot.solution).candidates
    form = SusInviteForm(request.POST, candidates=candidates)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(pilot)
    chosen = set(form.cleaned_data["respondents"])
    try:
        created = pilot_services.pilot_sus_invite(
            pilot=pilot,
            user=request.user,
            respondents=[u for u in candidates if u.pk in chosen],
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(
            request,
            _("The questionnaire was sent to %(n)d people.") % {"n": len(created)},
        )
    return redirect(pilot)


@login_required
@require_GET
def business_case(request: HttpRequest, pk: int) -> HttpResponse:
    """Sandbox-based and field-based appraisal of the business case."""
    pilot = selectors.get_pilot_for_user(request.user, pk)
    writable = selectors.can_record_pilot(request.user, pilot.solution)
    result = pilot_selectors.field_case(pilot)
    return render(
        request,
        "lifecycle/pilot_business_case.html",
        {
            "pilot": pilot,
            "solution": pilot.solution,
            "result": result,
            "writable": writable,
            "forms": [
                (
                    line,
                    KpiBenefitForm(
                        prefix=f"kpi{line.kpi.pk}",
                        initial={
                            "line_name": line.mapping.line_name,
                            "baseline": line.mapping.baseline,
                            "benefit_per_unit": line.mapping.benefit_per_unit,
                        }
                        if line.mapping
                        else None,
                    )
                    if writable
                    else None,
                )
                for line in result.lines
            ],
        },
    )


@login_required
@require_POST
def kpi_benefit(request: HttpRequest, pk: int, kpi_pk: int) -> HttpResponse:
    pilot = selectors.get_pilot_for_user(request.user, pk, write=True)
    kpi = pilot.kpis.filter(pk=kpi_pk).first()
    if kpi is None:
        raise Http404("No such KPI.")
    target = redirect("lifecycle:pilot_business_case", pk=pilot.pk)
    form = KpiBenefitForm(request.POST, prefix=f"kpi{kpi.pk}")
    if not form.is_valid():
        _form_errors(request, form)
        return target
    try:
        pilot_services.kpi_benefit_set(kpi=kpi, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("Benefit mapping saved."))
    return target


@login_required
@require_POST
def business_case_create(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = selectors.get_pilot_for_user(request.user, pk, write=True)
    try:
        case = pilot_services.business_case_from_field(
            pilot=pilot,
            user=request.user,
            note=str(request.POST.get("note", ""))[:2000],
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(
            request,
            _("Business case version %(n)d saved from field data.")
            % {"n": case.version},
        )
    return redirect("lifecycle:pilot_business_case", pk=pilot.pk)
