"""The series planner pages: preview (htmx), creation across a DST change, idempotent generation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Post, Series
from tests.factories import AccountFactory, CampaignFactory, SeriesFactory

UTC = dt.UTC


@pytest.fixture
def campaign(org):
    return CampaignFactory(
        organization=org, name="Indo-Pacific week", start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 3, 31)
    )


@pytest.fixture
def accounts(org):
    return [
        AccountFactory(organization=org, platform="facebook", handle="AIT.Taipei", language="zh-hant"),
        AccountFactory(organization=org, platform="x", handle="AIT_Taipei", language="en"),
    ]


def form_data(chosen, **overrides):
    data = {
        "name": "Free and open Indo-Pacific Q&A",
        "cadence": "daily",
        # New York springs forward on Sunday 8 March 2026.
        "start_date": "2026-03-06",
        "end_date": "2026-03-10",
        "listed_dates_text": "",
        "time_of_day": "09:00",
        "timezone": "America/New_York",
        "accounts": [a.pk for a in chosen],
        "format": "image",
        "title_template": "Indo-Pacific Q&A #{n}",
    }
    data.update(overrides)
    return data


def test_creating_a_series_across_dst_keeps_the_audience_wall_clock(client, people, campaign, accounts):
    client.force_login(people.editor)
    response = client.post(reverse("series_create", args=[campaign.pk]), form_data(accounts))
    series = Series.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("series_detail", args=[series.pk])
    posts = Post.objects.filter(series=series, account=accounts[0]).order_by("planned_at")
    assert [p.planned_at for p in posts] == [
        dt.datetime(2026, 3, 6, 14, 0, tzinfo=UTC),  # EST, UTC-5
        dt.datetime(2026, 3, 7, 14, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 8, 13, 0, tzinfo=UTC),  # EDT, UTC-4: still 09:00 in New York
        dt.datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 10, 13, 0, tzinfo=UTC),
    ]
    assert Post.objects.filter(series=series).count() == 10  # 5 days × 2 accounts
    assert [p.title for p in posts][:2] == ["Indo-Pacific Q&A #1", "Indo-Pacific Q&A #2"]
    assert set(Post.objects.values_list("status", flat=True)) == {Post.Status.DRAFT}
    assert set(series.accounts.all()) == set(accounts)


def test_generating_again_creates_nothing_and_fills_only_gaps(client, people, campaign, accounts):
    client.force_login(people.editor)
    client.post(reverse("series_create", args=[campaign.pk]), form_data(accounts))
    series = Series.objects.get()
    url = reverse("series_generate", args=[series.pk])

    client.post(url)
    assert Post.objects.filter(series=series).count() == 10

    # A post deleted by hand is re-created; the hand-edited one is left alone.
    first, second = Post.objects.filter(series=series).order_by("planned_at", "account_id")[:2]
    first.delete()
    second.title = "Edited by hand"
    second.save()
    response = client.post(url, follow=True)
    assert "1 missing posts created." in response.content.decode()
    assert Post.objects.filter(series=series).count() == 10
    assert Post.objects.filter(series=series, title="Edited by hand").count() == 1
    response = client.post(url, follow=True)
    assert "nothing was created" in response.content.decode()


def test_preview_shows_audience_and_user_zone_across_the_change(client, people, campaign, accounts):
    client.force_login(people.editor)
    response = client.get(
        reverse("series_preview", args=[campaign.pk]), form_data(accounts, name=""), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "5 dates" in html and "10 posts" in html
    assert Series.objects.count() == 0 and Post.objects.count() == 0  # a preview saves nothing
    # 09:00 in New York on both sides of the change; Taipei (the user's zone) sees 22:00 then 21:00.
    assert "Fri 6 Mar 2026, 09:00" in html and "Sun 8 Mar 2026, 09:00" in html
    assert "Fri 6 Mar 2026, 22:00" in html and "Sun 8 Mar 2026, 21:00" in html
    assert "UTC-0500" in html and "UTC-0400" in html
    assert "table-warning" in html  # rows after the change are marked


def test_preview_flags_a_time_that_does_not_exist(client, people, campaign, accounts):
    client.force_login(people.editor)
    data = form_data(accounts, cadence="dates", listed_dates_text="2026-03-08", time_of_day="02:30")
    html = client.get(reverse("series_preview", args=[campaign.pk]), data).content.decode()
    assert "Sun 8 Mar 2026, 03:30" in html and "shifted" in html


def test_listed_dates_cadence(client, people, campaign, accounts):
    client.force_login(people.editor)
    data = form_data(
        accounts[:1], cadence="dates", start_date="", end_date="",
        listed_dates_text="2026-03-20\n2026-03-12, 2026-03-12",
    )
    client.post(reverse("series_create", args=[campaign.pk]), data)
    series = Series.objects.get()
    assert series.listed_dates == ["2026-03-12", "2026-03-20"]
    assert (series.start_date, series.end_date) == (dt.date(2026, 3, 12), dt.date(2026, 3, 20))
    assert series.posts.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2026-03-01"}, "must not be before the first day"),
        ({"end_date": "2028-03-10"}, "at most 366 days"),
        ({"start_date": "soon"}, "Enter a valid date"),
        ({"cadence": "dates", "listed_dates_text": "2026-03-08, tomorrow"}, "Not a date (use YYYY-MM-DD): tomorrow"),
        ({"cadence": "dates", "listed_dates_text": ""}, "List at least one date"),
        ({"start_date": "9999-12-31", "end_date": "9999-12-31"}, "between 1970 and 2200"),
        ({"cadence": "dates", "listed_dates_text": "9999-12-31"}, "between 1970 and 2200"),
        ({"timezone": "Mars/Olympus"}, "Select a valid choice"),
        ({"time_of_day": "25:00"}, "Enter a valid time"),
        ({"accounts": []}, "This field is required"),
    ],
)
def test_bad_input_is_explained_and_creates_nothing(client, people, campaign, accounts, overrides, message):
    client.force_login(people.editor)
    response = client.post(reverse("series_create", args=[campaign.pk]), form_data(accounts, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Series.objects.count() == 0 and Post.objects.count() == 0
    # The preview explains the date errors too, without failing.
    preview = client.get(reverse("series_preview", args=[campaign.pk]), form_data(accounts, **overrides))
    assert preview.status_code == 200


def test_accounts_of_another_organization_are_refused(client, people, campaign, accounts, other_org):
    foreign = AccountFactory(organization=other_org)
    client.force_login(people.editor)
    response = client.post(reverse("series_create", args=[campaign.pk]), form_data([foreign]))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert Post.objects.count() == 0


def test_roles_and_organizations(client, people, campaign, accounts):
    url = reverse("series_create", args=[campaign.pk])
    for user, status in [(people.viewer, 403), (people.approver, 403), (people.outsider, 404), (people.admin, 200)]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
        assert client.get(reverse("series_preview", args=[campaign.pk])).status_code == status, user
    client.force_login(people.viewer)
    assert client.post(url, form_data(accounts)).status_code == 403
    assert Post.objects.count() == 0


def test_series_detail_lists_posts_with_links_and_hides_the_button_from_viewers(client, people, campaign, accounts):
    series = SeriesFactory(campaign=campaign, start_date=dt.date(2026, 3, 6), end_date=dt.date(2026, 3, 7))
    series.accounts.set(accounts[:1])
    client.force_login(people.editor)
    client.post(reverse("series_generate", args=[series.pk]))
    post = series.posts.order_by("planned_at").first()
    html = client.get(reverse("series_detail", args=[series.pk])).content.decode()
    assert reverse("post_detail", args=[post.pk]) in html
    assert "Fri 6 Mar 2026, 09:00" in html  # audience zone (New York)
    assert "Fri 6 Mar 2026, 22:00" in html  # the user's zone (Taipei)
    assert reverse("series_generate", args=[series.pk]) in html

    client.force_login(people.viewer)
    html = client.get(reverse("series_detail", args=[series.pk])).content.decode()
    assert reverse("series_generate", args=[series.pk]) not in html
    assert client.post(reverse("series_generate", args=[series.pk])).status_code == 403

    client.force_login(people.outsider)
    assert client.get(reverse("series_detail", args=[series.pk])).status_code == 404
    assert client.post(reverse("series_generate", args=[series.pk])).status_code == 404


def test_a_series_with_broken_listed_dates_still_shows_and_explains(client, people, campaign, accounts):
    # Listed dates can be typed by hand in the admin; the pages must not fail on them.
    series = SeriesFactory(campaign=campaign, cadence="dates", listed_dates=["2026-02-30"])
    series.accounts.set(accounts[:1])
    client.force_login(people.editor)
    assert client.get(reverse("series_detail", args=[series.pk])).status_code == 200
    response = client.post(reverse("series_generate", args=[series.pk]), follow=True)
    assert "not valid dates" in response.content.decode()
    assert Post.objects.count() == 0


def test_series_detail_shows_one_planned_column_when_the_user_shares_the_audience_zone(
        client, people, campaign, accounts):
    # The demo's Taipei series seen by a Taipei user had two identical "Planned (…)" columns.
    series = SeriesFactory(campaign=campaign, start_date=dt.date(2026, 3, 6), end_date=dt.date(2026, 3, 6),
                           timezone="Asia/Taipei")
    series.accounts.set(accounts[:1])
    client.force_login(people.editor)  # Taipei, the default zone
    client.post(reverse("series_generate", args=[series.pk]))
    html = client.get(reverse("series_detail", args=[series.pk])).content.decode()
    assert html.count("Planned (Taiwan Time)") == 1
    assert html.count("Fri 6 Mar 2026, 09:00") == 1
