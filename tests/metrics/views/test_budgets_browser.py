"""The budget form of the ingestion health page in a real browser, at a phone's width too."""

from __future__ import annotations

import pytest

from metrics.models import IngestionBudget
from tests.factories import DEFAULT_PASSWORD, AccountFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_sets_a_youtube_budget_and_sees_it_planned(live_server, page, people, org):
    AccountFactory(organization=org, platform="youtube", handle="trending_taiwan")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", people.admin.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main [type=submit]")
    page.goto(f"{live_server.url}/ingestion/")
    assert page.locator("#budgets tr[data-platform=youtube]").inner_text().find("No budget set") >= 0
    page.select_option("#id_organization", str(org.pk))
    page.select_option("#id_platform", "youtube")
    page.fill("#id_limit", "4000")
    page.click("text=Save budget")
    page.wait_for_selector(".alert-success")
    row = page.locator("#budgets tr[data-platform=youtube]").inner_text()
    assert "Within budget" in row and "4,000" in row
    assert IngestionBudget.objects.get(organization=org, platform="youtube").planned_at is not None
    # The page stays within a phone's width (the table scrolls inside its own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
