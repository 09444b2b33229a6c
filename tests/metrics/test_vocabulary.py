"""One metrics vocabulary: every reader sums interactions the same way, and the labels people see stay put."""

import datetime as dt

import pytest

from metrics import vocabulary as v
from metrics.ingestion.snapshots import PostReading, post_snapshots_upsert
from metrics.models import DailyPostRollup, PostMetricSnapshot
from metrics.reporting.exports import breakdowns_table, posts_table, snapshots_table
from metrics.reporting.rollups import post_rollups_recompute
from metrics.reporting.timeseries import post_series
from metrics.scoring import service as scoring_service
from tests.factories import CampaignFactory, PostFactory

T0 = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)


def test_interactions_sum_the_parts_given_and_none_when_none_is():
    assert v.interactions_of({"reactions": 5, "comments": None, "shares": 2, "quotes": 1, "saves": 3,
                              "views": 1000}) == 11
    assert v.interactions_of({"views": 1000}) is None
    assert v.interactions_of({"reactions": 0}) == 0  # a known zero is zero, not missing


def test_the_two_rates_are_not_the_same_thing():
    class Seen:
        reactions, comments, shares, saves = 30, 10, 5, 5
        reach, impressions, views = 500, None, 2000

    assert v.interactions_per_100_views(50, 2000) == pytest.approx(2.5)  # a percentage of views
    assert v.interactions_per_100_views(50, 0) is None
    assert v.interactions_per_audience(Seen()) == ("reach", pytest.approx(0.1))  # a fraction of reach
    assert v.interactions_per_audience(Seen(), "views") == ("views", pytest.approx(0.025))
    assert v.interactions_per_audience(Seen(), "impressions") is None


def test_every_name_has_a_label():
    assert set(v.POST_METRICS) | set(v.FIGURES) | {"interaction_rate"} <= set(v.METRIC_LABELS)
    assert set(v.ROLLUP_METRICS) <= set(v.POST_METRICS) and set(v.INTERACTION_PARTS) <= set(v.POST_METRICS)
    assert set(v.PRINCIPLES) == set(v.PRINCIPLE_LABELS) == set(v.PRINCIPLE_SHORT_LABELS) - {"overall"}


@pytest.mark.django_db
def test_snapshots_rollups_time_series_and_scoring_count_the_same_interactions():
    # An X post: quotes count as interactions everywhere (the scoring folds them into shares).
    post = PostFactory(published_at=T0)
    post_snapshots_upsert([PostReading(post.id, T0, metrics={"views": 900, "reactions": 40, "comments": 6,
                                                             "shares": None, "quotes": 4, "saves": 2})])
    snapshot = PostMetricSnapshot.objects.get(post=post)
    post_rollups_recompute(post_ids=[post.id])
    (point,) = post_series(post_ids=[post.id], start=T0.date(), end=T0.date(), interval="day")
    row = PostMetricSnapshot.objects.filter(pk=snapshot.pk).values(
        "captured_at", "reactions", "comments", "shares", "quotes", "saves", "reach", "impressions", "views").get()
    reading = scoring_service._reading(row)
    assert snapshot.interactions == 52
    assert DailyPostRollup.objects.get(post=post).interactions == 52
    assert point["interactions"] == 52
    assert v.interactions_of(reading) == 52


@pytest.mark.django_db
def test_export_headers_keep_their_wording():
    campaign = CampaignFactory()
    assert posts_table(campaign=campaign)[0][10:23] == [
        "Views", "Reach", "Interactions", "Reactions", "Comments", "Shares", "Saves", "Interaction rate %",
        "Timeliness", "Authenticity", "New formats", "Interactivity", "Overall score",
    ]
    assert snapshots_table(campaign=campaign)[0][5:] == [
        "Views", "Impressions", "Reach", "Reactions", "Comments", "Shares", "Quotes", "Saves", "Clicks",
        "Video views", "Watch time (s)", "API version", "Platform metrics",
    ]
    assert breakdowns_table(campaign=campaign)[0][3:] == ["Views", "Reach", "Interactions", "Interaction rate %"]
