"""REST API of suite management: suites, draft versions, publish, retire.

Thin view sets in the style of ``evaluations.api``: each method parses its
input, calls one selector or service and renders. ``suite_selectors``
decide what a user may see (404) and manage (403); ``suite_services`` check
everything else and raise ``ValidationError``, answered as 400 with the
messages under ``config``, ``bundle`` or the field concerned.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from evaluations import suite_selectors, suite_services
from evaluations.models import SuiteVersion, TestSuite
from evaluations.suite_serializers import (
    SuiteCreateInputSerializer,
    SuiteSerializer,
    SuiteUpdateInputSerializer,
    SuiteVersionBriefSerializer,
    SuiteVersionCreateInputSerializer,
    SuiteVersionManageSerializer,
    SuiteVersionUpdateInputSerializer,
)
from scenarios.api import ERRORS, READ_ERRORS, BaseViewSet, _parse
from scenarios.selectors import get_scenario_for_user


def _suite_response(
    request: Request, suite: TestSuite, status_code: int = status.HTTP_200_OK
) -> Response:
    # The selectors prefetch only the versions the caller may see.
    return Response(SuiteSerializer(suite).data, status=status_code)


class ScenarioSuiteViewSet(BaseViewSet):
    """The test suites of a scenario."""

    queryset = TestSuite.objects.none()
    filter_backends: list[Any] = []

    @extend_schema(
        summary="List a scenario's test suites with their versions",
        description="Drafts appear only for the owner's members and operators. "
        "Not paginated.",
        responses={200: SuiteSerializer(many=True), **READ_ERRORS},
    )
    def list(self, request: Request, code: str) -> Response:
        scenario = get_scenario_for_user(request.user, code)
        suites = suite_selectors.suite_list_for_scenario(scenario, request.user)
        return Response(SuiteSerializer(suites, many=True).data)

    @extend_schema(
        summary="Add a test suite to a scenario (owner, operators)",
        request=SuiteCreateInputSerializer,
        responses={201: SuiteSerializer, **ERRORS},
    )
    def create(self, request: Request, code: str) -> Response:
        scenario = suite_selectors.get_scenario_for_suite_manager(request.user, code)
        data = _parse(SuiteCreateInputSerializer, request)
        suite = suite_services.suite_create(
            scenario=scenario,
            user=request.user,
            slug=data.pop("slug"),
            task_kind=data.pop("task_kind"),
            data=data,
        )
        suite = suite_selectors.get_suite_for_user(request.user, suite.pk)
        return _suite_response(request, suite, status.HTTP_201_CREATED)


class SuiteViewSet(BaseViewSet):
    """One test suite, its texts and its versions."""

    queryset = TestSuite.objects.none()
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Show a test suite with the versions you may see",
        responses={200: SuiteSerializer, **READ_ERRORS},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        suite = suite_selectors.get_suite_for_user(request.user, pk)
        return _suite_response(request, suite)

    @extend_schema(
        summary="Edit a suite's titles and descriptions (owner, operators)",
        description="`task_kind` changes only while the suite has no version; "
        "the slug never changes.",
        request=SuiteUpdateInputSerializer,
        responses={200: SuiteSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        suite = suite_selectors.get_suite_for_user(request.user, pk, write=True)
        data = _parse(SuiteUpdateInputSerializer, request, partial=True)
        suite = suite_services.suite_update(suite=suite, user=request.user, data=data)
        return _suite_response(request, suite)

    @extend_schema(
        summary="List a suite's versions, newest first",
        responses={200: SuiteVersionBriefSerializer(many=True), **READ_ERRORS},
    )
    def versions(self, request: Request, pk: int) -> Response:
        suite = suite_selectors.get_suite_for_user(request.user, pk)
        versions = suite_selectors.suite_version_list(suite, request.user)
        return Response(SuiteVersionBriefSerializer(versions, many=True).data)

    @extend_schema(
        summary="Upload a bundle and a configuration as a draft version",
        description=(
            "Multipart: `bundle` (the .tar.gz of docs/suites.md, “Building a "
            "suite bundle”), `config` (JSON or TOML text), `config_format` and "
            "`change_notes`. The bundle is checked and stored, the configuration "
            "checked on its own and against the bundle; problems come back "
            "under `bundle` and `config`. A suite has one draft at a time."
        ),
        request={"multipart/form-data": SuiteVersionCreateInputSerializer},
        responses={201: SuiteVersionManageSerializer, **ERRORS},
    )
    def version_create(self, request: Request, pk: int) -> Response:
        suite = suite_selectors.get_suite_for_user(request.user, pk, write=True)
        data = _parse(SuiteVersionCreateInputSerializer, request)
        checked = suite_services.suite_bundle_check(
            suite=suite, user=request.user, upload=data["bundle"]
        )
        version = suite_services.suite_version_create(
            suite=suite,
            user=request.user,
            config=data["config"],
            bundle=checked,
            change_notes=data.get("change_notes", ""),
        )
        return Response(
            SuiteVersionManageSerializer(version).data, status=status.HTTP_201_CREATED
        )


class SuiteVersionManageViewSet(BaseViewSet):
    """A suite version as its managers handle it."""

    queryset = SuiteVersion.objects.none()
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Show a version's configuration and bundle summary (managers)",
        responses={200: SuiteVersionManageSerializer, **ERRORS},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        version = suite_selectors.get_suite_version_for_manager(request.user, pk)
        return Response(SuiteVersionManageSerializer(version).data)

    @extend_schema(
        summary="Edit a draft: configuration, bundle or change notes",
        description=(
            "JSON or multipart. Only drafts change; a published version answers "
            "400. The configuration is checked again against the (new) bundle."
        ),
        request={
            "application/json": SuiteVersionUpdateInputSerializer,
            "multipart/form-data": SuiteVersionUpdateInputSerializer,
        },
        responses={200: SuiteVersionManageSerializer, **ERRORS},
    )
    def partial_update(self, request: Request, pk: int) -> Response:
        version = suite_selectors.get_suite_version_for_manager(request.user, pk)
        data = _parse(SuiteVersionUpdateInputSerializer, request)
        checked = (
            suite_services.suite_bundle_check(
                suite=version.suite, user=request.user, upload=data["bundle"]
            )
            if data.get("bundle")
            else None
        )
        version = suite_services.suite_version_update(
            version=version,
            user=request.user,
            config=data.get("config"),
            bundle=checked,
            change_notes=data.get("change_notes"),
        )
        return Response(SuiteVersionManageSerializer(version).data)

    @extend_schema(
        summary="Discard a draft",
        request=None,
        responses={204: None, **ERRORS},
    )
    def destroy(self, request: Request, pk: int) -> Response:
        version = suite_selectors.get_suite_version_for_manager(request.user, pk)
        suite_services.suite_version_discard(version=version, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Publish a draft: lock it and retire the version it replaces",
        description="The vendors registered on the scenario, and those that "
        "submitted to the suite, are notified.",
        request=None,
        responses={200: SuiteVersionManageSerializer, **ERRORS},
    )
    def publish(self, request: Request, pk: int) -> Response:
        version = suite_selectors.get_suite_version_for_manager(request.user, pk)
        version = suite_services.suite_version_publish(
            version=version, user=request.user
        )
        return Response(SuiteVersionManageSerializer(version).data)

    @extend_schema(
        summary="Retire a published version: no more submissions",
        description="Queued evaluations finish; results and the leaderboard stay.",
        request=None,
        responses={200: SuiteVersionManageSerializer, **ERRORS},
    )
    def retire(self, request: Request, pk: int) -> Response:
        version = suite_selectors.get_suite_version_for_manager(request.user, pk)
        version = suite_services.suite_version_retire(
            version=version, user=request.user
        )
        return Response(SuiteVersionManageSerializer(version).data)
