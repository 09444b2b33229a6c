"""The content calendar: day buckets in the viewer's zone, filters, week view, organization scoping."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from campaigns.models import Post, Profile
from tests.factories import AccountFactory, CampaignFactory, PostFactory

UTC = dt.UTC


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def day_of(html: str, post: Post) -> str | None:
    """The data-date of the calendar cell holding this post (None when it is not shown)."""
    cells = re.findall(r'<td[^>]*data-date="([\d-]+)"[^>]*>(.*?)</td>', html, flags=re.S)
    for date, body in cells:
        if f'data-post="{post.pk}"' in body:
            return date
    return None


@pytest.fixture
def campaign(org):
    return CampaignFactory(organization=org, name="WHA 2026")


@pytest.fixture
def fb(org):
    return AccountFactory(organization=org, platform="facebook", handle="MOFA_Taiwan_fb")


@pytest.fixture
def x_account(org):
    return AccountFactory(organization=org, platform="x", handle="MOFA_Taiwan")


def get(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("calendar"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_post_late_in_the_utc_evening_sits_on_the_next_day_in_taipei(client, people, campaign, fb):
    # 17:30 UTC on 31 March is 01:30 on 1 April in Taipei (UTC+8): the April cell, not March.
    post = PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 3, 31, 17, 30), title="Midnight Q&A")
    html = get(client, people.editor, date="2026-04-10")
    assert day_of(html, post) == "2026-04-01"
    assert "01:30" in html


def test_the_same_post_sits_on_the_utc_day_for_a_user_in_london(client, people, campaign, fb):
    Profile.objects.create(user=people.editor, timezone="Europe/London")
    post = PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 3, 31, 17, 30))
    html = get(client, people.editor, date="2026-03-10")
    # London is on summer time (UTC+1) by then: 18:30 on 31 March.
    assert day_of(html, post) == "2026-03-31"
    assert "18:30" in html


def test_published_time_wins_over_planned_time(client, people, campaign, fb):
    post = PostFactory(
        campaign=campaign, account=fb, status=Post.Status.PUBLISHED,
        planned_at=at(2026, 5, 4, 1, 0), published_at=at(2026, 5, 6, 3, 0),
    )
    assert day_of(get(client, people.viewer, date="2026-05-01"), post) == "2026-05-06"


def test_month_view_covers_whole_weeks_and_leaves_out_posts_beyond(client, people, campaign, fb):
    # May 2026 starts on a Friday: the grid starts Monday 27 April and ends Sunday 31 May.
    inside = PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 4, 27, 2, 0))
    beyond = PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 6, 1, 2, 0))
    html = get(client, people.editor, date="2026-05-15")
    assert re.findall(r'data-date="([\d-]+)"', html)[0] == "2026-04-27"
    assert re.findall(r'data-date="([\d-]+)"', html)[-1] == "2026-05-31"
    assert day_of(html, inside) == "2026-04-27"
    assert day_of(html, beyond) is None


def test_week_view_shows_monday_to_sunday_around_the_date(client, people, campaign, fb):
    in_week = PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 5, 10, 15, 59))  # Sun 23:59 Taipei
    next_week = PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 5, 10, 16, 0))  # Mon 00:00 Taipei
    html = get(client, people.editor, view="week", date="2026-05-06")
    dates = re.findall(r'data-date="([\d-]+)"', html)
    assert dates == [f"2026-05-{d:02d}" for d in range(4, 11)]
    assert day_of(html, in_week) == "2026-05-10"
    assert day_of(html, next_week) is None
    assert "?view=week&amp;date=2026-05-13" in html  # next week keeps the week view


def test_filters_by_campaign_account_platform_and_status(client, people, org, campaign, fb, x_account):
    other_campaign = CampaignFactory(organization=org, name="Sister cities")
    when = at(2026, 5, 5, 1, 0)
    fb_draft = PostFactory(campaign=campaign, account=fb, planned_at=when, status=Post.Status.DRAFT)
    x_review = PostFactory(campaign=campaign, account=x_account, planned_at=when, status=Post.Status.IN_REVIEW)
    elsewhere = PostFactory(campaign=other_campaign, account=fb, planned_at=when)

    def shown(**filters):
        html = get(client, people.editor, date="2026-05-01", **filters)
        return {p for p in (fb_draft, x_review, elsewhere) if day_of(html, p)}

    assert shown() == {fb_draft, x_review, elsewhere}
    assert shown(campaign=campaign.pk) == {fb_draft, x_review}
    assert shown(account=x_account.pk) == {x_review}
    assert shown(platform="facebook") == {fb_draft, elsewhere}
    assert shown(status="in_review") == {x_review}
    assert shown(campaign=campaign.pk, platform="facebook") == {fb_draft}


def test_posts_are_coloured_by_status_and_open_the_post(client, people, campaign, fb):
    post = PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 5, 5, 1, 0), status=Post.Status.SCHEDULED)
    html = get(client, people.editor, date="2026-05-01")
    link = re.search(rf'<a class="([^"]*)"\s+href="([^"]+)" data-post="{post.pk}"', html)
    assert "text-bg-primary" in link.group(1)
    assert link.group(2) == reverse("post_detail", args=[post.pk])


def test_another_organizations_posts_never_show(client, people, campaign, fb, other_org):
    theirs = PostFactory(
        campaign=CampaignFactory(organization=other_org),
        planned_at=at(2026, 5, 5, 1, 0), title="Zzsecret plan",
    )
    ours = PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 5, 5, 1, 0))
    html = get(client, people.editor, date="2026-05-01")
    assert day_of(html, ours) and not day_of(html, theirs)
    assert "Zzsecret" not in html
    # Naming their campaign or account in the filters does not reveal them either.
    html = get(client, people.editor, date="2026-05-01", campaign=theirs.campaign_id, account=theirs.account_id)
    assert "Zzsecret" not in html and not day_of(html, theirs)


@pytest.mark.parametrize(
    "params",
    [
        {"date": "not-a-date"},
        {"date": "0001-01-01"},
        {"date": "9999-12-31"},
        {"view": "year"},
        {"campaign": "abc"},
        {"account": "99999999999999999999"},
        {"status": "<script>"},
    ],
)
def test_bad_parameters_never_break_the_page(client, people, params):
    html = get(client, people.editor, **params)
    assert 'data-date="' in html


def test_htmx_request_gets_only_the_grid(client, people, campaign, fb):
    client.force_login(people.editor)
    response = client.get(reverse("calendar"), {"date": "2026-05-01"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'data-date="2026-05-01"' in html
    assert "<html" not in html


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("calendar"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_campaign_outside_today_opens_on_its_first_month(client, people, org, fb):
    past = CampaignFactory(organization=org, start_date=dt.date(2025, 9, 20), end_date=dt.date(2025, 10, 20))
    post = PostFactory(campaign=past, account=fb, planned_at=at(2025, 9, 22, 2, 0))
    html = get(client, people.viewer, campaign=past.pk)
    assert day_of(html, post) == "2025-09-22"
    assert "September 2025" in html


def test_plan_a_series_link_only_for_planners_of_the_chosen_campaign(client, people, campaign):
    link = reverse("series_create", args=[campaign.pk])
    assert link in get(client, people.editor, campaign=campaign.pk)
    assert link not in get(client, people.viewer, campaign=campaign.pk)
    assert link not in get(client, people.editor)


def test_a_crowded_month_cell_shows_a_few_posts_and_links_to_its_week(client, people, campaign, fb):
    # Ingestion brings in every post an account published (several a day): the month stays readable.
    from campaigns.calendar import MONTH_CELL_LIMIT

    posts = [PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 4, 8, 1, n), title=f"Post {n}")
             for n in range(MONTH_CELL_LIMIT + 3)]
    html = get(client, people.editor, date="2026-04-10", platform="facebook")
    assert [day_of(html, p) for p in posts[:MONTH_CELL_LIMIT]] == ["2026-04-08"] * MONTH_CELL_LIMIT
    assert day_of(html, posts[-1]) is None
    assert "+3 more" in html
    assert 'href="?view=week&amp;platform=facebook&amp;date=2026-04-08"' in html  # keeps the filters
    assert "9 posts" in html  # the count still says how many the month holds

    week = get(client, people.editor, view="week", date="2026-04-08")
    assert all(day_of(week, p) == "2026-04-08" for p in posts)
    assert "more</a>" not in week

    # A campaign post late in a crowded day is among those shown; the unplanned ones give way.
    for post in posts:
        post.campaign = None
        post.save()
    late = PostFactory(campaign=campaign, account=fb, planned_at=at(2026, 4, 8, 9, 0), title="Planned one")
    html = get(client, people.editor, date="2026-04-10")
    assert day_of(html, late) == "2026-04-08"
    assert "+4 more" in html
