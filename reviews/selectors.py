"""Reads of review rounds, scoped by who is asking.

The rules (issue 4):

* Rounds are managed by writers of the scenario's owner organisation and by
  operators; read-only members of the owner see them. The chair is the
  round's chair or an operator.
* A reviewer sees an entry only through an active assignment, and never
  when conflicted with it: conflicted reviewers get 404 on the entry, its
  reviews, its discussion and every aggregate that includes it. Whoever
  views a round table never sees the entries they are conflicted with.
* Reviewers see the other reviews of an entry only after submitting theirs,
  and then without reviewer names.
* In a blind round reviewers get no vendor identity (organisation, people,
  file name, solution name, description, manifest) until the entry's
  decision.
* Vendors see their own entries, the decision and its reasons, never the
  reviews.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from evaluations.models import Run, Submission
from portal.accounts.models import Membership, Organisation, ReviewerProfile, User
from portal.accounts.selectors import AnyUser, is_operator, organisation_ids_of
from reviews.models import (
    Assignment,
    Comment,
    Conflict,
    Decision,
    ReviewRound,
    ReviewVersion,
    RoundEntry,
)
from reviews.rubric import DIMENSIONS
from scenarios.models import Scenario
from scenarios.selectors import can_write_scenario

# --- roles --------------------------------------------------------------------


def can_manage_round(user: AnyUser, review_round: ReviewRound) -> bool:
    """Writers of the scenario's owner organisation, and operators."""
    return is_operator(user) or can_write_scenario(user, review_round.scenario)


def can_manage_scenario_rounds(user: AnyUser, scenario: Scenario) -> bool:
    return is_operator(user) or can_write_scenario(user, scenario)


def is_chair(user: AnyUser, review_round: ReviewRound) -> bool:
    if not user.is_authenticated:
        return False
    return review_round.chair_id == user.pk or is_operator(user)


def can_view_round(user: AnyUser, review_round: ReviewRound) -> bool:
    """Managers, the chair and read-only members of the owner organisation."""
    if can_manage_round(user, review_round) or is_chair(user, review_round):
        return True
    return review_round.scenario.owner_id in organisation_ids_of(
        user, kind=Organisation.Kind.ENERGY, verified=False
    )


# --- conflicts of interest -----------------------------------------------------


def _names_of(organisation: Organisation) -> set[str]:
    return {
        " ".join(name.split()).casefold()
        for name in (organisation.name_zh, organisation.name_en, organisation.slug)
        if name.strip()
    }


def memberships_by_user(users: Iterable[User]) -> dict[int, set[int]]:
    """Map each user's id to the ids of their organisations (one query)."""
    result: dict[int, set[int]] = {u.pk: set() for u in users}
    for user_id, organisation_id in Membership.objects.filter(
        user_id__in=result
    ).values_list("user_id", "organisation_id"):
        result[user_id].add(organisation_id)
    return result


def detected_conflict_reasons(
    *,
    member_of: set[int],
    organisation: Organisation,
    profile: ReviewerProfile | None,
) -> list[str]:
    """Why ``user`` is conflicted with ``organisation``, from what is on record.

    1. The user is a member of the organisation (any role, verified or not).
    2. A declared affiliation names the organisation (Chinese or English
       name or short name, ignoring case and spacing).
    3. A declared recent collaboration names it.
    """
    reasons = []
    if organisation.pk in member_of:
        reasons.append("member")
    if profile is not None:
        names = _names_of(organisation)
        for kind, lines in (
            ("affiliation", profile.affiliations),
            ("collaboration", profile.collaborations),
        ):
            if any(" ".join(line.split()).casefold() in names for line in lines):
                reasons.append(kind)
    return reasons


def _profile_of(user: User) -> ReviewerProfile | None:
    return ReviewerProfile.objects.filter(user=user).first()


