"""The main journeys of the portal, in a real browser.

1. The public browses the scenario map, a filtered list and a scenario.
2. An energy company drafts a scenario and submits it; an operator publishes it.
3. A vendor requests data access; the owner approves; the vendor downloads.

The browser runs in Chinese (the default language), so elements are found by
ids, names and form actions rather than by English labels.
"""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Organisation
from scenarios.models import AccessRequest, DownloadLog, Scenario
from tests.base import PASSWORD, make_org, make_user
from tests.e2e.helpers import login
from tests.scenarios.helpers import make_dataset, make_scenario

CONTENT = b"timestamp,load_mw\n2026-01-01T00:00,31250\n2026-01-01T00:15,30980\n"


@pytest.fixture
def people(db):
    operator_org = make_org("platform-ops", Organisation.Kind.OPERATOR)
    grid = make_org("demo-grid", Organisation.Kind.ENERGY)
    vendor = make_org("vendor-a", Organisation.Kind.VENDOR)
    return {
        "olivia": make_user("olivia", operator_org),
        "gina": make_user("gina", grid),
        "alice": make_user("alice", vendor),
        "grid": grid,
        "vendor": vendor,
    }


def _no_csp_violations(page):
    violations = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    return violations


def _two_published_scenarios(people):
    """A load forecast and a UAV line inspection, both published."""
    make_scenario(
        people["gina"], people["grid"], "GRID-PO-FC-001", operator=people["olivia"]
    )
    make_scenario(
        people["gina"],
        people["grid"],
        "GRID-OM-VI-002",
        operator=people["olivia"],
        stage="equipment_om",
        task_type="vision_inspection",
        title_zh="无人机输电线路巡检",
        title_en="UAV line inspection",
    )


def test_the_public_browses_map_list_and_scenario(page, people):
    _two_published_scenarios(people)
    violations = _no_csp_violations(page)

    page.goto("/map/")
    cell = page.locator("a[data-sector=grid][data-stage=equipment_om]")
    expect(cell).to_have_text("1")
    cell.click()
    expect(page).to_have_url("/scenarios/?sector=grid&stage=equipment_om")
    results = page.locator("#results")
    expect(results).to_contain_text("GRID-OM-VI-002")
    expect(results).not_to_contain_text("GRID-PO-FC-001")

    # Facets update the results in place (HTMX) and keep the URL shareable.
    page.locator("input[name=stage][value=equipment_om]").uncheck()
    expect(results).to_contain_text("GRID-PO-FC-001")
    expect(page).to_have_url(re.compile(r"/scenarios/\?(?!.*stage=).*sector=grid"))

    results.locator("a", has_text="无人机输电线路巡检").click()
    expect(page.locator("h1")).to_have_text("无人机输电线路巡检")
    expect(page.locator("table")).to_contain_text("MAPE")
    assert violations == []


