"""Expert review in a real browser: autosave, disagreement, flag, decision.

1. Rita scores entry 1: each change autosaves a draft (HTMX), then she submits.
2. Rosa scores the same entry two levels apart on scenario fit and submits.
3. The chair sees the flag on the scorecard, closes the round, discusses
   the entry and records a decision; the radar chart is on the page.

The browser runs in Chinese, so elements are found by ids and names.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import Run
from portal.accounts.models import Membership, Organisation, ReviewerProfile
from reviews import services
from reviews.models import Assignment, Decision, ReviewVersion
from tests.base import PASSWORD, make_org, make_user
from tests.e2e.helpers import login
from tests.evaluations.helpers import make_run, make_submission, make_suite_version
from tests.scenarios.helpers import make_scenario

DIMENSIONS = ("maturity", "fit", "economics", "social", "safety", "user")


@pytest.fixture
def panel(db):
    operator_org = make_org("platform-ops", Organisation.Kind.OPERATOR)
    grid = make_org("demo-grid", Organisation.Kind.ENERGY)
    vendor = make_org("vendor-a", Organisation.Kind.VENDOR)
    experts = make_org("expert-committee", Organisation.Kind.REVIEW)
    olivia = make_user("olivia", operator_org)
    gina = make_user("gina", grid)
    alice = make_user("alice", vendor)
    reviewers = {}
    for name in ("rita", "rosa"):
        user = make_user(name, experts, role=Membership.Role.MEMBER)
        ReviewerProfile.objects.create(
            user=user, sectors=["grid"], task_types=["forecasting"]
        )
        reviewers[name] = user
    scenario = make_scenario(gina, grid, "GRID-PO-FC-001", operator=olivia)
    version = make_suite_version(scenario)
    submission = make_submission(version, vendor, alice)
    make_run(
        submission,
        split=Run.Split.HIDDEN,
        status=Run.Status.SUCCEEDED,
        finished_at=timezone.now(),
        metrics={"mape": 3.2},
        gates=[{"metric": "mape", "comparator": "<=", "value": 5.0, "passed": True}],
        resources={"wall_seconds": 2.5},
        passed=True,
    )
    review_round = services.round_create(
        scenario=scenario,
        user=gina,
        data={
            "title": "Testing round 1",
            "stage": "testing",
            "deadline": timezone.now() + timedelta(days=14),
            "reviewers_per_entry": 2,
            "reviewer_cap": 5,
            "blind": True,
        },
    )
    (entry,) = services.round_entries_add(
        review_round=review_round, user=gina, submissions=[submission]
    )
    assignments = {
        name: services.assignment_create(entry=entry, reviewer=user, user=gina)
        for name, user in reviewers.items()
    }
    services.round_open(review_round=review_round, user=gina)
    return {
        "round": review_round,
        "entry": entry,
        "assignments": assignments,
        "gina": gina,
    }


def _score(page, scores: dict[str, int]) -> None:
    """Fill the form: the score, confidence 2 and a justification each."""
    for dimension in DIMENSIONS:
        page.locator(f"#id_{dimension}_justification").fill(
            "Checked against the vendor's design documents."
        )
        page.select_option(f"#id_{dimension}_confidence", "2")
        page.select_option(f"#id_{dimension}_score", str(scores[dimension]))


def test_two_reviewers_disagree_the_flag_appears_and_the_chair_decides(
    page, live_server, panel
):
    page.on("dialog", lambda dialog: dialog.accept())
    entry = panel["entry"]
    rita = panel["assignments"]["rita"]

    # 1. Rita: autosave, then submit.
    login(page, live_server, "rita", PASSWORD)
    page.goto(f"/reviews/assignments/{rita.pk}/")
    _score(page, dict.fromkeys(DIMENSIONS, 3))
    expect(page.locator("#autosave-ok")).to_be_visible()
    drafts = ReviewVersion.objects.filter(review__assignment=rita, is_submitted=False)
    assert drafts.exists()
    with page.expect_navigation():
        page.locator("button[name=action][value=submit]").click()
    rita.refresh_from_db()
    assert rita.status == Assignment.Status.SUBMITTED

    # 2. Rosa disagrees on scenario fit by two levels.
    page.context.clear_cookies()
    rosa = panel["assignments"]["rosa"]
    login(page, live_server, "rosa", PASSWORD)
    page.goto(f"/reviews/assignments/{rosa.pk}/")
    _score(page, {**dict.fromkeys(DIMENSIONS, 3), "fit": 5})
    page.locator("#id_fit_evidence").fill("run:1")
    with page.expect_navigation():
        page.locator("button[name=action][value=submit]").click()
    rosa.refresh_from_db()
    assert rosa.status == Assignment.Status.SUBMITTED

    # 3. The chair: the flag, the radar chart; close, discuss, decide.
    page.context.clear_cookies()
    login(page, live_server, "gina", PASSWORD)
    page.goto(f"/reviews/rounds/{panel['round'].pk}/")
    row = page.locator(f"#scorecard-entry-{entry.pk}")
    expect(row.locator(".badge.denied")).to_be_visible()
    expect(page.locator("svg.radar")).to_have_count(1)
    with page.expect_navigation():
        page.locator(
            f"form[action$='/rounds/{panel['round'].pk}/close/'] button"
        ).click()
    page.goto(f"/reviews/entries/{entry.pk}/")
    page.locator("#discussion textarea[name=body]").fill(
        "Fit: 3 or 5? The latency figures support 3."
    )
    page.locator("#discussion button[type=submit]").click()
    expect(page.locator("#discussion")).to_contain_text("The latency figures")
    page.select_option("#decision-form select[name=outcome]", "revise")
    page.locator("#decision-form textarea[name=reasons]").fill(
        "Fit is disputed; bring pilot latency figures."
    )
    with page.expect_navigation():
        page.locator("#decision-form button[type=submit]").click()
    decision = Decision.objects.get(entry=entry)
    assert decision.outcome == "revise"
    assert decision.chair == panel["gina"]
