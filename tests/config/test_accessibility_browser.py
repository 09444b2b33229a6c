"""Accessibility: axe-core (npm, node_modules) run in headless Chromium on the main pages, in Traditional
Chinese and in English, finds no serious or critical violation.

axe is injected by Playwright as an init script (`add_init_script(path=...)`), which the page's
Content-Security-Policy does not govern, so the pages are checked under the policy they really run with.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from campaigns.models import Campaign, Post

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA plus axe's best practices (landmarks, one <main>, headings); the experimental rules aside.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations'],
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(
      n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(1, 3).join(' '))
  }));
}"""


def serious_violations(page, url: str) -> list[dict]:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    return page.evaluate(RUN_AXE)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_main_pages_have_no_serious_or_critical_axe_violation_in_both_languages(browser, live_server, settings):
    settings.DEBUG = True
    call_command("load_demo")
    campaign = Campaign.objects.get(name__startswith="WHA 2026")
    draft = Post.objects.filter(status__in=["draft", "idea"]).exclude(campaign=None).first()
    paths = [
        "/", "/overview/", f"/campaigns/{campaign.pk}/dashboard/", "/calendar/",
        f"/campaigns/{campaign.pk}/series/new/", "/review/", f"/posts/{draft.pk}/edit/", "/settings/profile/",
        "/ingestion/",
    ]
    found: dict[str, list[dict]] = {}
    for language, locale in [("zh-hant", "zh-TW"), ("en", "en-GB")]:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale=locale,
                                      extra_http_headers={"Accept-Language": language})
        context.add_init_script(path=str(AXE))
        page = context.new_page()
        page.set_default_timeout(60_000)
        violations = serious_violations(page, f"{live_server.url}/login/")
        if violations:
            found[f"{language} /login/"] = violations
        page.fill("#id_username", "admin")
        page.fill("#id_password", "softpower-demo")
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if page.evaluate("document.documentElement.lang") != language:
            # A language remembered on the admin's profile outranks the browser's; the navbar's switcher sets it.
            page.locator(f"nav button[name=language][value={language}]").click()
            page.wait_for_load_state()
        for path in paths:
            violations = serious_violations(page, live_server.url + path)
            assert page.evaluate("document.documentElement.lang") == language, path
            if violations:
                found[f"{language} {path}"] = violations
        context.close()
    assert found == {}, "\n".join(
        f"{where}: {v['id']} ({v['impact']}) {v['help']}\n    " + "\n    ".join(v["nodes"])
        for where, vs in found.items() for v in vs)
