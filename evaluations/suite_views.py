"""Pages where a scenario's owner manages its test suites.

Each view starts with a scoped fetch from ``suite_selectors`` (404 for what
the user may not see, 403 for read-only access), then calls one service or
selector and renders. The version forms also serve their HTMX fragment: a
POST with ``check`` from HTMX checks the configuration without saving.

A form that fails keeps everything: the configuration text as typed and a
bundle that passed its checks (a signed reference in ``bundle_token``, so it
is not uploaded again).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from evaluations import suite_selectors, suite_services
from evaluations.models import SuiteVersion, TestSuite
from evaluations.suite_forms import SuiteForm, SuiteVersionForm, starter_config
from evaluations.suite_services import CheckedBundle
from portal.lib.forms import apply_errors
from scenarios.models import ScenarioEvent

SUITE_ACTIONS = [
    ScenarioEvent.Action.SUITE_CREATED,
    ScenarioEvent.Action.SUITE_EDITED,
    ScenarioEvent.Action.SUITE_DRAFTED,
    ScenarioEvent.Action.SUITE_PUBLISHED,
    ScenarioEvent.Action.SUITE_RETIRED,
]


def _manage_url(version: SuiteVersion) -> str:
    return reverse("evaluations:suite_version_manage", args=[version.pk])


@login_required
@require_http_methods(["GET", "POST"])
def scenario_suites(request: HttpRequest, code: str) -> HttpResponse:
    """A scenario's suites with their versions, and the form for a new one."""
    scenario = suite_selectors.get_scenario_for_suite_manager(request.user, code)
    form = SuiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            suite = suite_services.suite_create(
                scenario=scenario,
                user=request.user,
                slug=form.cleaned_data["slug"],
                task_kind=form.cleaned_data["task_kind"],
                data=form.suite_data(),
            )
        except ValidationError as exc:
            apply_errors(form, exc, request)
        else:
            messages.success(
                request, _("Test suite created. Prepare its first version.")
            )
            return redirect("evaluations:suite_version_create", suite.pk)
    context = {
        "scenario": scenario,
        "suites": suite_selectors.suite_list_for_scenario(scenario, request.user),
        "events": list(
            scenario.events.filter(action__in=SUITE_ACTIONS).select_related("actor")[
                :20
            ]
        ),
        "form": form,
    }
    return render(request, "evaluations/suite_manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def suite_edit(request: HttpRequest, pk: int) -> HttpResponse:
    suite = suite_selectors.get_suite_for_user(request.user, pk, write=True)
    kind_locked = suite.versions.exists()
    form = SuiteForm(
        request.POST or None,
        creating=False,
        kind_locked=kind_locked,
        initial={
            "task_kind": suite.task_kind,
            "title_zh": suite.title_zh,
            "title_en": suite.title_en,
            "description_zh": suite.description_zh,
            "description_en": suite.description_en,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            suite_services.suite_update(
                suite=suite, user=request.user, data=form.suite_data()
            )
        except ValidationError as exc:
            apply_errors(form, exc, request)
        else:
            messages.success(request, _("Test suite saved."))
            return redirect("evaluations:scenario_suites", suite.scenario.code)
    return render(
        request,
        "evaluations/suite_form.html",
        {"suite": suite, "scenario": suite.scenario, "form": form},
    )


def _bundle_from_form(
    request: HttpRequest, form: SuiteVersionForm, suite: TestSuite
) -> CheckedBundle | None:
    """The uploaded bundle after its checks, or the one checked before.

    Read whether or not the rest of the form is valid, so that a bundle that
    passes is kept while the owner fixes something else.
    """
    upload = form.files.get("bundle")
    token = form.data.get("bundle_token", "")
    try:
        if upload:
            return suite_services.suite_bundle_check(
                suite=suite, user=request.user, upload=upload
            )
        if token:
            return suite_services.bundle_from_token(
                token=token, suite=suite, user=request.user
            )
    except ValidationError as exc:
        apply_errors(form, exc, fields={"config": "config_text"})
    return None


def _config_from_form(form: SuiteVersionForm) -> dict[str, Any] | None:
    try:
        return suite_services.config_from_text(
            form.cleaned_data["config_text"], form.cleaned_data["config_format"]
        )
    except ValidationError as exc:
        apply_errors(form, exc, fields={"config": "config_text"})
    return None


def _form_context(
    request: HttpRequest,
    form: SuiteVersionForm,
    suite: TestSuite,
    checked: CheckedBundle | None,
) -> dict[str, Any]:
    return {
        "suite": suite,
        "scenario": suite.scenario,
        "form": form,
        "checked": checked,
        "bundle_token": suite_services.bundle_token(
            checked=checked, suite=suite, user=request.user
        )
        if checked is not None
        else "",
    }


def _config_check(
    request: HttpRequest,
    form: SuiteVersionForm,
    suite: TestSuite,
    summary: dict[str, Any] | None,
) -> HttpResponse:
    """The HTMX fragment: the configuration's problems, or what it declares."""
    context: dict[str, Any] = {"problems": [], "declaration": None}
    if not form.is_valid():
        context["problems"] = [e for errors in form.errors.values() for e in errors]
    else:
        config = _config_from_form(form)
        if config is None:
            context["problems"] = form.errors.get("config_text", [])
        else:
            context["problems"] = suite_services.config_problems(
                suite=suite, config=config, summary=summary
            )
            if not context["problems"]:
                context["declaration"] = suite_selectors.suite_version_declaration(
                    SuiteVersion(
                        suite=suite, config=config, bundle_summary=summary or {}
                    ),
                    request.user,
                )
            context["bundle_checked"] = summary is not None
    response = render(request, "evaluations/_suite_config_check.html", context)
    response["Vary"] = "HX-Request"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def suite_version_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a bundle and write a configuration: a new draft version."""
    suite = suite_selectors.get_suite_for_user(request.user, pk, write=True)
    latest = suite.versions.order_by("-number").first()
    initial = {
        "config_text": json.dumps(latest.config, indent=2, ensure_ascii=False)
        if latest is not None
        else starter_config(suite.task_kind),
    }
    # Bound on every POST, even an empty one: the checks below add errors,
    # which an unbound form cannot hold (an empty POST was a 500).
    posted = request.method == "POST"
    form = SuiteVersionForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
    )
    checked: CheckedBundle | None = None
    if posted:
        valid = form.is_valid()
        if request.htmx and "check" in request.POST:
            token = form.data.get("bundle_token", "")
            summary = _token_summary(request, suite, token)
            return _config_check(request, form, suite, summary)
        checked = _bundle_from_form(request, form, suite)
        if checked is None and not form.has_error("bundle"):
            form.add_error("bundle", _("Upload the data bundle."))
        if valid:
            config = _config_from_form(form)
            if checked is not None and config is not None:
                try:
                    version = suite_services.suite_version_create(
                        suite=suite,
                        user=request.user,
                        config=config,
                        bundle=checked,
                        change_notes=form.cleaned_data["change_notes"],
                    )
                except ValidationError as exc:
                    apply_errors(form, exc, fields={"config": "config_text"})
                else:
                    messages.success(
                        request,
                        _("Draft version %(n)d saved. Check it, then publish it.")
                        % {"n": version.number},
                    )
                    return redirect(_manage_url(version))
    return render(
        request,
        "evaluations/suite_version_form.html",
        _form_context(request, form, suite, checked),
    )


def _token_summary(
    request: HttpRequest, suite: TestSuite, token: str
) -> dict[str, Any] | None:
    if not token:
        return None
    try:
        return suite_services.bundle_from_token(
            token=token, suite=suite, user=request.user
        ).summary
    except ValidationError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def suite_version_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's summary for its managers; a draft's edit form."""
    version = suite_selectors.get_suite_version_for_manager(request.user, pk)
    suite = version.suite
    is_draft = version.status == SuiteVersion.Status.DRAFT
    form = SuiteVersionForm(
        request.POST or None,
        request.FILES or None,
        replacing=True,
        initial={
            "config_text": json.dumps(version.config, indent=2, ensure_ascii=False),
            "change_notes": version.change_notes,
        },
    )
    checked: CheckedBundle | None = None
    if request.method == "POST" and not is_draft:
        # A stale page: the service explains that the version is locked.
        try:
            suite_services.suite_version_update(version=version, user=request.user)
        except ValidationError as exc:
            apply_errors(None, exc, request)
        return redirect(_manage_url(version))
    if request.method == "POST":
        valid = form.is_valid()
        if request.htmx and "check" in request.POST:
            summary = _token_summary(
                request, suite, form.data.get("bundle_token", "")
            ) or dict(version.bundle_summary)
            return _config_check(request, form, suite, summary)
        checked = _bundle_from_form(request, form, suite)
        if valid:
            config = _config_from_form(form)
            if config is not None and not form.has_error("bundle"):
                try:
                    suite_services.suite_version_update(
                        version=version,
                        user=request.user,
                        config=config,
                        bundle=checked,
                        change_notes=form.cleaned_data["change_notes"],
                    )
                except ValidationError as exc:
                    apply_errors(form, exc, fields={"config": "config_text"})
                else:
                    messages.success(request, _("Draft saved."))
                    return redirect(_manage_url(version))
    context = _form_context(request, form, suite, checked)
    context.update(
        {
            "version": version,
            "is_draft": is_draft,
            "declaration": suite_selectors.suite_version_declaration(
                version, request.user
            ),
            "summary": version.bundle_summary,
        }
    )
    return render(request, "evaluations/suite_version_manage.html", context)


def _action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    version = suite_selectors.get_suite_version_for_manager(request.user, pk)
    try:
        if action == "publish":
            suite_services.suite_version_publish(version=version, user=request.user)
            messages.success(
                request,
                _("Version %(n)d is published and locked.") % {"n": version.number},
            )
        elif action == "retire":
            suite_services.suite_version_retire(version=version, user=request.user)
            messages.success(
                request,
                _("Version %(n)d takes no more submissions.") % {"n": version.number},
            )
        else:
            suite_services.suite_version_discard(version=version, user=request.user)
            messages.success(
                request, _("Draft version %(n)d discarded.") % {"n": version.number}
            )
            return redirect("evaluations:scenario_suites", version.suite.scenario.code)
    except ValidationError as exc:
        apply_errors(None, exc, request)
    return redirect(_manage_url(version))


@login_required
@require_POST
def suite_version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "publish")


@login_required
@require_POST
def suite_version_retire(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "retire")


@login_required
@require_POST
def suite_version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "discard")
