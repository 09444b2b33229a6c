import datetime as dt

import pytest

from metrics.connectors.base import RemotePost
from metrics.ingestion.discovery import posts_match_or_create
from metrics.ingestion.snapshots import PostReading, post_snapshots_upsert
from metrics.models import PostMetricSnapshot
from tests.factories import PostFactory

T = dt.datetime(2026, 11, 1, 10, 17, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_same_reading_twice_is_one_snapshot():
    post = PostFactory()
    reading = PostReading(post_id=post.id, captured_at=T, metrics={"views": 10, "reactions": 2})
    post_snapshots_upsert([reading])
    later = PostReading(post_id=post.id, captured_at=T + dt.timedelta(minutes=20), metrics={"views": 12})
    post_snapshots_upsert([later])
    (snap,) = PostMetricSnapshot.objects.all()
    assert snap.views == 12 and snap.reactions is None  # the latest reading of the slot wins, whole
    post_snapshots_upsert([PostReading(post_id=post.id, captured_at=T + dt.timedelta(hours=1), metrics={"views": 30})])
    assert PostMetricSnapshot.objects.count() == 2


@pytest.mark.django_db
def test_found_posts_match_planned_ones_by_id_then_permalink():
    planned = PostFactory(platform_post_id="", permalink="https://www.facebook.com/1/posts/abc")
    account = planned.account
    found = [
        RemotePost("1_111", T, permalink="https://www.facebook.com/1/posts/abc"),
        RemotePost("1_222", T, permalink="https://www.facebook.com/1/posts/def"),
    ]
    posts = posts_match_or_create(account=account, found=found)
    assert posts["1_111"].pk == planned.pk
    assert posts["1_111"].status == "published"
    assert posts["1_222"].campaign is None and posts["1_222"].status == "published"
    again = posts_match_or_create(account=account, found=found)
    assert {p.pk for p in again.values()} == {p.pk for p in posts.values()}


@pytest.mark.django_db
def test_a_batch_of_readings_is_one_statement_and_the_json_and_nulls_survive():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    post = PostFactory()
    hour = dt.timedelta(hours=1)
    readings = [PostReading(post_id=post.id, captured_at=T + n * hour, api_version="v25.0",
                            extra={"metric_sources": {"views": "views"}}, metrics={"views": n, "reach": None})
                for n in range(600)]
    readings.append(PostReading(post_id=post.id, captured_at=T + dt.timedelta(minutes=30), metrics={"views": -1}))
    with CaptureQueriesContext(connection) as queries:
        assert post_snapshots_upsert(readings) == 600  # one per post and slot: the latest reading wins
    inserts = [q for q in queries.captured_queries if "metrics_postmetricsnapshot" in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(inserts) == 1  # rows as one array per column, whatever the batch holds
    first = PostMetricSnapshot.objects.get(post=post, slot=T.replace(minute=0))
    assert first.views == -1 and first.reach is None and first.extra == {}
    last = PostMetricSnapshot.objects.get(post=post, slot=T.replace(minute=0) + 599 * hour)
    assert last.views == 599 and last.extra == {"metric_sources": {"views": "views"}} and last.api_version == "v25.0"
