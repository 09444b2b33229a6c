"""Best time to post per target country: local hours in the audience's zone, rates at one age, suggestions
ranked by the confidence interval's lower bound; the API, the planner's heatmap and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Post
from metrics.models import DailyPostRollup
from metrics.reporting.best_times import best_times_from, country_zone
from tests.factories import AccountFactory, CampaignFactory, PostFactory

UTC = dt.UTC


def _tuesdays(weeks: int, hour_utc: int) -> list[dt.datetime]:
    last_tuesday = dt.datetime(2026, 11, 24, hour_utc, tzinfo=UTC)
    return [last_tuesday - dt.timedelta(weeks=w) for w in range(weeks)]


def test_posts_are_placed_at_the_audiences_local_hour_and_weekday():
    # 23:00 UTC on a Monday is 06:00 on Tuesday in Ho Chi Minh City (UTC+7).
    monday_late = dt.datetime(2026, 11, 23, 23, tzinfo=UTC)
    result = best_times_from([(monday_late, 4.0)], country="vn", zone=country_zone("VN"), platform="x")
    assert result.timezone == "Asia/Ho_Chi_Minh" and result.country == "VN"
    assert result.cell(1, 6).posts == 1 and result.cell(0, 23).posts == 0
    assert result.by_hour[6].posts == 1


def test_a_steady_slot_beats_a_lucky_one():
    steady = [(t, rate) for t, rate in zip(_tuesdays(12, 1), [9, 10, 11] * 4, strict=True)]  # 08:00 in VN
    lucky = [(t, rate) for t, rate in zip(_tuesdays(3, 12), [2, 40, 3], strict=True)]  # higher mean, wild
    result = best_times_from(steady + lucky, country="VN", zone="Asia/Ho_Chi_Minh", platform="facebook")
    best = result.suggestions[0]
    assert (best.weekday, best.hour, best.posts) == (1, 8, 12)
    assert result.cell(1, 19).mean_rate == pytest.approx(15.0)  # the lucky slot's mean is higher…
    assert result.cell(1, 19).low < best.low  # …but its interval's lower bound is not
    assert best.confidence == "medium" and result.cell(1, 19).confidence == "low"


def test_country_zones_come_from_cldr_with_the_main_zone_of_large_countries():
    assert country_zone("JP") == "Asia/Tokyo"
    assert country_zone("US") == "America/New_York"
    assert country_zone("ZZ") is None


@pytest.mark.django_db
def test_the_api_reads_each_posts_rate_at_seven_days(clients, org):
    account = AccountFactory(organization=org, platform="facebook")
    campaign = CampaignFactory(organization=org)
    for n, published in enumerate(_tuesdays(6, 1)):
        post = PostFactory(campaign=campaign, account=account, status=Post.Status.PUBLISHED, published_at=published)
        day = published.date()
        DailyPostRollup.objects.create(post=post, account=account, day=day + dt.timedelta(days=7), views=1000,
                                       interactions=50 + n)
        # Later readings do not count: every post is compared at the same age.
        DailyPostRollup.objects.create(post=post, account=account, day=day + dt.timedelta(days=30), views=1000,
                                       interactions=900)

    response = clients.viewer.get(f"/api/v1/accounts/{account.pk}/best-times/?country=vn")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["country"], data["timezone"], data["posts"], data["rate_age_days"]) == (
        "VN", "Asia/Ho_Chi_Minh", 6, 7)
    assert data["mean_rate"] == pytest.approx(5.25)
    assert len(data["cells"]) == 168 and len(data["by_hour"]) == 24
    assert data["suggestions"][0]["weekday"] == 1 and data["suggestions"][0]["hour"] == 8

    bad = clients.viewer.get(f"/api/v1/accounts/{account.pk}/best-times/?country=Vietnam",
                             HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert bad.status_code == 400
    assert "country" in bad.json()["error"]["fields"]
    # Without a country, the organization's own.
    home = clients.viewer.get(f"/api/v1/accounts/{account.pk}/best-times/").json()
    assert home["country"] == org.country and home["timezone"] == country_zone(org.country)
    assert clients.outsider.get(f"/api/v1/accounts/{account.pk}/best-times/?country=VN").status_code == 404


@pytest.mark.django_db
def test_the_series_planner_shows_the_heatmap_in_the_users_language(client, people, org):
    account = AccountFactory(organization=org, platform="x", handle="MOFA_Taiwan")
    campaign = CampaignFactory(organization=org, target_countries=["VN", "US"])
    client.force_login(people.editor)
    planner = client.get(reverse("series_create", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant")
    page = planner.content.decode()
    assert reverse("best_times") in page and "最佳發文時段" in page

    yesterday = timezone.now() - dt.timedelta(days=3)
    post = PostFactory(campaign=campaign, account=account, status=Post.Status.PUBLISHED, published_at=yesterday)
    DailyPostRollup.objects.create(post=post, account=account, day=yesterday.date(), views=100, interactions=5)
    fragment = client.get(reverse("best_times"), {"account": account.pk, "country": "VN"},
                          HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "越南時間" in fragment and "尚無足夠" in fragment  # the zone by its place
    wrong = client.get(reverse("best_times"), {"account": account.pk, "country": "XX"},
                       HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "XX" in wrong and "ISO" in wrong
