"""HTML views of the catalog, map, lists and data registry.

Each view starts with a scoped fetch from ``selectors`` (404 for what the user
may not know exists, 403 for read-only access), then calls one service or
selector and renders. HTMX partials are served by the same view as their
page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.models import Organisation
from portal.accounts.selectors import is_operator, memberships_of
from portal.lib.forms import apply_errors
from portal.lib.spreadsheet import csv_response
from portal.lib.taxonomy import Sector, Stage, TaskType
from scenarios import selectors, services
from scenarios.filters import ScenarioFilter
from scenarios.forms import (
    HighValueListForm,
    ListEntryForm,
    OptionalReasonForm,
    ReasonForm,
    RegisterForm,
    RevisionNotesForm,
    ScenarioForm,
    ThresholdFormSet,
    ValueAssessmentForm,
    threshold_initial,
    threshold_rows,
)
from scenarios.models import (
    PUBLIC_STATUSES,
    Scenario,
    ScenarioVersion,
)

PAGE_SIZE = 20


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


# --- public pages ---------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    public = Scenario.objects.filter(status__in=PUBLIC_STATUSES)
    stats = public.aggregate(
        scenarios=Count("pk"),
        owners=Count("owner", distinct=True),
    )
    context = {
        "stats": stats,
        "dataset_count": selectors.dataset_queryset(request.user).count(),
        "latest": list(
            public.filter(status=Scenario.Status.PUBLISHED)
            # The cards show the value score: join it, not one query a card.
            .select_related("owner", "assessment")
            .order_by("-published_at", "code")[:6]
        ),
        "latest_list": selectors.high_value_list_queryset(request.user)
        .filter(published_at__isnull=False)
        .first(),
        "map": selectors.scenario_map(),
    }
    return render(request, "scenarios/home.html", context)


@require_GET
def index(request: HttpRequest, results_only: bool = False) -> HttpResponse:
    """The catalog; ``results_only`` serves the HTMX results partial."""
    queryset = selectors.scenario_queryset(request.user)
    scenario_filter = ScenarioFilter(
        request.GET or None, queryset=queryset, request_user=request.user
    )
    if request.GET and not scenario_filter.is_valid():
        results = queryset.none()
    else:
        results = scenario_filter.qs
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": scenario_filter,
        "page": page,
        "show_status": is_operator(request.user)
        or bool(
            memberships_of(request.user, kind=Organisation.Kind.ENERGY, verified=False)
        ),
        "sectors": Sector.choices,
        "stages": Stage.choices,
        "task_types": TaskType.choices,
        "can_create": bool(
            memberships_of(
                request.user, kind=Organisation.Kind.ENERGY, verified=False, write=True
            )
        ),
    }
    if results_only or request.htmx:
        response = render(request, "scenarios/_results.html", context)
    else:
        response = render(request, "scenarios/index.html", context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def scenario_map(request: HttpRequest) -> HttpResponse:
    task_type = request.GET.get("task_type") or None
    if task_type not in TaskType.values:
        task_type = None
    context = {
        "map": selectors.scenario_map(task_type=task_type),
        "task_type": task_type,
        "task_types": TaskType.choices,
    }
    template = "scenarios/_map.html" if request.htmx else "scenarios/map.html"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    scenario = selectors.get_scenario_for_user(request.user, code)
    related = selectors.scenario_detail_related(scenario, request.user)
    can_write = selectors.can_write_scenario(request.user, scenario)
    operator = is_operator(request.user)
    vendor_orgs = [
        m.organisation
        for m in memberships_of(request.user, kind=Organisation.Kind.VENDOR)
    ]
    context = {
        "scenario": scenario,
        **related,
        "can_write": can_write,
        "can_see_history": selectors.can_see_history(request.user, scenario),
        "is_operator": operator,
        "vendor_orgs": vendor_orgs,
        "unregistered_orgs": [
            o for o in vendor_orgs if o.pk not in related["registered_org_ids"]
        ],
        "registered_orgs": [
            o for o in vendor_orgs if o.pk in related["registered_org_ids"]
        ],
        "assessment": getattr(scenario, "assessment", None),
        "assessment_form": ValueAssessmentForm(
            initial={
                "strategic_priority": getattr(
                    getattr(scenario, "assessment", None), "strategic_priority", 3
                ),
                "adjustment": getattr(
                    getattr(scenario, "assessment", None), "adjustment", 0
                ),
                "justification": getattr(
                    getattr(scenario, "assessment", None), "justification", ""
                ),
            }
        )
        if operator
        else None,
        "reject_form": ReasonForm() if operator else None,
    }
    return render(request, "scenarios/detail.html", context)


@require_GET
def version_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    scenario = selectors.get_scenario_for_user(request.user, code)
    version = selectors.get_scenario_version(scenario, number)
    previous = (
        ScenarioVersion.objects.filter(scenario=scenario, number__lt=number)
        .order_by("-number")
        .first()
    )
    changes = []
    if previous is not None:
        for key, value in version.spec.items():
            if previous.spec.get(key) != value:
                changes.append(
                    {"field": key, "before": previous.spec.get(key), "after": value}
                )
    return render(
        request,
        "scenarios/version.html",
        {
            "scenario": scenario,
            "version": version,
            "previous": previous,
            "changes": changes,
        },
    )


# --- authoring ---------------------------------------------------------------------------


def _writable_energy_orgs(request: HttpRequest) -> list[Organisation]:
    return [
        m.organisation
        for m in memberships_of(
            request.user, kind=Organisation.Kind.ENERGY, verified=False, write=True
        )
    ]


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    owners = _writable_energy_orgs(request)
    if not owners:
        raise PermissionDenied
    form = ScenarioForm(request.POST or None, owners=owners, creating=True)
    formset = ThresholdFormSet(request.POST or None, prefix="thresholds")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            scenario = services.scenario_create(
                user=request.user,
                owner=form.cleaned_data["owner"],
                code=form.cleaned_data["code"],
                data=form.spec_data(),
                thresholds=threshold_rows(formset),
            )
        except ValidationError as exc:
            apply_errors(form, exc, request)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(scenario)
    return render(
        request,
        "scenarios/form.html",
        {"form": form, "formset": formset, "creating": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str) -> HttpResponse:
    """Edit a draft, or publish a new version of a published scenario."""
    scenario = selectors.get_scenario_for_user(request.user, code, write=True)
    revising = scenario.status == Scenario.Status.PUBLISHED
    if scenario.status not in (Scenario.Status.DRAFT, Scenario.Status.PUBLISHED):
        messages.error(
            request, _("This scenario cannot be edited in its current status.")
        )
        return redirect(scenario)
    form = ScenarioForm(request.POST or None, instance=scenario)
    formset = ThresholdFormSet(
        request.POST or None, prefix="thresholds", initial=threshold_initial(scenario)
    )
    notes_form = RevisionNotesForm(request.POST or None) if revising else None
    valid = (
        request.method == "POST"
        and form.is_valid()
        and formset.is_valid()
        and (notes_form is None or notes_form.is_valid())
    )
    if valid:
        # The form has written into ``scenario``; reload so the service
        # compares against what is stored.
        fresh = Scenario.objects.select_related("owner").get(pk=scenario.pk)
        try:
            if revising and notes_form is not None:
                version = services.scenario_revise(
                    scenario=fresh,
                    user=request.user,
                    data=form.spec_data(),
                    thresholds=threshold_rows(formset),
                    change_notes=notes_form.cleaned_data["change_notes"],
                )
                messages.success(
                    request, _("Version %(n)d published.") % {"n": version.number}
                )
            else:
                services.scenario_update(
                    scenario=fresh,
                    user=request.user,
                    data=form.spec_data(),
                    thresholds=threshold_rows(formset),
                )
                messages.success(request, _("Draft saved."))
        except ValidationError as exc:
            apply_errors(notes_form or form, exc, request)
        else:
            return redirect(fresh)
    return render(
        request,
        "scenarios/form.html",
        {
            "form": form,
            "formset": formset,
            "notes_form": notes_form,
            "scenario": scenario,
            "revising": revising,
        },
    )


def _transition(
    request: HttpRequest, code: str, action: str, *, needs_reason: bool = False
) -> HttpResponse:
    scenario = selectors.get_scenario_for_user(request.user, code)
    reason_form: Form = (ReasonForm if needs_reason else OptionalReasonForm)(
        request.POST
    )
    if not reason_form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect(scenario)
    reason = reason_form.cleaned_data.get("reason", "")
    calls = {
        "submit": lambda: services.scenario_submit(
            scenario=scenario, user=request.user
        ),
        "withdraw": lambda: services.scenario_withdraw(
            scenario=scenario, user=request.user
        ),
        "publish": lambda: services.scenario_publish(
            scenario=scenario, user=request.user
        ),
        "reject": lambda: services.scenario_reject(
            scenario=scenario, user=request.user, reason=reason
        ),
        "close": lambda: services.scenario_close(
            scenario=scenario, user=request.user, reason=reason
        ),
        "reopen": lambda: services.scenario_reopen(
            scenario=scenario, user=request.user
        ),
        "archive": lambda: services.scenario_archive(
            scenario=scenario, user=request.user
        ),
    }
    try:
        calls[action]()
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(
            request, _("Done: %(status)s.") % {"status": scenario.get_status_display()}
        )
    return redirect(scenario)


@login_required
@require_POST
def submit(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(request, code, "submit")


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(request, code, "withdraw")


@login_required
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(request, code, "publish")


@login_required
@require_POST
def reject(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(request, code, "reject", needs_reason=True)


@login_required
@require_POST
def close(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(request, code, "close")


@login_required
@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(request, code, "reopen")


@login_required
@require_POST
def archive(request: HttpRequest, code: str) -> HttpResponse:
    return _transition(request, code, "archive")


@login_required
@require_POST
def register(request: HttpRequest, code: str) -> HttpResponse:
    scenario = selectors.get_scenario_for_user(request.user, code)
    organisations = [
        m.organisation
        for m in memberships_of(request.user, kind=Organisation.Kind.VENDOR)
    ]
    if not organisations:
        raise PermissionDenied
    form = RegisterForm(request.POST, organisations=organisations)
    if not form.is_valid():
        messages.error(request, _("Choose one of your organisations."))
        return redirect(scenario)
    unregister_requested = request.POST.get("action") == "unregister"
    try:
        if unregister_requested:
            services.scenario_unregister(
                scenario=scenario,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
            )
            messages.success(request, _("Registration withdrawn."))
        else:
            services.scenario_register(
                scenario=scenario,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
            )
            messages.success(
                request, _("Registered. You will be told about new versions.")
            )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    return redirect(scenario)


@login_required
@require_POST
def assess(request: HttpRequest, code: str) -> HttpResponse:
    scenario = selectors.get_scenario_for_user(request.user, code)
    if not is_operator(request.user):
        raise PermissionDenied
    form = ValueAssessmentForm(request.POST)
    if form.is_valid():
        try:
            services.value_assessment_update(
                scenario=scenario,
                user=request.user,
                strategic_priority=form.cleaned_data["strategic_priority"],
                adjustment=form.cleaned_data["adjustment"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as exc:
            apply_errors(None, exc, request)
        else:
            messages.success(request, _("Value assessment saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(scenario)


# --- workspace ---------------------------------------------------------------------------


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    context = selectors.workspace_summary(request.user)
    context["memberships"] = memberships_of(request.user, verified=False)
    context["can_create"] = bool(_writable_energy_orgs(request))
    return render(request, "scenarios/workspace.html", context)


# --- high-value lists --------------------------------------------------------------------


@require_GET
def lists(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "scenarios/lists.html",
        {
            "lists": list(selectors.high_value_list_queryset(request.user)),
            "is_operator": is_operator(request.user),
        },
    )


@require_GET
def list_detail(request: HttpRequest, slug: str) -> HttpResponse:
    hv_list = selectors.get_high_value_list_for_user(request.user, slug)
    operator = is_operator(request.user)
    return render(
        request,
        "scenarios/list_detail.html",
        {
            "list": hv_list,
            "entries": selectors.high_value_list_entries(hv_list),
            "is_operator": operator,
            "entry_form": ListEntryForm()
            if operator and not hv_list.is_published
            else None,
        },
    )


@require_GET
def list_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The list as CSV, both languages side by side, for circulation."""
    hv_list = selectors.get_high_value_list_for_user(request.user, slug)
    header = [
        "rank",
        "code",
        "title_zh",
        "title_en",
        "owner_zh",
        "owner_en",
        "sector",
        "stage",
        "task_type",
        "value_score",
        "rationale_zh",
        "rationale_en",
        "url",
    ]
    rows = []
    for entry in selectors.high_value_list_entries(hv_list):
        scenario = entry.scenario
        assessment = getattr(scenario, "assessment", None)
        score = (
            entry.score_at_listing
            if hv_list.is_published
            else (assessment.score if assessment else None)
        )
        rows.append(
            [
                entry.rank,
                scenario.code,
                scenario.title_zh,
                scenario.title_en,
                scenario.owner.name_zh,
                scenario.owner.name_en,
                scenario.sector,
                scenario.stage,
                scenario.task_type,
                "" if score is None else score,
                entry.rationale_zh,
                entry.rationale_en,
                request.build_absolute_uri(scenario.get_absolute_url()),
            ]
        )
    # Titles, names and rationales are typed by users: csv_response quotes
    # any cell a spreadsheet would run as a formula.
    return csv_response(f"{hv_list.slug}.csv", header, rows)


