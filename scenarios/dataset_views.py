"""HTML views of the data registry: datasets, files, access requests.

Same rules as ``scenarios.views``: a scoped fetch first, then one service or
selector.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.models import Organisation
from portal.accounts.selectors import memberships_of
from portal.lib.forms import apply_errors
from scenarios import dataset_services, selectors
from scenarios.filters import DatasetFilter
from scenarios.forms import (
    AccessRequestForm,
    DatasetForm,
    DatasetVersionForm,
    DecisionForm,
    ReasonForm,
)
from scenarios.models import AccessRequest, DownloadLog
from scenarios.views import PAGE_SIZE, client_ip


@require_GET
def datasets(request: HttpRequest) -> HttpResponse:
    dataset_filter = DatasetFilter(
        request.GET or None, queryset=selectors.dataset_queryset(request.user)
    )
    results = dataset_filter.qs.order_by("scenario__code", "slug")
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "scenarios/_datasets.html" if request.htmx else "scenarios/datasets.html"
    response = render(request, template, {"filter": dataset_filter, "page": page})
    response["Vary"] = "HX-Request"
    return response


@require_GET
def dataset(request: HttpRequest, slug: str) -> HttpResponse:
    ds = selectors.get_dataset_for_user(request.user, slug)
    can_manage = selectors.can_manage_dataset(request.user, ds)
    decision = selectors.download_decision(request.user, ds)
    vendor_orgs = [
        m.organisation
        for m in memberships_of(request.user, kind=Organisation.Kind.VENDOR)
    ]
    own_requests = list(
        AccessRequest.objects.filter(
            dataset=ds, organisation__in=[o.pk for o in vendor_orgs]
        ).select_related("organisation")
    )
    context: dict[str, Any] = {
        "dataset": ds,
        "versions": selectors.dataset_versions(ds),
        "can_manage": can_manage,
        "decision": decision,
        "own_requests": own_requests,
        "request_form": AccessRequestForm(organisations=vendor_orgs)
        if vendor_orgs and ds.access_policy == "approved" and not decision.allowed
        else None,
    }
    if can_manage:
        context["requests"] = list(
            ds.access_requests.select_related("organisation", "requested_by")
        )
        context["downloads"] = list(
            DownloadLog.objects.filter(dataset_file__version__dataset=ds)
            .select_related(
                "user", "organisation", "dataset_file", "dataset_file__version"
            )
            .order_by("-created_at")[:100]
        )
        context["version_form"] = DatasetVersionForm()
    return render(request, "scenarios/dataset.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_create(request: HttpRequest, code: str) -> HttpResponse:
    scenario = selectors.get_scenario_for_user(request.user, code, write=True)
    form = DatasetForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            ds = dataset_services.dataset_create(
                scenario=scenario,
                user=request.user,
                slug=form.cleaned_data["slug"],
                data=form.dataset_data(),
            )
        except ValidationError as exc:
            apply_errors(form, exc, request)
        else:
            messages.success(request, _("Dataset registered. Upload a first version."))
            return redirect(ds)
    return render(
        request, "scenarios/dataset_form.html", {"form": form, "scenario": scenario}
    )


@login_required
@require_http_methods(["GET", "POST"])
def dataset_edit(request: HttpRequest, slug: str) -> HttpResponse:
    ds = selectors.get_dataset_for_user(request.user, slug, write=True)
    form = DatasetForm(request.POST or None, instance=ds)
    if request.method == "POST" and form.is_valid():
        fresh = type(ds).objects.select_related("scenario").get(pk=ds.pk)
        try:
            dataset_services.dataset_update(
                dataset=fresh, user=request.user, data=form.dataset_data()
            )
        except ValidationError as exc:
            apply_errors(form, exc, request)
        else:
            messages.success(request, _("Datasheet saved."))
            return redirect(fresh)
    return render(
        request,
        "scenarios/dataset_form.html",
        {"form": form, "scenario": ds.scenario, "dataset": ds},
    )


@login_required
@require_POST
def dataset_upload(request: HttpRequest, slug: str) -> HttpResponse:
    ds = selectors.get_dataset_for_user(request.user, slug, write=True)
    form = DatasetVersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = dataset_services.dataset_version_create(
                dataset=ds,
                user=request.user,
                label=form.cleaned_data["label"],
                notes=form.cleaned_data["notes"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            apply_errors(None, exc, request)
        else:
            messages.success(
                request, _("Version %(label)s uploaded.") % {"label": version.label}
            )
    else:
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label if field in form.fields else ''} {error}",
                )
    return redirect(ds)


@require_POST
def dataset_download(request: HttpRequest, slug: str, file_id: int) -> HttpResponse:
    """Stream a file after checking the policy and logging the download.

    POST because every download writes a log row (no state-changing GET).
    """
    dataset_file = selectors.get_dataset_file_for_user(request.user, slug, file_id)
    decision = selectors.download_decision(request.user, dataset_file.version.dataset)
    if not decision.allowed:
        if decision.reason == "login" and not request.user.is_authenticated:
            return redirect(
                f"{_login_url()}?next={dataset_file.version.dataset.get_absolute_url()}"
            )
        raise PermissionDenied
    dataset_services.dataset_file_download_log(
        dataset_file=dataset_file,
        user=request.user,
        organisation=decision.organisation,
        ip_address=client_ip(request),
        via_api=False,
    )
    response = FileResponse(
        default_storage.open(dataset_file.blob.storage_name, "rb"),
        as_attachment=True,
        filename=dataset_file.name,
        content_type=dataset_file.media_type or "application/octet-stream",
    )
    response["X-Content-SHA256"] = dataset_file.blob.sha256
    return response


def _login_url() -> str:
    return resolve_url(settings.LOGIN_URL)


@login_required
@require_POST
def access_request_create(request: HttpRequest, slug: str) -> HttpResponse:
    ds = selectors.get_dataset_for_user(request.user, slug)
    organisations = [
        m.organisation
        for m in memberships_of(request.user, kind=Organisation.Kind.VENDOR)
    ]
    if not organisations:
        raise PermissionDenied
    form = AccessRequestForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            access_request = dataset_services.access_request_create(
                dataset=ds,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                purpose=form.cleaned_data["purpose"],
            )
        except ValidationError as exc:
            apply_errors(None, exc, request)
        else:
            messages.success(request, _("Request sent to the data owner."))
            return redirect(access_request)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(ds)


@login_required
@require_GET
def access_requests(request: HttpRequest) -> HttpResponse:
    queryset = selectors.access_request_queryset(request.user)
    status = request.GET.get("status")
    if status in AccessRequest.Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scenarios/access_requests.html",
        {"page": page, "status": status, "statuses": AccessRequest.Status.choices},
    )


@login_required
@require_GET
def access_request(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.get_access_request_for_user(request.user, pk)
    return render(
        request,
        "scenarios/access_request.html",
        {
            "access": access,
            "can_decide": selectors.can_decide_access_request(request.user, access),
            "can_withdraw": selectors.can_withdraw_access_request(request.user, access),
            "decision_form": DecisionForm(),
        },
    )


@login_required
@require_POST
def access_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.get_access_request_for_user(request.user, pk)
    if not selectors.can_decide_access_request(request.user, access):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or deny."))
        return redirect(access)
    try:
        dataset_services.access_request_decide(
            request=access,
            user=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("Decision recorded and the requester notified."))
    return redirect(access)


@login_required
@require_POST
def access_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.get_access_request_for_user(request.user, pk)
    try:
        dataset_services.access_request_withdraw(request=access, user=request.user)
    except ValidationError as exc:
        apply_errors(None, exc, request)
    return redirect(access)


@login_required
@require_POST
def access_request_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.get_access_request_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect(access)
    try:
        dataset_services.access_request_revoke(
            request=access, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        apply_errors(None, exc, request)
    else:
        messages.success(request, _("Access revoked."))
    return redirect(access)
