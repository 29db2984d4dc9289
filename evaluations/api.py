"""REST API of suite versions, leaderboards, submissions and runs.

Thin view sets in the style of ``scenarios.api``: every method parses its
input, calls one selector or service, and renders. ``selectors`` decide what
a user may see (404), the services what they may change (403) and whether
the input holds (400, with the same field messages as the pages).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status
from rest_framework.exceptions import (
    APIException,
    NotAuthenticated,
    PermissionDenied,
)
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from evaluations import leaderboard, public_inputs, selectors, services
from evaluations.models import Run, Submission, SuiteVersion
from evaluations.serializers import (
    LeaderboardSerializer,
    RunLogSerializer,
    RunSerializer,
    SubmissionCreatedSerializer,
    SubmissionCreateInputSerializer,
    SubmissionSerializer,
    SuiteVersionSerializer,
)
from scenarios.api import ERRORS, READ_ERRORS, BaseViewSet


def _parse(
    serializer_class: type[Any], request: Request, **kwargs: Any
) -> dict[str, Any]:
    serializer = serializer_class(
        data=request.data, context={"request": request}, **kwargs
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class InputsUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _(
        "This suite's inputs cannot be read at the moment. Please tell the "
        "suite's owner."
    )
    default_code = "inputs_unavailable"


class SuiteVersionViewSet(BaseViewSet):
    """A suite version: its configuration, leaderboard and submissions."""

    queryset = SuiteVersion.objects.none()
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Show a suite version's metrics, gates, weights and budget",
        responses={200: SuiteVersionSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        version = selectors.get_suite_version_for_user(request.user, pk)
        return Response(
            SuiteVersionSerializer(version, context={"request": request}).data
        )

    @extend_schema(
        summary="Download the published inputs of a split (prediction files)",
        description=(
            "For suite versions that accept prediction files: a zip with "
            "`ids.csv` (the ids to predict, in order) and `calls/<id>/`, the "
            "input files a solution package would receive (features, never "
            "labels). A prediction file covers the ids of both splits. Who "
            "may download follows the suite's `inputs_access`."
        ),
        parameters=[
            OpenApiParameter("split", str, OpenApiParameter.PATH, enum=Run.Split.values)
        ],
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            401: OpenApiResponse(description="Sign in to download the inputs."),
            403: OpenApiResponse(
                description="Only members of verified organisations may download."
            ),
            404: READ_ERRORS[404],
            503: OpenApiResponse(description="The suite's inputs cannot be read."),
        },
    )
    def inputs(self, request: Request, pk: int, split: str) -> FileResponse:
        version = selectors.get_suite_version_for_user(request.user, pk)
        if not version.accepts_prediction_files or split not in Run.Split.values:
            raise Http404("This suite version publishes no inputs.")
        decision = selectors.inputs_decision(request.user, version)
        if not decision.allowed:
            if decision.reason == "login":
                raise NotAuthenticated(_("Sign in to download the inputs."))
            raise PermissionDenied(
                _("Only members of verified organisations may download the inputs.")
            )
        try:
            path = public_inputs.inputs_archive(version, split)
        except public_inputs.InputsError as exc:
            raise InputsUnavailable from exc
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=public_inputs.inputs_file_name(version, split),
            content_type="application/zip",
        )

    @extend_schema(
        summary="Show the official leaderboard of a suite version",
        description=(
            "One row per organisation: its best hidden run, in the official "
            "order (gates passed first, composite score, primary metric, "
            "earlier submission; see docs/leaderboard.md). Not paginated."
        ),
        responses={200: LeaderboardSerializer, **READ_ERRORS},
    )
    def leaderboard(self, request: Request, pk: int) -> Response:
        version = selectors.get_suite_version_for_user(request.user, pk)
        board = leaderboard.leaderboard_get(version)
        return Response(LeaderboardSerializer(board).data)

    @extend_schema(
        summary="Submit a solution package or a prediction file",
        description=(
            "Checks the upload like the upload form and queues its validation "
            "run on the public sample; `validation_run` is that run's id. A "
            "refused file is reported under `file`. A prediction file (where "
            "`accepts_prediction_files`) covers the ids of the sample and of "
            "the hidden test, and needs `name` and `version_label`."
        ),
        request={"multipart/form-data": SubmissionCreateInputSerializer},
        responses={201: SubmissionCreatedSerializer, **ERRORS},
    )
    def submit(self, request: Request, pk: int) -> Response:
        version = selectors.get_suite_version_for_user(request.user, pk)
        data = _parse(SubmissionCreateInputSerializer, request)
        upload = data["file"]
        submission = services.submission_create(
            suite_version=version,
            organisation=data["organisation"],
            user=request.user,
            upload=upload,
            file_name=upload.name or "solution",
            labels=services.SolutionLabels(
                name=data.get("name", ""),
                version_label=data.get("version_label", ""),
                description=data.get("description", ""),
            ),
        )
        return Response(
            SubmissionCreatedSerializer(submission).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(
        summary="List your organisations' submissions, newest first",
        responses=SubmissionSerializer(many=True),
    ),
)
class SubmissionViewSet(BaseViewSet):
    """The submissions of the caller's vendor organisations."""

    queryset = Submission.objects.none()
    permission_classes = [IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["suite_version"]

    def list(self, request: Request) -> Response:
        submissions = self.filter_queryset(selectors.submission_list_for(request.user))
        return self.paginated(submissions, SubmissionSerializer)


class RunViewSet(BaseViewSet):
    """One evaluation of a submission on the sample or the hidden split."""

    queryset = Run.objects.none()
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Show a run: status, progress, queue position and results",
        responses={200: RunSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        run = selectors.get_run_for_user(request.user, pk)
        return Response(RunSerializer(run, context={"request": request}).data)

    @extend_schema(
        summary="Show the log of a validation run (submitting vendor only)",
        description="Hidden runs never have a log; for them the answer is 404.",
        responses={200: RunLogSerializer, **READ_ERRORS},
    )
    def log(self, request: Request, pk: int) -> Response:
        run = selectors.get_run_for_user(request.user, pk)
        if not selectors.can_see_log(request.user, run):
            raise Http404("No such run log.")
        return Response(RunLogSerializer(run).data)

    @extend_schema(
        summary="Cancel a run that has not finished",
        request=None,
        responses={200: RunSerializer, **ERRORS},
    )
    def cancel(self, request: Request, pk: int) -> Response:
        run = selectors.get_run_for_user(request.user, pk)
        run = services.run_cancel(run=run, user=request.user)
        return Response(RunSerializer(run, context={"request": request}).data)
