"""The API docs page in headless Chromium: Swagger UI from our own /static/ (no CDN), schema loaded."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

def test_swagger_ui_loads_from_static_and_lists_the_api(transactional_db, live_server, browser, settings, tmp_path,
                                                       people):
    from tests.factories import DEFAULT_PASSWORD

    settings.DEBUG = False  # as in production: whitenoise serves the sidecar's files
    page = browser.new_page()
    # Members only: the docs page sends an anonymous visitor to log in first.
    page.goto(f"{live_server.url}/api/docs/")
    page.fill("input[name=username]", "vera_viewer")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url == f"{live_server.url}/api/docs/"
    requested = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector("text=/api/v1/posts/", timeout=20000)
    page.wait_for_selector("text=Authorize", timeout=5000)

    hosts = {urlparse(url).netloc for url in requested if url.startswith("http")}
    assert hosts == {urlparse(live_server.url).netloc}, hosts  # nothing from a CDN
    scripts = [url for url in requested if url.endswith(".js")]
    assert scripts and all(urlparse(url).path.startswith("/static/") for url in scripts), scripts
    assert any(urlparse(url).path == "/api/schema/" for url in requested)

    shot = Path(os.environ.get("API_DOCS_SCREENSHOT", tmp_path / "api-docs.png"))
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000


@pytest.mark.slow
def test_tokens_page_creates_shows_once_and_revokes(transactional_db, people, live_server, browser, tmp_path):
    from tests.factories import DEFAULT_PASSWORD

    page = browser.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "erin_editor")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto(f"{live_server.url}/account/tokens/")
    page.fill("input[name=name]", "weekly report script")
    page.select_option("select[name=days]", "30")
    with page.expect_navigation():
        page.click("text=Create token")
    key = page.input_value("#new-token-key")
    assert key.startswith("sp_")
    shot = Path(os.environ.get("API_TOKENS_SCREENSHOT", tmp_path / "api-tokens.png"))
    page.screenshot(path=str(shot), full_page=True)

    # Visiting the page again never shows the key.
    page.goto(f"{live_server.url}/account/tokens/")
    assert key not in page.content() and "weekly report script" in page.content()
    with page.expect_navigation():
        page.click("text=Revoke")
    # Let every request finish before the test ends (a server thread cut off mid-response keeps
    # its database connection, and PostgreSQL then cannot drop the test database).
    page.wait_for_load_state("networkidle")
    assert "Revoked" in page.content()
    page.close()
    # No ORM here: under Playwright's sync API the test body runs with its own context, so a query
    # would open a database connection nobody closes (PostgreSQL then cannot drop the test DB).
