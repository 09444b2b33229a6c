"""Scoring pages: methodology generated from the code, fragments, the weights page and its permissions."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from metrics import scoring
from metrics.models import PostScore, ScoreWeights
from metrics.scoring import service as scoring_service
from tests.factories import PostFactory
from tests.metrics.scoring_helpers import WHA, account_with_history, published_post, snapshot

pytestmark = pytest.mark.django_db


def components_the_code_uses() -> set[str]:
    """Run the method on a full example and collect the components it actually reports."""
    facts = scoring.PostFacts("facebook", WHA, "short_video", readings=(
        scoring.Reading(WHA + dt.timedelta(hours=24), reactions=1, comments=1, reach=10),))
    result = scoring.score_post(facts)
    return {c.key for p in result.principles for c in p.components}


def test_methodology_lists_every_component_weight_and_default(client, people):
    client.force_login(people.viewer)
    page = html.unescape(client.get(reverse("methodology")).content.decode())
    used = components_the_code_uses()
    assert used == set(scoring.COMPONENTS_BY_KEY)  # the spec list is exactly what the code reports
    for key in used:
        spec = scoring.COMPONENTS_BY_KEY[key]
        assert f'data-component="{key}"' in page
        assert spec.label in page and spec.formula in page
        assert f"{round(100 * spec.weight)} %" in page
    for name in (*scoring.TRAIT_POINTS, *scoring.NEWER_FORMAT_POINTS, *scoring.DEVICE_POINTS, *scoring.DENOMINATORS):
        assert name in page
    for _start, _end, _score, label in scoring.ACTIVE_HOURS:
        assert label in page
    for label in scoring.PRINCIPLE_LABELS.values():
        assert label in page
    assert scoring.METHOD_VERSION in page
    assert f"last {scoring.BASELINE_POSTS} posts" in page and f"fewer than {scoring.MIN_HISTORY}" in page


def test_methodology_links_admins_to_their_weights_page(client, people, org):
    url = reverse("score_weights", args=[org.pk])
    client.force_login(people.admin)
    assert url in client.get(reverse("methodology")).content.decode()
    client.force_login(people.editor)
    assert url not in client.get(reverse("methodology")).content.decode()


def test_methodology_needs_a_login(client):
    assert client.get(reverse("methodology")).status_code == 302


def scored_post(org):
    campaign, account, event, _history = account_with_history(org)
    post = published_post(campaign=campaign, account=account, at=WHA - dt.timedelta(hours=2), event=event,
                          traits=["behind_the_scenes"], format="poll")
    snapshot(post, 24, reactions=20, reach=800)
    snapshot(post, 168, reactions=35, comments=5, reach=1000)
    scoring_service.posts_rescore(post_ids=[post.id])
    return campaign, post


def test_post_scores_fragment_explains_in_plain_words(client, people, org):
    _campaign, post = scored_post(org)
    client.force_login(people.viewer)
    response = client.get(reverse("post_scores", args=[post.pk]), HTTP_HX_REQUEST="true")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "<html" not in page  # a fragment
    assert "published 2 h before WHA opening" in page and "+35" in page
    assert "percentile 60 among 5 recent posts" in page and "reach" in page
    assert 'data-score="overall"' in page
    assert "declared: behind the scenes" in page and "uses: poll" in page  # codes shown by their labels
    assert "Computed" in page and scoring.METHOD_VERSION in page


def test_post_scores_computed_live_when_not_stored_and_unpublished_said_so(client, people, org):
    campaign, account, event, _history = account_with_history(org)
    post = published_post(campaign=campaign, account=account, at=WHA, event=event)
    client.force_login(people.editor)
    page = client.get(reverse("post_scores", args=[post.pk])).content.decode()
    assert "not stored yet" in page and not PostScore.objects.filter(post=post).exists()
    draft = PostFactory(campaign=campaign, account=account)
    page = client.get(reverse("post_scores", args=[draft.pk])).content.decode()
    assert "once the post is published" in page


def test_another_organizations_post_and_campaign_are_not_found(client, people, org):
    campaign, post = scored_post(org)
    client.force_login(people.outsider)
    assert client.get(reverse("post_scores", args=[post.pk])).status_code == 404
    assert client.get(reverse("campaign_scores", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("score_weights", args=[org.pk])).status_code == 404
    assert client.post(reverse("score_weights_preview", args=[org.pk]), {}).status_code == 404


def test_campaign_scores_fragment(client, people, org):
    campaign, _post = scored_post(org)
    client.force_login(people.viewer)
    page = html.unescape(client.get(reverse("campaign_scores", args=[campaign.pk])).content.decode())
    assert "Averages over 1 scored of 6 published posts" in page
    assert "Weakest principle" in page and "data-weakest=" in page
    assert "Distribution of overall scores" in page


def test_only_admins_change_weights(client, people, org):
    for user in (people.editor, people.approver, people.viewer):
        client.force_login(user)
        assert client.get(reverse("score_weights", args=[org.pk])).status_code == 403
        response = client.post(reverse("score_weights", args=[org.pk]),
                               {"timeliness": 1, "authenticity": 0, "format": 0, "interactivity": 0})
        assert response.status_code == 403
    assert not ScoreWeights.objects.exists()


def test_admin_previews_then_saves_weights(client, people, org):
    _campaign, post = scored_post(org)
    client.force_login(people.admin)
    page = client.get(reverse("score_weights", args=[org.pk])).content.decode()
    assert 'name="timeliness"' in page and 'value="25"' in page and "hx-post" in page

    data = {"timeliness": 100, "authenticity": 0, "format": 0, "interactivity": 0}
    preview = client.post(reverse("score_weights_preview", args=[org.pk]), data, HTTP_HX_REQUEST="true")
    score = PostScore.objects.get(post=post)
    text = preview.content.decode()
    assert f'data-preview="before">{score.overall:.1f}' in text
    assert f'data-preview="after">{score.timeliness:.1f}' in text
    assert not ScoreWeights.objects.exists()

    response = client.post(reverse("score_weights", args=[org.pk]), data)
    assert response.status_code == 302
    assert ScoreWeights.objects.get(organization=org).timeliness == 100
    score.refresh_from_db()
    assert score.overall == pytest.approx(score.timeliness)


@pytest.mark.parametrize("data", [
    {"timeliness": 0, "authenticity": 0, "format": 0, "interactivity": 0},
    {"timeliness": "lots", "authenticity": -1, "format": 500},
    {},
])
def test_bad_weights_get_a_clear_error_and_change_nothing(client, people, org, data):
    client.force_login(people.admin)
    response = client.post(reverse("score_weights", args=[org.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "is-invalid" in body or "alert-danger" in body
    assert not ScoreWeights.objects.exists()
    preview = client.post(reverse("score_weights_preview", args=[org.pk]), data)
    assert preview.status_code == 200 and "alert-warning" in preview.content.decode()


def test_score_weights_admin_recomputes_on_save(admin_client, org):
    url = reverse("admin:metrics_scoreweights_add")
    response = admin_client.post(url, {"organization": org.pk, "timeliness": 0, "authenticity": 0,
                                       "format": 0, "interactivity": 0})
    assert response.status_code == 200 and not ScoreWeights.objects.exists()  # all zero refused
    response = admin_client.post(url, {"organization": org.pk, "timeliness": 10, "authenticity": 0,
                                       "format": 0, "interactivity": 0})
    assert response.status_code == 302
    assert ScoreWeights.objects.get(organization=org).timeliness == 10


def test_score_weights_admin_previews_before_saving(admin_client, org):
    _campaign, post = scored_post(org)
    page = admin_client.get(reverse("admin:metrics_scoreweights_add")).content.decode()
    assert reverse("admin:metrics_scoreweights_preview") in page and "hx-post" in page
    url = reverse("admin:metrics_scoreweights_preview")
    data = {"organization": org.pk, "timeliness": 0, "authenticity": 0, "format": 0, "interactivity": 100}
    text = admin_client.post(url, data).content.decode()
    score = PostScore.objects.get(post=post)
    assert f'data-preview="after">{score.interactivity:.1f}' in text
    assert not ScoreWeights.objects.exists()
    assert "Choose an organization" in admin_client.post(url, {**data, "organization": "x"}).content.decode()
    assert admin_client.get(url).status_code == 405


def test_score_weights_admin_preview_needs_admin_site_rights(client, people, org):
    client.force_login(people.admin)  # an organization admin, but not staff
    response = client.post(reverse("admin:metrics_scoreweights_preview"), {"organization": org.pk})
    assert response.status_code == 302  # to the admin login


def test_score_reasons_name_zones_and_languages_in_the_readers_language():
    from django.utils import translation

    from metrics.views.scoring import reason_text

    zone = {"template": "published at %(time)s in %(zone)s (%(band)s)",
            "params": {"time": "19:00", "zone": "Asia/Ho_Chi_Minh", "band": "evening peak"}}
    language = {"template": "written in %(language)s, not a language of the target audience (%(wanted)s)",
                "params": {"language": "zh-Hant", "wanted": "en, vi"}}
    with translation.override("zh-hant"):
        shown = reason_text(zone) + reason_text(language)
    assert "Asia/" not in shown and "越南" in shown and "繁體中文" in shown and "英文、越南文" in shown
    with translation.override("en"):
        assert "Vietnam" in reason_text(zone) or "Ho Chi Minh" in reason_text(zone)
