"""REST API of the lifecycle: solutions, gate checks, transitions, pilots.

One ``APIView`` per operation with nested input and output serializers
(HackSoft styleguide). The pages' rules apply: 404 for a solution or pilot
the caller may not see, 403 when their role may not make the change, 400
naming every failed gate criterion when a gate refuses.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lifecycle import evidence_pack, selectors, services
from lifecycle.models import Pilot, PilotIncident, PilotKpi, Solution, Stage
from scenarios.api import ERRORS, READ_ERRORS, ApiErrorsMixin
from scenarios.models import Scenario
from scenarios.selectors import get_scenario_for_user


def _parse(serializer_class: type[Any], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class SolutionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    scenario = serializers.CharField(source="scenario.code")
    vendor = serializers.CharField(source="organisation.slug")
    name = serializers.CharField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    submission = serializers.IntegerField(source="submission_id")
    field_submission = serializers.IntegerField(
        source="field_submission_id", allow_null=True
    )
    is_demo = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class GateCriterionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    label = serializers.CharField()
    observed = serializers.JSONField(allow_null=True)
    threshold = serializers.JSONField()
    passed = serializers.BooleanField()
    evidence = serializers.ListField(child=serializers.CharField())


class SolutionGateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    stage = serializers.CharField(allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    criteria = GateCriterionSerializer(many=True)


def _gate(solution: Solution) -> dict[str, Any]:
    result = selectors.gate_check(solution)
    return {
        "stage": result.stage if result else None,
        "passed": result.passed if result else None,
        "criteria": selectors.criterion_rows(result),
    }


class MaturationGapSerializer(serializers.Serializer):  # type: ignore[type-arg]
    criterion = serializers.CharField(max_length=60, required=False, default="")
    gap = serializers.CharField(max_length=2000)
    tests = serializers.CharField(max_length=2000)


class TransitionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    kind = serializers.CharField()
    from_stage = serializers.CharField()
    to_stage = serializers.CharField()
    actor = serializers.CharField(source="actor.username")
    true_actor = serializers.CharField(
        source="true_actor.username", allow_null=True, default=None
    )
    gate = serializers.JSONField()
    evidence = serializers.ListField(child=serializers.CharField())
    reasons = serializers.CharField()
    ledger_sequence = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    gaps = serializers.SerializerMethodField()

    def get_gaps(self, obj: Any) -> list[dict[str, str]]:
        plan = getattr(obj, "plan", None) if hasattr(obj, "plan") else None
        if plan is None:
            return []
        return [
            {"criterion": g.criterion, "gap": g.gap, "tests": g.tests}
            for g in plan.gaps.all()
        ]


class SolutionListApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="List the solutions you may see",
        description=(
            "Your vendor organisations' solutions, the solutions for your "
            "energy company's scenarios, or all for operators. `stage` filters."
        ),
        responses=SolutionSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        stage = request.query_params.get("stage") or None
        if stage not in Stage.values:
            stage = None
        rows = selectors.solution_list(request.user, stage=stage)
        return Response(SolutionSerializer(rows, many=True).data)


class SolutionDetailOutputSerializer(SolutionSerializer):
    transitions = TransitionSerializer(many=True)


class SolutionDetailApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Show a solution with its stage timeline",
        responses={200: SolutionDetailOutputSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        solution = selectors.get_solution_for_user(request.user, pk)
        data = dict(SolutionSerializer(solution).data)
        data["transitions"] = TransitionSerializer(
            selectors.transition_list(solution), many=True
        ).data
        return Response(data)


class GateCheckApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Check the gate into the solution's next stage",
        description="Each criterion with the observed value, threshold and result.",
        responses={200: SolutionGateSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        solution = selectors.get_solution_for_user(request.user, pk)
        return Response(SolutionGateSerializer(_gate(solution)).data)


class EvidencePackApi(ApiErrorsMixin, APIView):
    # Anybody who may not see the solution gets 404, anonymous callers too.
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Download the solution's evidence pack (ZIP)",
        description=(
            "Scenario spec version, suite versions and hashes, submission "
            "hashes, runs, review decisions and scores, business case, pilot "
            "data, transitions with gate results, the ledger slice, a manifest "
            "of SHA-256 hashes, a report and verify_pack.py to check it all "
            "offline. Each download appends an `evidence_pack.issued` ledger "
            "entry with the manifest's hash (header `X-Manifest-SHA256`)."
        ),
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
            **READ_ERRORS,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        solution = selectors.get_solution_for_user(request.user, pk)
        pack, _entry = evidence_pack.evidence_pack_issue(
            solution=solution, user=request.user
        )
        response = HttpResponse(pack.archive(), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{pack.filename}"'
        response["X-Manifest-SHA256"] = pack.manifest_sha256
        return response


class RegisterInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    submission = serializers.IntegerField()
    name = serializers.CharField(max_length=100, required=False, default="")


class SolutionRegisterApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Register one of your submissions as a solution",
        request=RegisterInputSerializer,
        responses={201: SolutionSerializer, **ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = _parse(RegisterInputSerializer, request)
        submission = next(
            (
                s
                for s in selectors.registrable_submissions(request.user, write=False)
                if s.pk == data["submission"]
            ),
            None,
        )
        if submission is None:
            raise Http404("No such submission of yours.")
        solution = services.solution_register(
            submission=submission, user=request.user, name=data["name"]
        )
        return Response(
            SolutionSerializer(solution).data, status=status.HTTP_201_CREATED
        )


class TransitionInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    action = serializers.ChoiceField(
        choices=["advance", "send_back", "withdraw", "reject"]
    )
    # The services check the stage; a plain string keeps one stage enum.
    to_stage = serializers.CharField(
        max_length=16,
        required=False,
        allow_blank=True,
        default="",
        help_text=f"One of: {', '.join(Stage.values)}.",
    )
    run = serializers.IntegerField(required=False, allow_null=True, default=None)
    reasons = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )
    gaps = MaturationGapSerializer(many=True, required=False, default=list)


class TransitionCreateApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Move a solution: advance, send back, withdraw or reject",
        description=(
            "`advance` needs `to_stage` (the next stage) and passes its gate; "
            "`run` names the hidden run judged at testing → pilot. "
            "`send_back` needs `to_stage` (an earlier stage) and `reasons`; "
            "without `gaps` the maturation plan lists the failed criteria. "
            "`withdraw` (vendor) and `reject` (owner, chair, operator) need "
            "`reasons`. A refused gate answers 400 naming each failed criterion."
        ),
        request=TransitionInputSerializer,
        responses={201: TransitionSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        solution = selectors.get_solution_for_user(request.user, pk)
        data = _parse(TransitionInputSerializer, request)
        action = data["action"]
        if action == "advance":
            row = services.solution_advance(
                solution=solution,
                user=request.user,
                to_stage=data["to_stage"],
                run_id=data["run"],
                reasons=data["reasons"],
            )
        elif action == "send_back":
            row = services.solution_send_back(
                solution=solution,
                user=request.user,
                to_stage=data["to_stage"],
                reasons=data["reasons"],
                gaps=[dict(g) for g in data["gaps"]],
            )
        elif action == "withdraw":
            row = services.solution_withdraw(
                solution=solution, user=request.user, reasons=data["reasons"]
            )
        else:
            row = services.solution_reject(
                solution=solution, user=request.user, reasons=data["reasons"]
            )
        return Response(TransitionSerializer(row).data, status=status.HTTP_201_CREATED)


# --- pilots -----------------------------------------------------------------------


class PilotSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    solution = serializers.IntegerField(source="solution_id")
    site = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=Pilot.Mode.choices)
    # A string: a second "status" enum would rename the scenarios' one.
    status = serializers.CharField(help_text="planned, running or closed")
    is_demo = serializers.BooleanField()


class KpiComparisonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(source="kpi.name")
    unit = serializers.CharField(source="kpi.unit")
    target = serializers.FloatField(source="kpi.target")
    comparator = serializers.CharField(source="kpi.comparator")
    sandbox_value = serializers.FloatField(source="kpi.sandbox_value")
    sandbox_source = serializers.CharField(source="kpi.sandbox_source")
    tolerance_pct = serializers.FloatField(source="kpi.tolerance_pct")
    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    drift_pct = serializers.FloatField(allow_null=True)
    within = serializers.BooleanField(allow_null=True)
    target_met = serializers.BooleanField(allow_null=True)


class IncidentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    severity = serializers.ChoiceField(choices=PilotIncident.Severity.choices)
    description = serializers.CharField()
    fallback_activated = serializers.BooleanField()


class PilotDetailOutputSerializer(PilotSerializer):
    kpis = KpiComparisonSerializer(many=True)
    incidents = IncidentSerializer(many=True)


def _pilot_output(pilot: Pilot) -> dict[str, Any]:
    data = dict(PilotSerializer(pilot).data)
    data["kpis"] = KpiComparisonSerializer(
        selectors.pilot_comparison(pilot), many=True
    ).data
    data["incidents"] = IncidentSerializer(
        selectors.incident_list(pilot), many=True
    ).data
    return data


class PilotInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    site = serializers.CharField(max_length=200)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=Pilot.Mode.choices)


class PilotCreateApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Record a pilot of a solution in the pilot stage",
        description="For the scenario owner's writers and operators.",
        request=PilotInputSerializer,
        responses={201: PilotSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        solution = selectors.get_solution_for_user(request.user, pk)
        data = _parse(PilotInputSerializer, request)
        pilot = services.pilot_create(solution=solution, user=request.user, **data)
        return Response(PilotSerializer(pilot).data, status=status.HTTP_201_CREATED)


class PilotDetailApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Show a pilot: KPIs compared with the sandbox, incidents",
        description=(
            "Per KPI: the mean of the field measurements, the sandbox value, "
            "the relative drift in % and whether it is within tolerance."
        ),
        responses={200: PilotDetailOutputSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        pilot = selectors.get_pilot_for_user(request.user, pk)
        return Response(_pilot_output(pilot))


class PilotCloseApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Close a pilot",
        request=None,
        responses={200: PilotDetailOutputSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        pilot = selectors.get_pilot_for_user(request.user, pk, write=True)
        services.pilot_close(pilot=pilot, user=request.user)
        return Response(_pilot_output(pilot))


class KpiInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=60)
    unit = serializers.CharField(max_length=30, required=False, default="")
    target = serializers.FloatField()
    comparator = serializers.ChoiceField(choices=PilotKpi.Comparator.choices)
    sandbox_value = serializers.FloatField(
        required=False, allow_null=True, default=None
    )
    tolerance_pct = serializers.FloatField(min_value=0, max_value=1000)


class KpiCreateApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Add a KPI to a pilot",
        description=(
            "The sandbox value is copied from the latest hidden run's metric of "
            "the same name when there is one; otherwise `sandbox_value` is needed."
        ),
        request=KpiInputSerializer,
        responses={201: PilotDetailOutputSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        pilot = selectors.get_pilot_for_user(request.user, pk, write=True)
        data = _parse(KpiInputSerializer, request)
        services.pilot_kpi_add(pilot=pilot, user=request.user, **data)
        return Response(_pilot_output(pilot), status=status.HTTP_201_CREATED)


class UploadInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    file = serializers.FileField()


class MeasurementUploadApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Upload field measurements as CSV",
        description=(
            "Header `kpi,timestamp,value`; ISO 8601 timestamps with an offset; "
            "finite numbers. Every bad row is reported and nothing is saved."
        ),
        request={"multipart/form-data": UploadInputSerializer},
        responses={201: PilotDetailOutputSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        pilot = selectors.get_pilot_for_user(request.user, pk, write=True)
        data = _parse(UploadInputSerializer, request)
        services.pilot_measurements_upload(
            pilot=pilot, user=request.user, content=data["file"].read()
        )
        return Response(_pilot_output(pilot), status=status.HTTP_201_CREATED)


class IncidentInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    occurred_at = serializers.DateTimeField()
    severity = serializers.ChoiceField(choices=PilotIncident.Severity.choices)
    description = serializers.CharField(max_length=5000)
    fallback_activated = serializers.BooleanField(default=False)


class IncidentCreateApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Record an incident of a pilot",
        request=IncidentInputSerializer,
        responses={201: IncidentSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        pilot = selectors.get_pilot_for_user(request.user, pk, write=True)
        data = _parse(IncidentInputSerializer, request)
        incident = services.pilot_incident_record(
            pilot=pilot, user=request.user, **data
        )
        return Response(
            IncidentSerializer(incident).data, status=status.HTTP_201_CREATED
        )


# --- gate configuration ---------------------------------------------------------


class GateThresholdSerializer(serializers.Serializer):  # type: ignore[type-arg]
    stage = serializers.CharField()
    code = serializers.CharField()
    label = serializers.CharField()
    default = serializers.FloatField()
    value = serializers.FloatField()


class GateConfigOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    scenario = serializers.CharField()
    config = serializers.JSONField()
    thresholds = GateThresholdSerializer(many=True)


def _config_output(scenario: Scenario) -> dict[str, Any]:
    return {
        "scenario": scenario.code,
        "config": selectors.scenario_gate_config(scenario.pk),
        "thresholds": selectors.threshold_rows(scenario.pk),
    }


class GateConfigDetailApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Show a scenario's gate thresholds",
        description="Every configurable threshold with its default and value.",
        responses={200: GateConfigOutputSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, code: str) -> Response:
        scenario = get_scenario_for_user(request.user, code)
        return Response(GateConfigOutputSerializer(_config_output(scenario)).data)


class GateConfigInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    config = serializers.JSONField(
        help_text='By target stage, e.g. {"pilot": {"composite": 3.4}}.'
    )


class GateConfigUpdateApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Replace a scenario's gate thresholds",
        description=(
            "For the scenario owner's writers and operators. Unknown stages or "
            "criteria, values out of range and safety thresholds below the "
            "design's floor answer 400."
        ),
        request=GateConfigInputSerializer,
        responses={200: GateConfigOutputSerializer, **ERRORS},
    )
    def put(self, request: Request, code: str) -> Response:
        scenario = get_scenario_for_user(request.user, code)
        data = _parse(GateConfigInputSerializer, request)
        services.gate_config_save(
            scenario=scenario, user=request.user, config=data["config"]
        )
        return Response(GateConfigOutputSerializer(_config_output(scenario)).data)
