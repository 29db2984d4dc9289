from __future__ import annotations

import json

from django.core.cache import cache
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from reviews import decision_services, services
from reviews.models import Conflict, ReviewVersion
from tests.reviews.helpers import ReviewTestCase, full_scores
from tests.reviews.test_views import VENDOR_A_IDENTITY


class ApiTestCase(ReviewTestCase):
    def setUp(self):
        super().setUp()
        self.api = APIClient(headers={"accept-language": "en"})
        self.rita_a = self.assign(self.entry_a, self.rita)
        self.rosa_a = self.assign(self.entry_a, self.rosa)
        self.open_round()

    def as_user(self, user):
        self.api.logout()
        if user is not None:
            self.api.force_authenticate(user)

    def statuses(self, method, url, expected, data=None):
        for user, code in expected:
            with self.subTest(user=getattr(user, "username", "anonymous")):
                self.as_user(user)
                response = getattr(self.api, method)(url, data, format="json")
                self.assertEqual(response.status_code, code)


class AssignmentApiTests(ApiTestCase):
    def test_it_lists_my_assignments(self):
        self.as_user(self.rita)
        response = self.api.get("/api/v1/reviews/assignments/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([a["id"] for a in response.json()], [self.rita_a.pk])
        self.assertEqual(response.json()[0]["round"]["scenario"], "GRID-PO-FC-001")
        self.statuses("get", "/api/v1/reviews/assignments/", [(None, 401)])
        self.as_user(self.rita)
        self.assertEqual(self.api.post("/api/v1/reviews/assignments/").status_code, 405)

    def test_review_detail_checks_ownership_and_hides_the_vendor(self):
        url = f"/api/v1/reviews/assignments/{self.rita_a.pk}/review/"
        self.statuses(
            "get",
            url,
            [
                (None, 401),
                (self.rosa, 404),
                (self.alice, 404),
                (self.gina, 404),
                (self.connor, 404),
                (self.rita, 200),
            ],
        )
        self.as_user(self.rita)
        response = self.api.get(url)
        body = json.dumps(response.json())
        self.assertIsNone(response.json()["vendor"])
        self.assertEqual(response.json()["evidence"][0]["id"], self.hidden_run.pk)
        self.assertEqual(response.json()["thresholds"][0]["metric"], "MAPE")
        for text in VENDOR_A_IDENTITY:
            self.assertNotIn(text, body)
        self.assertEqual(self.api.delete(url).status_code, 405)

    def test_save_and_submit_add_versions(self):
        url = f"/api/v1/reviews/assignments/{self.rita_a.pk}/review/"
        self.as_user(self.rita)
        response = self.api.post(
            url, {"scores": {"fit": {"score": 2, "confidence": 1}}}, format="json"
        )
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.json()["number"], 1)
        response = self.api.post(
            url + "submit/", {"scores": full_scores(4)}, format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("needs an evidence link", json.dumps(response.json()))
        response = self.api.post(
            url + "submit/",
            {"scores": full_scores(4, evidence=["run:1"])},
            format="json",
        )
        self.assertEqual(response.status_code, 201)
        self.assertIs(response.json()["is_submitted"], True)
        self.assertEqual(ReviewVersion.objects.count(), 2)
        detail = self.api.get(url).json()
        self.assertEqual([v["number"] for v in detail["versions"]], [2, 1])
        self.assertEqual(self.api.get(url + "submit/").status_code, 405)
        self.statuses(
            "post", url + "submit/", [(self.rosa, 404), (self.alice, 404)], {}
        )

    def test_a_conflicted_reviewer_gets_404(self):
        Conflict.objects.create(
            reviewer=self.rita, entry=self.entry_a, source="detected", reason="x"
        )
        url = f"/api/v1/reviews/assignments/{self.rita_a.pk}/review/"
        self.statuses("get", url, [(self.rita, 404)])
        self.as_user(self.rita)
        self.assertEqual(self.api.get("/api/v1/reviews/assignments/").json(), [])


class RoundApiTests(ApiTestCase):
    def test_it_checks_ownership(self):
        url = f"/api/v1/reviews/rounds/{self.round.pk}/"
        self.statuses(
            "get",
            url,
            [
                (None, 401),
                (self.rita, 404),
                (self.alice, 404),
                (self.otto, 404),
                (self.gary, 200),
                (self.gina, 200),
                (self.olivia, 200),
            ],
        )
        self.as_user(self.gina)
        self.assertEqual(self.api.post(url).status_code, 405)

    def test_it_shows_raw_scores(self):
        services.review_save(
            assignment=self.rita_a, user=self.rita, scores=full_scores(2), submit=True
        )
        self.as_user(self.gina)
        data = self.api.get(f"/api/v1/reviews/rounds/{self.round.pk}/").json()
        entry = next(e for e in data["entries"] if e["number"] == 1)
        self.assertEqual(entry["dimensions"]["safety"]["mean"], 2.0)
        self.assertEqual(entry["missing"], 1)
        self.assertEqual(entry["vendor"]["organisation"], "Vendor A")
        self.assertEqual(data["weights"]["safety"], 25)


class DecisionApiTests(ApiTestCase):
    def test_vendors_see_their_decisions_only(self):
        services.round_close(review_round=self.round, user=self.gina)
        decision_services.decision_record(
            entry=self.entry_a,
            user=self.gina,
            outcome="revise",
            reasons="Meets every threshold",
            meta_review="Private",
        )
        self.as_user(self.bob)
        data = self.api.get("/api/v1/reviews/decisions/").json()
        self.assertEqual([d["outcome"] for d in data], ["revise"])
        self.assertNotIn("Private", json.dumps(data))
        self.as_user(self.charlie)
        self.assertEqual(self.api.get("/api/v1/reviews/decisions/").json(), [])
        self.statuses("get", "/api/v1/reviews/decisions/", [(None, 401)])


class SchemaTests(ReviewTestCase):
    def setUp(self):
        cache.clear()
        GENERATOR_STATS.reset()
        self.addCleanup(GENERATOR_STATS.reset)

    def test_it_generates_the_reviews_api_without_warnings(self):
        from reviews import api_urls

        schema = SchemaGenerator(
            patterns=[path("api/v1/", include("reviews.api_urls"))]
        ).get_schema(request=None, public=True)
        validate_schema(schema)
        self.assertIs(bool(GENERATOR_STATS), False)
        self.assertEqual(len(schema["paths"]), len(api_urls.urlpatterns))
