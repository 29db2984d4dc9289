"""The portal starts and renders its home page in a real browser."""

from __future__ import annotations

from playwright.sync_api import expect


def test_it_renders_the_home_page(page):
    response = page.goto("/")

    assert response is not None
    assert response.status == 200
    expect(page.locator("header.site-header")).to_have_count(1)
