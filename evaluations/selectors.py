"""Reads of suites, submissions and runs, scoped by who is asking.

* A suite version is visible with its scenario (drafts only to the owner
  company and operators).
* A submission and its runs are visible to members of the submitting
  vendor, to the scenario owner's members and to operators.
* Validation logs are shown only to the submitting vendor; hidden runs never
  show logs or raw output to anyone.
* The published inputs of a suite that accepts prediction files go to whom
  its configuration names (``inputs_decision``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from evaluations.models import Run, Submission, SuiteVersion
from evaluations.suites import inputs_access
from portal.accounts.models import Organisation
from portal.accounts.selectors import AnyUser, is_operator, organisation_ids_of
from scenarios.models import Scenario
from scenarios.selectors import scenario_visibility_q


def suite_version_queryset(user: AnyUser) -> QuerySet[SuiteVersion]:
    visible = SuiteVersion.objects.filter(
        scenario_visibility_q(user, prefix="suite__scenario__")
    ).select_related("suite", "suite__scenario", "suite__scenario__owner")
    if is_operator(user):
        return visible
    owners = organisation_ids_of(user, kind=Organisation.Kind.ENERGY, verified=False)
    return visible.exclude(
        status=SuiteVersion.Status.DRAFT,
    ) | visible.filter(
        status=SuiteVersion.Status.DRAFT, suite__scenario__owner_id__in=owners
    )


def get_suite_version_for_user(user: AnyUser, pk: int) -> SuiteVersion:
    try:
        return suite_version_queryset(user).get(pk=pk)
    except SuiteVersion.DoesNotExist:
        raise Http404("No such suite version.") from None


def suite_versions_for_scenario(
    scenario: Scenario, user: AnyUser
) -> list[SuiteVersion]:
    return list(suite_version_queryset(user).filter(suite__scenario=scenario))


def submission_queryset(user: AnyUser) -> QuerySet[Submission]:
    base = Submission.objects.select_related(
        "suite_version__suite__scenario", "organisation", "submitted_by"
    )
    if is_operator(user):
        return base
    vendor_ids = organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False
    )
    owner_ids = organisation_ids_of(user, kind=Organisation.Kind.ENERGY, verified=False)
    return base.filter(organisation_id__in=vendor_ids) | base.filter(
        suite_version__suite__scenario__owner_id__in=owner_ids
    )


def submission_list_for(user: AnyUser) -> QuerySet[Submission]:
    """The submissions of the user's vendor organisations, newest first."""
    vendor_ids = organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False
    )
    return (
        Submission.objects.filter(organisation_id__in=vendor_ids)
        .select_related(
            "suite_version__suite__scenario", "organisation", "submitted_by"
        )
        .prefetch_related(
            Prefetch(
                "runs",
                queryset=Run.objects.only("pk", "submission_id", "split", "status"),
            )
        )
        .order_by("-created_at", "-pk")
    )


def get_run_for_user(user: AnyUser, pk: int) -> Run:
    try:
        return Run.objects.select_related(
            "submission__suite_version__suite__scenario",
            "submission__organisation",
            "submission__submitted_by",
        ).get(pk=pk, submission__in=submission_queryset(user))
    except Run.DoesNotExist:
        raise Http404("No such run.") from None


def can_see_log(user: AnyUser, run: Run) -> bool:
    """Only the submitting vendor sees logs, and only of validation runs."""
    if run.split != Run.Split.SAMPLE:
        return False
    return run.submission.organisation_id in organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False
    )


def can_submit(user: AnyUser, version: SuiteVersion) -> list[Organisation]:
    """The verified vendor organisations the user may submit for."""
    if version.status != SuiteVersion.Status.PUBLISHED:
        return []
    if version.suite.scenario.status != Scenario.Status.PUBLISHED:
        return []
    from portal.accounts.selectors import memberships_of

    return [m.organisation for m in memberships_of(user, kind=Organisation.Kind.VENDOR)]


@dataclass(frozen=True)
class InputsDecision:
    allowed: bool
    # "owner", "public", "registered"; or why not: "login",
    # "verified_organisation".
    reason: str


def inputs_decision(user: AnyUser, version: SuiteVersion) -> InputsDecision:
    """May ``user`` download the published inputs of ``version``?

    Call it on a version the user may see, that accepts prediction files.

    1. Members of the scenario's owner and operators: always.
    2. ``inputs_access`` "public": anyone who may see the suite version.
    3. "registered": members of any verified organisation, which includes
       every vendor that may submit.
    """
    owner_ids = organisation_ids_of(user, kind=Organisation.Kind.ENERGY, verified=False)
    if version.suite.scenario.owner_id in owner_ids or is_operator(user):
        return InputsDecision(True, "owner")
    if inputs_access(version.config) == "public":
        return InputsDecision(True, "public")
    if not user.is_authenticated:
        return InputsDecision(False, "login")
    if organisation_ids_of(user):
        return InputsDecision(True, "registered")
    return InputsDecision(False, "verified_organisation")
