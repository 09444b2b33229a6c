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


def test_metrics_in_one_batch_for_many_posts():
    conn = connector("instagram", IG_USER)
    ids = [p.platform_post_id for p in conn.list_posts(timezone.now() - dt.timedelta(days=30))][:16]
    before = len(conn.recorder)
    batch = conn.post_metrics(ids)
    assert len(conn.recorder) - before == 1  # 16 posts × 3 sub-requests ≤ 50
    assert {p.platform_post_id for p in batch.posts} == set(ids)
    assert all(p.metrics["reactions"] is not None for p in batch.posts)
    assert any(p.metrics["views"] is not None and p.metrics["saves"] is not None for p in batch.posts)


def test_follower_countries_from_follower_demographics():
    stats = connector("instagram", IG_USER).account_stats()
    assert stats.followers > 0
    assert stats.countries and "TW" in stats.countries and max(stats.countries.values()) == stats.countries["TW"]


def test_a_retired_instagram_metric_is_dropped():
    conn = connector("instagram", IG_USER)
    ids = [p.platform_post_id for p in conn.list_posts(timezone.now() - dt.timedelta(days=10))
           if p.format in ("image", "carousel", "short_video")][:2]
    conn.insight_groups = (("views", "impressions", "reach"),)
    batch = conn.post_metrics(ids)
    assert conn.dropped_metrics == {"impressions"}
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
    assert all(by_id[o]["watch_time_seconds"] is None for o in others)
    assert len(conn.recorder) == 1 and not conn.dropped_metrics
