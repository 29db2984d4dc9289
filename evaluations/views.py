"""Pages of the evaluation engine: suite, upload, run, my submissions,
leaderboard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from evaluations import selectors, services
from evaluations.forms import SubmissionForm
from evaluations.leaderboard import leaderboard_get
from evaluations.models import Run


@require_GET
def suite(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_suite_version_for_user(request.user, pk)
    organisations = selectors.can_submit(request.user, version)
    return render(
        request,
        "evaluations/suite.html",
        {
            "version": version,
            "suite": version.suite,
            "scenario": version.suite.scenario,
            "config": version.config,
            "form": SubmissionForm(organisations=organisations)
            if organisations
            else None,
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.get_suite_version_for_user(request.user, pk)
    organisations = selectors.can_submit(request.user, version)
    if not organisations:
        raise PermissionDenied
    form = SubmissionForm(request.POST, request.FILES, organisations=organisations)
    if form.is_valid():
        upload = form.cleaned_data["package"]
        try:
            submission = services.submission_create(
                suite_version=version,
                organisation=form.cleaned_data["organisation"],
                user=request.user,
                upload=upload,
                file_name=upload.name or "solution",
            )
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error("package", error)
        else:
            run = submission.runs.get(split=Run.Split.SAMPLE)
            messages.success(
                request, _("Package accepted; the validation run is queued.")
            )
            return redirect(run)
    return render(
        request,
        "evaluations/suite.html",
        {
            "version": version,
            "suite": version.suite,
            "scenario": version.suite.scenario,
            "config": version.config,
            "form": form,
        },
        status=400,
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
