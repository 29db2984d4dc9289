"""Pages of the calculators that feed the scorecard: an entry's business
case, social impact and user evaluation, and the SUS questionnaire.

The business case and impact pages have an HTMX twin (``*_preview``) that
recomputes the results panel from the unsaved form on each change, and
re-renders the form when a line is added or removed; both go through the
same binding and the same service function as the page, so what the
preview shows is what a save stores.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.lib.forms import apply_errors
from reviews import case_selectors, case_services
from reviews.case_forms import (
    SUS_STATEMENTS,
    BusinessCaseForm,
    ImpactForm,
    ImpactItemFormSet,
    InviteForm,
    LineForm,
    LineFormSet,
    PilotForm,
    SusForm,
    filled,
    raw_rows,
)
from reviews.case_selectors import CaseAccess
from reviews.models import BusinessCaseLine

LINE_FIELDS = ("name", "amount", "escalation", "driver")
ITEM_FIELDS = ("name", "quantity", "unit", "method")
LINE_PREFIXES = ("cost", "benefit")


def _partial(request: HttpRequest, template: str, context: dict[str, Any]) -> Any:
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _rebuild(
    post: QueryDict, action: str, rows_of: dict[str, tuple[str, ...]]
) -> QueryDict:
    """Return the posted data with a row added or removed, re-numbered.

    ``action`` is ``add-<prefix>`` or ``remove-<prefix>-<index>``; every
    other field is kept as typed, so nothing is lost.
    """
    rows = {
        prefix: raw_rows(post, prefix, fields) for prefix, fields in rows_of.items()
    }
    parts = action.split("-")
    if len(parts) == 2 and parts[0] == "add" and parts[1] in rows:
        rows[parts[1]].append(dict.fromkeys(rows_of[parts[1]], ""))
    elif len(parts) == 3 and parts[0] == "remove" and parts[1] in rows:
        index = int(parts[2]) if parts[2].isdigit() else -1
        if 0 <= index < len(rows[parts[1]]):
            del rows[parts[1]][index]
    data = QueryDict(mutable=True)
    for key, values in post.lists():
        if key.split("-")[0] not in rows and key not in (
            "action",
            "csrfmiddlewaretoken",
        ):
            data.setlist(key, values)
    for prefix, lines in rows.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(lines))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
        for index, line in enumerate(lines):
            for name, value in line.items():
                data[f"{prefix}-{index}-{name}"] = value
    return data


def _nav(access: CaseAccess, request: HttpRequest) -> dict[str, Any]:
    entry = access.entry
    entry_open = case_selectors.entry_editable(entry)
    return {
        "access": access,
        "entry": entry,
        "review_round": entry.round,
        "entry_label": case_selectors.entry_label(access),
        "links": case_selectors.links_for(access, entry, request.user),
        "entry_open": entry_open,
        "editable": access.can_edit and entry_open,
    }


# --- business case -------------------------------------------------------------


def _bind_business(
    data: QueryDict,
) -> tuple[BusinessCaseForm, dict[str, Any]]:
    form = BusinessCaseForm(data)
    lines = {prefix: LineFormSet(data, prefix=prefix) for prefix in LINE_PREFIXES}
    return form, lines


def _business_valid(form: BusinessCaseForm, lines: dict[str, Any]) -> bool:
    # Evaluate every form so that every error shows at once.
    return all([form.is_valid(), *(f.is_valid() for f in lines.values())])


def _business_lines(lines: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        LineForm.line_data(form, prefix)
        for prefix in LINE_PREFIXES
        for form in lines[prefix].forms
        if form.has_changed()
    ]


def _business_results(
    access: CaseAccess, form: BusinessCaseForm, lines: dict[str, Any]
) -> dict[str, Any]:
    """The results panel of unsaved input: figures, or why there are none."""
    if not _business_valid(form, lines):
        return {"invalid": True}
    try:
        appraisal, all_lines, measured = case_services.business_case_appraise(
            entry=access.entry, data=form.case_data(), lines=_business_lines(lines)
        )
    except ValidationError as exc:
        return {"errors": exc.messages}
    return {
        "appraisal": appraisal,
        "irr_percent": appraisal.irr * 100 if appraisal.irr is not None else None,
        "horizon": form.cleaned_data["horizon_years"],
        "unit_label": form.cleaned_data["unit_label"],
        "compute_line": next((li for li in all_lines if li.get("is_compute")), None),
        "measured": measured,
        "preview": True,
    }


def _saved_results(case: Any) -> dict[str, Any]:
    if case is None:
        return {}
    lines = list(case.lines.all())
    appraisal = case_selectors.appraisal_of(case)
    return {
        "appraisal": appraisal,
        "irr_percent": appraisal.irr * 100 if appraisal.irr is not None else None,
        "horizon": case.horizon_years,
        "unit_label": case.unit_label,
        "compute_line": next((li for li in lines if li.is_compute), None),
        "measured": None,
    }


def _business_context(
    request: HttpRequest,
    access: CaseAccess,
    form: BusinessCaseForm | None = None,
    lines: dict[str, Any] | None = None,
) -> dict[str, Any]:
    entry = access.entry
    case = case_selectors.latest_business_case(entry)
    context = _nav(access, request)
    if form is None or lines is None:
        saved = list(case.lines.all()) if case else []
        form = BusinessCaseForm(initial=BusinessCaseForm.initial_from(case))
        lines = {
            prefix: LineFormSet(
                prefix=prefix,
                initial=[
                    LineForm.initial_from(li)
                    for li in saved
                    if li.kind == prefix and not li.is_compute
                ],
            )
            for prefix in LINE_PREFIXES
        }
        results = _saved_results(case)
    else:
        results = _business_results(access, form, lines)
    run = case_selectors.latest_hidden_run(entry)
    context.update(
        {
            "case": case,
            "case_lines": [(li, li.escalation * 100) for li in case.lines.all()]
            if case
            else [],
            "discount_percent": case.discount_rate * 100 if case else None,
            "form": form,
            "costs": lines["cost"],
            "benefits": lines["benefit"],
            "results": results,
            "run_energy": case_selectors.run_energy(run),
            "versions": [
                (v, case_selectors.author_label(access, v.author, v.author_role))
                for v in case_selectors.business_case_versions(entry)
            ],
            "kinds": BusinessCaseLine.Kind,
        }
    )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def case_business(request: HttpRequest, pk: int) -> HttpResponse:
    """The business case: its figures and history for all who may see the
    entry, the form for its writers. A POST saves a new version."""
    access = case_selectors.get_case_entry_for_user(
        request.user, pk, write=request.method == "POST"
    )
    if request.method == "GET":
        return render(
            request, "reviews/case_business.html", _business_context(request, access)
        )
    form, lines = _bind_business(request.POST)
    if _business_valid(form, lines):
        try:
            case_services.business_case_save(
                entry=access.entry,
                user=request.user,
                data=form.case_data(),
                lines=_business_lines(lines),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Business case saved as a new version."))
            return redirect("reviews:case_business", pk=pk)
    return render(
        request,
        "reviews/case_business.html",
        _business_context(request, access, form, lines),
        status=400,
    )


@login_required
@require_POST
def case_business_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the results panel recomputed from the unsaved form; with an
    ``action`` (add or remove a line), the whole form and its results."""
    access = case_selectors.get_case_entry_for_user(request.user, pk, write=True)
    action = request.POST.get("action", "")
    data = _rebuild(request.POST, action, dict.fromkeys(LINE_PREFIXES, LINE_FIELDS))
    form, lines = _bind_business(data)
    context = _business_context(request, access, form, lines)
    template = (
        "reviews/_case_business_form.html"
        if action
        else "reviews/_case_business_results.html"
    )
    return _partial(request, template, context)


