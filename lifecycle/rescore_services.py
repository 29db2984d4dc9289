"""Re-scoring on a new suite version, for the solutions that opt in.

When the owner publishes a new version of a test suite, the suite's
``suite_version_publish`` enqueues ``lifecycle.tasks.solutions_rescore``
after the commit. For every solution on the scenario that opted in, is
still in the lifecycle and whose version under test is a package submitted
to an earlier version of the same suite, the package (the same stored
blob, so the same hash) is submitted again to the new version and its
validation run queued; the hidden run follows as for any submission.

The re-scored submission is evidence beside the version under test, not a
replacement: the vendor may register it as the new version (a regression)
from the solution page. Prediction files are not re-scored: they answer
the ids of the version they were made for.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import Run, Submission, SuiteVersion
from evaluations.services import run_create
from lifecycle import gates, selectors
from lifecycle.models import Rescore, Solution
from portal.accounts.models import NotificationCategory
from portal.accounts.selectors import AnyUser, is_operator, organisation_people_list
from portal.accounts.services import notification_send
from portal.ledger.services import ledger_append

logger = logging.getLogger(__name__)


@transaction.atomic
def solution_rescore_set(
    *, solution: Solution, user: AnyUser, enabled: bool
) -> Solution:
    """The vendor's writers (or an operator) switch re-scoring on or off."""
    if not user.is_authenticated or not (
        selectors.is_vendor_writer(user, solution) or is_operator(user)
    ):
        raise PermissionDenied
    locked = Solution.objects.select_for_update().get(pk=solution.pk)
    if locked.is_terminal:
        raise ValidationError(_("The solution has already left the lifecycle."))
    if locked.rescore_on_new_suite == enabled:
        return locked
    locked.rescore_on_new_suite = enabled
    locked.updated_at = timezone.now()
    locked.save(update_fields=["rescore_on_new_suite", "updated_at"])
    ledger_append(
        kind="lifecycle.rescore_opt_in",
        actor=user,
        subject=f"solution:{locked.pk}",
        organisation=locked.organisation,
        payload={"enabled": enabled},
        evidence=[f"solution:{locked.pk}"],
    )
    return locked


def _eligible(solution: Solution, version: SuiteVersion) -> bool:
    source = solution.submission
    return (
        source.kind == Submission.Kind.PACKAGE
        and source.suite_version.suite_id == version.suite_id
        and source.suite_version.number < version.number
    )


def _rescore_one(solution_id: int, version: SuiteVersion) -> Rescore | None:
    with transaction.atomic():
        solution = (
            Solution.objects.select_for_update()
            .select_related("submission__suite_version", "submission__blob")
            .get(pk=solution_id)
        )
        if (
            not solution.rescore_on_new_suite
            or solution.stage in gates.TERMINAL
            or not _eligible(solution, version)
            or Rescore.objects.filter(solution=solution, suite_version=version).exists()
        ):
            return None
        source = solution.submission
        submission = Submission.objects.create(
            suite_version=version,
            organisation_id=source.organisation_id,
            submitted_by=source.submitted_by,
            kind=source.kind,
            blob=source.blob,
            file_name=source.file_name,
            name=source.name,
            version_label=source.version_label,
            description=source.description,
            manifest=source.manifest,
        )
        run_create(submission=submission, split=Run.Split.SAMPLE)
        entry = ledger_append(
            kind="lifecycle.rescored",
            actor=None,
            subject=f"solution:{solution.pk}",
            organisation=solution.organisation,
            payload={
                "suite_version": version.pk,
                "suite_version_number": version.number,
                "source": source.pk,
                "submission": submission.pk,
                "sha256": source.blob.sha256,
            },
            evidence=[
                f"submission:{source.pk}",
                f"submission:{submission.pk}",
                f"suite_version:{version.pk}",
                f"blob:sha256:{source.blob.sha256}",
            ],
        )
        rescore = Rescore.objects.create(
            solution=solution,
            suite_version=version,
            source=source,
            submission=submission,
            ledger_sequence=entry.sequence,
        )
        notification_send(
            users=organisation_people_list({solution.organisation_id}),
            subject=format_lazy(
                gettext_lazy("{name}: re-scored on suite version {n}"),
                name=solution.name,
                n=version.number,
            ),
            body=gettext_lazy(
                "The version under test was submitted to the new suite version "
                "and is being scored. Register it as the new version from the "
                "solution page if you want the lifecycle to use it."
            ),
            url=reverse("lifecycle:solution", args=[solution.pk]),
            category=NotificationCategory.LIFECYCLE,
        )
        return rescore


def solutions_rescore(*, suite_version_id: int) -> list[Rescore]:
    """Re-score every opted-in solution on a newly published suite version.

    Idempotent: one ``Rescore`` per solution and version (a unique
    constraint, checked under the solution's row lock). Each solution is
    its own transaction, so one that cannot be re-scored does not stop the
    others.
    """
    version = (
        SuiteVersion.objects.select_related("suite")
        .filter(pk=suite_version_id, status=SuiteVersion.Status.PUBLISHED)
        .first()
    )
    if version is None:
        return []
    done: list[Rescore] = []
    candidates = Solution.objects.filter(
        scenario_id=version.suite.scenario_id, rescore_on_new_suite=True
    ).exclude(stage__in=gates.TERMINAL)
    for solution_id in candidates.values_list("pk", flat=True):
        try:
            rescore = _rescore_one(solution_id, version)
        except ValidationError:
            logger.exception("re-scoring solution %s failed", solution_id)
            continue
        if rescore is not None:
            done.append(rescore)
    return done
