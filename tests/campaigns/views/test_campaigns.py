"""Campaign list, campaign pages and editing, KPI targets, events, accounts (write-only token), profile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Account, Campaign, Event, KPITarget, Post, Profile
from tests.factories import (
    AccountFactory,
    CampaignFactory,
    CollaborationFactory,
    EventFactory,
    KPITargetFactory,
    MembershipFactory,
    OrganizationFactory,
    PostFactory,
    SeriesFactory,
)

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [c.name for c in response.context["page"]]


def test_campaign_list_filters_and_searches_within_the_users_organizations(org, other_org, people, client):
    mission = OrganizationFactory(name="Mission in Washington", slug="mission")
    MembershipFactory(user=people.viewer, organization=mission, role="viewer")
    CampaignFactory(organization=org, name="WHA 2018", objective="Health for all", status="completed")
    CampaignFactory(organization=org, name="Indo-Pacific week", objective="Q&A posts", status="active")
    CampaignFactory(organization=mission, name="TRA 40", objective="Relations Act anniversary", status="active")
    CampaignFactory(organization=other_org, name="Sister cities", status="active")
    client.force_login(people.viewer)
    url = reverse("campaign_list")
    assert sorted(names(client.get(url))) == ["Indo-Pacific week", "TRA 40", "WHA 2018"]
    assert sorted(names(client.get(url, {"status": "active"}))) == ["Indo-Pacific week", "TRA 40"]
    assert names(client.get(url, {"organization": mission.pk})) == ["TRA 40"]
    assert names(client.get(url, {"q": "health"})) == ["WHA 2018"]  # objective
    assert names(client.get(url, {"q": "pacific"})) == ["Indo-Pacific week"]  # name
    # Another organization cannot be chosen as a filter.
    response = client.get(url, {"organization": other_org.pk})
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert "Sister cities" not in response.content.decode()


def test_campaign_page_shows_posts_by_status_targets_series_collaborations_and_fragments(org, people, client):
    campaign = CampaignFactory(organization=org, name="WHA 2018")
    event = EventFactory(organization=org, name="World Health Assembly")
    campaign.events.add(event)
    PostFactory(campaign=campaign, title="A Perfect Pair", status="published")
    PostFactory(campaign=campaign, title="Arabic variant", status="in_review")
    KPITargetFactory(campaign=campaign, metric="views", target_value=10_000_000)
    SeriesFactory(campaign=campaign, name="An SDG a Day")
    CollaborationFactory(campaign=campaign, title="Kuwait creator translation")
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_detail", args=[campaign.pk]))
    page = response.content.decode()
    groups = {g["status"]: [p.title for p in g["posts"]] for g in response.context["posts_by_status"]}
    assert groups == {"published": ["A Perfect Pair"], "in_review": ["Arabic variant"]}
    for text in ("World Health Assembly", "An SDG a Day", "Kuwait creator translation", "Views"):
        assert text in page
    assert f'hx-get="{reverse("campaign_scores", args=[campaign.pk])}"' in page
    assert reverse("campaign_dashboard", args=[campaign.pk]) in page
    # A viewer gets no planning buttons.
    assert reverse("campaign_edit", args=[campaign.pk]) not in page
    assert reverse("post_create", args=[campaign.pk]) not in page


def test_editor_creates_a_campaign_and_bad_input_loses_nothing(org, people, client):
    client.force_login(people.editor)
    data = {
        "organization": org.pk, "name": "Free and open Indo-Pacific", "objective": "A week of Q&A",
        "start_date": "2026-05-04", "end_date": "2026-05-01", "status": "planned",
        "target_countries": ["US", "JP", "Narnia"], "languages": ["en", "zh-Hant"], "themes": "policy, Q&A",
    }
    response = client.post(reverse("campaign_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"end_date", "target_countries"}
    page = response.content.decode()
    # What was typed and chosen stays: the name, and the countries still selected in the list.
    assert "Free and open Indo-Pacific" in page and '<option value="JP" selected>' in page
    assert not Campaign.objects.exists()

    data.update(end_date="2026-05-10", target_countries=["US", "JP"])
    response = client.post(reverse("campaign_create"), data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("campaign_kpis", args=[campaign.pk])
    assert campaign.target_countries == ["US", "JP"]
    assert campaign.languages == ["en", "zh-Hant"]
    assert campaign.created_by == people.editor
    assert campaign.history.first().history_user == people.editor


def test_campaign_cannot_be_created_in_an_organization_where_the_user_does_not_plan(org, other_org, people, client):
    client.force_login(people.editor)
    response = client.post(reverse("campaign_create"), {
        "organization": other_org.pk, "name": "x", "start_date": "2026-01-01", "end_date": "2026-01-02",
        "status": "planned",
    })
    assert response.status_code == 200 and "organization" in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_edit_campaign_and_see_it_in_the_history(org, people, client):
    campaign = CampaignFactory(organization=org, name="WHA", objective="Old objective")
    client.force_login(people.editor)
    response = client.post(reverse("campaign_edit", args=[campaign.pk]), {
        "name": "WHA 2018", "objective": "Health for all", "start_date": campaign.start_date.isoformat(),
        "end_date": campaign.end_date.isoformat(), "status": "active", "target_countries": ["VN", "US"],
        "languages": ["en"], "themes": "",
    })
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "WHA 2018"
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_history", args=[campaign.pk]))
    latest = response.context["entries"][0]
    assert latest["record"].history_user == people.editor
    changed = {str(c["field"]) for c in latest["changes"]}
    assert {"name", "objective", "target countries"} <= changed
    page = response.content.decode()
    assert "erin_editor" in page and "Old objective" in page and "Health for all" in page


def test_kpi_targets_are_edited_inline_and_errors_are_shown(org, people, client):
    campaign = CampaignFactory(organization=org)
    existing = KPITargetFactory(campaign=campaign, metric="views", target_value=1000)
    client.force_login(people.editor)
    url = reverse("campaign_kpis", args=[campaign.pk])
    base = {"kpi-TOTAL_FORMS": "3", "kpi-INITIAL_FORMS": "1", "kpi-MIN_NUM_FORMS": "0", "kpi-MAX_NUM_FORMS": "1000",
            "kpi-0-id": existing.pk, "kpi-0-metric": "views", "kpi-0-target_value": "10000000",
            "kpi-0-country": "", "kpi-0-note": ""}
    # A country share without a country, and a second "views" target: both refused, nothing saved.
    response = client.post(url, {**base, "kpi-1-metric": "country_view_share", "kpi-1-target_value": "10",
                                 "kpi-2-metric": "views", "kpi-2-target_value": "5"})
    assert response.status_code == 200
    formset = response.context["formset"]
    assert "country" in formset.forms[1].errors
    assert formset.non_form_errors() or formset.forms[2].errors
    assert KPITarget.objects.get().target_value == 1000
    response = client.post(url, {**base, "kpi-1-metric": "country_view_share", "kpi-1-target_value": "10",
                                 "kpi-1-country": "vn", "kpi-2-metric": "follower_growth_pct",
                                 "kpi-2-target_value": "20"})
    assert response.status_code == 302
    targets = {(t.metric, t.country): t.target_value for t in campaign.kpi_targets.all()}
    assert targets == {("views", ""): 10_000_000, ("country_view_share", "VN"): 10, ("follower_growth_pct", ""): 20}
    # Deleting a target.
    response = client.post(url, {**base, "kpi-TOTAL_FORMS": "1", "kpi-0-DELETE": "on"})
    assert response.status_code == 302
    assert not campaign.kpi_targets.filter(metric="views").exists()


def test_events_are_listed_created_and_edited_in_the_users_time_zone(org, other_org, people, client):
    EventFactory(organization=other_org, name="Elsewhere forum")
    client.force_login(people.editor)
    response = client.post(reverse("event_create"), {
        "organization": org.pk, "name": "World Health Assembly", "kind": "assembly",
        "starts_at": "2026-05-18T09:00", "ends_at": "2026-05-17T09:00", "country": "ch", "timezone": "Europe/Zurich",
    })
    assert response.status_code == 200 and "ends_at" in response.context["form"].errors
    response = client.post(reverse("event_create"), {
        "organization": org.pk, "name": "World Health Assembly", "kind": "assembly",
        "starts_at": "2026-05-18T09:00", "ends_at": "", "country": "ch", "timezone": "Europe/Zurich",
    })
    assert response.status_code == 302
    event = Event.objects.get(name="World Health Assembly")
    # Entered in the user's zone (default Asia/Taipei, UTC+8).
    assert event.starts_at == dt.datetime(2026, 5, 18, 1, 0, tzinfo=dt.UTC)
    assert event.country == "CH"
    page = client.get(reverse("event_list")).content.decode()
    assert "World Health Assembly" in page and "Elsewhere forum" not in page
    response = client.post(reverse("event_edit", args=[event.pk]), {
        "name": "WHA 71", "kind": "assembly", "starts_at": "2026-05-18T09:00", "country": "CH",
        "timezone": "Europe/Zurich",
    })
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.name == "WHA 71"


def test_account_token_is_write_only(org, people, client):
    client.force_login(people.admin)
    secret = "EAAB-very-secret-token-123"
    response = client.post(reverse("account_create"), {
        "organization": org.pk, "platform": "instagram", "handle": "@mofa_taiwan", "platform_id": "17841400000",
        "language": "en", "connection_state": "connected", "access_token": secret,
    })
    assert response.status_code == 302
    account = Account.objects.get()
    assert account.get_access_token() == secret
    assert secret not in account.access_token_encrypted
    for url in (reverse("account_list"), reverse("account_edit", args=[account.pk])):
        page = client.get(url).content.decode()
        assert secret not in page
        assert "token" in page and "set on" in page
    # Saving without a token keeps the stored one; the checkbox removes it.
    edit = {"platform": "instagram", "handle": "@mofa_taiwan", "platform_id": "17841400000", "language": "en",
            "connection_state": "connected", "access_token": ""}
    assert client.post(reverse("account_edit", args=[account.pk]), edit).status_code == 302
    account.refresh_from_db()
    assert account.get_access_token() == secret
    client.post(reverse("account_edit", args=[account.pk]), {**edit, "clear_token": "on"})
    account.refresh_from_db()
    assert not account.has_access_token


def test_duplicate_account_is_refused_with_a_message(org, people, client):
    first = AccountFactory(organization=org, platform="x", platform_id="111")
    second = AccountFactory(organization=org, platform="x", platform_id="222")
    client.force_login(people.admin)
    response = client.post(reverse("account_edit", args=[second.pk]), {
        "platform": "x", "handle": second.handle, "platform_id": first.platform_id,
        "connection_state": "connected",
    })
    assert response.status_code == 200 and "platform_id" in response.context["form"].errors


def test_profile_time_zone_changes_how_times_are_shown(org, people, client):
    campaign = CampaignFactory(organization=org)
    post = PostFactory(campaign=campaign, planned_at=dt.datetime(2026, 5, 18, 1, 30, tzinfo=dt.UTC))
    client.force_login(people.viewer)
    page = client.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert "9:30" in page  # Asia/Taipei by default
    response = client.post(reverse("profile"), {"timezone": "Europe/Zurich"})
    assert response.status_code == 302
    assert Profile.objects.get(user=people.viewer).timezone == "Europe/Zurich"
    page = client.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert "3:30" in page
    response = client.post(reverse("profile"), {"timezone": "Mars/Olympus"})
    assert response.status_code == 200 and "timezone" in response.context["form"].errors


def test_home_page_per_role(org, people, client):
    campaign = CampaignFactory(organization=org, name="WHA 2018", status="active")
    PostFactory(campaign=campaign, title="My draft", status="draft", created_by=people.editor)
    PostFactory(campaign=campaign, title="Waiting one", status="in_review")
    AccountFactory(organization=org, handle="broken_page", connection_state="needs_reconnect")
    pages = {}
    for role in ("admin", "editor", "approver", "viewer"):
        client.force_login(getattr(people, role))
        pages[role] = client.get(reverse("home")).content.decode()
    assert "My draft" in pages["editor"] and "Waiting for your review" not in pages["editor"]
    assert "Waiting one" in pages["approver"] and "My ideas and drafts" not in pages["approver"]
    assert "WHA 2018" in pages["viewer"] and reverse("org_overview") in pages["viewer"]
    assert "My ideas and drafts" not in pages["viewer"] and "broken_page" not in pages["viewer"]
    assert "broken_page" in pages["admin"] and "vera_viewer" in pages["admin"]
    client.force_login(people.outsider)
    assert "WHA 2018" not in client.get(reverse("home")).content.decode()


def test_upcoming_posts_are_shown_in_the_next_two_weeks_only(org, people, client):
    campaign = CampaignFactory(organization=org)
    now = timezone.now()
    PostFactory(campaign=campaign, title="Soon", planned_at=now + dt.timedelta(days=3))
    PostFactory(campaign=campaign, title="Much later", planned_at=now + dt.timedelta(days=40))
    PostFactory(campaign=campaign, title="Already out", planned_at=now + dt.timedelta(days=1),
                status=Post.Status.PUBLISHED)
    client.force_login(people.editor)
    upcoming = [p.title for p in client.get(reverse("home")).context["upcoming"]]
    assert upcoming == ["Soon"]


def test_refusals_explain_themselves_inside_the_layout(org, people, client):
    campaign = CampaignFactory(organization=org)
    client.force_login(people.viewer)
    response = client.get(reverse("campaign_edit", args=[campaign.pk]))
    assert response.status_code == 403
    assert "does not allow this change" in response.content.decode()
    assert reverse("campaign_list") in response.content.decode()  # the navigation is there
    client.force_login(people.outsider)
    response = client.get(reverse("campaign_detail", args=[campaign.pk]))
    assert response.status_code == 404 and "Not found" in response.content.decode()
