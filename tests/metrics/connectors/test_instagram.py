import datetime as dt

import pytest
from django.utils import timezone

from metrics.connectors.base import ConnectorError
from tests.metrics.ingest_support import IG_USER, connector, fault, sandbox  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]


def test_lists_media_newest_first_until_the_since_time():
    conn = connector("instagram", IG_USER)
    since = timezone.now() - dt.timedelta(days=20)
    posts = conn.list_posts(since)
    assert posts and all(p.published_at >= since for p in posts)
    assert {p.format for p in posts} <= {"image", "video", "carousel", "short_video", "story"}


def test_fields_and_insights_of_many_media_in_one_call():
    conn = connector("instagram", IG_USER)
    found = conn.list_posts(timezone.now() - dt.timedelta(days=60))[:40]
    formats = {p.platform_post_id: p.format for p in found}
    assert {"image", "short_video"} <= set(formats.values())
    before = len(conn.recorder)
    batch = conn.post_metrics(list(formats), formats)
    assert len(conn.recorder) - before == 1  # feed media and Reels: two `?ids=` reads in one Graph batch
    assert {p.platform_post_id for p in batch.posts} == set(formats) and not conn.errors
    for post in batch.posts:
        assert post.metrics["reactions"] is not None and post.metrics["views"] is not None
        assert post.metrics["saves"] is not None
        assert (post.metrics.get("watch_time_seconds") is not None) == (formats[post.platform_post_id] == "short_video")
        assert post.extra["metric_sources"]["views"] == "views"


def test_follower_countries_from_follower_demographics():
    stats = connector("instagram", IG_USER).account_stats()
    assert stats.followers > 0
    assert stats.countries and "TW" in stats.countries and max(stats.countries.values()) == stats.countries["TW"]


def test_a_retired_instagram_metric_named_by_graph_is_dropped(monkeypatch):
    conn = connector("instagram", IG_USER)
    ids = [p.platform_post_id for p in conn.list_posts(timezone.now() - dt.timedelta(days=10))
           if p.format in ("image", "carousel")][:3]
    asked = conn.metrics_for_edge
    monkeypatch.setattr(conn, "metrics_for_edge", lambda edge, fmt: (*asked(edge, fmt), "impressions"))
    before = len(conn.recorder)
    batch = conn.post_metrics(ids, dict.fromkeys(ids, "image"))
    assert conn.dropped_metrics == {"impressions"}
    assert len(conn.recorder) - before == 2  # Graph names the metric: one more call, no probing
    assert all(p.metrics["views"] is not None for p in batch.posts)


def test_malformed_sub_reply_is_retried():
    conn = connector("instagram", IG_USER)
    ids = [p.platform_post_id for p in conn.list_posts(timezone.now() - dt.timedelta(days=10))][:1]
    fault("instagram", IG_USER, "malformed", remaining=1)
    batch = conn.post_metrics(ids)
    assert len(batch.posts) == 1
    assert [e["code"] for e in conn.errors] == ["malformed"]


def test_rate_limited_instagram_account():
    fault("instagram", IG_USER, "rate_limit", code=80002)
    with pytest.raises(ConnectorError) as caught:
        connector("instagram", IG_USER).account_stats()
    assert caught.value.code == "80002" and not caught.value.permanent


def test_reels_get_their_watch_time_when_the_format_is_known():
    found = connector("instagram", IG_USER).list_posts(timezone.now() - dt.timedelta(days=40))
    reels = [p.platform_post_id for p in found if p.format == "short_video"][:3]
    others = [p.platform_post_id for p in found if p.format in ("image", "carousel")][:3]
    assert reels and others
    conn = connector("instagram", IG_USER)
    batch = conn.post_metrics(reels + others, {pid: "short_video" for pid in reels})
    by_id = {p.platform_post_id: p.metrics for p in batch.posts}
    assert all(by_id[r]["watch_time_seconds"] is not None for r in reels)
    assert all(by_id[o].get("watch_time_seconds") is None for o in others)
    assert len(conn.recorder) == 1 and not conn.dropped_metrics
