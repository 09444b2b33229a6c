"""The Content-Security-Policy in headless Chromium: every main page works under it (charts drawn, htmx
fragments swapped in, forms' scripts running) and the browser reports no violation at all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.models import Account, Post
from tests.factories import CampaignFactory, UserFactory
from tests.metrics.dashboard_data import build_campaign

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHARTS_DRAWN = """() => {
  const canvases = Array.from(document.querySelectorAll('canvas[data-chart]'));
  return canvases.length > 0 && canvases.every(c => window.Chart && Chart.getChart(c) !== undefined);
}"""
# Chromium reports a violation both on the console and as an event; the event is caught from the very
# start of each page (an init script is not itself subject to the policy).
RECORD_VIOLATIONS = """
  window.__violations = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.__violations.push(
      e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


@pytest.fixture
def watched_page(page):
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text} {m.location.get('url')}")
            if m.type == "error" and not m.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: console.append(f"page error: {e}"))
    page.add_init_script(RECORD_VIOLATIONS)
    page.set_default_navigation_timeout(30_000)  # Swagger UI's bundle is large; CI machines are busy
    page.on("response", lambda r: console.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return page, console


def sign_in_as(page, client, live_server, user) -> None:
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def visit(page, url: str, violations: dict[str, list], ready: str | None = None) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    if ready:
        page.wait_for_function(ready, timeout=30_000)
    found = page.evaluate("window.__violations")
    if found:
        violations[url] = found


@pytest.mark.django_db(transaction=True)
def test_main_pages_work_with_no_csp_violation(watched_page, live_server, client, people, org):
    page, console = watched_page
    campaign = build_campaign(org, n_posts=4)
    other = CampaignFactory(organization=org, name="Second campaign")
    post = Post.objects.filter(campaign=campaign, variant_of__isnull=True).first()
    influencer = post.campaign.collaborations.first().influencer
    violations: dict[str, list] = {}
    base = live_server.url

    sign_in_as(page, client, live_server, people.admin)
    for name, args, ready in [
        ("home", [], None),
        ("org_overview", [], CHARTS_DRAWN),
        ("campaign_list", [], None),
        ("campaign_detail", [campaign.pk], None),
        ("campaign_dashboard", [campaign.pk], CHARTS_DRAWN),
        ("campaign_scores", [campaign.pk], None),
        ("calendar", [], None),
        ("review_queue", [], None),
        ("influencer_list", [], None),
        ("collaboration_board", [], None),
        ("ingestion_health", [], None),
        ("methodology", [], None),
        ("score_weights", [org.pk], None),
        ("compare_languages", [post.pk], CHARTS_DRAWN),
        ("api_tokens", [], None),
        ("profile", [], None),
    ]:
        visit(page, base + reverse(name, args=args), violations, ready)
    visit(page, f"{base}{reverse('compare_campaigns')}?ids={campaign.pk}&ids={other.pk}", violations, CHARTS_DRAWN)

    # Fragments swapped in by htmx draw their charts with the page's own scripts.
    visit(page, base + reverse("post_detail", args=[post.pk]), violations)
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    visit(page, base + reverse("influencer_detail", args=[influencer.pk]), violations)

    # The post form's counter (a static script fed by data- attributes) counts as the user types.
    visit(page, base + reverse("post_create", args=[campaign.pk]), violations)
    youtube = Account.objects.get(organization=org, platform="youtube")
    page.select_option("#id_account", str(youtube.pk))
    page.fill("#id_title", "t" * 101)
    assert page.locator("#counter-title").inner_text().startswith("101 / 100")
    # The series form shows the fields of the chosen cadence.
    visit(page, base + reverse("series_create", args=[campaign.pk]), violations)
    page.select_option("#id_cadence", "dates")
    assert page.locator(".js-range-only").first.is_hidden()
    page.select_option("#id_cadence", "weekly")
    assert page.locator(".js-dates-only").first.is_hidden()

    # The API docs (Swagger UI, its script a file of its own) and the admin.
    visit(page, base + reverse("api_docs"), violations)
    page.wait_for_selector("text=/api/v1/posts/", timeout=60_000)
    sign_in_as(page, client, live_server, UserFactory(username="root", is_staff=True, is_superuser=True))
    visit(page, base + reverse("admin:index"), violations)
    visit(page, base + reverse("admin:metrics_scoreweights_add"), violations)
    visit(page, base + reverse("admin:campaigns_post_change", args=[post.pk]), violations)

    assert violations == {}
    assert [line for line in console if "Content Security Policy" in line] == []
    assert console == []  # nor any other error (the admin's favicon.ico, which this app has not, aside)
