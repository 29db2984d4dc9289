"""REST API of scenarios, high-value lists, datasets and access requests.

Thin view sets: every method parses its input, calls one selector or
service, and renders. The selectors decide what a user may see (404) and
change (403); the services check everything else and raise Django's
``ValidationError``, which ``ApiErrorsMixin`` turns into a 400 with the same
field messages.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from scenarios import dataset_services, selectors, services
from scenarios.filters import DatasetFilter, ScenarioFilter
from scenarios.models import (
    AccessRequest,
    Dataset,
    HighValueList,
    Scenario,
    ScenarioEvent,
    ScenarioVersion,
)
from scenarios.serializers import (
    AccessRequestCreateInputSerializer,
    AccessRequestSerializer,
    DatasetCreateInputSerializer,
    DatasetDetailSerializer,
    DatasetSerializer,
    DatasetVersionCreateInputSerializer,
    DatasetVersionSerializer,
    HighValueListCreateInputSerializer,
    HighValueListDetailSerializer,
    HighValueListEntryInputSerializer,
    HighValueListEntrySerializer,
    HighValueListSerializer,
    OptionalReasonInputSerializer,
    OrganisationInputSerializer,
    ReasonInputSerializer,
    RegistrationSerializer,
    ScenarioCreateInputSerializer,
    ScenarioDetailSerializer,
    ScenarioEventSerializer,
    ScenarioMapInputSerializer,
    ScenarioMapSerializer,
    ScenarioSerializer,
    ScenarioUpdateInputSerializer,
    ScenarioVersionDetailSerializer,
    ScenarioVersionSerializer,
    ValueAssessmentInputSerializer,
    ValueAssessmentSerializer,
)

# Why a download is refused, by ``DownloadDecision.reason``.
DOWNLOAD_REFUSALS = {
    "hidden": _("This dataset never leaves the platform."),
    "login": _("Sign in to download this dataset."),
    "verified_organisation": _("Only members of a verified organisation may download."),
    "request": _("Your organisation needs an approved access request."),
}

# Responses shared by many operations, for the schema.
ERRORS = {
    400: OpenApiResponse(description="Invalid input; field errors by field name."),
    403: OpenApiResponse(description="Not signed in, or read-only access."),
    404: OpenApiResponse(description="No such object, or not visible to you."),
}
READ_ERRORS = {404: ERRORS[404]}


def validation_error_detail(exc: DjangoValidationError) -> dict[str, Any]:
    """Return DRF's error shape for a Django ``ValidationError``.

    Field messages stay under their field; messages for the whole object go
    under ``non_field_errors``, as DRF's own serializers put them.
    """
    detail = serializers.as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


class ApiErrorsMixin:
    """Turn the services' ``ValidationError`` into a 400 response.

    DRF already answers ``Http404`` with 404 and ``PermissionDenied`` with
    403 (HackSoft styleguide, "Errors & exception handling").
    """

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(validation_error_detail(exc))
        return super().handle_exception(exc)  # type: ignore[misc]


class BaseViewSet(ApiErrorsMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """A view set whose methods call selectors and services directly."""

    def paginated(
        self, queryset: QuerySet[Any], serializer_class: type[Any]
    ) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(
            page, many=True, context=self.get_serializer_context()
        ).data
        return self.get_paginated_response(data)


def _parse(
    serializer_class: type[Any], request: Request, **kwargs: Any
) -> dict[str, Any]:
    serializer = serializer_class(
        data=request.data, context={"request": request}, **kwargs
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- scenarios ----------------------------------------------------------------------


def _scenario_response(
    request: Request, scenario: Scenario, status_code: int = status.HTTP_200_OK
) -> Response:
    related = selectors.scenario_detail_related(scenario, request.user)
    serializer = ScenarioDetailSerializer(
        scenario, context={"request": request, "related": related}
    )
    return Response(serializer.data, status=status_code)


@extend_schema_view(
    list=extend_schema(
        summary="List scenarios",
        description=(
            "Published and closed scenarios by default; ask for other statuses "
            "with `status`. Owners also see their drafts, operators everything."
        ),
        responses=ScenarioSerializer(many=True),
    ),
)
class ScenarioViewSet(BaseViewSet):
    # The selector applies ScenarioFilter (it needs the user); these
    # attributes only describe its parameters in the schema.
    queryset = Scenario.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = ScenarioFilter

    def list(self, request: Request) -> Response:
        scenarios = selectors.scenario_list(
            user=request.user, params=request.query_params, strict=True
        )
        return self.paginated(scenarios, ScenarioSerializer)

    @extend_schema(
        summary="Create a draft scenario",
        request=ScenarioCreateInputSerializer,
        responses={201: ScenarioDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = _parse(ScenarioCreateInputSerializer, request)
        scenario = services.scenario_create(
            user=request.user,
            owner=data.pop("owner"),
            code=data.pop("code"),
            thresholds=data.pop("thresholds", []),
            data=data,
        )
        return _scenario_response(request, scenario, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Show a scenario",
        responses={200: ScenarioDetailSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        return _scenario_response(request, scenario)

    @extend_schema(
        summary="Edit a draft or publish a new version",
        description=(
            "A draft is edited in place. A published scenario gets a new "
            "version, which needs `change_notes`; the registered vendors are "
            "notified. The response shows the scenario with its new `version`."
        ),
        request=ScenarioUpdateInputSerializer,
        responses={200: ScenarioDetailSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code, write=True)
        data = _parse(ScenarioUpdateInputSerializer, request, partial=True)
        change_notes = data.pop("change_notes", "")
        thresholds = data.pop("thresholds", None)
        if scenario.status == Scenario.Status.PUBLISHED:
            version = services.scenario_revise(
                scenario=scenario,
                user=request.user,
                data=data,
                thresholds=thresholds,
                change_notes=change_notes,
            )
            return _scenario_response(request, version.scenario)
        scenario = services.scenario_update(
            scenario=scenario, user=request.user, data=data, thresholds=thresholds
        )
        return _scenario_response(request, scenario)

    @extend_schema(
        summary="Submit a draft for review",
        request=None,
        responses={200: ScenarioDetailSerializer, **ERRORS},
    )
    def submit(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        scenario = services.scenario_submit(scenario=scenario, user=request.user)
        return _scenario_response(request, scenario)

    @extend_schema(
        summary="Take a submitted scenario back to draft",
        request=None,
        responses={200: ScenarioDetailSerializer, **ERRORS},
    )
    def withdraw(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        scenario = services.scenario_withdraw(scenario=scenario, user=request.user)
        return _scenario_response(request, scenario)

    @extend_schema(
        summary="Publish a submitted scenario (operators)",
        request=None,
        responses={200: ScenarioDetailSerializer, **ERRORS},
    )
    def publish(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        scenario = services.scenario_publish(scenario=scenario, user=request.user)
        return _scenario_response(request, scenario)

    @extend_schema(
        summary="Return a submitted scenario with reasons (operators)",
        request=ReasonInputSerializer,
        responses={200: ScenarioDetailSerializer, **ERRORS},
    )
    def reject(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        data = _parse(ReasonInputSerializer, request)
        scenario = services.scenario_reject(
            scenario=scenario, user=request.user, reason=data["reason"]
        )
        return _scenario_response(request, scenario)

    @extend_schema(
        summary="Close a published scenario",
        request=OptionalReasonInputSerializer,
        responses={200: ScenarioDetailSerializer, **ERRORS},
    )
    def close(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        data = _parse(OptionalReasonInputSerializer, request)
        scenario = services.scenario_close(
            scenario=scenario, user=request.user, reason=data["reason"]
        )
        return _scenario_response(request, scenario)

    @extend_schema(
        summary="Reopen a closed scenario",
        request=None,
        responses={200: ScenarioDetailSerializer, **ERRORS},
    )
    def reopen(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        scenario = services.scenario_reopen(scenario=scenario, user=request.user)
        return _scenario_response(request, scenario)

    @extend_schema(
        summary="Archive a closed scenario",
        request=None,
        responses={200: ScenarioDetailSerializer, **ERRORS},
    )
    def archive(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        scenario = services.scenario_archive(scenario=scenario, user=request.user)
        return _scenario_response(request, scenario)

    @extend_schema(
        summary="Register a vendor organisation to work on a scenario",
        request=OrganisationInputSerializer,
        responses={201: RegistrationSerializer, **ERRORS},
    )
    def register(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        data = _parse(OrganisationInputSerializer, request)
        registration = services.scenario_register(
            scenario=scenario, organisation=data["organisation"], user=request.user
        )
        return Response(RegistrationSerializer(registration).data, status=201)

    @extend_schema(
        summary="Withdraw a vendor organisation's registration",
        request=OrganisationInputSerializer,
        responses={204: None, **ERRORS},
    )
    def unregister(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        data = _parse(OrganisationInputSerializer, request)
        services.scenario_unregister(
            scenario=scenario, organisation=data["organisation"], user=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Set the strategic priority and adjustment (operators)",
        request=ValueAssessmentInputSerializer,
        responses={200: ValueAssessmentSerializer, **ERRORS},
    )
    def assessment(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        data = _parse(ValueAssessmentInputSerializer, request)
        assessment = services.value_assessment_update(
            scenario=scenario, user=request.user, **data
        )
        return Response(ValueAssessmentSerializer(assessment).data)


@extend_schema_view(
    list=extend_schema(
        summary="List the published versions of a scenario",
        responses={200: ScenarioVersionSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Show the frozen specification of one version",
        responses={200: ScenarioVersionDetailSerializer, **READ_ERRORS},
    ),
)
class ScenarioVersionViewSet(BaseViewSet):
    queryset = ScenarioVersion.objects.none()
    filter_backends: list[Any] = []

    def list(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        return self.paginated(
            selectors.scenario_version_list(scenario), ScenarioVersionSerializer
        )

    def retrieve(self, request: Request, code: str, number: int) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        version = selectors.get_scenario_version(scenario, number)
        return Response(ScenarioVersionDetailSerializer(version).data)


@extend_schema_view(
    list=extend_schema(
        summary="List the history of a scenario, newest first",
        description="For the owner's writers and operators, as on the scenario page.",
        responses={200: ScenarioEventSerializer(many=True), **ERRORS},
    ),
)
class ScenarioEventViewSet(BaseViewSet):
    queryset = ScenarioEvent.objects.none()
    filterset_fields = ["action"]

    def list(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code)
        if not selectors.can_see_history(request.user, scenario):
            raise PermissionDenied
        events = self.filter_queryset(selectors.scenario_event_list(scenario))
        return self.paginated(events, ScenarioEventSerializer)


class ScenarioMapApi(ApiErrorsMixin, APIView):
    @extend_schema(
        summary="Count public scenarios by sector and value-chain stage",
        parameters=[ScenarioMapInputSerializer],
        responses={200: ScenarioMapSerializer, 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        serializer = ScenarioMapInputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        scenario_map = selectors.scenario_map(
            task_type=serializer.validated_data.get("task_type") or None
        )
        return Response(ScenarioMapSerializer(scenario_map).data)


# --- high-value lists ------------------------------------------------------------------


def _high_value_list_response(
    request: Request, hv_list: HighValueList, status_code: int = status.HTTP_200_OK
) -> Response:
    entries = selectors.high_value_list_entries(hv_list)
    serializer = HighValueListDetailSerializer(
        hv_list, context={"request": request, "entries": entries}
    )
    return Response(serializer.data, status=status_code)


@extend_schema_view(
    list=extend_schema(
        summary="List high-value scenario lists",
        description="Published lists; operators also see drafts.",
        responses=HighValueListSerializer(many=True),
    ),
)
class HighValueListViewSet(BaseViewSet):
    queryset = HighValueList.objects.none()
    filterset_fields = ["year"]

    def list(self, request: Request) -> Response:
        hv_lists = self.filter_queryset(
            selectors.high_value_list_queryset(request.user)
        )
        return self.paginated(hv_lists, HighValueListSerializer)

    @extend_schema(
        summary="Create a draft list (operators)",
        request=HighValueListCreateInputSerializer,
        responses={201: HighValueListDetailSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = _parse(HighValueListCreateInputSerializer, request)
        hv_list = services.high_value_list_create(
            user=request.user, year=data.pop("year"), batch=data.pop("batch"), data=data
        )
        return _high_value_list_response(request, hv_list, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Show a list with its ranked entries",
        responses={200: HighValueListDetailSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, slug: str) -> Response:
        hv_list = selectors.get_high_value_list_for_user(request.user, slug)
        return _high_value_list_response(request, hv_list)

    @extend_schema(
        summary="Publish a list (operators)",
        description="Entries keep the value score they have at this moment.",
        request=None,
        responses={200: HighValueListDetailSerializer, **ERRORS},
    )
    def publish(self, request: Request, slug: str) -> Response:
        hv_list = selectors.get_high_value_list_for_user(request.user, slug, write=True)
        hv_list = services.high_value_list_publish(hv_list=hv_list, user=request.user)
        return _high_value_list_response(request, hv_list)

    @extend_schema(
        summary="Append a published scenario to a draft list (operators)",
        request=HighValueListEntryInputSerializer,
        responses={201: HighValueListEntrySerializer, **ERRORS},
    )
    def entry_add(self, request: Request, slug: str) -> Response:
        hv_list = selectors.get_high_value_list_for_user(request.user, slug, write=True)
        data = _parse(HighValueListEntryInputSerializer, request)
        entry = services.high_value_list_add(hv_list=hv_list, user=request.user, **data)
        return Response(HighValueListEntrySerializer(entry).data, status=201)

    @extend_schema(
        summary="Remove a scenario from a draft list (operators)",
        request=None,
        responses={204: None, **ERRORS},
    )
    def entry_remove(self, request: Request, slug: str, code: str) -> Response:
        hv_list = selectors.get_high_value_list_for_user(request.user, slug, write=True)
        scenario = selectors.get_scenario_for_user(request.user, code)
        services.high_value_list_remove(
            hv_list=hv_list, user=request.user, scenario=scenario
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- datasets ------------------------------------------------------------------------------


def _dataset_response(
    request: Request, dataset: Dataset, status_code: int = status.HTTP_200_OK
) -> Response:
    context = {
        "request": request,
        "dataset": dataset,
        "versions": selectors.dataset_versions(dataset),
        "decision": selectors.download_decision(request.user, dataset),
    }
    return Response(
        DatasetDetailSerializer(dataset, context=context).data, status=status_code
    )


@extend_schema_view(
    list=extend_schema(
        summary="List datasets",
        description="Datasets of the scenarios you may see.",
        responses=DatasetSerializer(many=True),
    ),
)
class DatasetViewSet(BaseViewSet):
    # The selector applies DatasetFilter; these attributes only describe its
    # parameters in the schema.
    queryset = Dataset.objects.none()
    filter_backends = [DjangoFilterBackend]
    filterset_class = DatasetFilter

    def list(self, request: Request) -> Response:
        datasets = selectors.dataset_list(
            user=request.user, params=request.query_params, strict=True
        )
        return self.paginated(datasets, DatasetSerializer)

    @extend_schema(
        summary="Show a datasheet with versions, files and your download rights",
        responses={200: DatasetDetailSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, slug: str) -> Response:
        dataset = selectors.get_dataset_for_user(request.user, slug)
        return _dataset_response(request, dataset)

    @extend_schema(
        summary="Add a dataset to a scenario (owner)",
        request=DatasetCreateInputSerializer,
        responses={201: DatasetDetailSerializer, **ERRORS},
    )
    def create(self, request: Request, code: str) -> Response:
        scenario = selectors.get_scenario_for_user(request.user, code, write=True)
        data = _parse(DatasetCreateInputSerializer, request)
        dataset = dataset_services.dataset_create(
            scenario=scenario, user=request.user, slug=data.pop("slug"), data=data
        )
        return _dataset_response(request, dataset, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Upload a new version with its files (owner)",
        request={"multipart/form-data": DatasetVersionCreateInputSerializer},
        responses={201: DatasetVersionSerializer, **ERRORS},
    )
    def version_create(self, request: Request, slug: str) -> Response:
        dataset = selectors.get_dataset_for_user(request.user, slug, write=True)
        data = _parse(DatasetVersionCreateInputSerializer, request)
        version = dataset_services.dataset_version_create(
            dataset=dataset, user=request.user, **data
        )
        context = {"request": request, "dataset": dataset}
        return Response(
            DatasetVersionSerializer(version, context=context).data, status=201
        )

    @extend_schema(
        summary="Download a file",
        description=(
            "Streams the file after recording the download. The "
            "`X-Content-SHA256` header carries its hash."
        ),
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            403: OpenApiResponse(description="Your access policy does not allow it."),
            404: READ_ERRORS[404],
        },
    )
    def download(self, request: Request, slug: str, file_id: int) -> FileResponse:
        dataset_file = selectors.get_dataset_file_for_user(request.user, slug, file_id)
        decision = selectors.download_decision(
            request.user, dataset_file.version.dataset
        )
        if not decision.allowed:
            raise PermissionDenied(
                DOWNLOAD_REFUSALS.get(
                    decision.reason, _("You may not download this file.")
                )
            )
        dataset_services.dataset_file_download_log(
            dataset_file=dataset_file,
            user=request.user,
            organisation=decision.organisation,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            via_api=True,
        )
        response = FileResponse(
            default_storage.open(dataset_file.blob.storage_name, "rb"),
            as_attachment=True,
            filename=dataset_file.name,
            content_type=dataset_file.media_type or "application/octet-stream",
        )
        response["X-Content-SHA256"] = dataset_file.blob.sha256
        return response


# --- access requests ---------------------------------------------------------------------


def _access_request_response(
    request: Request,
    access_request: AccessRequest,
    status_code: int = status.HTTP_200_OK,
) -> Response:
    return Response(AccessRequestSerializer(access_request).data, status=status_code)


@extend_schema_view(
    list=extend_schema(
        summary="List access requests",
        description=(
            "Requests your organisations made, and requests for datasets your "
            "organisations own."
        ),
        responses=AccessRequestSerializer(many=True),
    ),
)
class AccessRequestViewSet(BaseViewSet):
    queryset = AccessRequest.objects.none()
    permission_classes = [IsAuthenticated]
    filterset_fields = ["status"]

    def list(self, request: Request) -> Response:
        requests = self.filter_queryset(selectors.access_request_queryset(request.user))
        return self.paginated(requests, AccessRequestSerializer)

    @extend_schema(
        summary="Ask for access to a dataset",
        request=AccessRequestCreateInputSerializer,
        responses={201: AccessRequestSerializer, **ERRORS},
    )
    def create(self, request: Request) -> Response:
        data = _parse(AccessRequestCreateInputSerializer, request)
        access_request = dataset_services.access_request_create(
            user=request.user, **data
        )
        return _access_request_response(
            request, access_request, status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Show an access request",
        responses={200: AccessRequestSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        access_request = selectors.get_access_request_for_user(request.user, pk)
        return _access_request_response(request, access_request)

    @extend_schema(
        summary="Approve a pending request (data owner)",
        request=OptionalReasonInputSerializer,
        responses={200: AccessRequestSerializer, **ERRORS},
    )
    def approve(self, request: Request, pk: int) -> Response:
        access_request = selectors.get_access_request_for_user(request.user, pk)
        data = _parse(OptionalReasonInputSerializer, request)
        access_request = dataset_services.access_request_decide(
            request=access_request,
            user=request.user,
            approve=True,
            reason=data["reason"],
        )
        return _access_request_response(request, access_request)

    @extend_schema(
        summary="Deny a pending request with a reason (data owner)",
        request=ReasonInputSerializer,
        responses={200: AccessRequestSerializer, **ERRORS},
    )
    def deny(self, request: Request, pk: int) -> Response:
        access_request = selectors.get_access_request_for_user(request.user, pk)
        data = _parse(ReasonInputSerializer, request)
        access_request = dataset_services.access_request_decide(
            request=access_request,
            user=request.user,
            approve=False,
            reason=data["reason"],
        )
        return _access_request_response(request, access_request)

    @extend_schema(
        summary="Withdraw your pending request",
        request=None,
        responses={200: AccessRequestSerializer, **ERRORS},
    )
    def withdraw(self, request: Request, pk: int) -> Response:
        access_request = selectors.get_access_request_for_user(request.user, pk)
        access_request = dataset_services.access_request_withdraw(
            request=access_request, user=request.user
        )
        return _access_request_response(request, access_request)

    @extend_schema(
        summary="Revoke an approval with a reason (data owner)",
        request=ReasonInputSerializer,
        responses={200: AccessRequestSerializer, **ERRORS},
    )
    def revoke(self, request: Request, pk: int) -> Response:
        access_request = selectors.get_access_request_for_user(request.user, pk)
        data = _parse(ReasonInputSerializer, request)
        access_request = dataset_services.access_request_revoke(
            request=access_request, user=request.user, reason=data["reason"]
        )
        return _access_request_response(request, access_request)
