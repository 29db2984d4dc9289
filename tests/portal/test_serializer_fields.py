"""Shared serializer fields (portal.lib.serializers)."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from portal.accounts.models import Organisation
from portal.lib.serializers import SlugRelatedField
from tests.base import make_org


class _Input(serializers.Serializer):
    organisation = SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all()
    )


@pytest.mark.django_db
def test_a_slug_with_a_nul_character_is_invalid_input_not_a_database_error():
    # PostgreSQL raises DataError on NUL in text; the field must refuse first.
    make_org("vendor-a", Organisation.Kind.VENDOR)
    serializer = _Input(data={"organisation": "vendor\x00-a"})

    assert not serializer.is_valid()
    assert serializer.errors["organisation"] == ["Invalid value."]
    assert _Input(data={"organisation": "vendor-a"}).is_valid()


@pytest.mark.django_db
def test_the_access_request_api_answers_400_to_a_nul_in_a_slug(client):
    org = make_org("vendor-a", Organisation.Kind.VENDOR)
    from tests.base import make_user

    user = make_user("alice", org)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/api/v1/access-requests/",
        {"dataset": "x\x00y", "organisation": "vendor\x00-a", "purpose": "p" * 30},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
