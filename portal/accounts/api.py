"""REST API of the accounts app: one view per operation, services for writes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from portal.accounts import selectors, services
from portal.accounts.filters import OrganisationFilter
from portal.accounts.models import Organisation, User
from portal.accounts.serializers import (
    MeSerializer,
    MeUpdateSerializer,
    NotificationPreferenceSerializer,
    NotificationPreferencesSerializer,
    NotificationPreferencesUpdateSerializer,
    OrganisationSerializer,
    TokenObtainSerializer,
    TokenSerializer,
)


def _as_drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """Turn a service's ValidationError into a 400 with field errors."""
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


class TokenObtainRateThrottle(SimpleRateThrottle):
    """Limit token requests per client address, authenticated or not.

    The rate is ``DEFAULT_THROTTLE_RATES["auth_token"]`` if set.
    """

    scope = "auth_token"
    default_rate = "10/minute"

    def get_rate(self) -> str:
        return str(self.THROTTLE_RATES.get(self.scope) or self.default_rate)

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    def _response(self, user: User) -> Response:
        profile = selectors.reviewer_profile_get(user=user)
        data = MeSerializer(user, context={"reviewer_profile": profile}).data
        return Response(data)

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return self._response(request.user)

    @extend_schema(
        request=MeUpdateSerializer,
        responses={
            200: MeSerializer,
            400: OpenApiResponse(description="Field errors."),
        },
    )
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.user_profile_update(
                user=request.user, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from exc
        return self._response(user)


class NotificationPreferencesApi(APIView):
    """The user's channels per notification category (defaults: all on)."""

    permission_classes = [IsAuthenticated]

    def _response(self, user: User) -> Response:
        rows = selectors.notification_preference_rows(user=user)
        data = NotificationPreferenceSerializer(rows, many=True).data
        return Response({"preferences": data})

    @extend_schema(responses=NotificationPreferencesSerializer)
    def get(self, request: Request) -> Response:
        return self._response(request.user)

    @extend_schema(
        request=NotificationPreferencesUpdateSerializer,
        responses={
            200: NotificationPreferencesSerializer,
            400: OpenApiResponse(description="Unknown or locked category."),
        },
    )
    def patch(self, request: Request) -> Response:
        """Change the categories given; the others keep their setting."""
        serializer = NotificationPreferencesUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.notification_preferences_save(
                user=request.user,
                preferences={
                    row["category"]: (row["in_app"], row["email"])
                    for row in serializer.validated_data["preferences"]
                },
            )
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from exc
        return self._response(request.user)


class OrganisationListApi(generics.ListAPIView):  # type: ignore[type-arg]
    """List verified organisations, optionally of one kind."""

    permission_classes = [AllowAny]
    serializer_class = OrganisationSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = OrganisationFilter

    def get_queryset(self) -> QuerySet[Organisation]:
        return selectors.organisation_list()


class OrganisationDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            200: OrganisationSerializer,
            404: OpenApiResponse(description="Not found."),
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = selectors.get_organisation_for_user(request.user, slug)
        return Response(OrganisationSerializer(organisation).data)


class OrganisationVerifyApi(APIView):
    """Verify an organisation (operators only)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: OrganisationSerializer,
            400: OpenApiResponse(description="Already verified."),
            403: OpenApiResponse(description="Not an operator."),
            404: OpenApiResponse(description="Not found."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        if not selectors.is_operator(request.user):
            raise PermissionDenied(
                _("Only platform operators can verify organisations.")
            )
        organisation = get_object_or_404(Organisation, slug=slug)
        try:
            organisation = services.organisation_verify(
                organisation=organisation, operator=request.user
            )
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from exc
        return Response(OrganisationSerializer(organisation).data)


class TokenObtainApi(APIView):
    """Exchange a username and password for a new personal access token.

    Each call creates a token (named "API login" and the date unless a
    name is given); its key is in the answer, this once only.
    """

    # No session authentication, so no CSRF check: the credentials are the
    # proof.
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenObtainRateThrottle]

    @extend_schema(
        request=TokenObtainSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Field errors or wrong credentials."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = TokenObtainSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # Pass Django's request so that django-axes counts failures and its
        # middleware can answer a locked-out client.
        user = authenticate(
            request._request, username=data["username"], password=data["password"]
        )
        if user is None:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Unable to log in with the given username and password.")
                    ]
                }
            )
        name = data.get("name") or format_lazy(
            _("API login {date}"), date=timezone.localdate().isoformat()
        )
        try:
            token, key = services.api_token_create(
                user=user,
                name=str(name),
                scope=data["scope"],
                expires_in_days=data["expires_in_days"],
            )
        except DjangoValidationError as exc:
            raise _as_drf_error(exc) from exc
        response = Response(TokenSerializer(token, context={"key": key}).data)
        response["Cache-Control"] = "no-store"
        return response
