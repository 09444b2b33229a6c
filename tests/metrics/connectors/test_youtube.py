import datetime as dt
import math

import pytest
from django.utils import timezone

from metrics.connectors.base import ConnectorError, TokenExpiredError
from metrics.connectors.youtube import seconds_until_quota_reset
from tests.metrics.ingest_support import YT_CHANNEL, connector, fault, sandbox  # noqa: F401
from tests.metrics.sandbox.conftest import NOW

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]



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


def test_statistics_50_ids_per_videos_list_one_unit_each():
    ids = [p.platform_post_id for p in connector("youtube", YT_CHANNEL).list_posts(None)][:60]
    assert len(ids) == 60
    conn = connector("youtube", YT_CHANNEL)
    batch = conn.post_metrics(ids)
    assert len(conn.recorder) == conn.recorder.to("/youtube/v3/videos") == 2  # ceil(60 / 50), nothing else
    assert {p.platform_post_id for p in batch.posts} == set(ids)
    assert all(isinstance(p.metrics["views"], int) for p in batch.posts)  # strings on the wire
    assert conn.quota["units"] == 2


def test_daily_reports_job_created_once_then_listed_and_downloaded(settings):
    settings.SANDBOX_NOW = NOW
    conn = connector("youtube", YT_CHANNEL)
    job_id = conn.reporting_job()
    assert conn.recorder.to("POST ") == 1
    again = connector("youtube", YT_CHANNEL)
    assert again.reporting_job() == job_id and again.recorder.to("POST ") == 0  # found by jobs.list
    assert conn.reports_created_after(job_id, None) == []  # the first reports come hours later
    settings.SANDBOX_NOW = NOW + dt.timedelta(hours=7)
    refs = conn.reports_created_after(job_id, None)
    assert len(refs) == 30 and refs[-1].day == dt.date(2026, 11, 19)  # the backfilled month
    assert conn.reports_created_after(job_id, refs[-1].created_at) == []
    report = conn.report_download(refs[-1])
    assert report.rows and all(len(r.country) == 2 for r in report.rows)
    # subscribed and not-subscribed rows are summed into one cell per video and country
    assert len({(r.video_id, r.country) for r in report.rows}) == len(report.rows)
    assert sum(r.watch_seconds for r in report.rows) > 0
    assert conn.quota.get("units", 0) == 0  # the Reporting API costs no Data API units


def test_a_sync_costs_one_channels_list_and_the_playlist_pages():
    conn = connector("youtube", YT_CHANNEL)
    since = timezone.now() - dt.timedelta(days=3)
    conn.list_posts(since)
    assert conn.account_stats().followers > 0
    assert conn.recorder.to("/channels") == 1 and conn.recorder.to("/playlistItems") == 1


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


def test_a_sync_with_the_stored_uploads_playlist_is_one_unit_and_a_vanished_one_is_found_again():
    listed = connector("youtube", YT_CHANNEL)
    since = timezone.now() - dt.timedelta(days=3)
    expected = [p.platform_post_id for p in listed.list_posts(since)]
    conn = connector("youtube", YT_CHANNEL, uploads_playlist_id=listed.uploads_playlist_id)
    assert [p.platform_post_id for p in conn.list_posts(since)] == expected
    assert conn.recorder.to("/channels") == 0 and conn.recorder.to("/playlistItems") == 1
    stale = connector("youtube", YT_CHANNEL, uploads_playlist_id="UUgone0000000000000000000")
    assert [p.platform_post_id for p in stale.list_posts(since)] == expected
    assert stale.uploads_playlist_id == listed.uploads_playlist_id
    assert stale.recorder.to("/channels") == 1 and stale.recorder.to("/playlistItems") == 2
