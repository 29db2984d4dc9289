"""A scenario owner manages a test suite in a real browser.

Create a suite, check a configuration in place (HTMX), upload a bundle, fix
a refused configuration without uploading again, publish with confirmation,
and see the declaration on the public page; all under the strict CSP.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from evaluations.models import SuiteVersion
from portal.accounts.models import Organisation
from tests.base import PASSWORD, make_org, make_user
from tests.e2e.helpers import login
from tests.evaluations.suite_helpers import bundle_files, config, tar_gz
from tests.scenarios.helpers import make_scenario


@pytest.fixture
def scenario(db, tmp_path: Path):
    operator_org = make_org("platform-ops", Organisation.Kind.OPERATOR)
    grid = make_org("demo-grid", Organisation.Kind.ENERGY)
    olivia = make_user("olivia", operator_org)
    gina = make_user("gina", grid)
    with override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        yield make_scenario(gina, grid, "GRID-PO-FC-001", operator=olivia)


def _csp_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            violations.append(msg.text)
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    return violations


def test_an_owner_creates_checks_uploads_and_publishes_a_suite(
    page, scenario, live_server, tmp_path
):
    bundle = tmp_path / "bundle.tar.gz"
    bundle.write_bytes(tar_gz(bundle_files()))
    violations = _csp_violations(page)
    login(page, live_server, "gina", PASSWORD)

    page.goto("/scenarios/GRID-PO-FC-001/")
    page.locator("#manage-suites").click()
    form = page.locator("#suite-create-form")
    form.locator("#id_slug").fill("day-ahead")
    form.locator("#id_task_kind").select_option("forecasting")
    form.locator("#id_title_zh").fill("日前负荷预测测试")
    form.locator("#id_title_en").fill("Day-ahead load test")
    form.locator("button[type=submit]").click()
    expect(page.locator("#suite-version-form")).to_have_count(1)

    # The configuration is checked in place, without saving.
    text = page.locator("#id_config_text")
    text.fill(json.dumps(config(gates=[{"metric": "rmse"}])))
    page.locator("#config-check-button").click()
    expect(page.locator("#config-problems")).to_contain_text("rmse")
    text.fill(json.dumps(config()))
    page.locator("#config-check-button").click()
    expect(page.locator("#config-valid")).to_have_count(1)
    expect(page.locator("#config-check #suite-metrics")).to_contain_text("mae")

    # A refused configuration keeps the checked bundle and the text.
    bad = json.dumps(config(quotas={"per_day": 0}))
    text.fill(bad)
    page.locator("#id_bundle").set_input_files(str(bundle))
    page.locator("#suite-version-form button[type=submit]").click()
    expect(page.locator("#bundle-kept")).to_have_count(1)
    expect(page.locator("#id_config_text")).to_have_value(bad)
    expect(page.locator("#suite-version-form .errorlist")).to_contain_text(
        "quotas.per_day"
    )
    page.locator("#id_config_text").fill(json.dumps(config()))
    page.locator("#suite-version-form button[type=submit]").click()
    expect(page.locator("#version-status")).to_have_class("badge status-draft")
    expect(page.locator("#bundle-summary")).to_contain_text("noise")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#publish-version").click()
    expect(page.locator("#version-status")).to_have_class("badge status-published")
    version = SuiteVersion.objects.get()
    assert version.status == SuiteVersion.Status.PUBLISHED

    page.context.clear_cookies()
    page.goto(f"/suites/{version.pk}/")
    expect(page.locator("#suite-metrics")).to_contain_text("peak_error")
    expect(page.locator("#suite-data")).to_contain_text("Gaussian noise on the history")
    assert violations == []
