import datetime as dt
import math

import pytest
from django.utils import timezone

from metrics.connectors.base import ConnectorError, TokenExpiredError
from tests.metrics.ingest_support import FB_PAGE, connector, fault, sandbox  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]


def _post_ids(days: int) -> list[str]:
    """Photo posts: one shape, so one read."""
    conn = connector("facebook", FB_PAGE)
    return [p.platform_post_id for p in conn.list_posts(timezone.now() - dt.timedelta(days=days))
            if p.format == "image"]


def test_lists_posts_following_the_after_cursor_to_the_last_page():
    conn = connector("facebook", FB_PAGE)
    since = timezone.now() - dt.timedelta(days=45)
    posts = conn.list_posts(since)
    assert len(posts) > 100  # about 3 a day: more than one page of 100
    assert len({p.platform_post_id for p in posts}) == len(posts)
    assert all(p.published_at >= since and p.permalink for p in posts)
    assert conn.recorder.to("/published_posts") in (math.ceil(len(posts) / 100), len(posts) // 100 + 1)


def test_fields_and_insights_of_50_posts_cost_one_call():
    found = connector("facebook", FB_PAGE).list_posts(timezone.now() - dt.timedelta(days=40))[:100]
    ids = [p.platform_post_id for p in found]
    formats = {p.platform_post_id: p.format for p in found}
    assert len(ids) == 100 and {"image", "video", "short_video"} <= set(formats.values())
    conn = connector("facebook", FB_PAGE)
    batch = conn.post_metrics(ids[:50], formats)
    # Posts, videos and Reels each need their own field set: three `?ids=` reads in one Graph batch.
    assert len(conn.recorder) == 1 and conn.recorder.urls[0].startswith("POST ")
    assert {p.platform_post_id for p in batch.posts} == set(ids[:50]) and not conn.errors
    by_id = {p.platform_post_id: p for p in batch.posts}
    for pid, post_format in formats.items():
        if pid not in by_id:
            continue
        metrics = by_id[pid].metrics
        assert metrics["reactions"] is not None and metrics["comments"] is not None
        if post_format == "short_video":
            assert metrics["video_views"] is not None and metrics.get("views") is None
        else:
            assert metrics["views"] is not None and metrics["clicks"] is not None
        if post_format == "video":
            assert metrics["watch_time_seconds"] is not None
    image = next(pid for pid, f in formats.items() if f == "image" and pid in by_id)
    assert by_id[image].extra["metric_sources"]["views"] == "post_media_view"  # provenance of the series


def test_posts_of_one_shape_are_one_plain_ids_get():
    found = connector("facebook", FB_PAGE).list_posts(timezone.now() - dt.timedelta(days=40))
    images = [p.platform_post_id for p in found if p.format == "image"][:20]
    conn = connector("facebook", FB_PAGE)
    batch = conn.post_metrics(images, dict.fromkeys(images, "image"))
    assert len(conn.recorder) == 1 and conn.recorder.urls[0].startswith("GET ") and "ids=" in conn.recorder.urls[0]
    assert len(batch.posts) == 20


def test_without_formats_a_reel_is_found_by_halving_and_read_without_insights():
    found = connector("facebook", FB_PAGE).list_posts(timezone.now() - dt.timedelta(days=40))
    images = [p.platform_post_id for p in found if p.format == "image"][:15]
    reel = next(p.platform_post_id for p in found if p.format == "short_video")
    conn = connector("facebook", FB_PAGE)
    batch = conn.post_metrics([*images, reel])
    assert {p.platform_post_id for p in batch.posts} == {*images, reel}
    # log2(16) halvings to isolate the Reel, then it is read without the edge it lacks.
    assert len(conn.recorder) <= 1 + math.ceil(math.log2(16)) + 1
    by_id = {p.platform_post_id: p.metrics for p in batch.posts}
    assert by_id[reel]["reactions"] is not None and by_id[reel].get("views") is None
    assert all(by_id[i]["views"] is not None for i in images)


def test_a_deleted_post_named_by_803_costs_one_more_call():
    ids = _post_ids(10)[:10]
    gone = f"{FB_PAGE}_999999999999"
    conn = connector("facebook", FB_PAGE)
    batch = conn.post_metrics([*ids, gone], dict.fromkeys([*ids, gone], "image"))
    assert batch.missing == (gone,)
    assert len(batch.posts) == 10 and len(conn.recorder) == 2
    assert [e["code"] for e in conn.errors] == ["803"]


def test_a_retired_metric_is_dropped_and_the_rest_kept(monkeypatch):
    ids = _post_ids(10)[:3]
    conn = connector("facebook", FB_PAGE)
    asked = conn.metrics_for_edge
    # As if the registry had not yet heard of the retirement: Graph's #100 is the last line of defence.
    monkeypatch.setattr(conn, "metrics_for_edge", lambda edge, fmt: (*asked(edge, fmt), "post_impressions")
                        if edge == "insights" else asked(edge, fmt))
    batch = conn.post_metrics(ids, dict.fromkeys(ids, "image"))
    assert conn.dropped_metrics == {"post_impressions"}
    assert [e["code"] for e in conn.errors] == ["100"]
    assert all(p.metrics["views"] is not None and p.metrics["reach"] is not None and p.metrics["clicks"] is not None
               for p in batch.posts)


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
    assert len(conn.recorder) == 3 and len(conn.waits) == 2


def test_followers_and_no_countries_for_facebook():
    stats = connector("facebook", FB_PAGE).account_stats()
    assert stats.followers > 100_000 and stats.countries is None
