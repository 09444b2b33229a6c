"""The one date-range check behind the campaign dashboard page and its API."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    return CampaignFactory(organization=org, start_date=dt.date(2026, 3, 1), end_date=dt.date(2026, 5, 31))


@pytest.mark.parametrize(("query", "field", "words"), [
    ({"start": "0001-01-01"}, "start", "Choose a day between"),   # was a 500 (OverflowError)
    ({"start": "0080-01-01"}, "start", "Choose a day between"),   # was seconds of CPU
    ({"end": "9999-12-31"}, "end", "Choose a day between"),
    ({"start": "2026-05-01", "end": "2026-04-01"}, "end", "must not end before it starts"),  # was swapped silently
    ({"start": "2024-03-02", "end": "2028-05-30"}, "end", "at most 1098 days"),
    ({"start": "21/05/2026"}, "start", "Dates must look like 2026-05-21"),
])
def test_the_api_refuses_a_range_it_cannot_show_with_a_400_that_says_why(client, people, campaign, query, field,
                                                                          words):
    client.force_login(people.viewer)
    response = client.get(reverse("api_dashboard_campaign", args=[campaign.pk]), query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert words in error["fields"][field][0]


def test_the_api_accepts_the_window_edges_and_no_dates(client, people, campaign):
    client.force_login(people.viewer)
    url = reverse("api_dashboard_campaign", args=[campaign.pk])
    assert client.get(url).status_code == 200
    response = client.get(url, {"start": "2024-03-01", "end": "2026-05-31"})
    assert response.status_code == 200
    assert response.json()["start"] == "2024-03-01"


def test_the_page_shows_the_error_under_the_field_and_the_whole_campaign(client, people, campaign):
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_dashboard", args=[campaign.pk]),
                          {"start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="end-errors"' in html and "must not end before it starts" in html
    assert response.context["board"].start == campaign.start_date
    response = client.get(reverse("campaign_dashboard", args=[campaign.pk]), {"start": "0001-01-01"})
    assert response.status_code == 200 and 'id="start-errors"' in response.content.decode()

