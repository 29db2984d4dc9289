"""The <id:...> converter: an id too large for the database is not a route."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

HUGE = "10408947829514048634880"  # what the API fuzzer sent; > 2**63


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/runs/{HUGE}/",
        f"/api/v1/reviews/entries/{HUGE}/usability/responses/",
        f"/solutions/{HUGE}/",
    ],
)
def test_an_id_beyond_64_bits_does_not_resolve(path):
    with pytest.raises(Resolver404):
        resolve(path)


def test_ids_of_up_to_18_digits_resolve_to_integers():
    match = resolve("/api/v1/runs/999999999999999999/")
    assert match.kwargs == {"pk": 999_999_999_999_999_999}
    assert reverse("api-run-detail", kwargs={"pk": 7}) == "/api/v1/runs/7/"


@pytest.mark.django_db
def test_a_huge_id_is_a_clean_404(client):
    response = client.post(
        f"/api/v1/reviews/entries/{HUGE}/usability/responses/",
        {"answers": [3] * 10},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/runs/{HUGE}/").status_code == 404
