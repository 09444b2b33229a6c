"""Objectives and the evidence of what changed: the model's rules, the forms and the API's writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Evidence
from tests.factories import CampaignFactory, EvidenceFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


def _evidence(objective, **fields) -> Evidence:
    values = {"objective": objective, "level": "outcome", "kind": "survey", "summary": "Panel", "source": "Panel",
              "observed_on": timezone.localdate(), "value": 50, **fields}
    return Evidence(**values)


def test_a_poll_and_an_event_need_their_number_and_media_pickup_its_link(org):
    objective = ObjectiveFactory(campaign=CampaignFactory(organization=org))
    for kind, field in (("survey", "value"), ("event", "value"), ("media", "link")):
        with pytest.raises(ValidationError) as error:
            _evidence(objective, kind=kind, value=None, link="").full_clean()
        assert field in error.value.message_dict, kind
    _evidence(objective, kind="statement", value=None).full_clean()


def test_evidence_is_dated_when_it_exists_and_near_its_campaign(org):
    campaign = CampaignFactory(organization=org)
    objective = ObjectiveFactory(campaign=campaign)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        _evidence(objective, observed_on=tomorrow).full_clean()
    assert "observed_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        _evidence(objective, observed_on=campaign.start_date - dt.timedelta(days=400)).full_clean()
    # A baseline poll some months before the campaign is evidence of it.
    _evidence(objective, observed_on=campaign.start_date - dt.timedelta(days=90)).full_clean()


def test_an_editor_records_an_objective_and_its_evidence_in_the_pages(client, people, org):
    campaign = CampaignFactory(organization=org)
    client.force_login(people.editor)
    response = client.post(reverse("objective_create", args=[campaign.pk]), {
        "kind": "behaviour", "statement": "Students apply for the exchange", "indicator": "Applications",
        "target": "200 applications", "target_value": "200", "baseline_value": "120", "position": "0"})
    assert response.status_code == 302
    objective = campaign.objectives.get()

    bad = client.post(reverse("evidence_create", args=[objective.pk]), {
        "level": "outtake", "kind": "media", "summary": "Local paper", "observed_on": "2999-01-01", "source": "Paper"},
        HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert bad.status_code == 200
    body = bad.content.decode()
    assert "日期不可在未來" in body and "請附上報導或播出內容的連結" in body
    assert not Evidence.objects.exists()

    day = timezone.localdate().isoformat()
    response = client.post(reverse("evidence_create", args=[objective.pk]), {
        "level": "outcome", "kind": "other", "summary": "Applications closed", "observed_on": day,
        "source": "Youth office", "value": "236"})
    assert response.status_code == 302
    assert objective.evidence.get().created_by == people.editor


def test_a_viewer_cannot_record_evidence(client, people, org):
    objective = ObjectiveFactory(campaign=CampaignFactory(organization=org))
    client.force_login(people.viewer)
    response = client.post(reverse("evidence_create", args=[objective.pk]), {"summary": "x"})
    assert response.status_code == 403


def test_the_api_writes_evidence_with_the_models_rules(clients, people, org, other_org):
    objective = ObjectiveFactory(campaign=CampaignFactory(organization=org))
    foreign = ObjectiveFactory(campaign=CampaignFactory(organization=other_org))
    day = timezone.localdate().isoformat()
    payload = {"objective": objective.pk, "level": "outtake", "kind": "survey", "summary": "Recall panel",
               "observed_on": day, "source": "Panel", "value": 31}

    missing = clients.editor.post("/api/v1/evidence/", {**payload, "value": None}, format="json")
    assert missing.status_code == 400 and "value" in missing.json()["error"]["fields"]
    elsewhere = clients.editor.post("/api/v1/evidence/", {**payload, "objective": foreign.pk}, format="json")
    assert elsewhere.status_code == 400 and "objective" in elsewhere.json()["error"]["fields"]
    assert clients.viewer.post("/api/v1/evidence/", payload, format="json").status_code == 403

    created = clients.editor.post("/api/v1/evidence/", payload, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["created_by"] == people.editor.username
    listed = clients.viewer.get(f"/api/v1/evidence/?campaign={objective.campaign_id}").json()
    assert [item["summary"] for item in listed["results"]] == ["Recall panel"]
    assert clients.outsider.get(f"/api/v1/evidence/{created.json()['id']}/").status_code == 404


def test_an_objective_keeps_its_campaign(clients, org):
    objective = ObjectiveFactory(campaign=CampaignFactory(organization=org))
    other = CampaignFactory(organization=org)
    response = clients.editor.patch(f"/api/v1/objectives/{objective.pk}/", {"campaign": other.pk}, format="json")
    assert response.status_code == 400 and "campaign" in response.json()["error"]["fields"]
    EvidenceFactory(objective=objective)
    assert clients.viewer.get(f"/api/v1/objectives/?campaign={objective.campaign_id}").json()["count"] == 1
