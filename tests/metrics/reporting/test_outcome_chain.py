"""The results chain, outputs → out-takes → outcomes → impact: API, campaign page fragment, PDF, demo."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign
from metrics.demo import load_demo
from tests.factories import EvidenceFactory, ObjectiveFactory
from tests.metrics.dashboard_data import build_campaign

pytestmark = pytest.mark.django_db


def _chain(org):
    campaign = build_campaign(org, n_posts=3, name="Sister cities")
    objective = ObjectiveFactory(campaign=campaign, kind="attitude", statement="Residents value the ties",
                                 target="70 % agree", target_value=70, baseline_value=61)
    day = timezone.localdate()
    EvidenceFactory(objective=objective, level="outtake", kind="media", summary="Partner paper covered the exchange",
                    link="https://paper.example.jp/a", value=None, observed_on=day - dt.timedelta(days=9))
    EvidenceFactory(objective=objective, level="outcome", kind="survey", summary="Quarterly survey", value=66,
                    observed_on=day - dt.timedelta(days=5))
    EvidenceFactory(objective=objective, level="impact", kind="partner_action", summary="Agreement renewed",
                    value=None, observed_on=day - dt.timedelta(days=2))
    return campaign, objective


def test_the_api_gives_the_chain_with_our_outputs_first(clients, org):
    campaign, objective = _chain(org)
    board = clients.viewer.get(f"/api/v1/dashboards/campaigns/{campaign.pk}/").json()
    data = clients.viewer.get(f"/api/v1/campaigns/{campaign.pk}/outcomes/").json()

    # Outputs are the dashboard's own totals: the two pages never disagree.
    assert data["outputs"]["views"] == board["totals"]["views"] > 0
    assert data["outputs"]["interactions"] == board["totals"]["interactions"]
    assert data["counts"] == {"outtake": 1, "outcome": 1, "impact": 1}
    [result] = data["objectives"]
    assert result["id"] == objective.pk
    assert [e["summary"] for e in result["outtakes"]] == ["Partner paper covered the exchange"]
    assert [e["summary"] for e in result["impact"]] == ["Agreement renewed"]
    # The newest measured value (66) is below the target (70).
    assert (result["latest_value"], result["target_reached"]) == (66, False)
    assert clients.outsider.get(f"/api/v1/campaigns/{campaign.pk}/outcomes/").status_code == 404
    assert clients.anon.get(f"/api/v1/campaigns/{campaign.pk}/outcomes/").status_code in (401, 403)


def test_the_campaign_page_shows_the_chain_in_the_users_language(client, people, org):
    campaign, _objective = _chain(org)
    client.force_login(people.viewer)
    page = client.get(reverse("campaign_detail", args=[campaign.pk])).content.decode()
    assert reverse("campaign_outcome_chain", args=[campaign.pk]) in page

    html = client.get(reverse("campaign_outcome_chain", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant")
    text = html.content.decode()
    for words in ("目標與成果", "產出", "受眾收穫", "成果", "影響", "尚未達成", "Residents value the ties"):
        assert words in text, words
    # A viewer reads the chain but is not offered to change it.
    assert reverse("objective_create", args=[campaign.pk]) not in text


def test_the_pdf_carries_the_chain_as_text(client, people, org, tmp_path):
    campaign, _objective = _chain(org)
    ObjectiveFactory(campaign=campaign, statement='<a href="https://evil.example">Click</a> 居民認同')
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_report", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert response.status_code == 200
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for words in ("目標與成果", "Residents value the ties", "Quarterly survey", "Agreement renewed",
                  "https://paper.example.jp/a", '<a href="https://evil.example">Click</a>', "居民認同"):
        assert words in text, words
    # Printed as typed, never made a link.
    assert not [uri for uri in re.findall(rb"/URI\s*\((.*?)\)", response.content) if b"evil" in uri]


def test_the_demo_fills_the_chain_for_the_wha_and_sister_city_campaigns(settings):
    load_demo()
    for name in ("WHA 2026: Health for all — Taiwan can help", "Sister cities 2026"):
        campaign = Campaign.objects.get(name=name)
        assert campaign.objectives.count() == 2
        levels = set(campaign.objectives.values_list("evidence__level", flat=True))
        assert {"outtake", "outcome"} <= levels, name
    sister = Campaign.objects.get(name="Sister cities 2026")
    assert sister.objectives.filter(evidence__level="impact").exists()
