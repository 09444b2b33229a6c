"""PostgreSQL: the snapshot table is partitioned by month, partitions are made ahead, and writes still upsert."""

import datetime as dt

import pytest
from django.db import connection

from campaigns.models import Post
from metrics import partitions
from metrics.ingestion.snapshots import PostReading, post_snapshots_upsert
from metrics.models import PostMetricSnapshot
from tests.factories import AccountFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps one plain table"),
]


def _partitions():
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = %s::regclass", [partitions.TABLE])
        return {row[0] for row in cursor.fetchall()}


def test_the_snapshot_table_is_partitioned_with_a_default_and_months_ahead():
    assert partitions.is_partitioned(connection)
    today = dt.date.today()
    made = _partitions()
    assert f"{partitions.TABLE}_default" in made
    assert partitions.partition_name(partitions._month(today, partitions.MONTHS_AHEAD)) in made


def test_the_daily_entry_creates_next_months_once():
    later = dt.date.today() + dt.timedelta(days=200)
    created = partitions.partitions_ahead(connection, today=later)
    assert partitions.partition_name(partitions._month(later, partitions.MONTHS_AHEAD)) in created
    assert partitions.partitions_ahead(connection, today=later) == []


def test_readings_land_in_their_months_partition_and_upsert_by_post_and_slot():
    post = Post.objects.create(account=AccountFactory(), status="published", platform_post_id="1")
    at = dt.datetime.now(dt.UTC)
    post_snapshots_upsert([PostReading(post_id=post.pk, captured_at=at, metrics={"views": 1})])
    post_snapshots_upsert([PostReading(post_id=post.pk, captured_at=at, metrics={"views": 2})])
    snapshot = PostMetricSnapshot.objects.get(post=post)
    assert snapshot.views == 2 and snapshot.pk
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {partitions.TABLE} WHERE id = %s", [snapshot.pk])
        assert cursor.fetchone()[0] == partitions.partition_name(at.date().replace(day=1))
