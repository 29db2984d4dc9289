"""Pages of expert review: the reviewer's queue and review form, the
chair's round page, entry discussions, the vendor's entry page.

Every view starts with a scoped fetch from ``selectors`` (404 for what the
user may not see, 403 for what they may only read) and calls one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.accounts.models import Organisation, User
from portal.lib.forms import apply_errors
from reviews import decision_services, selectors, services
from reviews.case_selectors import case_links
from reviews.explain import reason_text
from reviews.forms import (
    AssignForm,
    CommentForm,
    ConflictForm,
    DecisionForm,
    DeclineForm,
    EntriesForm,
    ResponseForm,
    ReviewForm,
    RoundForm,
    VendorConflictForm,
)
from reviews.models import Assignment, ReviewRound, RoundEntry
from reviews.rubric import dimension_rows
from reviews.scorecard_selectors import (
    entry_bands,
    notice_rows,
    reliability_rows,
    round_scorecard,
    scorecard_rows,
)
from scenarios.selectors import get_scenario_for_user


def _error_messages(request: HttpRequest, exc: ValidationError) -> None:
    apply_errors(None, exc, request)


# --- the queue ------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Everything review-related for the user: assignments to score, rounds
    to manage or chair, their organisation's entries."""
    return render(
        request,
        "reviews/queue.html",
        {
            "assignments": selectors.assignment_list_for(request.user),
            "rounds": selectors.round_list_for(request.user),
            "scenarios": selectors.manageable_scenarios(request.user),
            "vendor_entries": selectors.vendor_entry_list(request.user),
        },
    )


# --- rounds -------------------------------------------------------------------------


def _chairs(scenario: Any) -> Any:
    """Who may chair: the owner organisation's people and the operators."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__organisation=scenario.owner)
            | Q(
                memberships__organisation__kind=Organisation.Kind.OPERATOR,
                memberships__organisation__verified_at__isnull=False,
            )
        )
        .distinct()
        .order_by("username")
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest, code: str) -> HttpResponse:
    scenario = get_scenario_for_user(request.user, code)
    if not selectors.can_manage_scenario_rounds(request.user, scenario):
        raise PermissionDenied
    form = RoundForm(request.POST or None, chairs=_chairs(scenario))
    if request.method == "POST" and form.is_valid():
        try:
            review_round = services.round_create(
                scenario=scenario,
                user=request.user,
                data=form.round_data(),
                chair=form.cleaned_data["chair"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Review round created as a draft."))
            return redirect(review_round)
    return render(
        request,
        "reviews/round_form.html",
        {"form": form, "scenario": scenario, "review_round": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = selectors.get_round_for_user(request.user, pk, write=True)
    form = RoundForm(
        request.POST or None,
        instance=review_round,
        chairs=_chairs(review_round.scenario),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                review_round=ReviewRound.objects.get(pk=pk),
                user=request.user,
                data=form.round_data(),
                chair=form.cleaned_data["chair"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Review round saved."))
            return redirect(review_round)
    return render(
        request,
        "reviews/round_form.html",
        {"form": form, "scenario": review_round.scenario, "review_round": review_round},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair's page: entries × reviewers with raw scores, what is
    missing, links to the discussions; management forms for managers."""
    review_round = selectors.get_round_for_user(request.user, pk)
    manage = selectors.can_manage_round(request.user, review_round)
    editable = review_round.status in (
        ReviewRound.Status.DRAFT,
        ReviewRound.Status.OPEN,
    )
    rows = selectors.round_table(review_round, request.user)
    context: dict[str, Any] = {
        "review_round": review_round,
        "rows": rows,
        "dimensions": dimension_rows(),
        "can_manage": manage,
        "is_chair": selectors.is_chair(request.user, review_round),
        "events": selectors.round_event_list(review_round) if manage else [],
    }
    if review_round.status != ReviewRound.Status.DRAFT:
        # Weights are frozen from the opening on; so is the scorecard's basis.
        result = round_scorecard(review_round, rows)
        context["scorecard_rows"] = scorecard_rows(result, names=True)
        context["reliability_rows"] = reliability_rows(result)
        context["notice_rows"] = notice_rows(result)
        context["dimension_labels"] = {
            code: label for code, label, _levels in dimension_rows()
        }
    if manage and editable:
        pool = selectors.reviewer_pool()
        context["entries_form"] = EntriesForm(
            candidates=selectors.candidate_submissions(review_round)
        )
        context["assign_form"] = AssignForm(review_round=review_round, pool=pool)
    return render(request, "reviews/round.html", context)