def test_a_company_drafts_and_submits_and_an_operator_publishes(
    page, people, live_server
):
    violations = _no_csp_violations(page)
    login(page, live_server, "gina", PASSWORD)
    page.goto("/scenarios/new/")
    form = page.locator("#scenario-form")
    form.locator("#id_code").fill("GRID-PO-FC-077")
    form.locator("#id_sector").select_option("grid")
    form.locator("#id_stage").select_option("production_operation")
    form.locator("#id_task_type").select_option("forecasting")
    form.locator("#id_title_zh").fill("母线负荷超短期预测")
    form.locator("#id_title_en").fill("Ultra-short-term bus load forecast")
    form.locator("#id_summary_zh").fill("滚动预测未来4小时的母线负荷。")
    form.locator("#id_summary_en").fill("Rolling 4-hour bus load forecast.")
    form.locator("#id_description_zh").fill("## 背景\n母线负荷预测支撑安全校核。")
    form.locator("#id_description_en").fill(
        "## Background\nBus load feeds security checks."
    )
    form.locator("#id_business_value_metric_zh").fill("安全校核质量")
    form.locator("#id_business_value_metric_en").fill("Security-check quality")
    form.locator("#id_annual_value_estimate").fill("800")
    form.locator("#id_data_readiness").select_option("4")
    form.locator("#id_replicable_sites").fill("120")
    form.locator("#id_deployment_mode").select_option("on_premise")
    form.locator("#id_security_zone").select_option("II")
    form.locator("#id_contact_name").fill("Gina")
    form.locator("#id_contact_email").fill("gina@example.com")
    form.locator("#id_thresholds-0-metric").fill("MAPE")
    form.locator("#id_thresholds-0-comparator").select_option("<=")
    form.locator("#id_thresholds-0-value").fill("5")
    form.locator("#id_thresholds-0-unit").fill("%")
    form.locator("button[type=submit]").click()

    expect(page).to_have_url("/scenarios/GRID-PO-FC-077/")
    expect(page.locator(".badge.status-draft")).to_have_count(1)
    page.locator("form[action$='/submit/'] button").click()
    expect(page.locator(".badge.status-submitted")).to_have_count(1)
    assert Scenario.objects.get(code="GRID-PO-FC-077").status == "submitted"

    page.context.clear_cookies()
    login(page, live_server, "olivia", PASSWORD)
    page.goto("/workspace/")
    page.locator("#review-queue a", has_text="GRID-PO-FC-077").click()
    page.locator("#publish-button").click()
    expect(page.locator(".badge.status-published")).to_have_count(1)

    page.context.clear_cookies()
    page.goto("/scenarios/?q=母线")
    expect(page.locator("#results")).to_contain_text("GRID-PO-FC-077")
    assert violations == []


def test_a_vendor_requests_data_the_owner_approves_and_the_vendor_downloads(
    page, people, live_server
):
    scenario = make_scenario(
        people["gina"], people["grid"], "GRID-PO-FC-001", operator=people["olivia"]
    )
    dataset = make_dataset(people["gina"], scenario, "bus-load-2026", content=CONTENT)
    violations = _no_csp_violations(page)

    login(page, live_server, "alice", PASSWORD)
    page.goto(f"/datasets/{dataset.slug}/")
    request_form = page.locator("#access-request-form")
    request_form.locator("textarea[name=purpose]").fill(
        "Train and validate our day-ahead forecaster on the development split."
    )
    request_form.locator("button[type=submit]").click()
    expect(page.locator("#request-status")).to_have_count(1)
    access = AccessRequest.objects.get()
    assert access.status == AccessRequest.Status.PENDING

    page.context.clear_cookies()
    login(page, live_server, "gina", PASSWORD)
    page.goto("/workspace/")
    page.locator("#incoming-requests a").first.click()
    decision = page.locator("#decision-form")
    decision.locator("select[name=decision]").select_option("approve")
    decision.locator("button[type=submit]").click()
    expect(page.locator("#request-status.approved")).to_have_count(1)

    page.context.clear_cookies()
    login(page, live_server, "alice", PASSWORD)
    page.goto(f"/datasets/{dataset.slug}/")
    with page.expect_download() as download_info:
        page.locator("#versions form button[type=submit]").first.click()
    download = download_info.value
    path = download.path()
    with open(path, "rb") as handle:
        received = handle.read()
    assert received == CONTENT
    assert download.suggested_filename == "load.csv"
    log = DownloadLog.objects.get()
    assert log.user.username == "alice"
    assert log.sha256 == hashlib.sha256(CONTENT).hexdigest()
    assert violations == []


def test_the_dashboard_suggests_scenarios_and_filters_by_one(page, people):
    _two_published_scenarios(people)
    violations = _no_csp_violations(page)

    page.goto("/solutions/dashboard/")
    field = page.locator("#id_scenario")
    # Typing part of a title fetches matching codes into the <datalist>.
    field.press_sequentially("巡检")
    options = page.locator("#dashboard-scenarios option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_attribute("value", "GRID-OM-VI-002")
    # Picking a code (the browser fills it in) filters the figures in place.
    field.fill("GRID-OM-VI-002")
    field.dispatch_event("change")
    expect(page).to_have_url(re.compile(r"scenario=GRID-OM-VI-002"))
    expect(page.locator("#dashboard-filters #id_scenario")).to_have_value(
        "GRID-OM-VI-002"
    )
    assert violations == []
