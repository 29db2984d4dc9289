"""Pages of the lifecycle: solutions, their stage timeline and gate, pilots.

Every view starts with a scoped fetch from ``selectors`` (404 for what the
user may not see); the services raise ``PermissionDenied`` (403) when the
user's role may not make the change. Forms post and redirect back to the
page, with the outcome as a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from evaluations.models import Submission
from lifecycle import (
    case_selectors,
    evidence_pack,
    rescore_services,
    selectors,
    services,
)
from lifecycle.forms import (
    AdvanceForm,
    CaseForm,
    CaseWithdrawForm,
    GateConfigForm,
    IncidentForm,
    KpiForm,
    MeasurementForm,
    PilotForm,
    ReasonsForm,
    RegisterForm,
    SendBackForm,
    UploadForm,
    VersionForm,
)
from lifecycle.models import Pilot, Solution, Stage
from lifecycle.pilot_views import pilot_users_context
from portal.accounts.selectors import is_operator
from portal.lib.forms import apply_errors
from scenarios.selectors import can_write_scenario, get_scenario_for_user


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _new_versions(solution: Solution) -> list[Submission]:
    return list(
        Submission.objects.filter(
            organisation_id=solution.organisation_id,
            suite_version__suite__scenario_id=solution.scenario_id,
        )
        .exclude(pk=solution.submission_id)
        .exclude(pk=solution.field_submission_id or 0)
        .order_by("-created_at", "-pk")[:20]
    )


# --- solutions ---------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage") or None
    if stage not in Stage.values:
        stage = None
    submissions = selectors.registrable_submissions(request.user)
    return render(
        request,
        "lifecycle/index.html",
        {
            "solutions": list(selectors.solution_list(request.user, stage=stage)),
            "stages": Stage.choices,
            "stage": stage,
            "register_form": RegisterForm(submissions=submissions)
            if submissions
            else None,
        },
    )


@login_required
@require_POST
def register(request: HttpRequest) -> HttpResponse:
    # Readers find their organisation's submissions here and get 403 from
    # the service; anybody else's submission is 404.
    submissions = selectors.registrable_submissions(request.user, write=False)
    form = RegisterForm(request.POST, submissions=submissions)
    if not form.is_valid():
        # Not one of the user's unregistered submissions.
        raise Http404
    submission = next(s for s in submissions if s.pk == form.cleaned_data["submission"])
    try:
        solution = services.solution_register(
            submission=submission, user=request.user, name=form.cleaned_data["name"]
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
        return redirect("lifecycle:index")
    messages.success(request, _("Solution registered."))
    return redirect(solution)


def _solution_context(request: HttpRequest, solution: Solution) -> dict[str, Any]:
    result = selectors.gate_check(solution)
    actions = selectors.allowed_actions(request.user, solution)
    targets = selectors.send_back_targets(solution)
    return {
        "solution": solution,
        "gate": result,
        "gate_label": Stage(result.stage).label if result else "",
        "criteria": selectors.criterion_rows(result),
        "actions": actions,
        "advance_form": AdvanceForm(initial={"to_stage": solution.next_stage}),
        "send_back_form": SendBackForm(targets=targets)
        if actions["send_back"]
        else None,
        "reasons_form": ReasonsForm(),
        "version_form": VersionForm(submissions=_new_versions(solution))
        if actions.get("regression")
        else None,
        "transitions": selectors.transition_list(solution),
        "pilots": selectors.pilot_list(solution),
        "pilot_form": PilotForm()
        if solution.stage == Stage.PILOT
        and selectors.can_record_pilot(request.user, solution)
        else None,
        "comparison": selectors.version_comparison(solution),
        "rescores": selectors.rescore_rows(solution),
        "can_set_rescore": selectors.can_set_rescore(request.user, solution),
        **_case_context(request, solution),
    }


def _case_context(request: HttpRequest, solution: Solution) -> dict[str, Any]:
    """The benchmark case panel, for solutions at scale or with a case."""
    # Loaded with the solution (``get_solution_for_user``).
    case = getattr(solution, "benchmark_case", None)
    if case is None and solution.stage != Stage.SCALE:
        return {"show_case": False}
    user = request.user
    return {
        "show_case": True,
        "case": case,
        "case_rights": {
            "edit": case_selectors.can_edit_case(user, solution),
            "vendor": selectors.is_vendor_writer(user, solution),
            "publish": case_selectors.can_publish_case(user, solution),
            "withdraw": case_selectors.can_withdraw_case(user, solution),
        },
        "case_form": CaseForm(
            initial={"summary_zh": case.summary_zh, "summary_en": case.summary_en}
            if case
            else None
        ),
        "case_withdraw_form": CaseWithdrawForm(),
    }


@login_required
@require_GET
def solution_detail(
    request: HttpRequest, pk: int, *, gate_only: bool = False
) -> HttpResponse:
    """The solution's page; ``gate_only`` renders just the gate panel."""
    solution = selectors.get_solution_for_user(request.user, pk)
    template = "lifecycle/_gate.html" if gate_only else "lifecycle/solution.html"
    if gate_only:
        result = selectors.gate_check(solution)
        context = {
            "solution": solution,
            "gate": result,
            "gate_label": Stage(result.stage).label if result else "",
            "criteria": selectors.criterion_rows(result),
        }
    else:
        context = _solution_context(request, solution)
    return render(request, template, context)