# --- social impact ---------------------------------------------------------------


def _bind_impact(data: QueryDict) -> tuple[ImpactForm, Any]:
    form = ImpactForm(data, factors=case_selectors.factor_choices())
    return form, ImpactItemFormSet(data, prefix="item")


def _impact_results(access: CaseAccess, form: ImpactForm, items: Any) -> dict[str, Any]:
    if not all([form.is_valid(), items.is_valid()]):
        return {"invalid": True}
    try:
        result, measured = case_services.impact_compute(
            entry=access.entry, data=form.impact_data()
        )
    except ValidationError as exc:
        return {"errors": exc.messages}
    return {"carbon": result, "measured": measured, "preview": True}


def _impact_context(
    request: HttpRequest,
    access: CaseAccess,
    form: ImpactForm | None = None,
    items: Any = None,
) -> dict[str, Any]:
    entry = access.entry
    impact = case_selectors.latest_impact(entry)
    context = _nav(access, request)
    if form is None:
        form = ImpactForm(
            initial=ImpactForm.initial_from(impact),
            factors=case_selectors.factor_choices(),
        )
        items = ImpactItemFormSet(
            prefix="item",
            initial=[
                {
                    "name": i.name,
                    "quantity": i.quantity,
                    "unit": i.unit,
                    "method": i.method,
                }
                for i in (impact.items.all() if impact else [])
            ],
        )
        results: dict[str, Any] = (
            {"carbon": case_selectors.carbon_of(impact)} if impact else {}
        )
    else:
        results = _impact_results(access, form, items)
    context.update(
        {
            "impact": impact,
            "impact_items": list(impact.items.all()) if impact else [],
            "form": form,
            "items": items,
            "results": results,
            "run_energy": case_selectors.run_energy(
                case_selectors.latest_hidden_run(entry)
            ),
            "versions": [
                (v, case_selectors.author_label(access, v.author, v.author_role))
                for v in case_selectors.impact_versions(entry)
            ],
        }
    )
    return context


