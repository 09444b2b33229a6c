"""Platform limits: checked by campaigns.limits, enforced on save in the post editor, counted live."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from campaigns.limits import COUNTERS, count_hashtags, platform_limit_errors
from campaigns.models import Post
from tests.factories import AccountFactory, CampaignFactory


def errors(platform, *, title="", body="", hashtags=()):
    return platform_limit_errors(platform=platform, title=title, body=body, hashtags=list(hashtags))


def test_x_allows_280_characters():
    assert errors("x", body="a" * 280) == {}
    assert "280" in errors("x", body="a" * 281)["body"]


def test_instagram_caption_allows_2200_characters():
    assert errors("instagram", body="a" * 2200) == {}
    assert "2200" in errors("instagram", body="a" * 2201)["body"]


def test_instagram_allows_30_hashtags_counted_once_across_body_and_list():
    body = " ".join(f"#tag{i}" for i in range(20))
    listed = [f"tag{i}" for i in range(10, 30)]  # ten repeat the body's, case-insensitively too
    assert count_hashtags(body.upper(), listed) == 30
    assert errors("instagram", body=body, hashtags=listed) == {}
    assert "30" in errors("instagram", body=body, hashtags=[*listed, "one_more"])["hashtags"]


def test_youtube_title_allows_100_characters():
    assert errors("youtube", title="a" * 100) == {}
    assert "100" in errors("youtube", title="a" * 101)["title"]


def test_limits_are_per_platform():
    long = "a" * 3000
    assert errors("facebook", title=long, body=long) == {}
    assert errors("youtube", body=long) == {}
    assert errors("x", title=long) == {}


# --- In the post editor ----------------------------------------------------------------------


@pytest.fixture
def campaign(org):
    return CampaignFactory(organization=org)


def _form(account, **overrides):
    data = {"account": account.pk, "format": "image", "title": "Health for all", "body": "Taiwan can help",
            "language": "en", "hashtags": "", "planned_at": ""}
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("platform", "field", "value", "ok_value"),
    [
        ("x", "body", "Taiwan can help. " * 17, "Taiwan can help. " * 16),  # 289 vs 272 characters
        ("instagram", "body", "a" * 2201, "a" * 2200),
        ("youtube", "title", "A Perfect Pair " * 7, "A Perfect Pair " * 6),  # 105 vs 90
        ("instagram", "hashtags", " ".join(f"#t{i}" for i in range(31)), " ".join(f"#t{i}" for i in range(30))),
    ],
)
def test_editor_refuses_content_over_the_limit_and_keeps_the_input(
    platform, field, value, ok_value, campaign, people, client
):
    account = AccountFactory(organization=campaign.organization, platform=platform)
    client.force_login(people.editor)
    url = reverse("post_create", args=[campaign.pk])
    response = client.post(url, _form(account, **{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    page = response.content.decode()
    assert "is-invalid" in page
    # Nothing typed is lost: the page shows the submitted text again.
    assert form[field].value() == value
    assert value.split()[0] in page
    assert not Post.objects.exists()

    response = client.post(url, _form(account, **{field: ok_value}))
    assert response.status_code == 302
    assert Post.objects.count() == 1


@pytest.mark.django_db
def test_editor_page_carries_the_counters_for_each_account(campaign, people, client):
    x = AccountFactory(organization=campaign.organization, platform="x")
    yt = AccountFactory(organization=campaign.organization, platform="youtube")
    client.force_login(people.editor)
    response = client.get(reverse("post_create", args=[campaign.pk]))
    page = response.content.decode()
    counters = json.loads(re.search(r'id="platform-counters"[^>]*>(.*?)</script>', page).group(1))
    platforms = json.loads(re.search(r'id="account-platforms"[^>]*>(.*?)</script>', page).group(1))
    assert counters == {k: {"field": f, "limit": n} for k, (f, n) in COUNTERS.items()}
    assert platforms == {str(x.pk): "x", str(yt.pk): "youtube"}
    assert 'id="counter-body"' in page and 'id="counter-title"' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_live_counter_turns_red_over_the_limit(live_server, page, log_in, org, people):
    campaign = CampaignFactory(organization=org)
    x = AccountFactory(organization=org, platform="x", handle="mofa_x")
    yt = AccountFactory(organization=org, platform="youtube", handle="trending_taiwan")
    log_in(people.editor)
    page.goto(f"{live_server.url}{reverse('post_create', args=[campaign.pk])}")
    page.select_option("#id_account", str(x.pk))
    page.fill("#id_body", "a" * 280)
    counter = page.locator("#counter-body")
    assert counter.inner_text().startswith("280 / 280")
    assert "counter-over" not in (counter.get_attribute("class") or "")
    page.type("#id_body", "b")
    assert counter.inner_text().startswith("281 / 280")
    assert "counter-over" in counter.get_attribute("class")
    # YouTube counts the title instead.
    page.select_option("#id_account", str(yt.pk))
    page.fill("#id_title", "t" * 101)
    assert page.locator("#counter-title").inner_text().startswith("101 / 100")
    assert "counter-over" in page.locator("#counter-title").get_attribute("class")
    assert page.locator("#counter-body").inner_text() == ""


@pytest.mark.django_db
def test_line_breaks_count_once_as_in_the_live_counter(campaign, people, client):
    account = AccountFactory(organization=campaign.organization, platform="x")
    client.force_login(people.editor)
    body = "\r\n".join(["a" * 69] * 4) + "   "  # 276 + 3 line breaks = 279 characters, then spaces
    response = client.post(reverse("post_create", args=[campaign.pk]), _form(account, body=body))
    assert response.status_code == 302
    assert Post.objects.get().body == "\n".join(["a" * 69] * 4)