def conflicted_entry_ids(user: AnyUser, entries: Sequence[RoundEntry]) -> set[int]:
    """The ids of ``entries`` the user is conflicted with (stored or detected).

    Takes entries with ``submission__organisation`` loaded; two queries.
    """
    if not isinstance(user, User) or not entries:
        return set()
    stored = list(
        Conflict.objects.filter(reviewer=user).values_list(
            "organisation_id", "entry_id"
        )
    )
    organisations = {o for o, _ in stored if o is not None}
    entry_ids = {e for _, e in stored if e is not None}
    profile = _profile_of(user)
    member_of = {m.organisation_id for m in user.active_memberships}
    result = set()
    for entry in entries:
        vendor = entry.submission.organisation
        if (
            entry.pk in entry_ids
            or vendor.pk in organisations
            or detected_conflict_reasons(
                member_of=member_of, organisation=vendor, profile=profile
            )
        ):
            result.add(entry.pk)
    return result


def is_conflicted(user: AnyUser, entry: RoundEntry) -> bool:
    return entry.pk in conflicted_entry_ids(user, [entry])


def conflict_list_for(user: User) -> QuerySet[Conflict]:
    return Conflict.objects.filter(reviewer=user).select_related("organisation")


# --- scoped fetch functions ----------------------------------------------------

_ROUND_RELATED = ("scenario", "scenario__owner", "chair")


def get_round_for_user(user: AnyUser, pk: int, *, write: bool = False) -> ReviewRound:
    """Return the round if ``user`` may see it (404) and manage it (403)."""
    review_round = (
        ReviewRound.objects.select_related(*_ROUND_RELATED).filter(pk=pk).first()
    )
    if review_round is None or not can_view_round(user, review_round):
        raise Http404("No such review round.")
    if _reviews_in_round(user, review_round):
        # A read-only owner member who also reviews in the round would see
        # the other reviews before submitting their own.
        raise Http404("No such review round.")
    if write and not can_manage_round(user, review_round):
        raise PermissionDenied
    return review_round


def _reviews_in_round(user: AnyUser, review_round: ReviewRound) -> bool:
    """Does ``user`` review in the round without managing or chairing it?"""
    if can_manage_round(user, review_round) or is_chair(user, review_round):
        return False
    return (
        Assignment.objects.filter(entry__round=review_round, reviewer_id=user.pk)
        .exclude(status=Assignment.Status.DECLINED)
        .exists()
    )


_ENTRY_RELATED = (
    "round__scenario__owner",
    "round__chair",
    "submission__organisation",
    "submission__submitted_by",
    "submission__suite_version__suite",
)


def get_assignment_for_user(user: AnyUser, pk: int) -> Assignment:
    """Return the user's own active, unconflicted assignment, or raise 404."""
    if not user.is_authenticated:
        raise Http404("No such assignment.")
    assignment = (
        Assignment.objects.select_related(
            *(f"entry__{name}" for name in _ENTRY_RELATED)
        )
        .filter(pk=pk, reviewer_id=user.pk)
        .exclude(status=Assignment.Status.DECLINED)
        .first()
    )
    if assignment is None or is_conflicted(user, assignment.entry):
        raise Http404("No such assignment.")
    return assignment


@dataclass(frozen=True)
class EntryAccess:
    entry: RoundEntry
    is_chair: bool
    can_manage: bool
    # The viewer's own active assignment, if they review the entry.
    assignment: Assignment | None
    # A read-only member of the scenario's owner (who does not review it).
    is_owner_viewer: bool = False

    @property
    def sees_reviewer_names(self) -> bool:
        return self.is_chair or self.can_manage or self.is_owner_viewer


def get_entry_for_user(user: AnyUser, pk: int) -> EntryAccess:
    """Return an entry for its discussion: its unconflicted reviewers, the
    chair and the round's managers; 404 for everybody else."""
    entry = RoundEntry.objects.select_related(*_ENTRY_RELATED).filter(pk=pk).first()
    if entry is None or not user.is_authenticated:
        raise Http404("No such entry.")
    if is_conflicted(user, entry):
        raise Http404("No such entry.")
    review_round = entry.round
    chair = is_chair(user, review_round)
    manage = can_manage_round(user, review_round)
    assignment = (
        Assignment.objects.filter(entry=entry, reviewer_id=user.pk)
        .exclude(status=Assignment.Status.DECLINED)
        .first()
    )
    owner_viewer = (
        not (chair or manage)
        and assignment is None
        and can_view_round(user, review_round)
    )
    if not (chair or manage or owner_viewer or assignment):
        raise Http404("No such entry.")
    return EntryAccess(entry, chair, manage, assignment, owner_viewer)


