"""REST API of the calculators that feed the scorecard.

One ``APIView`` per operation, each with its nested input and output
serializers (HackSoft styleguide). The pages' rules apply: conflicted
reviewers and outsiders get 404, readers get 403 on writes, vendors get
404 on the user evaluation, and in a blind round a reviewer gets no
vendor identity (``entry.vendor`` is null and a vendor author is shown
by role only).

Rates are fractions here (``discount_rate`` 0.08, ``escalation`` 0.02),
where the pages show percentages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews import carbon, case_selectors, case_services
from reviews.case_forms import SUS_STATEMENTS
from reviews.case_selectors import CaseAccess
from reviews.models import (
    BusinessCase,
    BusinessCaseLine,
    CaseBasis,
    SocialImpact,
)
from scenarios.api import ERRORS, READ_ERRORS, ApiErrorsMixin


def _parse(serializer_class: type[Any], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class EntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    round = serializers.IntegerField()
    scenario = serializers.CharField()
    vendor = serializers.CharField(
        allow_null=True, help_text="Null for reviewers of a blind round."
    )
    solution = serializers.CharField(allow_null=True)


def _entry(access: CaseAccess) -> dict[str, Any]:
    entry = access.entry
    submission = entry.submission
    return {
        "id": entry.pk,
        "number": entry.number,
        "round": entry.round_id,
        "scenario": entry.round.scenario.code,
        "vendor": submission.organisation.name if access.show_identity else None,
        "solution": f"{submission.name} {submission.version_label}"
        if access.show_identity
        else None,
    }


class VersionMetaSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField()
    basis = serializers.ChoiceField(choices=CaseBasis.choices)
    author = serializers.CharField()
    created_at = serializers.DateTimeField()


def _meta(access: CaseAccess, row: BusinessCase | SocialImpact) -> dict[str, Any]:
    return {
        "version": row.version,
        "basis": row.basis,
        "author": case_selectors.author_label(access, row.author, row.author_role),
        "created_at": row.created_at,
    }


# --- business case -----------------------------------------------------------


@extend_schema_field(
    {"type": "string", "enum": BusinessCaseLine.Kind.values},
    component_name="BusinessCaseLineKindEnum",
)
class LineKindField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=BusinessCaseLine.Kind.choices, **kwargs)


class LineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = LineKindField()
    name = serializers.CharField(max_length=120)
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, coerce_to_string=False
    )
    escalation = serializers.DecimalField(
        max_digits=7,
        decimal_places=4,
        min_value=Decimal("-0.9999"),
        default=0,
        coerce_to_string=False,
    )
    driver = serializers.CharField(
        max_length=1000, allow_blank=True, required=False, default=""
    )


class SavedLineSerializer(LineSerializer):
    is_compute = serializers.BooleanField()


class SensitivitySerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    kind = serializers.CharField()
    pv = serializers.FloatField()
    npv_minus = serializers.FloatField()
    npv_plus = serializers.FloatField()


class AppraisalSerializer(serializers.Serializer):  # type: ignore[type-arg]
    npv = serializers.FloatField()
    pv_benefits = serializers.FloatField()
    pv_costs = serializers.FloatField()
    bcr = serializers.FloatField(allow_null=True)
    irr = serializers.FloatField(allow_null=True)
    irr_reason = serializers.CharField()
    discounted_payback = serializers.FloatField(allow_null=True)
    simple_payback = serializers.FloatField(allow_null=True)
    levelised_unit_cost = serializers.FloatField(allow_null=True)
    npv_robust = serializers.BooleanField()
    sensitivity = SensitivitySerializer(many=True)


class BusinessCaseInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    basis = serializers.ChoiceField(
        choices=CaseBasis.choices, default=CaseBasis.PROJECTED
    )
    investment = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, coerce_to_string=False
    )
    horizon_years = serializers.IntegerField(min_value=1, max_value=50)
    discount_rate = serializers.DecimalField(
        max_digits=7,
        decimal_places=4,
        min_value=0,
        max_value=1,
        default=Decimal("0.08"),
        coerce_to_string=False,
        help_text=(
            "A fraction. 0.08 is the social discount rate of 《建设项目经济评价"
            "方法与参数》; a company hurdle rate may be used instead."
        ),
    )
    asset_life_years = serializers.IntegerField(
        min_value=1, max_value=100, allow_null=True, required=False, default=None
    )
    service_units = serializers.DecimalField(
        max_digits=16,
        decimal_places=3,
        min_value=Decimal("0.001"),
        allow_null=True,
        required=False,
        default=None,
        coerce_to_string=False,
    )
    unit_label = serializers.CharField(
        max_length=60, allow_blank=True, required=False, default=""
    )
    calls_per_year = serializers.IntegerField(
        min_value=0, allow_null=True, required=False, default=None
    )
    tariff_per_kwh = serializers.DecimalField(
        max_digits=8,
        decimal_places=4,
        min_value=0,
        allow_null=True,
        required=False,
        default=None,
        coerce_to_string=False,
    )
    pue = serializers.DecimalField(
        max_digits=5, decimal_places=3, min_value=1, default=1, coerce_to_string=False
    )
    cpu_hour_price = serializers.DecimalField(
        max_digits=10,
        decimal_places=4,
        min_value=0,
        default=0,
        coerce_to_string=False,
    )
    note = serializers.CharField(
        max_length=5000, allow_blank=True, required=False, default=""
    )
    lines = LineSerializer(
        many=True, help_text="Cost and benefit lines, no compute line."
    )


class BusinessCaseOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    entry = EntrySerializer()
    current = inline_serializer(
        "BusinessCaseVersion",
        {
            "version": serializers.IntegerField(),
            "basis": serializers.CharField(),
            "author": serializers.CharField(),
            "created_at": serializers.DateTimeField(),
            "currency": serializers.CharField(),
            "investment": serializers.FloatField(),
            "horizon_years": serializers.IntegerField(),
            "discount_rate": serializers.FloatField(),
            "asset_life_years": serializers.IntegerField(allow_null=True),
            "service_units": serializers.FloatField(allow_null=True),
            "unit_label": serializers.CharField(),
            "calls_per_year": serializers.IntegerField(allow_null=True),
            "tariff_per_kwh": serializers.FloatField(allow_null=True),
            "pue": serializers.FloatField(),
            "cpu_hour_price": serializers.FloatField(),
            "compute_run": serializers.IntegerField(allow_null=True),
            "note": serializers.CharField(),
            "lines": SavedLineSerializer(many=True),
            "appraisal": AppraisalSerializer(),
        },
        allow_null=True,
    )
    versions = VersionMetaSerializer(many=True)


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def _business_case_output(access: CaseAccess) -> dict[str, Any]:
    entry = access.entry
    case = case_selectors.latest_business_case(entry)
    current = None
    if case is not None:
        appraisal = case_selectors.appraisal_of(case)
        current = {
            **_meta(access, case),
            "currency": case.currency,
            "investment": float(case.investment),
            "horizon_years": case.horizon_years,
            "discount_rate": float(case.discount_rate),
            "asset_life_years": case.asset_life_years,
            "service_units": _float(case.service_units),
            "unit_label": case.unit_label,
            "calls_per_year": case.calls_per_year,
            "tariff_per_kwh": _float(case.tariff_per_kwh),
            "pue": float(case.pue),
            "cpu_hour_price": float(case.cpu_hour_price),
            "compute_run": case.compute_run_id,
            "note": case.note,
            "lines": [
                {
                    "kind": line.kind,
                    "name": line.name,
                    "amount": line.amount,
                    "escalation": line.escalation,
                    "driver": line.driver,
                    "is_compute": line.is_compute,
                }
                for line in case.lines.all()
            ],
            "appraisal": appraisal,
        }
    return {
        "entry": _entry(access),
        "current": current,
        "versions": [
            _meta(access, v) for v in case_selectors.business_case_versions(entry)
        ],
    }


class BusinessCaseDetailApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Show an entry's business case with its appraisal",
        description=(
            "The latest version with NPV, IRR, paybacks, BCR, levelised unit "
            "cost and ±20 % sensitivity, and the list of versions."
        ),
        responses={200: BusinessCaseOutputSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = case_selectors.get_case_entry_for_user(request.user, pk)
        return Response(
            BusinessCaseOutputSerializer(_business_case_output(access)).data
        )


class BusinessCaseUpdateApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Save a new version of an entry's business case",
        description=(
            "For the vendor's writers (projected basis only), the scenario "
            "owner's writers and operators. With `calls_per_year` and "
            "`tariff_per_kwh` the compute cost line is computed from the "
            "latest hidden-test run. Earlier versions are kept."
        ),
        request=BusinessCaseInputSerializer,
        responses={200: BusinessCaseOutputSerializer, **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        access = case_selectors.get_case_entry_for_user(request.user, pk, write=True)
        data = _parse(BusinessCaseInputSerializer, request)
        lines = [dict(line) for line in data.pop("lines")]
        case_services.business_case_save(
            entry=access.entry, user=request.user, data=data, lines=lines
        )
        return Response(
            BusinessCaseOutputSerializer(_business_case_output(access)).data,
            status=status.HTTP_200_OK,
        )


# --- social impact -----------------------------------------------------------


class ImpactItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=120)
    quantity = serializers.DecimalField(
        max_digits=16, decimal_places=3, coerce_to_string=False
    )
    unit = serializers.CharField(max_length=40)
    method = serializers.CharField(max_length=2000)


class FactorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    region = serializers.CharField()
    year = serializers.IntegerField()
    kind = serializers.CharField()
    kg_per_kwh = serializers.FloatField()
    unit = serializers.CharField()
    source = serializers.CharField()
    url = serializers.CharField()


class CarbonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    energy_saved_mwh = serializers.FloatField()
    compute_mwh = serializers.FloatField()
    gross_t = serializers.FloatField()
    compute_t = serializers.FloatField()
    net_t = serializers.FloatField()
    net_upper_t = serializers.FloatField(allow_null=True)
    factor = FactorSerializer()
    upper_factor = FactorSerializer(allow_null=True)


class ImpactInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    basis = serializers.ChoiceField(
        choices=CaseBasis.choices, default=CaseBasis.PROJECTED
    )
    energy_kind = serializers.ChoiceField(
        choices=SocialImpact.EnergyKind.choices,
        default=SocialImpact.EnergyKind.SAVED,
    )
    energy_mwh = serializers.DecimalField(
        max_digits=14, decimal_places=3, coerce_to_string=False
    )
    region = serializers.ChoiceField(choices=sorted(carbon.REGIONS))
    factor_year = serializers.IntegerField()
    calls_per_year = serializers.IntegerField(min_value=0)
    pue = serializers.DecimalField(
        max_digits=5, decimal_places=3, min_value=1, default=1, coerce_to_string=False
    )
    method = serializers.CharField(
        max_length=5000, allow_blank=True, required=False, default=""
    )
    items = ImpactItemSerializer(many=True, required=False, default=list)


class ImpactOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    entry = EntrySerializer()
    current = inline_serializer(
        "SocialImpactVersion",
        {
            "version": serializers.IntegerField(),
            "basis": serializers.CharField(),
            "author": serializers.CharField(),
            "created_at": serializers.DateTimeField(),
            "energy_kind": serializers.CharField(),
            "energy_mwh": serializers.FloatField(),
            "region": serializers.CharField(),
            "factor_year": serializers.IntegerField(),
            "calls_per_year": serializers.IntegerField(allow_null=True),
            "pue": serializers.FloatField(),
            "compute_run": serializers.IntegerField(allow_null=True),
            "method": serializers.CharField(),
            "items": ImpactItemSerializer(many=True),
            "carbon": CarbonSerializer(),
        },
        allow_null=True,
    )
    versions = VersionMetaSerializer(many=True)


def _impact_output(access: CaseAccess) -> dict[str, Any]:
    entry = access.entry
    impact = case_selectors.latest_impact(entry)
    current = None
    if impact is not None:
        current = {
            **_meta(access, impact),
            "energy_kind": impact.energy_kind,
            "energy_mwh": float(impact.energy_mwh),
            "region": impact.region,
            "factor_year": impact.factor_year,
            "calls_per_year": impact.calls_per_year,
            "pue": float(impact.pue),
            "compute_run": impact.compute_run_id,
            "method": impact.method,
            "items": list(impact.items.all()),
            "carbon": case_selectors.carbon_of(impact),
        }
    return {
        "entry": _entry(access),
        "current": current,
        "versions": [_meta(access, v) for v in case_selectors.impact_versions(entry)],
    }


class ImpactDetailApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Show an entry's social impact with the CO₂ avoided",
        description=(
            "Net tCO₂ avoided a year, the fossil-power upper bound, and the "
            "factors used (name, year, region, source, URL)."
        ),
        responses={200: ImpactOutputSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = case_selectors.get_case_entry_for_user(request.user, pk)
        return Response(ImpactOutputSerializer(_impact_output(access)).data)


class ImpactUpdateApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Save a new version of an entry's social impact",
        description=(
            "`region` and `factor_year` name a grid-average factor of the "
            "table; the solution's compute energy is the latest hidden-test "
            "run's energy per call × `calls_per_year` × `pue`."
        ),
        request=ImpactInputSerializer,
        responses={200: ImpactOutputSerializer, **ERRORS},
    )
    def put(self, request: Request, pk: int) -> Response:
        access = case_selectors.get_case_entry_for_user(request.user, pk, write=True)
        data = _parse(ImpactInputSerializer, request)
        items = [dict(item) for item in data.pop("items")]
        case_services.impact_save(
            entry=access.entry, user=request.user, data=data, items=items
        )
        return Response(ImpactOutputSerializer(_impact_output(access)).data)


# --- user evaluation ---------------------------------------------------------


class ProportionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    successes = serializers.IntegerField()
    total = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)
    low = serializers.FloatField()
    high = serializers.FloatField()


class UsabilityOutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    entry = EntrySerializer()
    sus = inline_serializer(
        "SusSummary",
        {
            "n": serializers.IntegerField(),
            "mean": serializers.FloatField(),
            "sd": serializers.FloatField(allow_null=True),
            "low": serializers.FloatField(allow_null=True),
            "high": serializers.FloatField(allow_null=True),
            "adjective": serializers.CharField(),
            "above_average": serializers.BooleanField(),
        },
        allow_null=True,
    )
    acceptance = ProportionSerializer(allow_null=True)
    override = ProportionSerializer(allow_null=True)


class UsabilitySummaryApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Show an entry's SUS summary and pilot acceptance rates",
        description=(
            "For the scenario owner, the chair and the entry's reviewers; "
            "never the vendor. No respondent names."
        ),
        responses={200: UsabilityOutputSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, pk: int) -> Response:
        access = case_selectors.get_users_entry_for_user(request.user, pk)
        log = case_selectors.latest_pilot_log(access.entry)
        rates = case_selectors.pilot_rates_of(log) if log else None
        return Response(
            UsabilityOutputSerializer(
                {
                    "entry": _entry(access),
                    "sus": case_selectors.sus_summary_of(access.entry),
                    "acceptance": rates.acceptance if rates else None,
                    "override": rates.override if rates else None,
                }
            ).data
        )


class SusResponseCreateApi(ApiErrorsMixin, APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        answers = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=5),
            min_length=len(SUS_STATEMENTS),
            max_length=len(SUS_STATEMENTS),
            help_text="The ten SUS answers in the standard order, 1–5 each.",
        )

    class OutputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        score = serializers.FloatField()
        created_at = serializers.DateTimeField()

    @extend_schema(
        summary="Answer the SUS questionnaire you were sent for an entry",
        description="Once per invited person; 404 if you were not invited.",
        request=InputSerializer,
        responses={201: OutputSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        invitation = case_selectors.get_invitation_for_user(request.user, pk)
        data = _parse(self.InputSerializer, request)
        response = case_services.sus_respond(
            invitation=invitation, user=request.user, answers=data["answers"]
        )
        return Response(
            self.OutputSerializer(response).data, status=status.HTTP_201_CREATED
        )
