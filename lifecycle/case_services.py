"""Writes of benchmark cases (标杆案例): drafting, publishing, withdrawing.

The rule (``case_selectors`` lists the roles):

1. Anyone who may edit saves the bilingual solution summary as a draft. A
   save by the vendor's writer is the vendor's consent to that text; a
   change of the text by anyone else clears the consent.
2. The scenario owner's writers publish once the vendor has consented;
   operators may publish without it, on their own responsibility.
3. Only a solution at scale rollout is published, with both summaries.
   The evidence numbers are copied into the case, and
   ``lifecycle.case_published`` goes to the ledger with them.
4. A published case is withdrawn with a reason
   (``lifecycle.case_withdrawn``); it may be edited and published again.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lifecycle import case_selectors
from lifecycle.models import BenchmarkCase, Solution, Stage
from lifecycle.selectors import is_vendor_writer
from portal.accounts.models import User
from portal.accounts.selectors import AnyUser, is_operator
from portal.ledger.services import ledger_append


def _now() -> datetime:
    """Return the current time. Used for mocking in tests."""
    return timezone.now()


def _user(user: AnyUser) -> User:
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _require_scale(solution: Solution) -> None:
    if solution.stage != Stage.SCALE:
        raise ValidationError(
            _(
                "Only a solution at scale rollout can be a benchmark case; "
                "this one is in %(stage)s."
            )
            % {"stage": solution.get_stage_display()}
        )


def _locked_case(case: BenchmarkCase) -> BenchmarkCase:
    return (
        BenchmarkCase.objects.select_for_update()
        .select_related("solution__scenario", "solution__organisation")
        .get(pk=case.pk)
    )


@transaction.atomic
def benchmark_case_save(
    *, solution: Solution, user: AnyUser, summary_zh: str, summary_en: str
) -> BenchmarkCase:
    """Save the draft of the solution's case (create it on first save)."""
    person = _user(user)
    if not case_selectors.can_edit_case(person, solution):
        raise PermissionDenied(_("Your role may not edit this benchmark case."))
    _require_scale(solution)
    summary_zh, summary_en = summary_zh.strip(), summary_en.strip()
    now = _now()
    case = BenchmarkCase.objects.select_for_update().filter(solution=solution).first()
    if case is None:
        case = BenchmarkCase(
            solution=solution,
            slug=slugify(f"{solution.scenario.code}-{solution.pk}"),
            is_demo=solution.is_demo,
            created_at=now,
        )
    elif case.status == BenchmarkCase.Status.PUBLISHED:
        raise ValidationError(_("A published case cannot change; withdraw it first."))
    changed = (case.summary_zh, case.summary_en) != (summary_zh, summary_en)
    case.summary_zh, case.summary_en = summary_zh, summary_en
    if is_vendor_writer(person, solution):
        case.vendor_consent_by, case.vendor_consent_at = person, now
    elif changed:
        case.vendor_consent_by, case.vendor_consent_at = None, None
    case.status = BenchmarkCase.Status.DRAFT
    case.updated_at = now
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def benchmark_case_publish(*, case: BenchmarkCase, user: AnyUser) -> BenchmarkCase:
    """Publish the case with a snapshot of its evidence.

    1. Operators, or the owner's writers with the vendor's consent (403
       for other roles).
    2. The solution is at scale rollout and both summaries are written.
    3. Copy the evidence numbers (``case_selectors.case_snapshot``).
    4. Append ``lifecycle.case_published`` last; the case keeps its
       sequence number and hash.
    """
    person = _user(user)
    case = _locked_case(case)
    solution = case.solution
    if not case_selectors.can_publish_case(person, solution):
        raise PermissionDenied(_("Your role may not publish this benchmark case."))
    if case.status == BenchmarkCase.Status.PUBLISHED:
        raise ValidationError(_("The case is already published."))
    _require_scale(solution)
    if not (case.summary_zh and case.summary_en):
        raise ValidationError(
            _("Write the solution summary in Chinese and in English first.")
        )
    operator = is_operator(person)
    if case.vendor_consent_at is None and not operator:
        raise ValidationError(_("The vendor has not consented to this summary yet."))
    snapshot = case_selectors.case_snapshot(solution)
    now = _now()
    case.evidence = snapshot
    case.status = BenchmarkCase.Status.PUBLISHED
    case.published_by = person
    case.published_at = now
    case.withdrawn_at = None
    case.withdraw_reason = ""
    case.updated_at = now
    entry = ledger_append(
        kind="lifecycle.case_published",
        actor=person,
        subject=f"solution:{solution.pk}",
        organisation=solution.organisation,
        payload={
            "case": case.pk,
            "slug": case.slug,
            "summary_zh": case.summary_zh,
            "summary_en": case.summary_en,
            "vendor_consent_by": case.vendor_consent_by_id,
            "snapshot": snapshot,
        },
        evidence=[f"case:{case.pk}", *snapshot["evidence"]],
    )
    case.ledger_sequence = entry.sequence
    case.ledger_hash = entry.entry_hash
    case.save(
        update_fields=[
            "evidence",
            "status",
            "published_by",
            "published_at",
            "withdrawn_at",
            "withdraw_reason",
            "updated_at",
            "ledger_sequence",
            "ledger_hash",
        ]
    )
    return case


@transaction.atomic
def benchmark_case_withdraw(
    *, case: BenchmarkCase, user: AnyUser, reason: str
) -> BenchmarkCase:
    """Take a published case off the public pages, with a reason."""
    person = _user(user)
    case = _locked_case(case)
    if not case_selectors.can_withdraw_case(person, case.solution):
        raise PermissionDenied(_("Your role may not withdraw this benchmark case."))
    if case.status != BenchmarkCase.Status.PUBLISHED:
        raise ValidationError(_("Only a published case can be withdrawn."))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for withdrawing the case."))
    now = _now()
    case.status = BenchmarkCase.Status.WITHDRAWN
    case.withdrawn_at = now
    case.withdraw_reason = reason
    case.updated_at = now
    case.save(update_fields=["status", "withdrawn_at", "withdraw_reason", "updated_at"])
    ledger_append(
        kind="lifecycle.case_withdrawn",
        actor=person,
        subject=f"solution:{case.solution_id}",
        organisation=case.solution.organisation,
        payload={"case": case.pk, "slug": case.slug, "reason": reason},
        evidence=[f"case:{case.pk}"],
    )
    return case
