"""Browser end-to-end harness: Playwright driving Debian's Chromium.

Playwright never downloads a browser here: the tests launch the system
Chromium (``PORTAL_CHROMIUM``, default /usr/bin/chromium; install it with
``apt-get install chromium``). Every test in this folder is marked ``e2e``
automatically, so ``pytest -m "not e2e"`` leaves them out.

Fixtures:

* ``browser`` (session): one headless Chromium for the whole run.
* ``browser_locale`` (function): the locale of each new context; override it
  in a module or test to run a page in English (``"en-US"``).
* ``page`` (function): a fresh context and page per test, with the live
  server as base URL, so ``page.goto("/")`` works. A failing test leaves a
  screenshot and the browser console in test-results/.

``live_server`` comes from pytest-django and implies ``transactional_db``:
data created in the test is committed, so the server thread sees it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.helpers import login

__all__ = ["login"]

# Playwright's sync API runs an event loop in this thread, and Django
# refuses ORM calls from a thread with a running loop unless told that this
# is safe. It is: the loop only drives the browser.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server on an IPv4 literal: Chromium would try ::1 first for
# "localhost".
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

E2E_DIR = Path(__file__).resolve().parent
RESULTS_DIR = E2E_DIR.parent.parent / "test-results"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
DEFAULT_TIMEOUT_MS = 10_000

# As root, without a sandbox, and with no network but loopback. Without the
# background-networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1", "yes"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    # tryfirst: the marks must be on the items before "-m" deselects.
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # Keep each phase's report on the item, so that the page fixture can
    # tell in its teardown whether the test failed.
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = (
            f"{CHROMIUM} not found: install Debian's chromium "
            "(apt-get install chromium) or set PORTAL_CHROMIUM."
        )
        if _in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        # Plain launch() gives every run a fresh, temporary user-data-dir and
        # deletes it on close.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            chromium_sandbox=False,
        )
    except Exception:
        playwright.stop()
        raise
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def browser_locale() -> str:
    # LANGUAGE_CODE is zh-hans; LocaleMiddleware picks it from Accept-Language.
    return "zh-CN"


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:180]


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Any,
    live_server: Any,
    browser_locale: str,
) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale=browser_locale,
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda msg: console.append(f"[{msg.type}] {msg.text}"))
    page.on("pageerror", lambda exc: console.append(f"[pageerror] {exc}"))
    try:
        yield page
    finally:
        report = getattr(request.node, "_e2e_report_call", None)
        if report is not None and report.failed:
            _save_failure_artifacts(request.node.nodeid, page, console)
        context.close()


def _save_failure_artifacts(nodeid: str, page: Any, console: list[str]) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    name = _artifact_name(nodeid)
    try:
        page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
    except Exception as exc:  # the page may be gone; keep the other artifacts
        console.append(f"[harness] screenshot failed: {exc}")
    (RESULTS_DIR / f"{name}.txt").write_text(
        f"url: {page.url}\n\n" + "\n".join(console) + "\n", encoding="utf-8"
    )