@login_required
@require_http_methods(["GET", "POST"])
def case_impact(request: HttpRequest, pk: int) -> HttpResponse:
    access = case_selectors.get_case_entry_for_user(
        request.user, pk, write=request.method == "POST"
    )
    if request.method == "GET":
        return render(
            request, "reviews/case_impact.html", _impact_context(request, access)
        )
    form, items = _bind_impact(request.POST)
    if all([form.is_valid(), items.is_valid()]):
        try:
            case_services.impact_save(
                entry=access.entry,
                user=request.user,
                data=form.impact_data(),
                items=filled(items),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Social impact saved as a new version."))
            return redirect("reviews:case_impact", pk=pk)
    return render(
        request,
        "reviews/case_impact.html",
        _impact_context(request, access, form, items),
        status=400,
    )


@login_required
@require_POST
def case_impact_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the CO₂ result of the unsaved form, or the form with an
    impact row added or removed."""
    access = case_selectors.get_case_entry_for_user(request.user, pk, write=True)
    action = request.POST.get("action", "")
    form, items = _bind_impact(_rebuild(request.POST, action, {"item": ITEM_FIELDS}))
    context = _impact_context(request, access, form, items)
    template = (
        "reviews/_case_impact_form.html"
        if action
        else "reviews/_case_impact_results.html"
    )
    return _partial(request, template, context)


# --- user evaluation ----------------------------------------------------------------


def _users_context(
    request: HttpRequest,
    access: CaseAccess,
    invite_form: InviteForm | None = None,
    pilot_form: PilotForm | None = None,
) -> dict[str, Any]:
    entry = access.entry
    context = _nav(access, request)
    log = case_selectors.latest_pilot_log(entry)
    manage = access.can_manage and context["entry_open"]
    context.update(
        {
            "summary": case_selectors.sus_summary_of(entry),
            "invitations": case_selectors.invitation_list(entry)
            if access.can_manage
            else None,
            "invite_form": (
                invite_form or InviteForm(people=case_selectors.invitable_users(entry))
            )
            if manage
            else None,
            "pilot_form": (pilot_form or PilotForm()) if manage else None,
            "pilot_log": log,
            "pilot_rates": case_selectors.pilot_rates_of(log) if log else None,
        }
    )
    return context


@login_required
@require_GET
def case_users(request: HttpRequest, pk: int) -> HttpResponse:
    """User evaluation: the SUS summary for the owner, chair and reviewers;
    invitations and pilot counts for the round's managers."""
    access = case_selectors.get_users_entry_for_user(request.user, pk)
    return render(request, "reviews/case_users.html", _users_context(request, access))


@login_required
@require_POST
def case_users_invite(request: HttpRequest, pk: int) -> HttpResponse:
    access = case_selectors.get_users_entry_for_user(request.user, pk, manage=True)
    form = InviteForm(request.POST, people=case_selectors.invitable_users(access.entry))
    if form.is_valid():
        try:
            created = case_services.sus_invite(
                entry=access.entry,
                user=request.user,
                respondents=form.cleaned_data["respondents"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Questionnaire sent to %(n)s people.") % {"n": len(created)},
            )
            return redirect("reviews:case_users", pk=pk)
    return render(
        request,
        "reviews/case_users.html",
        _users_context(request, access, invite_form=form),
        status=400,
    )


@login_required
@require_POST
def case_users_pilot(request: HttpRequest, pk: int) -> HttpResponse:
    access = case_selectors.get_users_entry_for_user(request.user, pk, manage=True)
    form = PilotForm(request.POST)
    if form.is_valid():
        try:
            case_services.pilot_counts_record(
                entry=access.entry, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Pilot counts recorded."))
            return redirect("reviews:case_users", pk=pk)
    return render(
        request,
        "reviews/case_users.html",
        _users_context(request, access, pilot_form=form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_sus_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The SUS questionnaire for an invited respondent; answered once."""
    invitation = case_selectors.get_invitation_for_user(request.user, pk)
    answered = hasattr(invitation, "response")
    form = SusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.sus_respond(
                invitation=invitation, user=request.user, answers=form.answers()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Thank you, your answers are recorded."))
            return redirect("reviews:case_sus_respond", pk=pk)
    return render(
        request,
        "reviews/case_sus.html",
        {
            "invitation": invitation,
            "entry": invitation.entry,
            "review_round": invitation.entry.round,
            "answered": answered,
            "form": form,
            "statements": SUS_STATEMENTS,
        },
        status=400 if form.errors else 200,
    )
