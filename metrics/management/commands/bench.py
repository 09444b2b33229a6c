"""`make bench`: measured side by side in one run, printed as ratios. Not a test: nothing asserts."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand
from django.db import connection

from campaigns.models import Account, Organization, Post
from metrics.ingestion.snapshots import METRIC_FIELDS, PostReading, post_snapshots_upsert, slot_for
from metrics.models import PostMetricSnapshot


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _setup_posts(n: int) -> list[int]:
    org = Organization.objects.create(name="Bench", slug=f"bench-{time.time_ns()}")
    account = Account.objects.create(organization=org, platform="x", handle="bench", platform_id=str(time.time_ns()))
    posts = Post.objects.bulk_create(
        [Post(account=account, status="published", platform_post_id=str(i)) for i in range(n)]
    )
    return [p.id for p in posts]


def bench_snapshot_writes(stdout, n_posts: int = 2000) -> None:
    post_ids = _setup_posts(n_posts)
    t0 = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

    def readings(hour: int):
        return [PostReading(post_id=pid, captured_at=t0 + dt.timedelta(hours=hour),
                            metrics={"views": pid * hour, "reactions": hour}) for pid in post_ids]

    def row_by_row(hour: int):
        for r in readings(hour):
            PostMetricSnapshot.objects.update_or_create(
                post_id=r.post_id, source="api", slot=slot_for(r.captured_at),
                defaults={"captured_at": r.captured_at, **{f: r.metrics.get(f) for f in METRIC_FIELDS}},
            )

    naive = _timed(lambda: row_by_row(0))
    batched = _timed(lambda: post_snapshots_upsert(readings(1)))
    rerun = _timed(lambda: post_snapshots_upsert(readings(1)))  # the same batch delivered twice
    stdout.write(f"snapshot writes, {n_posts} posts on {connection.vendor}:")
    stdout.write(f"  row by row (update_or_create): {naive:8.3f} s")
    stdout.write(f"  batched upsert:                {batched:8.3f} s   ratio {naive / batched:5.1f}x faster")
    stdout.write(f"  batched upsert, re-delivered:  {rerun:8.3f} s   rows now {PostMetricSnapshot.objects.count()}")


BENCHES = [bench_snapshot_writes]


class Command(BaseCommand):
    help = "Run the benchmarks on a throwaway test database and print side-by-side ratios."

    def handle(self, *args, **options):
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            for bench in BENCHES:
                bench(self.stdout)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
