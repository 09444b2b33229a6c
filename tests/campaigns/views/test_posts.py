"""The post editor and the post page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from campaigns.models import Post
from tests.factories import AccountFactory, CampaignFactory, EventFactory, PostFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    return CampaignFactory(organization=org, name="WHA 2018")


def test_editor_writes_a_post_with_every_field(campaign, people, client):
    org = campaign.organization
    youtube = AccountFactory(organization=org, platform="youtube", handle="Trending Taiwan")
    event = EventFactory(organization=org, name="World Health Assembly")
    series = SeriesFactory(campaign=campaign, name="An SDG a Day")
    original = PostFactory(campaign=campaign, account=youtube, title="A Perfect Pair")
    client.force_login(people.editor)
    response = client.post(reverse("post_create", args=[campaign.pk]), {
        "account": youtube.pk, "series": series.pk, "planned_at": "2026-05-20T20:00", "format": "video",
        "title": "A Perfect Pair (Arabic)", "body": "Health for all #TaiwanCanHelp", "language": "ar",
        "variant_of": original.pk, "event": event.pk, "hashtags": "#TaiwanCanHelp, WHA2018 SDG",
        "traits": ["real_person", "original_footage"],
    })
    assert response.status_code == 302, response.context["form"].errors
    post = Post.objects.get(title="A Perfect Pair (Arabic)")
    assert response["Location"] == reverse("post_detail", args=[post.pk])
    assert (post.status, post.created_by, post.campaign, post.series) == ("draft", people.editor, campaign, series)
    assert post.planned_at == dt.datetime(2026, 5, 20, 12, 0, tzinfo=dt.UTC)  # 20:00 in Taipei
    assert post.hashtags == ["TaiwanCanHelp", "WHA2018", "SDG"]
    assert post.traits == ["real_person", "original_footage"]
    assert (post.variant_of, post.event, post.format, post.language) == (original, event, "video", "ar")

    page = client.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert "Features a real person speaking" in page and "World Health Assembly" in page
    assert f'hx-get="{reverse("post_scores", args=[post.pk])}"' in page
    # A draft has no figures to show: the performance panel only loads once the post is published.
    assert reverse("post_performance", args=[post.pk]) not in page
    # The original lists its variant.
    page = client.get(reverse("post_detail", args=[original.pk])).content.decode()
    assert "A Perfect Pair (Arabic)" in page


def test_editor_refuses_objects_of_another_organization(campaign, other_org, people, client):
    foreign_account = AccountFactory(organization=other_org)
    foreign_post = PostFactory(campaign__organization=other_org)
    foreign_event = EventFactory(organization=other_org)
    own = AccountFactory(organization=campaign.organization)
    client.force_login(people.editor)
    response = client.post(reverse("post_create", args=[campaign.pk]), {
        "account": foreign_account.pk, "format": "image", "variant_of": foreign_post.pk, "event": foreign_event.pk,
    })
    assert response.status_code == 200
    assert {"account", "variant_of", "event"} <= set(response.context["form"].errors)
    response = client.post(reverse("post_create", args=[campaign.pk]), {
        "account": own.pk, "format": "image", "traits": ["teleportation"], "hashtags": "#ok #no-way",
    })
    assert {"traits", "hashtags"} <= set(response.context["form"].errors)
    assert Post.objects.filter(campaign=campaign).count() == 0


def test_post_under_review_cannot_be_edited(campaign, people, client):
    post = PostFactory(campaign=campaign, status="in_review", title="Frozen")
    client.force_login(people.editor)
    response = client.post(reverse("post_edit", args=[post.pk]), {"account": post.account_id, "format": "text",
                                                                    "title": "Changed"}, follow=True)
    assert response.status_code == 200
    assert "cannot be edited" in str(list(response.context["messages"])[0])
    post.refresh_from_db()
    assert post.title == "Frozen"


def test_edit_keeps_input_on_error_and_records_history(campaign, people, client):
    x = AccountFactory(organization=campaign.organization, platform="x")
    post = PostFactory(campaign=campaign, account=x, title="Q&A day 1", body="Short")
    client.force_login(people.editor)
    url = reverse("post_edit", args=[post.pk])
    page = client.get(url).content.decode()
    assert "Q&amp;A day 1" in page and "Short" in page
    too_long = "What does a free and open Indo-Pacific mean? " * 7
    response = client.post(url, {"account": x.pk, "format": "text", "title": "Q&A day 1", "body": too_long})
    assert response.status_code == 200 and "body" in response.context["form"].errors
    assert response.context["form"]["body"].value() == too_long
    response = client.post(url, {"account": x.pk, "format": "text", "title": "Q&A day 1", "body": "Ask us anything"})
    assert response.status_code == 302
    history = client.get(reverse("post_history", args=[post.pk]))
    latest = history.context["entries"][0]
    assert latest["record"].history_user == people.editor
    assert any(str(c["field"]) == "body" and c["old"] == "Short" for c in latest["changes"])
    assert "Ask us anything" in history.content.decode()


def test_history_page_keeps_workflow_reasons(campaign, people, client):
    post = PostFactory(campaign=campaign, status="in_review")
    client.force_login(people.approver)
    client.post(reverse("post_transition", args=[post.pk]), {"action": "reject", "comment": "Add subtitles"})
    page = client.get(reverse("post_history", args=[post.pk])).content.decode()
    assert "reject: Add subtitles" in page
    assert "<del class=\"text-muted\">In review</del> → Draft" in page  # labels, not stored codes


def test_unplanned_discovered_post_is_read_only(org, people, client):
    account = AccountFactory(organization=org)
    post = Post.objects.create(account=account, campaign=None, status="published", body="Found on the page")
    client.force_login(people.editor)
    page = client.get(reverse("post_detail", args=[post.pk])).content.decode()
    assert f'hx-get="{reverse("post_performance", args=[post.pk])}"' in page
    response = client.get(reverse("post_edit", args=[post.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("post_detail", args=[post.pk])


@pytest.mark.parametrize("when", ["0001-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", "soon"])
def test_odd_planned_times_are_form_errors_not_crashes(when, campaign, people, client):
    account = AccountFactory(organization=campaign.organization)
    client.force_login(people.editor)
    response = client.post(reverse("post_create", args=[campaign.pk]),
                           {"account": account.pk, "format": "image", "planned_at": when})
    assert response.status_code == 200
    assert "planned_at" in response.context["form"].errors


def test_a_post_found_on_the_platform_shows_an_automatic_step(org, people, client):
    from campaigns.services import FoundPost, posts_record_found

    account = AccountFactory(organization=org, platform="x", handle="mofa_tw")
    found = posts_record_found(account=account, found=[FoundPost(
        "1790000000000000001", dt.datetime(2026, 5, 20, 8, tzinfo=dt.UTC), title="Taiwan can help")])
    client.force_login(people.viewer)
    page = client.get(reverse("post_detail", args=[found["1790000000000000001"].pk])).content.decode()
    assert "Found published on the platform" in page
    assert "Softpower, automatically" in page and "someone" not in page
