"""Phones: at 390 px, in Traditional Chinese, no main page is wider than the screen.

Wide tables scroll inside their own box (.table-responsive); the calendar becomes an agenda. Screenshots of
each page are kept under var/test/screenshots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from campaigns.models import Campaign, Post

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "test" / "screenshots"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_no_main_page_is_wider_than_a_phone_in_zh_hant(browser, live_server, settings):
    settings.DEBUG = True
    call_command("load_demo")
    campaign = Campaign.objects.get(name__startswith="WHA 2026")
    film = Post.objects.get(platform_post_id="tcHperfPair")
    draft = Post.objects.filter(status__in=["draft", "idea"]).exclude(campaign=None).first()
    paths = [
        "/", "/calendar/", "/campaigns/", f"/campaigns/{campaign.pk}/", f"/campaigns/{campaign.pk}/dashboard/",
        "/overview/", f"/compare/?campaigns={campaign.pk}", f"/posts/{film.pk}/", f"/posts/{film.pk}/languages/",
        f"/posts/{draft.pk}/edit/", f"/campaigns/{campaign.pk}/series/new/", "/review/", "/ingestion/",
        "/methodology/", "/imports/",
    ]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-TW",
                                  extra_http_headers={"Accept-Language": "zh-Hant"})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "softpower-demo")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = {}
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        assert page.evaluate("document.documentElement.lang") == "zh-hant", path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "") or "home"
        page.screenshot(path=str(SCREENSHOTS / f"phone-zh-{name}.png"))
    context.close()
    assert not too_wide, f"pages wider than 390 px: {too_wide}"
