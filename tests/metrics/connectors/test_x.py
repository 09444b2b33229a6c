import datetime as dt
import math
import time

import pytest
from django.utils import timezone

from metrics.connectors.base import ConnectorError, TokenExpiredError
from tests.metrics.ingest_support import X_USER, connector, fault, sandbox  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]


def test_lists_every_post_since_a_time_paging_to_the_last_page():
    conn = connector("x", X_USER)
    since = timezone.now() - dt.timedelta(days=45)
    posts = conn.list_posts(since)
    assert len(posts) > 100  # more than one page of 100
    assert len({p.platform_post_id for p in posts}) == len(posts)
    assert all(p.published_at >= since for p in posts)
    assert conn.recorder.to("/2/users/") == math.ceil(len(posts) / 100) or conn.recorder.to("/2/users/") == (
        len(posts) // 100 + 1
    )


def test_reads_metrics_100_ids_per_lookup():
    conn = connector("x", X_USER)
    ids = [p.platform_post_id for p in conn.list_posts(timezone.now() - dt.timedelta(days=45))][:150]
    assert len(ids) == 150
    lookups_before = conn.recorder.to("/2/tweets?")
    batch = conn.post_metrics(ids)
    assert conn.recorder.to("/2/tweets?") - lookups_before == 2  # ceil(150 / 100)
    assert {p.platform_post_id for p in batch.posts} == set(ids) and batch.missing == ()
    first = batch.posts[0].metrics
    assert first["views"] is not None and first["reactions"] is not None and first["quotes"] is not None


def test_unknown_ids_come_back_as_missing_not_as_a_failure():
    conn = connector("x", X_USER)
    real = conn.list_posts(timezone.now() - dt.timedelta(days=2))[0].platform_post_id
    batch = conn.post_metrics([real, "1"])
    assert [p.platform_post_id for p in batch.posts] == [real]
    assert batch.missing == ("1",)


def test_rate_limit_raises_with_the_reset_time():
    fault("x", X_USER, "rate_limit", reset_seconds=600)
    conn = connector("x", X_USER)
    with pytest.raises(ConnectorError) as caught:
        conn.account_stats()
    assert not caught.value.permanent and caught.value.code == "429"
    assert 590 <= caught.value.retry_after <= 601  # from x-rate-limit-reset, too long to sleep inline
    assert len(conn.recorder) == 1


def test_short_rate_limit_is_waited_out_then_succeeds():
    fault("x", X_USER, "rate_limit", reset_seconds=3, remaining=1, style="v1")
    conn = connector("x", X_USER)
    stats = conn.account_stats()
    assert stats.followers > 0 and stats.countries is None  # X offers no audience geography
    assert len(conn.recorder) == 2 and 1 <= conn.waits[0] <= 5
    assert conn.errors[0]["code"] == "429"


def test_server_errors_are_retried_with_backoff():
    fault("x", X_USER, "server_error", remaining=2, status=503)
    conn = connector("x", X_USER)
    assert conn.account_stats().followers > 0
    assert len(conn.recorder) == 3
    assert [e["code"] for e in conn.errors] == ["503", "503"]
    assert conn.waits[1] > conn.waits[0] - 1  # exponential (with jitter)


def test_expired_token_is_permanent():
    fault("x", X_USER, "expired_token")
    conn = connector("x", X_USER)
    with pytest.raises(TokenExpiredError) as caught:
        conn.account_stats()
    assert caught.value.permanent and caught.value.code == "401"
    assert len(conn.recorder) == 1  # never retried


def test_malformed_body_is_a_clear_transient_error():
    fault("x", X_USER, "malformed")
    conn = connector("x", X_USER)
    with pytest.raises(ConnectorError) as caught:
        conn.account_stats()
    assert caught.value.code == "malformed" and not caught.value.permanent
    assert "not valid JSON" in caught.value.message
    assert len(conn.recorder) == conn.max_attempts


def test_quota_headers_are_recorded():
    conn = connector("x", X_USER)
    conn.account_stats()
    assert conn.quota["limit"] > 0 and 0 <= conn.quota["used_pct"] <= 100
    assert conn.quota["reset"] > time.time() - 1


def test_an_unknown_user_is_a_clear_permanent_error():
    # X answers an unknown user id with a 200 carrying a "Not Found Error" item, not an HTTP error.
    conn = connector("x", "12345")
    with pytest.raises(ConnectorError) as caught:
        conn.account_stats()
    assert caught.value.permanent and caught.value.code == "not_found"
    assert caught.value.message == "X API: Not Found Error: Could not find user with id: [12345]."
    assert len(conn.recorder) == 1
