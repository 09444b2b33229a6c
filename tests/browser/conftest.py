"""Headless Chromium (Debian's package) driven by Playwright, for the few tests that need a real browser."""

from __future__ import annotations

import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture
def browser():
    # Function-scoped on purpose: a sync Playwright left running between tests would break any other
    # test in the same worker that starts its own (it refuses to run inside a live event loop).
    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    # ORM calls made while Playwright runs get their own connection (its event loop gives them another
    # context); close it, or PostgreSQL refuses to drop the test database at the end.
    from django.db import connections

    connections.close_all()
