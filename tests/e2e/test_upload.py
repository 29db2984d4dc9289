"""The upload page in a real browser.

1. A vendor drops wrong files and sees them refused before anything is
   sent, then drops a real example package and lands on its run page.
2. A file the server refuses comes back with the error next to the field;
   the typed fields and the chosen file are kept.
3. The same form works without JavaScript.
4. A prediction file goes through on a suite that accepts them.

The browser runs in Chinese (the default language). The validation run is
not started: its enqueue is patched out (Celery is eager in tests).
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from unittest import mock

import pytest
from playwright.sync_api import expect

from evaluations.intake import pack_solution
from evaluations.models import Submission
from portal.accounts.models import Organisation
from tests.base import PASSWORD, make_org, make_user
from tests.e2e.helpers import login
from tests.evaluations.helpers import (
    make_prediction_suite,
    make_suite_version,
    prediction_csv,
)
from tests.scenarios.helpers import make_scenario

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "solutions"
RUN_PAGE = re.compile(r"/runs/\d+/$")


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EVALUATION_WORK_DIR = tmp_path / "work"
    operators = make_org("platform-ops", Organisation.Kind.OPERATOR)
    grid = make_org("demo-grid", Organisation.Kind.ENERGY)
    vendor = make_org("vendor-a", Organisation.Kind.VENDOR)
    olivia = make_user("olivia", operators)
    gina = make_user("gina", grid)
    make_user("alice", vendor)
    scenario = make_scenario(gina, grid, "GRID-PO-FC-001", operator=olivia)
    package = tmp_path / "seasonal-naive.zip"
    pack_solution(EXAMPLES / "forecasting-seasonal-naive", package)
    return {
        "version": make_suite_version(scenario),
        "scenario": scenario,
        "package": package,
        "tmp": tmp_path,
    }


@pytest.fixture
def enqueue():
    with mock.patch("evaluations.tasks.evaluation_run.apply_async") as patched:
        yield patched


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


def drop(page, name: str, content: bytes, media_type: str = "") -> None:
    """Drop a file onto the drop zone, as a drag from the desktop does."""
    page.evaluate(
        """([name, data, type]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type }));
            const zone = document.querySelector("[data-dropzone]");
            for (const kind of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(kind, {
                    bubbles: true, cancelable: true, dataTransfer: transfer,
                }));
            }
        }""",
        [name, base64.b64encode(content).decode(), media_type],
    )


def test_wrong_files_are_refused_before_upload_and_a_package_lands_on_its_run(
    page, live_server, world, enqueue
):
    violations = _no_csp_violations(page)
    login(page, live_server, "alice", PASSWORD)
    page.goto(f"/suites/{world['version'].pk}/")
    error = page.locator("#file-client-error")
    expect(error).to_be_hidden()

    drop(page, "notes.txt", b"not a solution")
    expect(error).to_be_visible()
    expect(error).to_contain_text("“notes.txt”不是")
    # This suite takes packages only, so a CSV is refused the same way.
    drop(page, "predictions.csv", prediction_csv())
    expect(error).to_contain_text("“predictions.csv”不是")
    drop(page, "empty.zip", b"")
    expect(error).to_have_text("“empty.zip”是空文件。")
    # Submitting now sends nothing.
    page.locator("#submit-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/suites/{world['version'].pk}/$"))
    assert Submission.objects.count() == 0

    drop(page, "seasonal-naive.zip", world["package"].read_bytes(), "application/zip")
    expect(error).to_be_hidden()
    expect(page.locator("#file-status")).to_contain_text("已选择：seasonal-naive.zip")
    page.locator("#id_name").fill("E2E naive")
    page.locator("#submit-form button[type=submit]").click()

    expect(page).to_have_url(RUN_PAGE)
    submission = Submission.objects.get()
    run = submission.runs.get()
    assert page.url.endswith(run.get_absolute_url())
    assert (submission.name, submission.kind) == ("E2E naive", "package")
    expect(page.locator("h1")).to_contain_text("E2E naive")
    expect(page.locator("#run-state")).to_have_count(1)
    enqueue.assert_called_once_with(args=(run.pk,), countdown=0)
    assert violations == []


def test_a_server_refusal_shows_next_to_the_field_and_keeps_everything(
    page, live_server, world, enqueue
):
    login(page, live_server, "alice", PASSWORD)
    page.goto(f"/suites/{world['version'].pk}/")
    # Named like a package, so the browser lets it through; the server
    # judges by content.
    drop(page, "broken.zip", b"this is not a zip archive")
    page.locator("#id_name").fill("Kept name")
    page.locator("#id_description").fill("Kept description")
    # Note what the progress line says while HTMX reports progress (this
    # listener runs after upload.js's own).
    page.evaluate(
        """() => {
            window.progressSeen = [];
            document.addEventListener("htmx:xhr:progress", () => {
                const box = document.querySelector("[data-upload-progress]");
                window.progressSeen.push(box.hidden ? "" : box.textContent.trim());
            });
        }"""
    )
    page.locator("#submit-form button[type=submit]").click()

    field = page.locator("#file-field")
    expect(field.locator("#id_file_error")).to_contain_text("(unknown_format)")
    expect(page).to_have_url(re.compile(rf"/suites/{world['version'].pk}/$"))
    expect(page.locator("#id_name")).to_have_value("Kept name")
    expect(page.locator("#id_description")).to_have_value("Kept description")
    kept = page.evaluate("document.querySelector('#id_file').files[0].name")
    assert kept == "broken.zip"
    seen = page.evaluate("window.progressSeen")
    assert seen, "HTMX reported no upload progress"
    assert all(
        re.match(r"正在上传… \d+ %|已上传，平台正在检查文件…", text) for text in seen
    ), seen
    assert Submission.objects.count() == 0

    # The new form works like the first one.
    drop(page, "seasonal-naive.zip", world["package"].read_bytes())
    page.locator("#submit-form button[type=submit]").click()
    expect(page).to_have_url(RUN_PAGE)
    assert Submission.objects.get().name == "Kept name"


def test_the_form_works_without_javascript(browser, live_server, world, enqueue):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="zh-CN"
    )
    page = context.new_page()
    try:
        login(page, live_server, "alice", PASSWORD)
        page.goto(f"/suites/{world['version'].pk}/")
        page.locator("#id_file").set_input_files(str(world["package"]))
        with page.expect_navigation():
            page.locator("#submit-form button[type=submit]").click()
        assert RUN_PAGE.search(page.url)
        assert Submission.objects.get().kind == "package"
    finally:
        context.close()


def test_a_prediction_file_is_uploaded_where_the_suite_accepts_them(
    page, live_server, world, enqueue
):
    version = make_prediction_suite(world["scenario"], world["tmp"])
    login(page, live_server, "alice", PASSWORD)
    page.goto(f"/suites/{version.pk}/")
    expect(page.locator("#inputs-hidden")).to_be_visible()
    drop(page, "cells.csv", prediction_csv(), "text/csv")
    expect(page.locator("#file-client-error")).to_be_hidden()
    page.locator("#id_name").fill("Threshold rule")
    page.locator("#id_version_label").fill("1.0")
    page.locator("#submit-form button[type=submit]").click()
    expect(page).to_have_url(RUN_PAGE)
    expect(page.locator("#prediction-file-badge")).to_be_visible()
    assert Submission.objects.get().kind == "predictions"
