"""Endpoint tests for each campaigns resource and action, as the UI's roles would use them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Account, Campaign, Post, PostTransition
from tests.campaigns.api.factories import make_post
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    EventFactory,
    InfluencerFactory,
    KPITargetFactory,
    SeriesFactory,
)


@pytest.mark.django_db
def test_organizations_list_only_mine_with_my_role(clients, org, other_org):
    data = clients.approver.get("/api/v1/organizations/").json()
    assert [(o["id"], o["my_role"]) for o in data["results"]] == [(org.pk, "approver")]
    assert clients.approver.get(f"/api/v1/organizations/{other_org.pk}/").status_code == 404
    assert clients.admin.post("/api/v1/organizations/", {}, format="json").status_code == 405


@pytest.mark.django_db
def test_account_token_is_write_only(clients, org):
    payload = {"organization": org.pk, "platform": "x", "handle": "@MOFA_Taiwan", "platform_id": "123",
               "access_token": "secret-platform-token"}
    response = clients.admin.post("/api/v1/accounts/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert "access_token" not in body and "secret-platform-token" not in response.content.decode()
    assert body["has_access_token"] is True and body["access_token_set_at"]
    account = Account.objects.get(pk=body["id"])
    assert account.get_access_token() == "secret-platform-token"
    assert account.access_token_encrypted != "secret-platform-token"
    # A blank token clears it; leaving it out keeps it.
    clients.admin.patch(f"/api/v1/accounts/{account.pk}/", {"handle": "@MOFA_TW"}, format="json")
    assert Account.objects.get(pk=account.pk).get_access_token() == "secret-platform-token"
    response = clients.admin.patch(f"/api/v1/accounts/{account.pk}/", {"access_token": ""}, format="json")
    assert response.json()["has_access_token"] is False
    # Same platform id twice in one organization: a field error, not a 500.
    duplicate = clients.admin.post("/api/v1/accounts/", {**payload, "handle": "again"}, format="json")
    assert duplicate.status_code == 400


@pytest.mark.django_db
def test_only_admins_write_accounts(clients, org):
    payload = {"organization": org.pk, "platform": "x", "handle": "h", "platform_id": "1"}
    assert clients.editor.post("/api/v1/accounts/", payload, format="json").status_code == 403
    assert clients.admin.post("/api/v1/accounts/", payload, format="json").status_code == 201


@pytest.mark.django_db
def test_campaign_with_kpi_targets_create_and_replace(clients, org, people):
    event = EventFactory(organization=org)
    payload = {
        "organization": org.pk, "name": "WHA 2027: Taiwan can help", "start_date": "2027-04-01",
        "end_date": "2027-05-31", "target_countries": ["VN", "US"], "languages": ["en", "vi"],
        "themes": ["health"], "events": [event.pk],
        "kpi_targets": [
            {"metric": "views", "target_value": "10000000"},
            {"metric": "country_view_share", "target_value": 10, "country": "VN"},
        ],
    }
    response = clients.editor.post("/api/v1/campaigns/", payload, format="json")
    assert response.status_code == 201, response.content
    campaign = Campaign.objects.get(pk=response.json()["id"])
    assert campaign.created_by == people.editor
    assert sorted(campaign.kpi_targets.values_list("metric", flat=True)) == ["country_view_share", "views"]
    assert response.json()["created_by"] == "erin_editor"

    response = clients.editor.patch(
        f"/api/v1/campaigns/{campaign.pk}/", {"kpi_targets": [{"metric": "interactions", "target_value": 5000}]},
        format="json",
    )
    assert response.status_code == 200
    assert list(campaign.kpi_targets.values_list("metric", flat=True)) == ["interactions"]
    # The organization is fixed after creation.
    other = clients.editor.patch(f"/api/v1/campaigns/{campaign.pk}/", {"organization": org.pk + 999}, format="json")
    assert other.status_code == 400


@pytest.mark.django_db
def test_create_time_checks_refuse_other_organizations_without_leaking(clients, org, other_org):
    theirs = CampaignFactory(organization=other_org)
    their_event = EventFactory(organization=other_org)
    # Creating in the other organization: the same answer as for an id that does not exist.
    for org_id in (other_org.pk, 10**9):
        response = clients.editor.post(
            "/api/v1/campaigns/",
            {"organization": org_id, "name": "x", "start_date": "2027-01-01", "end_date": "2027-01-02"},
            format="json",
        )
        assert response.status_code == 400
        assert "organization" in response.json()["error"]["fields"]
    messages = set()
    for campaign_id in (theirs.pk, 10**9):
        response = clients.editor.post(
            "/api/v1/posts/", {"account": AccountFactory(organization=org).pk, "campaign": campaign_id}, format="json"
        )
        assert response.status_code == 400
        messages.add(str(response.json()["error"]["fields"]["campaign"]).replace(str(campaign_id), "<id>"))
    assert len(messages) == 1
    # A campaign of mine linked to their event.
    response = clients.editor.post(
        "/api/v1/campaigns/",
        {"organization": org.pk, "name": "x", "start_date": "2027-01-01", "end_date": "2027-01-02",
         "events": [their_event.pk]},
        format="json",
    )
    assert response.status_code == 400 and "events" in response.json()["error"]["fields"]
    # The outsider, an editor of their own organization, cannot create in ours.
    response = clients.outsider.post(
        "/api/v1/events/", {"organization": org.pk, "name": "x", "starts_at": "2027-01-01T00:00:00Z"}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_post_relations_must_share_the_organization(clients, org, other_org, people):
    from campaigns.models import Membership

    # An editor of both organizations still cannot mix them in one post.
    Membership.objects.create(user=people.editor, organization=other_org, role="editor")
    mine, theirs = AccountFactory(organization=org), CampaignFactory(organization=other_org)
    response = clients.editor.post("/api/v1/posts/", {"account": mine.pk, "campaign": theirs.pk}, format="json")
    assert response.status_code == 400 and "campaign" in response.json()["error"]["fields"]
    original = make_post(other_org)
    response = clients.editor.post("/api/v1/posts/", {"account": mine.pk, "variant_of": original.pk}, format="json")
    assert response.status_code == 400 and "variant_of" in response.json()["error"]["fields"]
    event = EventFactory(organization=other_org)
    response = clients.editor.post("/api/v1/posts/", {"account": mine.pk, "event": event.pk}, format="json")
    assert response.status_code == 400 and "event" in response.json()["error"]["fields"]
    series = SeriesFactory(campaign=CampaignFactory(organization=org))
    response = clients.editor.post(
        "/api/v1/posts/", {"account": mine.pk, "campaign": CampaignFactory(organization=org).pk, "series": series.pk},
        format="json",
    )
    assert response.status_code == 400 and "series" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_platform_limits_are_field_errors(clients, org):
    account = AccountFactory(organization=org, platform="x")
    response = clients.editor.post("/api/v1/posts/", {"account": account.pk, "body": "x" * 281}, format="json")
    assert response.status_code == 400
    assert "280" in response.json()["error"]["fields"]["body"][0]


@pytest.mark.django_db
def test_the_whole_workflow_through_the_api(clients, org, people):
    post = make_post(org, status=Post.Status.IDEA, planned_at=timezone.now() + dt.timedelta(days=3))
    url = f"/api/v1/posts/{post.pk}"

    assert clients.editor.post(f"{url}/start-draft/", {}, format="json").json()["status"] == "draft"
    assert clients.editor.post(f"{url}/submit/", {}, format="json").json()["status"] == "in_review"
    # The editor cannot approve; the approver must give a comment to reject.
    response = clients.editor.post(f"{url}/approve/", {}, format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    response = clients.approver.post(f"{url}/reject/", {}, format="json")
    assert response.status_code == 400 and "comment" in response.json()["error"]["fields"]
    response = clients.approver.post(f"{url}/reject/", {"comment": "Add Arabic subtitles"}, format="json")
    assert response.json()["status"] == "draft"
    assert PostTransition.objects.filter(post=post, comment="Add Arabic subtitles").exists()
    history = clients.viewer.get(f"{url}/transitions/").json()
    assert [(h["to_status"], h["by"], h["comment"]) for h in history][-1] == ("draft", "aaron_approver",
                                                                               "Add Arabic subtitles")

    clients.editor.post(f"{url}/submit/", {}, format="json")
    assert clients.approver.post(f"{url}/approve/", {}, format="json").json()["status"] == "approved"
    # An illegal step: 409 with the service's message.
    response = clients.editor.post(f"{url}/unschedule/", {}, format="json")
    assert response.status_code == 409 and "cannot be moved" in response.json()["error"]["message"]
    assert clients.editor.post(f"{url}/schedule/", {}, format="json").json()["status"] == "scheduled"
    assert clients.editor.post(f"{url}/unschedule/", {}, format="json").json()["status"] == "approved"
    assert clients.editor.post(f"{url}/schedule/", {}, format="json").json()["status"] == "scheduled"
    response = clients.editor.post(
        f"{url}/publish/", {"platform_post_id": "1234567890", "permalink": "https://x.com/MOFA_Taiwan/status/1"},
        format="json",
    )
    assert response.json()["status"] == "published" and response.json()["platform_post_id"] == "1234567890"
    # Viewers change nothing; the status field cannot be written directly.
    assert clients.viewer.post(f"{url}/submit/", {}, format="json").status_code == 403
    clients.editor.patch(f"{url}/", {"status": "idea"}, format="json")
    assert Post.objects.get(pk=post.pk).status == "published"


@pytest.mark.django_db
def test_scheduling_without_a_future_time_is_a_conflict(clients, org):
    post = make_post(org, status=Post.Status.APPROVED, planned_at=None)
    response = clients.editor.post(f"/api/v1/posts/{post.pk}/schedule/", {}, format="json")
    assert response.status_code == 409 and "planned time" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_approvers_cannot_create_posts(clients, org):
    account = AccountFactory(organization=org)
    assert clients.approver.post("/api/v1/posts/", {"account": account.pk}, format="json").status_code == 403


@pytest.mark.django_db
def test_series_preview_and_idempotent_generate(clients, org):
    campaign = CampaignFactory(organization=org)
    accounts = [AccountFactory(organization=org).pk, AccountFactory(organization=org, platform="x").pk]
    payload = {
        "campaign": campaign.pk, "name": "Indo-Pacific Q&A week", "cadence": "weekdays",
        "start_date": "2026-11-30", "end_date": "2026-12-06", "time_of_day": "09:00", "timezone": "Asia/Taipei",
        "accounts": accounts, "title_template": "Q&A {n}",
    }
    response = clients.editor.post("/api/v1/series/", payload, format="json")
    assert response.status_code == 201, response.content
    series_id = response.json()["id"]
    dates = clients.viewer.get(f"/api/v1/series/{series_id}/preview/").json()["dates"]
    assert len(dates) == 5 and dates[0].startswith("2026-11-30T09:00:00+08:00")  # shown in the user's zone
    response = clients.editor.post(f"/api/v1/series/{series_id}/generate/", {}, format="json")
    assert response.json()["created"] == 10
    assert clients.editor.post(f"/api/v1/series/{series_id}/generate/", {}, format="json").json()["created"] == 0
    assert clients.viewer.post(f"/api/v1/series/{series_id}/generate/", {}, format="json").status_code == 403
    assert Post.objects.filter(series_id=series_id, title="Q&A 1").count() == 2


@pytest.mark.django_db
def test_listed_dates_series(clients, org):
    campaign = CampaignFactory(organization=org)
    payload = {
        "campaign": campaign.pk, "name": "TRA anniversary", "cadence": "dates", "start_date": "2027-04-01",
        "end_date": "2027-04-30", "listed_dates": ["2027-04-10", "2027-04-01", "2027-04-10"],
        "time_of_day": "10:30", "timezone": "America/New_York", "accounts": [AccountFactory(organization=org).pk],
    }
    response = clients.editor.post("/api/v1/series/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["listed_dates"] == ["2027-04-01", "2027-04-10"]


@pytest.mark.django_db
def test_influencers_and_collaborations(clients, org, other_org):
    response = clients.editor.post(
        "/api/v1/influencers/",
        {"organization": org.pk, "name": "Kuwaiti food creator", "country": "KW", "languages": ["ar", "en"],
         "topics": ["food"]},
        format="json",
    )
    assert response.status_code == 201, response.content
    influencer_id = response.json()["id"]
    campaign = CampaignFactory(organization=org)
    deliverable = make_post(org, campaign=campaign)
    response = clients.editor.post(
        "/api/v1/collaborations/",
        {"influencer": influencer_id, "campaign": campaign.pk, "title": "An SDG a Day in Arabic",
         "deliverables": [deliverable.pk], "compensation_amount": "0", "in_kind_terms": "custard apples",
         "sponsorship_disclosed": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    response = clients.editor.post(
        "/api/v1/collaborations/",
        {"influencer": InfluencerFactory(organization=org).pk, "campaign": campaign.pk, "title": "x",
         "deliverables": [make_post(other_org).pk]},
        format="json",
    )
    assert response.status_code == 400 and "deliverables" in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_filtering_ordering_search_and_pagination(clients, org):
    a = CampaignFactory(organization=org, name="Sister cities", status="planned")
    b = CampaignFactory(organization=org, name="WHA", status="active")
    KPITargetFactory(campaign=b)
    data = clients.viewer.get("/api/v1/campaigns/?status=planned").json()
    assert [c["id"] for c in data["results"]] == [a.pk]
    data = clients.viewer.get("/api/v1/campaigns/?search=sister").json()
    assert [c["id"] for c in data["results"]] == [a.pk]
    data = clients.viewer.get("/api/v1/campaigns/?ordering=name").json()
    assert [c["name"] for c in data["results"]] == ["Sister cities", "WHA"]
    data = clients.viewer.get("/api/v1/campaigns/?page_size=1").json()
    assert data["count"] == 2 and len(data["results"]) == 1 and data["next"]
    posts = [make_post(org, campaign=b) for _ in range(3)]
    data = clients.viewer.get(f"/api/v1/posts/?campaign={b.pk}&ordering=-planned_at").json()
    assert [p["id"] for p in data["results"]] == [p.pk for p in sorted(posts, key=lambda p: p.planned_at)][::-1]


@pytest.mark.django_db
def test_delete_needs_the_role(clients, org):
    campaign = CampaignFactory(organization=org)
    assert clients.approver.delete(f"/api/v1/campaigns/{campaign.pk}/").status_code == 403
    assert clients.editor.delete(f"/api/v1/campaigns/{campaign.pk}/").status_code == 204
    assert not Campaign.objects.filter(pk=campaign.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_platform_post_id_is_refused_not_a_500(clients, org):
    account = AccountFactory(organization=org)
    payload = {"account": account.pk, "platform_post_id": "1790000000000000001"}
    assert clients.editor.post("/api/v1/posts/", payload, format="json").status_code == 201
    response = clients.editor.post("/api/v1/posts/", payload, format="json")
    assert response.status_code in (400, 409), response.content
    assert response.json()["error"]["message"]
