"""Figures that say the right thing: verdicts after the end date, one total per language."""

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Post
from metrics.reporting import selectors
from metrics.reporting.selectors import Figures, KPIProgress, VariantRow
from tests.factories import CampaignFactory, KPITargetFactory, PostFactory
from tests.metrics.dashboard_data import build_campaign


@pytest.mark.django_db
@pytest.mark.parametrize(("actual", "projected", "ended", "status", "label"), [
    (900, 1200, False, "on_track", "On track"),
    (900, 950, False, "at_risk", "Projected to miss"),
    (900, 950, True, "missed", "Missed"),  # was "Projected to miss" after the end date
    (1000, 1000, True, "met", "Met"),
    (None, None, True, "unknown", "No data yet"),
])
def test_an_ended_campaigns_kpi_is_met_or_missed(org, actual, projected, ended, status, label):
    target = KPITargetFactory(campaign=CampaignFactory(organization=org), metric="views", target_value=1000)
    kpi = KPIProgress(target=target, label="Views", actual=actual, projected=projected, unit="count", ended=ended)
    assert (kpi.status, kpi.status_label) == (status, label)


@pytest.mark.django_db
def test_the_dashboard_of_an_ended_campaign_gives_verdicts_not_projections(client, people, org):
    campaign = build_campaign(org, n_posts=5)
    campaign.start_date, campaign.end_date = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    campaign.save()
    client.force_login(people.viewer)
    html = client.get(reverse("campaign_dashboard", args=[campaign.pk])).content.decode()
    assert "Projected to miss" not in html and "by the end date" not in html
    kpis = client.get(reverse("api_dashboard_campaign", args=[campaign.pk])).json()["kpis"]
    assert {k["status"] for k in kpis} <= {"met", "missed", "unknown"}


def test_compare_languages_gives_one_total_per_language():
    def row(language, views, original=False):
        f = Figures(views=views, interactions=views // 10, posts=1)
        return VariantRow(post=Post(language=language), figures=f, language=language, is_original=original)

    rows = [row("en", 100, original=True), row("en-US", 50), row("en-GB", 25), row("EN", 5), row("ar", 400),
            row("", 1)]
    totals = selectors.language_totals(rows)
    assert [(t.language, t.figures.views, t.versions) for t in totals] == [
        ("English", 180, 4), ("Arabic", 400, 1), ("Unknown language", 1, 1)]
    assert selectors.family_headline(rows) == "The Arabic version drew 400 views."


@pytest.mark.django_db
def test_the_compare_page_says_whose_geography_it_shows(client, people, org):
    one = build_campaign(org, n_posts=2)
    other = CampaignFactory(organization=org, target_countries=["JP"])
    PostFactory(campaign=other)
    client.force_login(people.viewer)
    html = client.get(reverse("compare_campaigns"), {"ids": [one.pk, other.pk]}).content.decode()
    assert "of views" in html