@login_required
@require_http_methods(["GET", "POST"])
def list_create(request: HttpRequest) -> HttpResponse:
    if not is_operator(request.user):
        raise PermissionDenied
    form = HighValueListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {
            k: v for k, v in form.cleaned_data.items() if k not in ("year", "batch")
        }
        try:
            hv_list = services.high_value_list_create(
                user=request.user,
                year=form.cleaned_data["year"],
                batch=form.cleaned_data["batch"],
                data=data,
            )
        except ValidationError as exc:
            apply_errors(form, exc, request)
        else:
            return redirect(hv_list)
    return render(request, "scenarios/list_form.html", {"form": form})


@login_required
@require_POST
def list_entries(request: HttpRequest, slug: str) -> HttpResponse:
    """Add, remove or rank entries of a draft list (operators)."""
    hv_list = selectors.get_high_value_list_for_user(request.user, slug, write=True)
    action = request.POST.get("action", "add")
    try:
        if action == "add":
            form = ListEntryForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter a scenario code."))
            scenario = Scenario.objects.filter(
                code=form.cleaned_data["code"].strip().upper()
            ).first()
            if scenario is None:
                raise ValidationError(_("No scenario has this code."))
            services.high_value_list_add(
                hv_list=hv_list,
                user=request.user,
                scenario=scenario,
                rationale_zh=form.cleaned_data["rationale_zh"],
                rationale_en=form.cleaned_data["rationale_en"],
            )
        elif action == "remove":
            scenario = get_object_or_404(Scenario, code=request.POST.get("code", ""))
            services.high_value_list_remove(
                hv_list=hv_list, user=request.user, scenario=scenario
            )
        elif action == "rank":
            services.high_value_list_rank_by_score(hv_list=hv_list, user=request.user)
        elif action == "publish":
            services.high_value_list_publish(hv_list=hv_list, user=request.user)
            messages.success(request, _("List published."))
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        apply_errors(None, exc, request)
    return redirect(hv_list)
