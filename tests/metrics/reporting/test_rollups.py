import datetime as dt

import pytest
from django.db import transaction

from metrics.ingestion.pipeline import after_snapshots
from metrics.ingestion.snapshots import PostReading, account_snapshot_upsert, post_snapshots_upsert
from metrics.models import DailyAccountRollup, DailyPostRollup, PostMetricSnapshot
from metrics.reporting.rollups import account_rollups_recompute, post_rollups_recompute
from metrics.vocabulary import ROLLUP_METRICS
from tests.factories import AccountFactory, PostFactory

T0 = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)


def _direct(post_id: int, day: dt.date) -> dict:
    """The figures straight from the snapshots: the last reading on or before the end of the day."""
    end = dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)
    snap = PostMetricSnapshot.objects.filter(post_id=post_id, captured_at__lte=end).order_by("-captured_at").first()
    return {"views": snap.views, "reach": snap.reach, "interactions": snap.interactions}


@pytest.mark.django_db
def test_rollups_match_a_direct_computation_from_snapshots_with_gaps_and_sources():
    a, b = PostFactory(), PostFactory()
    readings = [
        # Post a: read twice on day 0 (the later wins), skipped day 1 and 2, read again on day 3.
        PostReading(a.id, T0, metrics={"views": 100, "reactions": 5, "comments": 1}),
        PostReading(a.id, T0 + dt.timedelta(hours=5), metrics={"views": 150, "reactions": 7}),
        PostReading(a.id, T0 + dt.timedelta(days=3), metrics={"views": 400, "reach": 300, "reactions": 20,
                                                                "shares": 4, "saves": 1}),
        # Post b: a metric the platform does not give stays unknown (NULL), never 0.
        PostReading(b.id, T0 + dt.timedelta(days=1), metrics={"views": None, "reactions": 3}),
    ]
    post_snapshots_upsert(readings)
    # A CSV import read later the same day as the API reading: the later one is the day's figure.
    post_snapshots_upsert([PostReading(b.id, T0 + dt.timedelta(days=1, hours=3), source="csv",
                                       metrics={"views": 90, "reactions": 4})])
    written = post_rollups_recompute(post_ids=[a.id, b.id])
    assert written == 4 + 1
    for post in (a, b):
        for row in DailyPostRollup.objects.filter(post=post):
            direct = _direct(post.id, row.day)
            assert (row.views, row.reach, row.interactions) == (direct["views"], direct["reach"],
                                                                direct["interactions"]), row.day
            assert row.campaign_id == post.campaign_id and row.account_id == post.account_id
    days = list(DailyPostRollup.objects.filter(post=a).order_by("day").values_list("day", "views"))
    assert days == [(T0.date() + dt.timedelta(days=n), v) for n, v in enumerate([150, 150, 150, 400])]
    assert DailyPostRollup.objects.get(post=a, day=T0.date() + dt.timedelta(days=3)).interactions == 25


@pytest.mark.django_db
def test_recomputing_is_idempotent_and_follows_new_readings():
    post = PostFactory()
    readings = [PostReading(post.id, T0 + dt.timedelta(days=d), metrics={"views": 10 * d}) for d in range(3)]
    post_snapshots_upsert(readings)
    post_rollups_recompute(post_ids=[post.id])
    first = list(DailyPostRollup.objects.order_by("day").values_list("day", "views"))
    post_rollups_recompute(post_ids=[post.id, post.id])
    assert list(DailyPostRollup.objects.order_by("day").values_list("day", "views")) == first
    post_snapshots_upsert([PostReading(post.id, T0 + dt.timedelta(days=1, hours=2), metrics={"views": 15})])
    post_rollups_recompute(post_ids=[post.id])
    assert DailyPostRollup.objects.get(day=T0.date() + dt.timedelta(days=1)).views == 15
    assert DailyPostRollup.objects.count() == 3


