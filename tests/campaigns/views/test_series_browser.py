"""An editor plans a series in the planner, previews it, creates the posts and finds them on the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Post, Series
from tests.factories import DEFAULT_PASSWORD, AccountFactory, CampaignFactory


@pytest.mark.browser
def test_editor_plans_a_series_and_sees_it_on_the_calendar(live_server, page, people, org):
    campaign = CampaignFactory(
        organization=org, name="Free and open Indo-Pacific",
        start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 1, 31),
    )
    facebook = AccountFactory(organization=org, platform="facebook", handle="AIT.Taipei")
    AccountFactory(organization=org, platform="x", handle="AIT_Taipei")

    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", people.editor.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto(live_server.url + reverse("series_create", args=[campaign.pk]))
    page.fill("#id_name", "Indo-Pacific Q&A week")
    page.select_option("#id_cadence", "daily")
    page.fill("#id_start_date", "2027-01-05")
    page.fill("#id_end_date", "2027-01-07")
    page.fill("#id_time_of_day", "09:00")
    page.select_option("#id_timezone", "America/New_York")
    page.get_by_label("Facebook · AIT.Taipei").check()
    page.fill("#id_title_template", "Indo-Pacific Q&A #{n}")

    # The htmx preview: three dates, 09:00 in New York, 22:00 in Taipei (the editor's zone).
    summary = page.locator("[data-testid=preview-summary]")
    summary.wait_for()
    # A function, not an expression: Playwright evals a bare expression, which the page's CSP refuses.
    page.wait_for_function(
        "() => document.querySelector('[data-testid=preview-summary]').textContent.includes('3 posts')"
    )
    preview = page.locator("[data-testid=preview-table]")
    assert "Tue 5 Jan 2027, 09:00" in preview.inner_text()
    assert "Tue 5 Jan 2027, 22:00" in preview.inner_text()
    assert Post.objects.count() == 0  # previewing saves nothing

    page.click("[data-testid=create-posts]")
    page.wait_for_url(lambda url: "/series/" in url and "/new/" not in url)
    assert "3 posts created" in page.content()
    series = Series.objects.get()
    assert series.posts.count() == 3 and set(series.posts.values_list("account", flat=True)) == {facebook.pk}

    page.get_by_role("link", name="See on the calendar").click()
    page.wait_for_selector("td[data-date='2027-01-05'] a[data-post]")
    for day, n in (("2027-01-05", 1), ("2027-01-06", 2), ("2027-01-07", 3)):
        cell = page.locator(f"td[data-date='{day}']")
        assert f"Indo-Pacific Q&A #{n}" in cell.inner_text()
        assert "22:00" in cell.inner_text()

    # A post opens from the calendar.
    page.locator("td[data-date='2027-01-06'] a[data-post]").click()
    post = series.posts.order_by("planned_at")[1]
    page.wait_for_url(f"**{reverse('post_detail', args=[post.pk])}")
    # Let the post page's htmx fragments finish, so no request still holds a database connection
    # when the live server stops.
    page.wait_for_load_state("networkidle")
