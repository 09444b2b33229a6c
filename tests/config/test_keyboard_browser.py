"""Keyboard only, in headless Chromium: a skip link to <main>, a visible focus ring, and the calendar, the
series planner and the review queue used with Tab, Enter and Space alone (no mouse, no element focused by
the test)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from campaigns.models import Post, Series
from tests.factories import AccountFactory, CampaignFactory, PostFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return {id: e.id, tag: e.tagName, text: (e.innerText || e.value || '').trim().slice(0, 80), name: e.name || '',
          post: e.dataset.post || '', outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
          shadow: s.boxShadow !== 'none', top: e.getBoundingClientRect().top}; }"""


def sign_in(page, client, live_server, user) -> None:
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def tab_to(page, wanted, limit: int = 80) -> dict:
    """Press Tab until the focused element is the one wanted (a predicate on FOCUSED's answer)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            return focused
    raise AssertionError(f"never reached by Tab; last focused: {focused}")


@pytest.fixture
def campaign(org):
    today = timezone.localdate()
    campaign = CampaignFactory(organization=org, name="Keyboard campaign", start_date=today - dt.timedelta(days=3),
                               end_date=today + dt.timedelta(days=40))
    AccountFactory(organization=org, handle="mofa_kb", platform="x")
    return campaign


@pytest.mark.django_db(transaction=True)
def test_skip_link_focus_ring_and_the_calendar_by_keyboard(page, live_server, client, people, campaign):
    post = PostFactory(campaign=campaign, planned_at=timezone.now(), title="Keyboard post")
    sign_in(page, client, live_server, people.editor)
    page.goto(f"{live_server.url}/calendar/")

    # The first Tab reaches the skip link, shown on the screen; Enter moves focus into <main>.
    skip = tab_to(page, lambda f: True, limit=1)
    assert skip["tag"] == "A" and skip["top"] >= 0 and skip["outline"], skip
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "main"

    # Every control reached by Tab shows a ring (an outline or Bootstrap's focus shadow).
    next_month = tab_to(page, lambda f: f["id"] == "calendar-next")
    assert next_month["outline"] or next_month["shadow"]
    title = page.locator("[data-testid=calendar-title]").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_function("(t) => document.querySelector('[data-testid=calendar-title]').innerText.trim() !== t",
                           arg=title.strip())
    # htmx swapped the calendar in and gave focus back to the same link.
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'calendar-next'",
                           timeout=5000)

    # Back to today, then on to the post in the grid; Enter opens it.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(FOCUSED)["id"] == "calendar-today"
    page.keyboard.press("Enter")
    page.wait_for_selector(f"[data-post='{post.pk}']")
    reached = tab_to(page, lambda f: f["post"] == str(post.pk))
    assert reached["outline"], reached
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/posts/{post.pk}/")


@pytest.mark.django_db(transaction=True)
def test_a_series_is_planned_by_keyboard(page, live_server, client, people, campaign):
    sign_in(page, client, live_server, people.editor)
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/series/new/")
    tab_to(page, lambda f: f["name"] == "name")
    page.keyboard.type("Keyboard week")
    # Space ticks an account's box; the dates, time and zone keep their suggested values.
    tab_to(page, lambda f: f["name"] == "accounts")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["name"] == "title_template")
    page.keyboard.type("Day {n}")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] in ("Create posts", "建立貼文"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/series/\d+/$"))
    series = Series.objects.get(name="Keyboard week")
    assert series.posts.count() >= 1


@pytest.mark.django_db(transaction=True)
def test_the_review_queue_by_keyboard(page, live_server, client, people, campaign):
    first = PostFactory(campaign=campaign, status=Post.Status.IN_REVIEW, title="First in review")
    second = PostFactory(campaign=campaign, status=Post.Status.IN_REVIEW, title="Second in review")
    sign_in(page, client, live_server, people.approver)
    page.goto(f"{live_server.url}/review/")

    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Approve")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#review-{first.pk}[autofocus]")
    # The decided card holds focus, so the next Tab goes on to the next post, not back to the navbar.
    assert page.evaluate(FOCUSED)["id"] == f"review-{first.pk}"
    # (past the decided post's own link): two presses, where focus lost to <body> would start from the top.
    tab_to(page, lambda f: f["text"].startswith("Second in review"), limit=2)

    tab_to(page, lambda f: f["name"] == "comment")
    page.keyboard.type("The date is wrong.")
    rejected = tab_to(page, lambda f: f["tag"] == "BUTTON", limit=1)
    assert rejected["text"] == "Reject"
    page.keyboard.press("Space")
    page.wait_for_selector(f"#review-{second.pk}[autofocus]")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Post.Status.APPROVED, Post.Status.DRAFT)