@login_required
@require_POST
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    solution = selectors.get_solution_for_user(request.user, pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(solution)
    try:
        services.solution_advance(
            solution=solution,
            user=request.user,
            to_stage=form.cleaned_data["to_stage"],
            run_id=form.cleaned_data["run"],
            reasons=form.cleaned_data["reasons"],
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("The solution moved on."))
    return redirect(solution)


@login_required
@require_POST
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    solution = selectors.get_solution_for_user(request.user, pk)
    form = SendBackForm(request.POST, targets=selectors.send_back_targets(solution))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(solution)
    try:
        services.solution_send_back(
            solution=solution,
            user=request.user,
            to_stage=form.cleaned_data["to_stage"],
            reasons=form.cleaned_data["reasons"],
            gaps=form.gap_rows(),
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(
            request, _("The solution was sent back with a maturation plan.")
        )
    return redirect(solution)


def _end(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    solution = selectors.get_solution_for_user(request.user, pk)
    form = ReasonsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(solution)
    try:
        action(
            solution=solution, user=request.user, reasons=form.cleaned_data["reasons"]
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, done)
    return redirect(solution)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _end(request, pk, services.solution_withdraw, _("Solution withdrawn."))


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _end(request, pk, services.solution_reject, _("Solution rejected."))


@login_required
@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    solution = selectors.get_solution_for_user(request.user, pk)
    candidates = _new_versions(solution)
    form = VersionForm(request.POST, submissions=candidates)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(solution)
    submission = next(s for s in candidates if s.pk == form.cleaned_data["submission"])
    try:
        services.solution_version_register(
            solution=solution, submission=submission, user=request.user
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("The new version is under test."))
    return redirect(solution)


@login_required
@require_POST
def rescore(request: HttpRequest, pk: int) -> HttpResponse:
    """Switch re-scoring on a new suite version on or off."""
    solution = selectors.get_solution_for_user(request.user, pk)
    choice = request.POST.get("enabled")
    if choice not in ("on", "off"):
        messages.error(request, _("Choose whether re-scoring is on or off."))
        return redirect(solution)
    enabled = choice == "on"
    try:
        rescore_services.solution_rescore_set(
            solution=solution, user=request.user, enabled=enabled
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(
            request,
            _("Re-scoring on new suite versions is on.")
            if enabled
            else _("Re-scoring on new suite versions is off."),
        )
    return redirect(solution)


@require_GET
def evidence_pack_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The solution's evidence pack (ZIP); its issue goes to the ledger.

    No login redirect: anybody who may not see the solution, anonymous
    visitors included, gets 404.
    """
    solution = selectors.get_solution_for_user(request.user, pk)
    pack, _entry = evidence_pack.evidence_pack_issue(
        solution=solution, user=request.user
    )
    return zip_response(pack)


def zip_response(pack: evidence_pack.EvidencePack) -> HttpResponse:
    response = HttpResponse(pack.archive(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{pack.filename}"'
    response["X-Manifest-SHA256"] = pack.manifest_sha256
    return response


# --- pilots ----------------------------------------------------------------------------


@login_required
@require_POST
def pilot_create(request: HttpRequest, pk: int) -> HttpResponse:
    solution = selectors.get_solution_for_user(request.user, pk)
    form = PilotForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(solution)
    try:
        pilot = services.pilot_create(
            solution=solution, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
        return redirect(solution)
    messages.success(request, _("Pilot recorded."))
    return redirect(pilot)


@login_required
@require_GET
def pilot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = selectors.get_pilot_for_user(request.user, pk)
    writable = selectors.can_record_pilot(request.user, pilot.solution)
    kpis = list(pilot.kpis.all())
    is_open = writable and pilot.status != Pilot.Status.CLOSED
    return render(
        request,
        "lifecycle/pilot.html",
        {
            "pilot": pilot,
            "solution": pilot.solution,
            "comparison": selectors.pilot_comparison(pilot),
            "incidents": selectors.incident_list(pilot),
            "writable": writable,
            "is_open": is_open,
            "kpi_form": KpiForm() if is_open else None,
            "measurement_form": MeasurementForm(kpis=kpis)
            if is_open and kpis
            else None,
            "upload_form": UploadForm() if is_open and kpis else None,
            "incident_form": IncidentForm() if writable else None,
            **pilot_users_context(pilot, writable=writable),
        },
    )


def _pilot_write(request: HttpRequest, pk: int) -> Pilot:
    return selectors.get_pilot_for_user(request.user, pk, write=True)


@login_required
@require_POST
def pilot_status(request: HttpRequest, pk: int, *, close: bool) -> HttpResponse:
    pilot = _pilot_write(request, pk)
    try:
        if close:
            services.pilot_close(pilot=pilot, user=request.user)
        else:
            services.pilot_start(pilot=pilot, user=request.user)
    except ValidationError as exc:
        apply_errors(None, exc, request)
    return redirect(pilot)


@login_required
@require_POST
def kpi_add(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot_write(request, pk)
    form = KpiForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(pilot)
    try:
        services.pilot_kpi_add(pilot=pilot, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("KPI added."))
    return redirect(pilot)


@login_required
@require_POST
def measurement_add(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot_write(request, pk)
    kpis = list(pilot.kpis.all())
    form = MeasurementForm(request.POST, kpis=kpis)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(pilot)
    kpi = next(k for k in kpis if k.pk == form.cleaned_data["kpi"])
    try:
        services.pilot_measurement_add(
            kpi=kpi,
            user=request.user,
            measured_at=form.cleaned_data["measured_at"],
            value=form.cleaned_data["value"],
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("Measurement added."))
    return redirect(pilot)


@login_required
@require_POST
def measurement_upload(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot_write(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(pilot)
    try:
        rows = services.pilot_measurements_upload(
            pilot=pilot, user=request.user, content=form.cleaned_data["file"].read()
        )
    except ValidationError as exc:
        messages.error(request, _("Nothing was saved."))
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("%(n)d measurements added.") % {"n": len(rows)})
    return redirect(pilot)


@login_required
@require_POST
def incident_add(request: HttpRequest, pk: int) -> HttpResponse:
    pilot = _pilot_write(request, pk)
    form = IncidentForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(pilot)
    try:
        services.pilot_incident_record(
            pilot=pilot, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("Incident recorded."))
    return redirect(pilot)


# --- gate configuration -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def gate_config(request: HttpRequest, code: str) -> HttpResponse:
    """A scenario's gate thresholds: everyone who sees it reads them; the
    owner's writers and operators change them."""
    scenario = get_scenario_for_user(request.user, code)
    writable = is_operator(request.user) or can_write_scenario(request.user, scenario)
    form = None
    if writable:
        form = GateConfigForm(
            request.POST or None,
            initial={"config": selectors.scenario_gate_config(scenario.pk)},
        )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.gate_config_save(
                    scenario=scenario,
                    user=request.user,
                    config=form.cleaned_data["config"] or {},
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Gate thresholds saved."))
                return redirect("lifecycle:gate_config", code=scenario.code)
    return render(
        request,
        "lifecycle/gate_config.html",
        {
            "scenario": scenario,
            "rows": selectors.threshold_rows(scenario.pk),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )
