"""Schemathesis against the API's own OpenAPI schema.

Every operation of ``/api/schema/`` is called with generated requests —
valid ones from the schema and invalid ones (wrong types, missing fields,
odd path values) — once anonymously and once with a vendor's token. No
response may be a server error, and every response must match what the
schema declares for it: status code, content type and body.

The world is small but real: an energy company with a published scenario,
a dataset and a suite; a vendor with a submission and a run, so the ids in
generated paths sometimes exist. ``PORTAL_FUZZ_EXAMPLES`` raises the number
of generated requests per operation for a longer local campaign.
"""

from __future__ import annotations

import os
import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from portal.accounts.models import Membership, Organisation, User
from portal.accounts.services import api_token_create
from tests.base import make_org, make_user
from tests.evaluations.helpers import make_run, make_submission, make_suite_version
from tests.scenarios.helpers import make_dataset, make_scenario

EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "8"))
# A regular expression on "METHOD /path" to fuzz some operations only.
ONLY = re.compile(os.environ.get("PORTAL_FUZZ_ONLY", ""))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db, settings):
    # Throttling would turn a burst of generated requests into 429s, which
    # the schema rightly does not list for every operation.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_CLASSES": [],
    }
    settings.AXES_ENABLED = False
    cache.clear()
    _world()
    from portal.wsgi import application

    # Requests go through the real WSGI handler, whose request signals
    # close "old" database connections. Inside the test's transaction that
    # would close the connection under it (PostgreSQL: "the connection is
    # closed"); Django's test client disconnects them the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def _world() -> None:
    operator_org = make_org("platform-ops", Organisation.Kind.OPERATOR)
    grid = make_org("demo-grid", Organisation.Kind.ENERGY)
    vendor = make_org("vendor-a", Organisation.Kind.VENDOR)
    olivia = make_user("olivia", operator_org)
    olivia.is_staff = True
    olivia.save(update_fields=["is_staff"])
    gina = make_user("gina", grid)
    alice = make_user("alice", vendor)
    make_user("bob", vendor, role=Membership.Role.MEMBER)
    scenario = make_scenario(gina, grid, "GRID-LF-001", operator=olivia)
    make_dataset(gina, scenario, "load-history")
    version = make_suite_version(scenario)
    run = make_run(make_submission(version, vendor, alice))
    assert run.pk


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _can_be_invalid(operation) -> bool:
    """Whether a request to ``operation`` can break its schema at all.

    A path whose parameters are free strings, with no query and no body,
    has no invalid form; Hypothesis would search for one in vain.
    """
    definition = operation.definition.raw
    if "requestBody" in definition:
        return True
    for parameter in definition.get("parameters", []):
        if parameter.get("in") == "query":
            return True
        if parameter.get("schema", {}).get("type") != "string":
            return True
    return False


def _fuzz(schema, mode: GenerationMode, headers: dict[str, str]) -> list[str]:
    """Call every operation with generated requests; return the failures."""
    failures: list[str] = []
    operations = seen = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        if not ONLY.search(operation.label):
            continue
        seen += 1
        if mode is GenerationMode.NEGATIVE and not _can_be_invalid(operation):
            continue

        @given(case=operation.as_strategy(generation_mode=mode))
        @FUZZ_SETTINGS
        def call(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            call()
        except Unsatisfiable:
            # Hypothesis found no invalid form after all (every query
            # parameter a free string, say): nothing to send.
            assert mode is GenerationMode.NEGATIVE, operation.label
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert operations >= 90, f"only {operations} operations in the schema"
    assert seen, f"no operation matches PORTAL_FUZZ_ONLY={ONLY.pattern!r}"
    return failures


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_no_anonymous_request_breaks_the_api(api_schema, mode):
    failures = _fuzz(api_schema, mode, {})

    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_no_request_with_a_vendor_token_breaks_the_api(api_schema, mode):
    _token, key = api_token_create(user=User.objects.get(username="alice"), name="fuzz")
    failures = _fuzz(api_schema, mode, {"Authorization": f"Token {key}"})

    assert not failures, "\n\n".join(failures)
