import datetime as dt
import math

import pytest
from django.utils import timezone

from metrics.connectors.base import ConnectorError, TokenExpiredError
from metrics.connectors.youtube import seconds_until_quota_reset
from tests.metrics.ingest_support import YT_CHANNEL, connector, fault, sandbox  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]

YT_BIG = "UCnouraTastesDemo0000009"


def test_lists_uploads_through_the_playlist_paging_to_the_end():
    conn = connector("youtube", YT_CHANNEL)
    posts = conn.list_posts(None)
    assert len(posts) > 50  # more than one page of 50
    assert len({p.platform_post_id for p in posts}) == len(posts)
    pages = conn.recorder.to("/playlistItems")
    assert pages == math.ceil(len(posts) / 50)
    assert conn.recorder.to("/search") == 0  # search.list costs 100 units: never used
    since = timezone.now() - dt.timedelta(days=60)
    recent = connector("youtube", YT_CHANNEL).list_posts(since)
    assert recent and all(p.published_at >= since for p in recent) and len(recent) < len(posts)


def test_statistics_50_ids_per_videos_list_and_watch_time_per_batch():
    ids = [p.platform_post_id for p in connector("youtube", YT_CHANNEL).list_posts(None)][:60]
    assert len(ids) == 60
    conn = connector("youtube", YT_CHANNEL)
    batch = conn.post_metrics(ids)
    assert conn.recorder.to("/youtube/v3/videos") == 2  # ceil(60 / 50)
    assert conn.recorder.to("/v2/reports") == 2  # one Analytics report per batch, not per video
    assert {p.platform_post_id for p in batch.posts} == set(ids)
    assert all(isinstance(p.metrics["views"], int) for p in batch.posts)  # strings on the wire
    assert any(p.metrics["watch_time_seconds"] for p in batch.posts)
    assert conn.quota["units"] == 2


def test_views_by_country_of_one_video():
    conn = connector("youtube", YT_CHANNEL)
    countries = conn.video_countries("tcHperfPair", dt.date(2026, 5, 12))
    assert countries["TW"] == max(countries.values()) and "VN" in countries


def test_quota_exceeded_waits_until_midnight_pacific():
    fault("youtube", YT_CHANNEL, "rate_limit", reason="quotaExceeded")
    conn = connector("youtube", YT_CHANNEL)
    with pytest.raises(ConnectorError) as caught:
        conn.account_stats()
    assert caught.value.code == "quotaExceeded" and not caught.value.permanent
    assert abs(caught.value.retry_after - seconds_until_quota_reset()) < 5
    assert len(conn.recorder) == 1  # not slept on in the worker


def test_rate_limit_exceeded_is_retried_with_backoff():
    fault("youtube", YT_CHANNEL, "rate_limit", reason="rateLimitExceeded", remaining=2)
    conn = connector("youtube", YT_CHANNEL)
    assert conn.account_stats().followers > 0
    assert [e["code"] for e in conn.errors] == ["rateLimitExceeded"] * 2 and len(conn.waits) == 2


def test_expired_token_and_server_errors():
    fault("youtube", YT_CHANNEL, "server_error", remaining=1)
    conn = connector("youtube", YT_CHANNEL)
    assert conn.account_stats().followers > 0 and conn.errors[0]["code"] == "503"
    fault("youtube", YT_CHANNEL, "expired_token")
    with pytest.raises(TokenExpiredError):
        connector("youtube", YT_CHANNEL).account_stats()


def test_another_channel_reads_its_own_analytics():
    conn = connector("youtube", YT_BIG)
    countries = conn.video_countries("sdgAdayAr01", dt.date(2026, 9, 20))
    assert countries and max(countries, key=countries.get) == "KW"