def _round_action(
    request: HttpRequest, pk: int, action: Any, done: str
) -> HttpResponse:
    review_round = selectors.get_round_for_user(request.user, pk)
    try:
        action(review_round=review_round, user=request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
    else:
        messages.success(request, done)
    return redirect(review_round)


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_action(
        request, pk, services.round_open, _("The round is open; weights are frozen.")
    )


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_action(
        request, pk, services.round_close, _("The round is closed; decide each entry.")
    )


@login_required
@require_POST
def round_detect(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = selectors.get_round_for_user(request.user, pk, write=True)
    created = services.conflicts_detect(review_round=review_round, user=request.user)
    messages.success(
        request, _("%(n)d new conflicts of interest recorded.") % {"n": len(created)}
    )
    return redirect(review_round)


@login_required
@require_POST
def round_auto_assign(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = selectors.get_round_for_user(request.user, pk, write=True)
    try:
        report = services.assignments_auto(review_round=review_round, user=request.user)
    except ValidationError as exc:
        _error_messages(request, exc)
        return redirect(review_round)
    messages.success(
        request, _("%(n)d reviewers assigned.") % {"n": len(report.created)}
    )
    for number, missing in report.shortfalls.items():
        messages.warning(
            request,
            _("Entry %(n)d lacks %(m)d reviewers: the pool is too small.")
            % {"n": number, "m": missing},
        )
    return redirect(review_round)


@login_required
@require_POST
def round_entries(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = selectors.get_round_for_user(request.user, pk, write=True)
    form = EntriesForm(
        request.POST, candidates=selectors.candidate_submissions(review_round)
    )
    if form.is_valid():
        try:
            created = services.round_entries_add(
                review_round=review_round,
                user=request.user,
                submissions=list(form.cleaned_data["submissions"]),
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("%(n)d entries added.") % {"n": len(created)})
    else:
        messages.error(request, _("Choose at least one submission."))
    return redirect(review_round)


@login_required
@require_POST
def round_assign(request: HttpRequest, pk: int) -> HttpResponse:
    review_round = selectors.get_round_for_user(request.user, pk, write=True)
    form = AssignForm(
        request.POST, review_round=review_round, pool=selectors.reviewer_pool()
    )
    if form.is_valid():
        try:
            services.assignment_create(
                entry=form.cleaned_data["entry"],
                reviewer=form.cleaned_data["reviewer"],
                user=request.user,
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("Reviewer assigned."))
    else:
        messages.error(request, _("Choose an entry and a reviewer."))
    return redirect(review_round)


# --- reviewing ---------------------------------------------------------------------


def _review_context(
    request: HttpRequest, assignment: Assignment, form: ReviewForm
) -> dict[str, Any]:
    entry = assignment.entry
    form.bands = {
        code: (band.low, band.high, [reason_text(r) for r in band.reasons])
        for code, band in entry_bands(entry).items()
    }
    return {
        "notices": _calibration_notices(request, assignment),
        "case_links": case_links(entry, request.user),
        "assignment": assignment,
        "entry": entry,
        "review_round": entry.round,
        "scenario": entry.round.scenario,
        "thresholds": list(entry.round.scenario.thresholds.all()),
        "suite_config": entry.submission.suite_version.config,
        "runs": selectors.entry_evidence(entry),
        "show_identity": selectors.identity_visible(request.user, entry),
        "form": form,
        "versions": selectors.review_versions(assignment),
        "editable": entry.round.status == ReviewRound.Status.OPEN,
    }


def _calibration_notices(
    request: HttpRequest, assignment: Assignment
) -> list[tuple[str, float]]:
    """The reviewer's own strong leniency estimates in this round, once
    they have submitted: (dimension, points above or below the panel)."""
    review_round = assignment.entry.round
    if (
        assignment.status != Assignment.Status.SUBMITTED
        or review_round.status == ReviewRound.Status.DRAFT
    ):
        return []
    result = round_scorecard(
        review_round, selectors.round_table(review_round, request.user)
    )
    mine = str(request.user.pk)
    notices = []
    for code, label, _levels in dimension_rows():
        if mine in result.scorecard.notices.get(code, ()):
            leniency = result.scorecard.results[code].reviewers[mine].leniency
            notices.append((str(label), float(leniency or 0.0)))
    return notices


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The review form. A POST saves a version: HTMX autosaves a draft and
    gets the save status back; the submit button posts the whole page."""
    assignment = selectors.get_assignment_for_user(request.user, pk)
    if request.method == "GET":
        version = selectors.current_version(assignment)
        form = ReviewForm(initial=ReviewForm.initial_from(version))
        return render(
            request, "reviews/review.html", _review_context(request, assignment, form)
        )
    form = ReviewForm(request.POST)
    submit = request.POST.get("action") == "submit"
    saved = None
    error: ValidationError | None = None
    if form.is_valid():
        try:
            saved = services.review_save(
                assignment=assignment,
                user=request.user,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                submit=submit,
            )
        except ValidationError as exc:
            error = exc
            apply_errors(form, exc)
    if request.htmx:
        response = render(
            request,
            "reviews/_autosave_status.html",
            {"saved": saved, "form": form, "error": error},
        )
        response["Vary"] = "HX-Request"
        return response
    if saved is not None:
        messages.success(
            request,
            _("Review submitted. You may revise it until the round closes.")
            if submit
            else _("Draft saved."),
        )
        return redirect("reviews:review", pk=assignment.pk)
    return render(
        request,
        "reviews/review.html",
        _review_context(request, assignment, form),
        status=400,
    )


@login_required
@require_POST
def decline(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.get_assignment_for_user(request.user, pk)
    form = DeclineForm(request.POST)
    form.is_valid()
    try:
        services.assignment_decline(
            assignment=assignment,
            user=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        _error_messages(request, exc)
        return redirect(assignment)
    messages.success(request, _("Assignment declined."))
    return redirect("reviews:queue")


@login_required
@require_http_methods(["GET", "POST"])
def conflicts(request: HttpRequest) -> HttpResponse:
    """The reviewer's conflicts of interest, and a form to declare one."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                user=request.user,
                reviewer=request.user,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Conflict of interest recorded."))
            return redirect("reviews:conflicts")
    return render(
        request,
        "reviews/conflicts.html",
        {"form": form, "conflicts": selectors.conflict_list_for(request.user)},
        status=400 if form.errors else 200,
    )


# --- entry discussion ----------------------------------------------------------------


def _entry_context(
    request: HttpRequest, access: selectors.EntryAccess
) -> dict[str, Any]:
    entry = access.entry
    review_round = entry.round
    decision = getattr(entry, "decision", None) if hasattr(entry, "decision") else None
    return {
        "access": access,
        "entry": entry,
        "review_round": review_round,
        "case_links": case_links(entry, request.user),
        "scorecard_url": reverse("reviews:entry_scorecard", args=[entry.pk])
        if access.sees_reviewer_names
        and review_round.status != ReviewRound.Status.DRAFT
        else None,
        "reviews": selectors.entry_review_list(access),
        "comments": selectors.comment_list(entry),
        "comment_form": CommentForm(),
        "show_identity": selectors.identity_visible(request.user, entry),
        "response": getattr(entry, "response", None)
        if hasattr(entry, "response")
        else None,
        "decision": decision,
        "decision_form": DecisionForm()
        if access.is_chair
        and review_round.status == ReviewRound.Status.CLOSED
        and decision is None
        else None,
        "dimensions": dimension_rows(),
        "can_comment": review_round.status
        in (ReviewRound.Status.OPEN, ReviewRound.Status.CLOSED),
    }


@login_required
@require_GET
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.get_entry_for_user(request.user, pk)
    return render(request, "reviews/entry.html", _entry_context(request, access))


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """Post to the discussion; HTMX gets the refreshed comment list back."""
    access = selectors.get_entry_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            decision_services.comment_post(
                entry=access.entry, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
    if request.htmx:
        response = render(
            request,
            "reviews/_comments.html",
            {
                "comments": selectors.comment_list(access.entry),
                "comment_form": form if form.errors else CommentForm(),
                "entry": access.entry,
                "can_comment": True,
                "access": access,
            },
        )
        response["Vary"] = "HX-Request"
        return response
    if form.errors:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("reviews:entry", pk=pk)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.get_entry_for_user(request.user, pk)
    if not access.is_chair:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision_services.decision_record(
                entry=access.entry,
                user=request.user,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                meta_review=form.cleaned_data["meta_review"],
            )
        except ValidationError as exc:
            _error_messages(request, exc)
        else:
            messages.success(request, _("Decision recorded; the vendor is notified."))
    else:
        messages.error(request, _("Choose an outcome and write the reasons."))
    return redirect("reviews:entry", pk=pk)


# --- the vendor's side ------------------------------------------------------------


def _vendor_context(
    request: HttpRequest,
    entry: RoundEntry,
    response_form: ResponseForm | None = None,
    conflict_form: VendorConflictForm | None = None,
) -> dict[str, Any]:
    writer = any(
        m.organisation_id == entry.submission.organisation_id and m.can_write
        for m in request.user.active_memberships  # type: ignore[union-attr]
    )
    has_response = hasattr(entry, "response")
    window = decision_services.response_window_open(entry)
    return {
        "entry": entry,
        "review_round": entry.round,
        "decision": getattr(entry, "decision", None)
        if hasattr(entry, "decision")
        else None,
        "response": entry.response if has_response else None,
        "response_form": (
            response_form or ResponseForm(limit=entry.round.response_limit)
        )
        if writer and window and not has_response
        else None,
        "conflict_form": (
            conflict_form or VendorConflictForm(pool=selectors.reviewer_pool())
        )
        if writer
        and entry.round.status in (ReviewRound.Status.DRAFT, ReviewRound.Status.OPEN)
        else None,
    }


@login_required
@require_GET
def vendor_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """The vendor's view of its entry: status, the decision and its reasons,
    the response form. Never the reviews."""
    entry = selectors.get_vendor_entry_for_user(request.user, pk)
    return render(request, "reviews/vendor_entry.html", _vendor_context(request, entry))


@login_required
@require_POST
def vendor_response(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_vendor_entry_for_user(request.user, pk, write=True)
    form = ResponseForm(request.POST, limit=entry.round.response_limit)
    if form.is_valid():
        try:
            decision_services.vendor_response_submit(
                entry=entry, user=request.user, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            # The form is not shown once a response exists or the window
            # has closed, so these go on top of the page.
            for error in form.non_field_errors():
                messages.error(request, error)
        else:
            messages.success(request, _("Response submitted."))
            return redirect("reviews:vendor_entry", pk=pk)
    return render(
        request,
        "reviews/vendor_entry.html",
        _vendor_context(request, entry, response_form=form),
        status=400,
    )


@login_required
@require_POST
def vendor_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.get_vendor_entry_for_user(request.user, pk, write=True)
    form = VendorConflictForm(request.POST, pool=selectors.reviewer_pool())
    if form.is_valid():
        try:
            services.conflict_declare(
                user=request.user,
                reviewer=form.cleaned_data["reviewer"],
                entry=entry,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Conflict of interest recorded."))
            return redirect("reviews:vendor_entry", pk=pk)
    return render(
        request,
        "reviews/vendor_entry.html",
        _vendor_context(request, entry, conflict_form=form),
        status=400,
    )
