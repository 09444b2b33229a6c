"""Notable amplification: the watch list, amplifications entered by hand, their rules, pages, API and report."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Amplification, Campaign, NotableAccount, Post
from metrics.demo import load_demo
from tests.factories import (
    AccountFactory,
    AmplificationFactory,
    CampaignFactory,
    NotableAccountFactory,
    OrganizationFactory,
    PostFactory,
)

pytestmark = pytest.mark.django_db


def _published(org, **fields) -> Post:
    campaign = fields.pop("campaign", None) or CampaignFactory(organization=org)
    return PostFactory(campaign=campaign, account=AccountFactory(organization=org, platform="x"),
                       status=Post.Status.PUBLISHED, published_at=timezone.now() - dt.timedelta(days=2), **fields)


def test_a_hand_entry_needs_its_evidence_a_past_time_and_a_notable_of_the_same_organization(org):
    post = _published(org)
    ours = NotableAccountFactory(organization=org)
    theirs = NotableAccountFactory(organization=OrganizationFactory())
    cases = [
        ({"link": ""}, "link"),
        ({"occurred_at": timezone.now() + dt.timedelta(hours=2)}, "occurred_at"),
        ({"occurred_at": post.published_at - dt.timedelta(hours=1)}, "occurred_at"),
        ({"notable": theirs}, "notable"),
    ]
    for change, field in cases:
        values = {"post": post, "notable": ours, "kind": "reshare", "source": "manual",
                  "link": "https://x.com/i/status/9/retweets", **change}
        with pytest.raises(ValidationError) as error:
            Amplification(**values).full_clean()
        assert field in error.value.message_dict, change
    # A mention on another platform is fine; a "reshare" there is not one.
    other = NotableAccountFactory(organization=org, platform="facebook")
    with pytest.raises(ValidationError) as error:
        Amplification(post=post, notable=other, kind="reshare", link="https://example.org/a").full_clean()
    assert "kind" in error.value.message_dict
    Amplification(post=post, notable=other, kind="mention", link="https://example.org/a").full_clean()


def test_an_editor_keeps_the_watch_list_and_a_viewer_reads_it(client, people, org):
    client.force_login(people.editor)
    response = client.post(reverse("notable_create"), {
        "organization": org.pk, "platform": "x", "handle": "@EAP_Bureau", "name": "East Asia bureau",
        "kind": "ministry", "country": "US", "note": ""})
    assert response.status_code == 302
    notable = NotableAccount.objects.get()
    assert notable.handle == "EAP_Bureau"  # the @ people paste is dropped, so matches are exact
    duplicate = client.post(reverse("notable_create"), {
        "organization": org.pk, "platform": "x", "handle": "EAP_Bureau", "name": "Again", "kind": "ministry"},
        HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert duplicate.status_code == 200 and NotableAccount.objects.count() == 1

    client.force_login(people.viewer)
    page = client.get(reverse("notable_list"), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "East Asia bureau" in page and "美國" in page  # the country named in the reader's language
    assert reverse("notable_create") not in page
    assert client.post(reverse("notable_create"), {"organization": org.pk}).status_code == 403


def test_an_editor_records_and_removes_an_amplification_on_the_post_page(client, people, org):
    post = _published(org, title="A Perfect Pair")
    notable = NotableAccountFactory(organization=org, name="Health ministry of a partner", platform="x")
    client.force_login(people.editor)
    bad = client.post(reverse("amplification_create", args=[post.pk]),
                      {"notable": notable.pk, "kind": "reshare", "link": ""}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert bad.status_code == 200 and not Amplification.objects.exists()
    assert "請附上轉發、引用或提及的連結" in bad.content.decode()
    ok = client.post(reverse("amplification_create", args=[post.pk]), {
        "notable": notable.pk, "kind": "quote", "link": "x.com/i/status/55",
        "occurred_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")})
    assert ok.status_code == 302
    item = Amplification.objects.get()
    assert item.source == "manual" and item.created_by == people.editor and item.link == "https://x.com/i/status/55"

    page = client.get(reverse("post_detail", args=[post.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "轉發者" in page and "Health ministry of a partner" in page

    found = AmplificationFactory(post=post, notable=notable, kind="reshare", source="found")
    remove = reverse("post_amplification_remove", args=[post.pk])
    client.post(remove, {"amplification": found.pk})  # what the platform reported stays
    client.post(remove, {"amplification": item.pk})
    assert list(Amplification.objects.values_list("pk", flat=True)) == [found.pk]


def test_the_api_lists_a_posts_amplifications_and_takes_hand_entries_with_clear_errors(client, people, org):
    post = _published(org)
    notable = NotableAccountFactory(organization=org)
    AmplificationFactory(post=post, notable=notable, source="found", kind="reshare")
    client.force_login(people.viewer)
    listed = client.get(f"/api/v1/posts/{post.pk}/amplifications/").json()
    assert [(a["notable_name"], a["kind"], a["source"]) for a in listed] == [(notable.name, "reshare", "found")]

    client.force_login(people.editor)
    bad = client.post("/api/v1/amplifications/", {"post": post.pk, "notable": notable.pk, "kind": "quote"},
                      content_type="application/json")
    assert bad.status_code == 400 and "link" in bad.json()["error"]["fields"]
    other_org_notable = NotableAccountFactory(organization=OrganizationFactory())
    foreign = client.post("/api/v1/amplifications/", {"post": post.pk, "notable": other_org_notable.pk,
                                                      "kind": "quote", "link": "https://x.com/i/status/7"},
                          content_type="application/json")
    assert foreign.status_code == 400 and "notable" in foreign.json()["error"]["fields"]
    made = client.post("/api/v1/amplifications/", {"post": post.pk, "notable": notable.pk, "kind": "quote",
                                                   "link": "https://x.com/i/status/7", "source": "found"},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["source"] == "manual"  # a client cannot claim a platform find
    assert len(client.get(f"/api/v1/posts/{post.pk}/amplifications/").json()) == 2


def test_the_campaign_dashboard_and_the_pdf_say_who_reshared(client, people, org, tmp_path):
    campaign = CampaignFactory(organization=org, name="WHA 2026")
    post = _published(org, campaign=campaign, title="A Perfect Pair")
    notable = NotableAccountFactory(organization=org, name="東亞局 bureau", handle="EAP_demo", country="US")
    AmplificationFactory(post=post, notable=notable, source="found", kind="reshare")
    client.force_login(people.viewer)
    dashboard = client.get(reverse("campaign_dashboard", args=[campaign.pk]),
                           HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "知名帳號轉發" in dashboard and "東亞局 bureau" in dashboard
    fragment = client.get(reverse("campaign_amplifications", args=[campaign.pk])).content.decode()
    assert "1 amplifications by 1 notable account" in fragment and "A Perfect Pair" in fragment

    response = client.get(reverse("campaign_report", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="zh-hant")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for words in ("知名帳號轉發", "東亞局 bureau", "@EAP_demo", "A Perfect Pair"):
        assert words in text, words


def test_the_demo_shows_the_wha_film_reshared_by_a_foreign_ministrys_bureau():
    load_demo()
    load_demo()  # idempotent
    wha = Campaign.objects.get(name="WHA 2026: Health for all — Taiwan can help")
    items = Amplification.objects.filter(post__campaign=wha).select_related("notable")
    kinds = {(a.notable.handle, a.kind, a.source) for a in items}
    assert ("EAP_Bureau_demo", "reshare", "found") in kinds
    assert ("HealthNewsJP_demo", "quote", "found") in kinds
    assert ("GlobalHealthNGO_demo", "mention", "manual") in kinds
    assert items.count() == 3