def get_vendor_entry_for_user(
    user: AnyUser, pk: int, *, write: bool = False
) -> RoundEntry:
    """Return an entry of one of the user's vendor organisations.

    404 for anyone else; with ``write`` (posting the response, declaring
    a conflict), 403 for read-only members.
    """
    entry = RoundEntry.objects.select_related(*_ENTRY_RELATED).filter(pk=pk).first()
    vendor_ids = organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False
    )
    if entry is None or entry.submission.organisation_id not in vendor_ids:
        raise Http404("No such entry.")
    if write and entry.submission.organisation_id not in organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False, write=True
    ):
        raise PermissionDenied
    return entry


# --- blind mode ------------------------------------------------------------------


def identity_visible(user: AnyUser, entry: RoundEntry) -> bool:
    """May ``user`` see who submitted ``entry``?

    Always in open rounds and after the entry's decision; in blind rounds
    before it, only the round's managers, its chair and owner members.
    """
    review_round = entry.round
    if not review_round.blind:
        return True
    if Decision.objects.filter(entry=entry).exists():
        return True
    return can_view_round(user, review_round)


# --- lists -------------------------------------------------------------------------


def assignment_list_for(user: AnyUser) -> list[Assignment]:
    """The user's active assignments across rounds, soonest deadline first.

    Assignments on entries the user is now conflicted with are left out.
    """
    if not isinstance(user, User):
        return []
    assignments = list(
        Assignment.objects.filter(reviewer=user)
        .exclude(status=Assignment.Status.DECLINED)
        .exclude(entry__round__status=ReviewRound.Status.DRAFT)
        .select_related(
            "entry__round__scenario",
            "entry__submission__organisation",
            "review__current",
            "entry__decision",
        )
        .order_by("entry__round__deadline", "entry__round_id", "entry__number")
    )
    conflicted = conflicted_entry_ids(user, [a.entry for a in assignments])
    return [a for a in assignments if a.entry_id not in conflicted]


def round_list_for(user: AnyUser) -> list[ReviewRound]:
    """Rounds the user manages, chairs or may see as an owner member."""
    if not user.is_authenticated:
        return []
    q = Q(chair_id=user.pk)
    if not is_operator(user):
        owners = organisation_ids_of(
            user, kind=Organisation.Kind.ENERGY, verified=False
        )
        q |= Q(scenario__owner_id__in=owners)
        rounds = ReviewRound.objects.filter(q)
    else:
        rounds = ReviewRound.objects.all()
    return list(
        rounds.select_related("scenario", "chair")
        .annotate(entry_count=Count("entries"))
        .order_by("-created_at", "-pk")
    )


def manageable_scenarios(user: AnyUser) -> list[Scenario]:
    """Scenarios for which the user may open review rounds."""
    if not user.is_authenticated:
        return []
    scenarios = Scenario.objects.filter(status=Scenario.Status.PUBLISHED)
    if not is_operator(user):
        writers = organisation_ids_of(
            user, kind=Organisation.Kind.ENERGY, verified=False, write=True
        )
        scenarios = scenarios.filter(owner_id__in=writers)
    return list(scenarios.order_by("code"))


def vendor_entry_list(user: AnyUser) -> list[RoundEntry]:
    """Entries of the user's vendor organisations in rounds that opened."""
    vendor_ids = organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False
    )
    if not vendor_ids:
        return []
    return list(
        RoundEntry.objects.filter(submission__organisation_id__in=vendor_ids)
        .exclude(round__status=ReviewRound.Status.DRAFT)
        .select_related(
            "round__scenario", "submission__organisation", "decision", "response"
        )
        .order_by("-round__created_at", "number")
    )


