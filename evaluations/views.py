"""Pages of the evaluation engine: suite, upload, published inputs, run, my
submissions, leaderboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from evaluations import public_inputs, selectors, services
from evaluations.execution import package_limits, prediction_file_limits
from evaluations.forms import SubmissionForm
from evaluations.leaderboard import leaderboard_get
from evaluations.models import Run, Submission, SuiteVersion
from portal.lib.forms import apply_errors


def _suite_context(
    request: HttpRequest, version: SuiteVersion, form: SubmissionForm | None
) -> dict[str, Any]:
    accepts = version.accepts_prediction_files
    return {
        "version": version,
        "suite": version.suite,
        "scenario": version.suite.scenario,
        "config": version.config,
        "form": form,
        "accepts_prediction_files": accepts,
        "inputs": selectors.inputs_decision(request.user, version) if accepts else None,
        "max_bytes": {
            "package": package_limits().archive_bytes,
            "predictions": prediction_file_limits().file_bytes,
        },
    }


@require_GET
def suite(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_suite_version_for_user(request.user, pk)
    organisations = selectors.can_submit(request.user, version)
    form = (
        SubmissionForm(
            organisations=organisations,
            accepts_prediction_files=version.accepts_prediction_files,
        )
        if organisations
        else None
    )
    return render(
        request, "evaluations/suite.html", _suite_context(request, version, form)
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept an upload; with HTMX, answer with the form only (or a redirect).

    Without JavaScript this is a plain multipart form post: errors come back
    on the whole page, the typed fields kept.
    """
    version = selectors.get_suite_version_for_user(request.user, pk)
    organisations = selectors.can_submit(request.user, version)
    if not organisations:
        raise PermissionDenied
    form = SubmissionForm(
        request.POST,
        request.FILES,
        organisations=organisations,
        accepts_prediction_files=version.accepts_prediction_files,
    )
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            submission = services.submission_create(
                suite_version=version,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                upload=upload,
                file_name=upload.name or "solution",
                labels=services.SolutionLabels(
                    name=form.cleaned_data["name"],
                    version_label=form.cleaned_data["version_label"],
                    description=form.cleaned_data["description"],
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            run = submission.runs.get(split=Run.Split.SAMPLE)
            messages.success(
                request,
                _("Prediction file accepted; the validation run is queued.")
                if submission.kind == Submission.Kind.PREDICTIONS
                else _("Package accepted; the validation run is queued."),
            )
            if request.htmx:
                return HttpResponseClientRedirect(run.get_absolute_url())
            return redirect(run)
    template = (
        "evaluations/_submit_form.html" if request.htmx else "evaluations/suite.html"
    )
    return render(request, template, _suite_context(request, version, form), status=400)


@require_GET
def inputs(request: HttpRequest, pk: int, split: str) -> HttpResponse:
    """Download the published inputs of one split (features, never labels)."""
    version = selectors.get_suite_version_for_user(request.user, pk)
    if not version.accepts_prediction_files or split not in Run.Split.values:
        raise Http404("This suite version publishes no inputs.")
    decision = selectors.inputs_decision(request.user, version)
    if not decision.allowed:
        if decision.reason == "login":
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    try:
        path = public_inputs.inputs_archive(version, split)
    except public_inputs.InputsError:
        messages.error(
            request,
            _(
                "This suite's inputs cannot be read at the moment. Please tell "
                "the suite's owner."
            ),
        )
        return redirect("evaluations:suite", pk=version.pk)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=public_inputs.inputs_file_name(version, split),
        content_type="application/zip",
    )


@login_required
@require_GET
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's page; its status panel is an HTMX partial polled while live."""
    the_run = selectors.get_run_for_user(request.user, pk)
    context = {
        "run": the_run,
        "submission": the_run.submission,
        "version": the_run.submission.suite_version,
        "position": services.queue_position(the_run),
        "show_log": selectors.can_see_log(request.user, the_run),
        "hidden_run": the_run.submission.runs.filter(split=Run.Split.HIDDEN).first()
        if the_run.split == Run.Split.SAMPLE
        else None,
    }
    template = (
        "evaluations/_run_status.html" if request.htmx else "evaluations/run.html"
    )
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    the_run = selectors.get_run_for_user(request.user, pk)
    try:
        services.run_cancel(run=the_run, user=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    return redirect(the_run)


@login_required
@require_GET
def submissions(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.submission_list_for(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "evaluations/submissions.html", {"page": page})


@require_GET
def leaderboard(request: HttpRequest, pk: int) -> HttpResponse:
    """The official ranking; public whenever the suite version is visible."""
    version = selectors.get_suite_version_for_user(request.user, pk)
    return render(
        request,
        "evaluations/leaderboard.html",
        {
            "version": version,
            "suite": version.suite,
            "scenario": version.suite.scenario,
            "board": leaderboard_get(version),
        },
    )
