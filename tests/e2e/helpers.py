"""Helpers shared by the browser tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

LOGIN_PATH = "/accounts/login/"


def login(
    page: Page,
    live_server: LiveServer,
    username: str,
    password: str,
    *,
    path: str = LOGIN_PATH,
) -> None:
    """Sign in through the real login form and wait for the redirect.

    The accounts app renders ``form#login-form`` at /accounts/login/ with
    Django's usual ``#id_username`` and ``#id_password`` fields (so does
    the admin's login page, at ``path="/admin/login/"``). Raise
    ``AssertionError`` if the browser is still on the login page afterwards,
    so a wrong password fails here and not in a later, puzzling step.
    """
    page.goto(f"{live_server.url}{path}")
    form = page.locator("form#login-form")
    form.locator("#id_username").fill(username)
    form.locator("#id_password").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
    if page.url.split("?", 1)[0].endswith(path):
        raise AssertionError(f"Login as {username!r} failed; still on {page.url}")