def reviewer_pool() -> list[User]:
    """Active users with a reviewer profile, with their profiles."""
    return list(
        User.objects.filter(is_active=True, reviewer_profile__isnull=False)
        .select_related("reviewer_profile")
        .order_by("username")
    )


def candidate_submissions(review_round: ReviewRound) -> list[Submission]:
    """The scenario's submissions that are not yet entries of the round."""
    return list(
        Submission.objects.filter(suite_version__suite__scenario=review_round.scenario)
        .exclude(pk__in=review_round.entries.values("submission_id"))
        .select_related("organisation", "suite_version__suite")
        .order_by("-created_at", "-pk")
    )


# --- evidence -----------------------------------------------------------------------


def entry_evidence(entry: RoundEntry) -> list[Run]:
    """The latest finished run of the entry per split, hidden test first."""
    runs = Run.objects.filter(submission_id=entry.submission_id).exclude(
        status__in=[Run.Status.QUEUED, Run.Status.RUNNING]
    )
    latest: dict[str, Run] = {}
    for run in runs.order_by("-finished_at", "-pk"):
        latest.setdefault(run.split, run)
    return [latest[s] for s in (Run.Split.HIDDEN, Run.Split.SAMPLE) if s in latest]


# --- reviews -------------------------------------------------------------------------


def review_versions(assignment: Assignment) -> list[ReviewVersion]:
    return list(
        ReviewVersion.objects.filter(review__assignment=assignment).order_by("-number")
    )


def current_version(assignment: Assignment) -> ReviewVersion | None:
    return (
        ReviewVersion.objects.filter(review__assignment=assignment)
        .order_by("-number")
        .first()
    )


@dataclass
class VisibleReview:
    label: str
    reviewer: User | None
    version: ReviewVersion
    is_own: bool


def entry_review_list(access: EntryAccess) -> list[VisibleReview]:
    """The submitted reviews of the entry that the viewer may read.

    The chair and managers read all of them with names; a reviewer only
    after submitting their own, and the others as "Reviewer 1", "Reviewer 2".
    """
    own = access.assignment
    if not access.sees_reviewer_names and (
        own is None or own.status != Assignment.Status.SUBMITTED
    ):
        return []
    assignments = list(
        Assignment.objects.filter(
            entry=access.entry, status=Assignment.Status.SUBMITTED
        )
        .select_related("reviewer", "review__submitted")
        .order_by("pk")
    )
    conflicted = _conflicted_reviewers(access.entry, [a.reviewer for a in assignments])
    result = []
    for index, assignment in enumerate(
        (a for a in assignments if a.reviewer_id not in conflicted), start=1
    ):
        version = assignment.review.submitted
        if version is None:
            continue
        is_own = own is not None and assignment.pk == own.pk
        result.append(
            VisibleReview(
                label=str(index),
                reviewer=assignment.reviewer if access.sees_reviewer_names else None,
                version=version,
                is_own=is_own,
            )
        )
    return result


def _conflicted_reviewers(entry: RoundEntry, reviewers: Iterable[User]) -> set[int]:
    """Reviewers of ``entry`` who are conflicted with it; their reviews
    never count (a conflict may be recorded after a review was written)."""
    reviewers = list(reviewers)
    if not reviewers:
        return set()
    vendor = entry.submission.organisation
    stored = set(
        Conflict.objects.filter(reviewer__in=reviewers)
        .filter(Q(entry=entry) | Q(organisation=vendor))
        .values_list("reviewer_id", flat=True)
    )
    profiles = {
        p.user_id: p for p in ReviewerProfile.objects.filter(user__in=reviewers)
    }
    members = memberships_by_user(reviewers)
    return stored | {
        r.pk
        for r in reviewers
        if detected_conflict_reasons(
            member_of=members[r.pk], organisation=vendor, profile=profiles.get(r.pk)
        )
    }


def comment_list(entry: RoundEntry) -> list[Comment]:
    return list(entry.comments.select_related("author"))


