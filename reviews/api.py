"""REST API of expert review.

Thin view sets in the style of ``evaluations.api``: every method calls one
selector or service and renders. The same visibility rules as the pages
apply: conflicted reviewers get 404, blind rounds send no vendor identity
to reviewers, vendors get decisions and reasons only.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from reviews import selectors, services
from reviews.models import Assignment, Decision, ReviewRound
from reviews.scorecard_selectors import (
    reliability_rows,
    round_scorecard,
    scorecard_rows,
)
from reviews.serializers import (
    AssignmentSerializer,
    ReviewDetailSerializer,
    ReviewInputSerializer,
    ReviewVersionSerializer,
    RoundDetailSerializer,
    RoundScorecardSerializer,
    VendorDecisionSerializer,
)
from scenarios.api import ERRORS, READ_ERRORS, BaseViewSet


def _parse(serializer_class: type[Any], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _review_detail(request: Request, assignment: Assignment) -> dict[str, Any]:
    entry = assignment.entry
    review = (
        getattr(assignment, "review", None) if hasattr(assignment, "review") else None
    )
    return {
        "assignment": assignment,
        "vendor": entry.submission
        if selectors.identity_visible(request.user, entry)
        else None,
        "thresholds": list(entry.round.scenario.thresholds.all()),
        "evidence": selectors.entry_evidence(entry),
        "current": review.current if review else None,
        "submitted": review.submitted if review else None,
        "versions": selectors.review_versions(assignment),
        "editable": entry.round.status == ReviewRound.Status.OPEN,
    }


class AssignmentViewSet(BaseViewSet):
    """The caller's review assignments and their reviews."""

    queryset = Assignment.objects.none()
    permission_classes = [IsAuthenticated]
    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(
        summary="List your review assignments, soonest deadline first",
        description="Assignments on entries you are conflicted with are left out.",
        responses=AssignmentSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        assignments = selectors.assignment_list_for(request.user)
        return Response(AssignmentSerializer(assignments, many=True).data)

    @extend_schema(
        summary="Show your review of an entry with the evidence beside it",
        description=(
            "The scenario's thresholds, the latest finished runs of the entry "
            "(metrics, gates, probes, resources), the current draft, the last "
            "submitted version and the list of saved versions. `vendor` is "
            "null in a blind round until the decision."
        ),
        responses={200: ReviewDetailSerializer, **READ_ERRORS},
    )
    def review(self, request: Request, pk: int) -> Response:
        assignment = selectors.get_assignment_for_user(request.user, pk)
        return Response(
            ReviewDetailSerializer(_review_detail(request, assignment)).data
        )

    @extend_schema(
        summary="Save a draft of your review (a new version)",
        description="Every save adds a version; none is ever overwritten.",
        request=ReviewInputSerializer,
        responses={201: ReviewVersionSerializer, **ERRORS},
    )
    def save(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, submit=False)

    @extend_schema(
        summary="Submit your review, or a revision of it",
        description=(
            "Every dimension needs a score and a confidence; scores of 4 and "
            "5 need evidence. Allowed until the round closes."
        ),
        request=ReviewInputSerializer,
        responses={201: ReviewVersionSerializer, **ERRORS},
    )
    def submit(self, request: Request, pk: int) -> Response:
        return self._save(request, pk, submit=True)

    def _save(self, request: Request, pk: int, *, submit: bool) -> Response:
        assignment = selectors.get_assignment_for_user(request.user, pk)
        data = _parse(ReviewInputSerializer, request)
        version = services.review_save(
            assignment=assignment,
            user=request.user,
            scores={k: dict(v) for k, v in data["scores"].items()},
            comment=data.get("comment", ""),
            submit=submit,
        )
        return Response(
            ReviewVersionSerializer(version).data, status=status.HTTP_201_CREATED
        )


class RoundViewSet(BaseViewSet):
    """A review round as its chair and managers see it."""

    queryset = ReviewRound.objects.none()
    permission_classes = [IsAuthenticated]
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Show a round: entries × reviewers with raw scores",
        description=(
            "For the chair, the scenario owner's members and operators. Raw "
            "submitted scores with mean, median and spread per dimension; "
            "entries you are conflicted with are left out."
        ),
        responses={200: RoundDetailSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        review_round = selectors.get_round_for_user(request.user, pk)
        rows = selectors.round_table(review_round, request.user)
        return Response(
            RoundDetailSerializer({"round": review_round, "entries": rows}).data
        )


class RoundScorecardViewSet(BaseViewSet):
    """A round's scorecard: calibrated scores, flags, composite, ranking."""

    queryset = ReviewRound.objects.none()
    permission_classes = [IsAuthenticated]
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Show a round's scorecard",
        description=(
            "For those who see the round (the chair, the scenario owner's "
            "members, operators), once it has opened. Per entry: the "
            "calibrated score of each dimension with its 95 % interval, the "
            "raw scores and the evidence band; the composite from the frozen "
            "weights, the rank with ties, the safety gate and the flags that "
            "need discussion. Per dimension: Krippendorff's alpha and ICC(2,1)."
        ),
        responses={200: RoundScorecardSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        review_round = selectors.get_round_for_user(request.user, pk)
        if review_round.status == ReviewRound.Status.DRAFT:
            raise Http404("The round has not opened.")
        result = round_scorecard(
            review_round, selectors.round_table(review_round, request.user)
        )
        return Response(
            RoundScorecardSerializer(
                {
                    "round": review_round,
                    "entries": scorecard_rows(result, names=True),
                    "reliability": reliability_rows(result),
                }
            ).data
        )


class DecisionViewSet(BaseViewSet):
    """Decisions on the entries of the caller's vendor organisations."""

    queryset = Decision.objects.none()
    permission_classes = [IsAuthenticated]
    filter_backends: list[Any] = []
    pagination_class = None

    @extend_schema(
        summary="List the decisions on your organisations' entries",
        description="The outcome and its reasons; never the reviews.",
        responses=VendorDecisionSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        decisions = selectors.decision_list_for(request.user)
        return Response(VendorDecisionSerializer(decisions, many=True).data)
