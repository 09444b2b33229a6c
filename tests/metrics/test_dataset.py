"""`manage.py generate_dataset`: the counts it promises, roll-ups as the roll-up service writes them, a login."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Membership, Post
from metrics.dataset import reading_hours
from metrics.models import DailyAccountRollup, DailyPostRollup, PostMetricSnapshot, PostScore
from metrics.reporting import rollups

ROLLUP_VALUES = ("post_id", "campaign_id", "account_id", "day", "views", "impressions", "reach", "reactions",
                 "comments", "shares", "saves", "interactions", "watch_time_seconds")


def _generate(**options) -> dict:
    out = io.StringIO()
    call_command("generate_dataset", stdout=out, stderr=io.StringIO(), password="pw-1", user="bench-admin",
                 **options)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_reading_hours_are_distinct_dense_while_young_and_end_at_the_age():
    hours = reading_hours(4000, 100)
    assert len(hours) == len(set(hours)) == 100
    assert hours[:10] == list(range(1, 11)) and hours[-1] == 4000
    assert reading_hours(30, 100) == list(range(1, 31))


@pytest.mark.django_db(transaction=True)
def test_generated_data_set_has_what_it_promises_and_the_rollups_the_service_would_write(client):
    result = _generate(organizations=2, accounts_per_org=4, posts=80, snapshots_per_post=20)

    assert result["posts"] == Post.objects.count() == 80
    assert result["snapshots"] == PostMetricSnapshot.objects.count()
    assert 70 * 20 < result["snapshots"] <= 80 * 20  # only posts younger than 20 hours have fewer
    assert result["scored"] == PostScore.objects.count() == 80
    biggest = Campaign.objects.get(pk=result["biggest_campaign"])
    assert biggest.posts.count() == 32  # 40 % of all posts
    assert set(Membership.objects.filter(user__username="bench-admin").values_list("organization_id", "role")) == {
        (org_id, "admin") for org_id in result["organizations"]}
    assert DailyAccountRollup.objects.exists()
    # A reading never goes down, and the views follow the curve (some posts have views).
    views = list(PostMetricSnapshot.objects.filter(post=biggest.posts.first()).values_list("views", flat=True))
    assert views == sorted(views) and views[-1] > 0

    generated = sorted(DailyPostRollup.objects.values_list(*ROLLUP_VALUES))
    rollups.post_rollups_recompute(post_ids=list(Post.objects.values_list("id", flat=True)))
    assert generated == sorted(DailyPostRollup.objects.values_list(*ROLLUP_VALUES))

    # The login form, as a person signs in (axes needs the request, which client.login does not give).
    response = client.post("/login/", {"username": "bench-admin", "password": "pw-1"})
    assert response.status_code == 302, response.content[:300]
    assert client.get(f"/campaigns/{biggest.pk}/dashboard/").status_code == 200
