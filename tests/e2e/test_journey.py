"""The whole lifecycle on demo data, in a real browser.

Scenario WIND-OM-AD-001 of the demo (published by Huachen, the demo
generation company):

1. The vendor (hengchuan-ai) uploads a solution package to the scenario's
   suite and lands on its run page. The worker is not started: the test
   records the runs' results (the engine has its own tests), a hidden run
   that meets every threshold and probe.
2. The vendor registers the solution and moves it to R&D and to testing.
3. A demo testing panel reviews it (``lifecycle.demo_story``, the same
   services the review pages call; tests/e2e/test_reviews.py drives those
   pages) and the chair decides "advance".
4. The owner moves it into the pilot stage, records a pilot, a KPI and a
   CSV of field measurements, sends the SUS questionnaire to pilot users,
   closes the pilot and moves it to effectiveness evaluation.
5. A fresh demo panel scores the measured evidence; the chair moves the
   solution to scale rollout.
6. The vendor drafts the benchmark case, the owner publishes it, and an
   anonymous visitor reads it.
7. The owner downloads the evidence pack, which verifies offline.

Forms are found by their action, so the test does not depend on the
language of the demo users.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.intake import pack_solution
from evaluations.models import Run, Submission
from lifecycle import demo_story, pack_verifier
from lifecycle.models import Solution
from portal.accounts.models import User
from portal.ledger.selectors import ledger_verify
from scenarios.demo import DEMO_PASSWORD
from scenarios.models import Scenario
from tests.e2e.helpers import login
from tests.evaluations.helpers import make_suite_version

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "solutions"
SCENARIO = "WIND-OM-AD-001"
CONFIG = {
    "schema_version": 1,
    "metrics": [{"code": "mape"}],
    "gates": [{"metric": "mape", "comparator": "<=", "value": 5.0}],
    "limits": {"wall_seconds": 20, "cpu_seconds": 20, "memory_mb": 512},
    "leaderboard": {"weights": {"mape": 1.0}},
    "quotas": {"per_day": 3},
}


@pytest.fixture
def browser_locale() -> str:
    return "en-US"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.DEMO_MODE = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo_reviews", stdout=out)
    scenario = Scenario.objects.get(code=SCENARIO)
    version = make_suite_version(scenario, config=CONFIG)
    version.suite.is_demo = True
    version.suite.save(update_fields=["is_demo"])
    package = tmp_path / "seasonal-naive.zip"
    pack_solution(EXAMPLES / "forecasting-seasonal-naive", package)
    return {"version": version, "package": package, "scenario": scenario}


def _record_runs(submission: Submission) -> Run:
    """What the worker would have stored for a solution that passes."""
    Run.objects.filter(submission=submission, split=Run.Split.SAMPLE).update(
        status=Run.Status.SUCCEEDED,
        finished_at=timezone.now(),
        metrics={"mape": 3.9},
        passed=True,
    )
    return Run.objects.create(
        submission=submission,
        split=Run.Split.HIDDEN,
        status=Run.Status.SUCCEEDED,
        finished_at=timezone.now(),
        metrics={"mape": 4.0},
        gates=[
            {
                "metric": "mape",
                "comparator": "<=",
                "value": 5.0,
                "observed": 4.0,
                "passed": True,
            }
        ],
        probes={"noise": {"mape": 0.1}},
        resources={
            "wall_seconds": 1.0,
            "cpu_seconds": 1.0,
            "calls": 2,
            "energy_wh": 0.01,
            "sandboxed": True,
        },
        passed=True,
    )


def _as(page, live_server, user: User) -> None:
    page.context.clear_cookies()
    login(page, live_server, user.username, DEMO_PASSWORD)


def _click(page, action: str) -> None:
    form = page.locator(f'form[action="{action}"]')
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_a_solution_goes_from_submission_to_a_published_benchmark_case(
    page, live_server, world, tmp_path
):
    scenario, version = world["scenario"], world["version"]
    vendor = User.objects.get(username="vendor_a_owner")
    owner = User.objects.get(username="gen_owner")
    operator = User.objects.get(username="platform_op")

    # 1. The vendor uploads the package.
    _as(page, live_server, vendor)
    page.goto(f"/suites/{version.pk}/")
    page.locator("#id_file").set_input_files(str(world["package"]))
    page.locator("#id_name").fill("Fleet detector")
    with mock.patch("evaluations.tasks.evaluation_run.apply_async"):
        page.locator("#submit-form button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"/runs/\d+/$"))
    submission = Submission.objects.get(name="Fleet detector")
    hidden = _record_runs(submission)

    # 2. The vendor registers it and moves it to R&D and testing.
    page.goto("/solutions/")
    register = page.locator('form[action="/solutions/register/"]')
    register.locator("#id_submission").select_option(str(submission.pk))
    with page.expect_navigation():
        register.locator("button[type=submit]").click()
    solution = Solution.objects.get(submission=submission)
    url = f"/solutions/{solution.pk}/"
    expect(page).to_have_url(re.compile(rf"{url}$"))
    advance = f"/solutions/{solution.pk}/advance/"
    _click(page, advance)
    _click(page, advance)
    expect(page.locator("h1 .status-testing")).to_have_count(1)

    # 3. The testing panel.
    cast = demo_story.Cast(operator=operator, vendor=vendor, owner=owner)
    lines: list[str] = []
    demo_story.testing_review(solution, cast, lines)
    assert lines[-1].endswith("testing round decided: advance"), lines

    # 4. The owner: pilot stage, a pilot with a KPI and field data, SUS.
    _as(page, live_server, owner)
    page.goto(url)
    page.locator('form[action$="/advance/"] input[name=run]').fill(str(hidden.pk))
    _click(page, advance)
    expect(page.locator("h1 .status-pilot")).to_have_count(1)
    form = page.locator(f'form[action="/solutions/{solution.pk}/pilots/new/"]')
    form.locator("#id_site").fill("Huachen wind farm, turbines 1–4 (demo)")
    form.locator("#id_starts_on").fill("2026-06-01")
    form.locator("#id_ends_on").fill("2026-08-31")
    form.locator("#id_mode").select_option("shadow")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    pilot = solution.pilots.get()
    expect(page).to_have_url(re.compile(rf"/solutions/pilots/{pilot.pk}/$"))
    _click(page, f"/solutions/pilots/{pilot.pk}/start/")
    page.locator("#comparison summary").click()
    kpi_form = page.locator(f'form[action="/solutions/pilots/{pilot.pk}/kpis/"]')
    kpi_form.locator("#id_name").fill("mape")
    kpi_form.locator("#id_target").fill("5")
    kpi_form.locator("#id_comparator").select_option("<=")
    kpi_form.locator("#id_tolerance_pct").fill("20")
    with page.expect_navigation():
        kpi_form.locator("button[type=submit]").click()
    csv = tmp_path / "field.csv"
    csv.write_text(
        "kpi,timestamp,value\n"
        "mape,2026-06-07T09:00+08:00,4.1\n"
        "mape,2026-06-14T09:00+08:00,3.9\n"
        "mape,2026-06-21T09:00+08:00,4.2\n"
    )
    upload = page.locator(
        f'form[action="/solutions/pilots/{pilot.pk}/measurements/upload/"]'
    )
    upload.locator("input[type=file]").set_input_files(str(csv))
    with page.expect_navigation():
        upload.locator("button[type=submit]").click()
    expect(page.locator("#comparison")).to_contain_text("4.0667")
    assert pilot.kpis.get().measurements.count() == 3
    page.once("dialog", lambda dialog: dialog.accept())
    _click(page, f"/solutions/pilots/{pilot.pk}/close/")
    page.goto(url)
    _click(page, advance)
    expect(page.locator("h1 .status-effectiveness")).to_have_count(1)

    # 5. The effectiveness panel, then the chair moves it to scale.
    demo_story.effectiveness_review(solution, cast, lines)
    assert lines[-1].endswith("effectiveness round decided: advance"), lines
    _as(page, live_server, operator)
    page.goto(url)
    _click(page, advance)
    expect(page.locator("h1 .status-scale")).to_have_count(1)

    # 6. The benchmark case: drafted by the vendor, published by the owner.
    _as(page, live_server, vendor)
    page.goto(url)
    case_form = page.locator(f'form[action="/solutions/{solution.pk}/case/"]')
    case_form.locator("#id_summary_zh").fill("风机SCADA异常检测，影子模式试点后推广。")
    case_form.locator("#id_summary_en").fill(
        "Turbine SCADA anomaly detection, rolled out after a shadow pilot."
    )
    with page.expect_navigation():
        case_form.locator("button[type=submit]").click()
    _as(page, live_server, owner)
    page.goto(url)
    publish = page.locator(f'form[action="/solutions/{solution.pk}/case/publish/"]')
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        publish.locator("button[type=submit]").click()
    case = Solution.objects.get(pk=solution.pk).benchmark_case
    assert case.status == "published"

    # 7. The evidence pack verifies offline.
    page.goto(url)
    with page.expect_download() as download:
        page.locator(f'a[href="/solutions/{solution.pk}/evidence-pack/"]').click()
    path = tmp_path / "pack.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        (tmp_path / "verify_pack.py").write_bytes(archive.read("verify_pack.py"))
    # The pack's own script, with the system Python and nothing else.
    checked = subprocess.run(  # noqa: S603 - the pack's own verifier
        ["/usr/bin/python3", str(tmp_path / "verify_pack.py"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert pack_verifier.verify_archive(path.read_bytes()).ok

    # An anonymous visitor reads the case.
    page.context.clear_cookies()
    page.goto("/cases/")
    page.get_by_role("link", name=re.compile(solution.name)).first.click()
    expect(page.locator("body")).to_contain_text(
        "Turbine SCADA anomaly detection, rolled out after a shadow pilot."
    )
    expect(page.locator("body")).to_contain_text(scenario.code)
    assert ledger_verify().ok