# --- the chair's table -----------------------------------------------------------


@dataclass
class DimensionSummary:
    scores: list[int]
    mean: float | None
    median: float | None
    spread: int | None


@dataclass
class ReviewerCell:
    assignment: Assignment
    version: ReviewVersion | None

    @property
    def missing(self) -> bool:
        return self.version is None


@dataclass
class EntryRow:
    entry: RoundEntry
    cells: list[ReviewerCell]
    dimensions: dict[str, DimensionSummary] = field(default_factory=dict)
    comment_count: int = 0

    @property
    def missing(self) -> list[ReviewerCell]:
        return [c for c in self.cells if c.missing]

    @property
    def missing_count(self) -> int:
        return len(self.missing)

    @property
    def has_response(self) -> bool:
        return hasattr(self.entry, "response")

    @property
    def decision(self) -> Decision | None:
        return getattr(self.entry, "decision", None)

    def dimension_list(self) -> list[tuple[str, DimensionSummary]]:
        return [(d, self.dimensions[d]) for d in DIMENSIONS]


def _summary(scores: list[int]) -> DimensionSummary:
    if not scores:
        return DimensionSummary([], None, None, None)
    return DimensionSummary(
        scores,
        round(statistics.fmean(scores), 2),
        float(statistics.median(scores)),
        max(scores) - min(scores),
    )


def round_table(review_round: ReviewRound, viewer: AnyUser) -> list[EntryRow]:
    """Entries × reviewers with the raw submitted scores per dimension.

    Raw mean, median and spread only; calibrated scores come from the
    aggregation module. Entries the viewer is conflicted with are left out,
    and so are the reviews of reviewers conflicted with an entry.
    """
    entries = list(
        review_round.entries.select_related(
            "submission__organisation",
            "submission__suite_version__suite",
            "decision",
            "response",
        )
        .annotate(comment_count=Count("comments"))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related(
                    "reviewer__reviewer_profile", "review__submitted"
                ).order_by("pk"),
            )
        )
    )
    hidden = conflicted_entry_ids(viewer, entries)
    all_reviewers = {
        a.reviewer_id: a.reviewer for e in entries for a in e.assignments.all()
    }
    stored = list(
        Conflict.objects.filter(reviewer_id__in=all_reviewers).values_list(
            "reviewer_id", "organisation_id", "entry_id"
        )
    )
    members = memberships_by_user(all_reviewers.values())
    rows = []
    for entry in entries:
        if entry.pk in hidden:
            continue
        vendor = entry.submission.organisation
        cells = []
        for assignment in entry.assignments.all():
            if assignment.status == Assignment.Status.DECLINED:
                continue
            reviewer = assignment.reviewer
            if any(
                r == reviewer.pk and (o == vendor.pk or e == entry.pk)
                for r, o, e in stored
            ) or detected_conflict_reasons(
                member_of=members[reviewer.pk],
                organisation=vendor,
                profile=getattr(reviewer, "reviewer_profile", None),
            ):
                continue
            review = getattr(assignment, "review", None)
            cells.append(ReviewerCell(assignment, review.submitted if review else None))
        row = EntryRow(entry, cells, comment_count=entry.comment_count)
        for dimension in DIMENSIONS:
            scores = [
                s
                for c in cells
                if c.version is not None
                for s in [c.version.score(dimension)]
                if s is not None
            ]
            row.dimensions[dimension] = _summary(scores)
        rows.append(row)
    return rows


def round_event_list(review_round: ReviewRound) -> list[Any]:
    return list(review_round.events.select_related("actor")[:50])


def decision_list_for(user: AnyUser) -> list[Decision]:
    """Decisions on the entries of the user's vendor organisations."""
    vendor_ids = organisation_ids_of(
        user, kind=Organisation.Kind.VENDOR, verified=False
    )
    return list(
        Decision.objects.filter(entry__submission__organisation_id__in=vendor_ids)
        .select_related("entry__round__scenario", "entry__submission")
        .order_by("-created_at", "-pk")
    )
