"""REST API of the ledger: verification, for operators."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.selectors import is_operator
from portal.ledger.models import LedgerCheck
from portal.ledger.selectors import ledger_check_latest, ledger_verify


class BrokenLinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    sequence = serializers.IntegerField()
    check = serializers.ChoiceField(
        choices=["content", "entry", "chain", "gap", "missing"]
    )
    expected = serializers.CharField()
    found = serializers.CharField()
    message = serializers.CharField()


class VerificationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ok = serializers.BooleanField()
    start = serializers.IntegerField()
    end = serializers.IntegerField(allow_null=True)
    checked = serializers.IntegerField()
    total = serializers.IntegerField()
    head_sequence = serializers.IntegerField()
    head_hash = serializers.CharField()
    broken = BrokenLinkSerializer(allow_null=True)


class LedgerVerifyApi(APIView):
    """Recompute the ledger's hash chain and report the first broken link.

    ``start`` and ``end`` limit the range; ``ok`` is false and ``broken``
    names the first broken link (its sequence, the check that failed and a
    message) when the chain does not hold.
    """

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):  # type: ignore[type-arg]
        start = serializers.IntegerField(min_value=1, default=1)
        end = serializers.IntegerField(min_value=1, required=False)

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            if "end" in attrs and attrs["end"] < attrs["start"]:
                raise serializers.ValidationError(
                    {"end": _("The end must not come before the start.")}
                )
            return attrs

    @extend_schema(
        parameters=[InputSerializer],
        responses={
            200: VerificationSerializer,
            400: OpenApiResponse(description="Bad range."),
            403: OpenApiResponse(description="Not an operator."),
        },
    )
    def get(self, request: Request) -> Response:
        if not is_operator(request.user):
            raise PermissionDenied(_("Only platform operators can verify the ledger."))
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        verification = ledger_verify(
            start=params.validated_data["start"],
            end=params.validated_data.get("end"),
        )
        return Response(verification.as_dict())


class LedgerCheckSerializer(serializers.Serializer):  # type: ignore[type-arg]
    ran_at = serializers.DateTimeField()
    source = serializers.ChoiceField(choices=LedgerCheck.Source.choices)
    ok = serializers.BooleanField()
    full = serializers.BooleanField()
    checked = serializers.IntegerField()
    head_sequence = serializers.IntegerField()
    head_hash = serializers.CharField()
    broken_sequence = serializers.IntegerField(allow_null=True)
    message = serializers.CharField()
    notified_at = serializers.DateTimeField(allow_null=True)


class LedgerCheckLatestApi(APIView):
    """The last recorded verification (scheduled, command or page).

    ``source=schedule`` (or ``command``, ``page``) limits it to one kind;
    404 when there is none.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            200: LedgerCheckSerializer,
            403: OpenApiResponse(description="Not an operator."),
            404: OpenApiResponse(description="Never verified."),
        },
    )
    def get(self, request: Request) -> Response:
        if not is_operator(request.user):
            raise PermissionDenied(_("Only platform operators can verify the ledger."))
        source = request.query_params.get("source") or None
        if source is not None and source not in LedgerCheck.Source.values:
            source = None
        check = ledger_check_latest(source=source)
        if check is None:
            raise NotFound(_("The ledger has not been verified yet."))
        return Response(LedgerCheckSerializer(check).data)