@pytest.mark.django_db
def test_account_rollups_carry_followers_over_unread_days():
    account = AccountFactory()
    account_snapshot_upsert(account_id=account.id, captured_at=T0, followers=1000)
    account_snapshot_upsert(account_id=account.id, captured_at=T0 + dt.timedelta(days=3), followers=1300)
    account_rollups_recompute(account_ids=[account.id])
    assert list(DailyAccountRollup.objects.order_by("day").values_list("followers", flat=True)) == [
        1000, 1000, 1000, 1300]
    # The nightly pass rewrites recent days only, carrying the count known before them.
    account_snapshot_upsert(account_id=account.id, captured_at=T0 + dt.timedelta(days=5), followers=1500)
    account_rollups_recompute(since=T0.date() + dt.timedelta(days=4))
    assert list(DailyAccountRollup.objects.order_by("day").values_list("followers", flat=True)) == [
        1000, 1000, 1000, 1300, 1300, 1500]


@pytest.mark.django_db(transaction=True)
def test_after_snapshots_rolls_up_once_committed(jobs_inline):
    post = PostFactory()
    with transaction.atomic():
        post_snapshots_upsert([PostReading(post.id, T0, metrics={"views": 42})])
        after_snapshots(post_ids=[post.id])
        assert not DailyPostRollup.objects.exists() and jobs_inline == []  # not before the commit
    assert DailyPostRollup.objects.get(post=post).views == 42


@pytest.mark.django_db
def test_large_runs_are_rolled_up_in_slices_with_their_accounts(monkeypatch):
    import metrics.reporting.rollups as rollups

    monkeypatch.setattr(rollups, "RECOMPUTE_SLICE", 2)
    account = AccountFactory()
    posts = [PostFactory(campaign=None, account=account) for _ in range(5)]
    now = dt.datetime.now(dt.UTC)
    post_snapshots_upsert([PostReading(p.id, now, metrics={"views": 7}) for p in posts])
    account_snapshot_upsert(account_id=account.id, captured_at=now, followers=321)
    rollups.rollups_after_snapshots(post_ids=[p.id for p in posts] + [posts[0].id])
    assert DailyPostRollup.objects.filter(views=7).count() == 5
    assert DailyAccountRollup.objects.get(account=account).followers == 321


def test_beat_entries_name_registered_tasks_and_expire():
    import metrics.tasks  # noqa: F401  (registers the tasks)
    from config.celery import app

    for entry in ("rollup-accounts-nightly", "weekly-digests", "snapshot-partitions", "snapshot-retention"):
        schedule = app.conf.beat_schedule[entry]
        assert schedule["task"] in app.tasks
        assert schedule["options"]["expires"] > 0
    assert "metrics.rollup_posts" in app.tasks


def _all_rows():
    fields = ("post_id", "day", "campaign_id", "account_id", "interactions", *ROLLUP_METRICS)
    return sorted(DailyPostRollup.objects.values_list(*fields))


@pytest.mark.django_db
def test_a_run_rewrites_only_the_days_from_its_earliest_reading_and_gets_what_a_full_rewrite_gets(org):
    from tests.metrics.scale_data import build_scale_data

    data = build_scale_data(org, accounts=2, posts_per_account=12, snapshots_per_post=20, days=30)
    post_rollups_recompute(post_ids=data.post_ids)
    last = PostMetricSnapshot.objects.order_by("-captured_at").first().captured_at
    read_at = last + dt.timedelta(days=2, hours=3)
    since = read_at.date()
    untouched = set(DailyPostRollup.objects.filter(day__lt=since).values_list("pk", flat=True))
    new_post = PostFactory(campaign=data.campaign, account=data.accounts[0])
    # A run reads half the posts (one a second time in the hour), and a post it has never rolled up.
    readings = [PostReading(pid, read_at, metrics={"views": 10**6 + pid, "reactions": 9, "quotes": 2})
                for pid in data.post_ids[::2]]
    readings += [PostReading(data.post_ids[0], read_at + dt.timedelta(minutes=20), metrics={"views": 5}),
                 PostReading(new_post.id, read_at - dt.timedelta(days=3), metrics={"views": 3}),
                 PostReading(new_post.id, read_at, metrics={"views": 4})]
    post_snapshots_upsert(readings)

    post_rollups_recompute(post_ids=[r.post_id for r in readings], since=since)
    incremental = _all_rows()
    assert untouched <= set(DailyPostRollup.objects.values_list("pk", flat=True))  # rows before it: not rewritten
    post_rollups_recompute(post_ids=[*data.post_ids, new_post.id])
    assert incremental == _all_rows()
