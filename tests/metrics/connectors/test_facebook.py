import datetime as dt
import math

import pytest
from django.utils import timezone

from metrics.connectors.base import ConnectorError, TokenExpiredError
from tests.metrics.ingest_support import FB_PAGE, connector, fault, sandbox  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]


def _post_ids(days: int) -> list[str]:
    conn = connector("facebook", FB_PAGE)
    return [p.platform_post_id for p in conn.list_posts(timezone.now() - dt.timedelta(days=days))]


def test_lists_posts_following_the_after_cursor_to_the_last_page():
    conn = connector("facebook", FB_PAGE)
    since = timezone.now() - dt.timedelta(days=45)
    posts = conn.list_posts(since)
    assert len(posts) > 100  # about 3 a day: more than one page of 100
    assert len({p.platform_post_id for p in posts}) == len(posts)
    assert all(p.published_at >= since and p.permalink for p in posts)
    assert conn.recorder.to("/published_posts") in (math.ceil(len(posts) / 100), len(posts) // 100 + 1)


def test_metrics_come_in_graph_batches_of_50_requests():
    found = connector("facebook", FB_PAGE).list_posts(timezone.now() - dt.timedelta(days=20))[:40]
    ids = [p.platform_post_id for p in found]
    formats = {p.platform_post_id: p.format for p in found}
    videos = sum(1 for f in formats.values() if f in ("video", "short_video", "live"))
    assert videos and len(ids) == 40
    conn = connector("facebook", FB_PAGE)
    batch = conn.post_metrics(ids, formats)
    # Object fields, core insights and fragile post_clicks for every post, video_insights for videos:
    # all in batches of 50, and nothing asked twice.
    assert len(conn.recorder) == math.ceil((3 * 40 + videos) / 50)
    assert all(u.startswith("POST ") for u in conn.recorder.urls)
    assert {p.platform_post_id for p in batch.posts} == set(ids)
    assert all(p.metrics["views"] is not None and p.metrics["reactions"] is not None for p in batch.posts)
    watched = [p.metrics["watch_time_seconds"] for p in batch.posts if formats[p.platform_post_id] == "video"]
    assert watched and all(w is not None for w in watched)


def test_without_formats_reels_are_found_out_by_their_missing_insights_edge():
    ids = _post_ids(20)[:40]
    conn = connector("facebook", FB_PAGE)
    batch = conn.post_metrics(ids)
    reels = sum(1 for p in batch.posts if p.metrics["video_views"] is not None)
    assert len(conn.recorder) == math.ceil(3 * 40 / 50) + math.ceil(reels / 50)
    assert not any(e["code"] == "100" for e in conn.errors)  # a Reel without /insights is not an error


def test_a_retired_metric_is_dropped_and_the_rest_kept():
    ids = _post_ids(10)[:3]
    conn = connector("facebook", FB_PAGE)
    conn.insight_groups = (("post_media_view", "post_impressions", "post_total_media_view_unique"), ("post_clicks",))
    batch = conn.post_metrics(ids)
    assert conn.dropped_metrics == {"post_impressions"}
    assert any(e["code"] == "100" for e in conn.errors)
    normal = [p.metrics for p in batch.posts if p.metrics["video_views"] is None]
    assert normal and all(m["views"] is not None and m["reach"] is not None and m["clicks"] is not None
                          for m in normal)


def test_rate_limit_codes_are_transient_with_the_buc_wait():
    fault("facebook", FB_PAGE, "rate_limit", code=80001)
    conn = connector("facebook", FB_PAGE)
    with pytest.raises(ConnectorError) as caught:
        conn.account_stats()
    assert caught.value.code == "80001" and not caught.value.permanent
    assert caught.value.retry_after >= 60  # estimated_time_to_regain_access is in minutes


def test_expired_token_in_a_batch_stops_the_run():
    ids = _post_ids(5)[:2]
    fault("facebook", FB_PAGE, "expired_token")
    conn = connector("facebook", FB_PAGE)
    with pytest.raises(TokenExpiredError) as caught:
        conn.post_metrics(ids)
    assert caught.value.code == "190"


def test_server_errors_in_a_batch_are_retried():
    ids = _post_ids(5)[:2]
    fault("facebook", FB_PAGE, "server_error", remaining=2)
    conn = connector("facebook", FB_PAGE)
    batch = conn.post_metrics(ids)
    assert len(batch.posts) == 2 and not batch.missing
    assert [e["code"] for e in conn.errors] == ["1", "1"]
    assert len(conn.recorder) == 2 and len(conn.waits) == 1


def test_followers_and_no_countries_for_facebook():
    stats = connector("facebook", FB_PAGE).account_stats()
    assert stats.followers > 100_000 and stats.countries is None
