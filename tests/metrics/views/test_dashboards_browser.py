"""The campaign dashboard in headless Chromium: every chart drawn, no console errors."""


import pytest
from django.urls import reverse

from campaigns.models import Post
from tests.metrics.dashboard_data import build_campaign

ALL_CHARTS_DRAWN = """() => {
  const canvases = Array.from(document.querySelectorAll('canvas[data-chart]'));
  return canvases.length > 0 && canvases.every(c => window.Chart && Chart.getChart(c) !== undefined
    && c.width > 0 && c.height > 0);
}"""


@pytest.fixture
def browser_page(live_server, client, people, page):
    client.force_login(people.viewer)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return page, problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_campaign_dashboard_draws_every_chart_without_errors(browser_page, live_server, org):
    page, problems = browser_page
    campaign = build_campaign(org, n_posts=8)
    page.goto(live_server.url + reverse("campaign_dashboard", args=[campaign.pk]))
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=10_000)
    assert page.locator("canvas[data-chart]").count() == 5
    assert page.get_by_text("One tenth of viewers were in Vietnam").is_visible()
    # The accessible table behind a chart opens.
    page.locator("details.chart-data summary").first.click()
    assert page.locator("details.chart-data table").first.is_visible()
    # The post-performance fragment, swapped in by htmx as the post page does, draws its own chart.
    post = Post.objects.filter(campaign=campaign, variant_of__isnull=True).first()
    page.evaluate("""(url) => {
        const box = document.createElement('div'); box.id = 'fragment-box'; document.body.appendChild(box);
        htmx.ajax('GET', url, {target: '#fragment-box', swap: 'innerHTML'});
    }""", reverse("post_performance", args=[post.pk]))
    page.wait_for_selector("#fragment-box canvas[data-chart]")
    page.wait_for_function("() => Chart.getChart(document.querySelector('#fragment-box canvas[data-chart]'))",
                           timeout=10_000)
    page.goto(live_server.url + reverse("org_overview"))
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=10_000)
    assert problems == []
