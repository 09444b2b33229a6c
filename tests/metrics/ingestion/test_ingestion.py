"""The ingestion service end to end: tick → claims → batch tasks → snapshots, over real HTTP."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.models import Account, Campaign, Post, PostTransition
from campaigns.services import FOUND_ON_PLATFORM
from metrics.connectors import base as connectors_base
from metrics.ingestion import runs, tick
from metrics.ingestion.cadence import next_refresh_at, refresh_interval
from metrics.models import (
    AccountIngestionState,
    AccountSnapshot,
    AudienceCountrySlice,
    IngestionRun,
    PostMetricSnapshot,
    PostTracking,
)
from metrics.sandbox.faults import sandbox_fault_clear
from tests.factories import CampaignFactory
from tests.metrics.ingest_support import (  # noqa: F401 (sandbox is a fixture)
    FB_PAGE,
    IG_USER,
    X_USER,
    YT_CHANNEL,
    Outbox,
    account,
    fault,
    sandbox,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]


def refresh_the_one_batch(outbox):
    """The tick sent exactly one batch: run it, as a worker would."""
    (account_id, claim_id), = outbox.batches()
    return runs.batch_refresh(account_id=account_id, claim_id=claim_id)


def synced(platform, platform_id, monkeypatch, days=45):
    """An account whose posts of the last `days` were found by a real sync."""
    monkeypatch.setattr(runs, "INITIAL_LOOKBACK", dt.timedelta(days=days))
    acc = account(platform, platform_id)
    run = runs.account_sync(account_id=acc.pk)
    assert run.status == IngestionRun.Status.SUCCESS, run.errors
    return acc


def test_sync_creates_unplanned_posts_followers_and_audience(monkeypatch):
    acc = synced("instagram", IG_USER, monkeypatch, days=20)
    posts = Post.objects.filter(account=acc)
    assert posts.exists() and all(p.status == "published" and p.campaign_id is None for p in posts)
    assert PostTracking.objects.filter(post__account=acc).count() == posts.count()
    assert AccountSnapshot.objects.get(account=acc).followers > 0
    countries = dict(AudienceCountrySlice.objects.filter(account=acc, post=None).values_list("country", "value"))
    assert countries["TW"] == max(countries.values())
    state = AccountIngestionState.objects.get(account=acc)
    assert state.last_success_at and state.posts_synced_until
    # A second sync asks only since the last one and finds nothing new twice.
    again = runs.account_sync(account_id=acc.pk)
    assert Post.objects.filter(account=acc).count() == posts.count()
    assert again.requests_made < IngestionRun.objects.filter(account=acc).last().requests_made + 1


def test_a_sync_records_how_each_post_it_found_became_published(monkeypatch):
    acc = synced("instagram", IG_USER, monkeypatch, days=20)
    posts = Post.objects.filter(account=acc)
    steps = PostTransition.objects.filter(post__account=acc)
    assert steps.count() == posts.count() > 0  # one step a post, by no one: a sync found it
    assert set(steps.values_list("to_status", "by", "comment")) == {("published", None, FOUND_ON_PLATFORM)}
    runs.account_sync(account_id=acc.pk)
    assert steps.count() == posts.count()  # found again: nothing new to record


def test_tick_claims_due_posts_in_platform_batches_ids_only(monkeypatch):
    acc = synced("x", X_USER, monkeypatch)
    n = Post.objects.filter(account=acc).count()
    assert n > 100
    outbox = Outbox()
    plan = tick.ingestion_tick(enqueue=outbox)
    sizes = sorted(b.size for b in plan.batches)
    assert sizes == sorted([100] * (n // 100) + ([n % 100] if n % 100 else []))
    for _name, args in outbox:
        assert all(isinstance(a, int | str) for a in args) and runs.connector_build(acc).access_token not in args
    # A second beat at the same moment finds everything claimed.
    second = Outbox()
    assert tick.ingestion_tick(enqueue=second).batches == [] and second.batches() == []


def test_double_delivery_writes_each_snapshot_once(monkeypatch):
    acc = synced("x", X_USER, monkeypatch)
    outbox = Outbox()
    tick.ingestion_tick(enqueue=outbox)
    for account_id, claim_id in outbox.batches():
        # The first batch of the account reads the account's other claims after its own (limiter.py).
        runs.batch_refresh(account_id=account_id, claim_id=claim_id)
    refreshes = IngestionRun.objects.filter(kind="refresh")
    assert refreshes.count() == len(outbox.batches())
    assert {(r.status, r.requests_made) for r in refreshes} == {(IngestionRun.Status.SUCCESS, 1)}  # ≤100 ids
    for account_id, claim_id in outbox.batches():  # the broker delivers every message again
        assert runs.batch_refresh(account_id=account_id, claim_id=claim_id) is None
    n = Post.objects.filter(account=acc).count()
    assert PostMetricSnapshot.objects.filter(post__account=acc).count() == n
    assert PostMetricSnapshot.objects.filter(post__account=acc, views__isnull=False).count() == n
    assert not PostTracking.objects.filter(claim_id__isnull=False).exists()
    # Young posts are due again in about an hour, older ones later, on the account's grid.
    intervals = set()
    for tracking in PostTracking.objects.select_related("post"):
        expected = refresh_interval(tracking.last_refreshed_at - tracking.post.published_at)
        assert tracking.next_refresh_at == next_refresh_at(
            published_at=tracking.post.published_at, now=tracking.last_refreshed_at, account_id=acc.pk)
        assert expected / 2 <= tracking.next_refresh_at - tracking.last_refreshed_at < expected * 3 / 2
        intervals.add(expected)
    assert len(intervals) == 4  # hourly, 6-hourly, daily and weekly posts in 45 days


def test_a_lapsed_lease_is_claimed_again_and_nothing_is_duplicated(monkeypatch):
    acc = synced("facebook", FB_PAGE, monkeypatch, days=10)
    now = timezone.now()
    first = Outbox()
    tick.ingestion_tick(now=now, lease=dt.timedelta(seconds=30), enqueue=first)
    assert first.batches()
    # The worker holding these claims died. Before the lease lapses nothing is re-claimed...
    assert tick.ingestion_tick(now=now + dt.timedelta(seconds=20), enqueue=Outbox()).batches == []
    # ...after it, the next tick claims the same posts under new claim ids.
    second = Outbox()
    tick.ingestion_tick(now=now + dt.timedelta(seconds=31), enqueue=second)
    assert {c for _, c in second.batches()}.isdisjoint({c for _, c in first.batches()})
    for account_id, claim_id in second.batches():
        runs.batch_refresh(account_id=account_id, claim_id=claim_id)
    for account_id, claim_id in first.batches():  # the lost message turns up after all
        assert runs.batch_refresh(account_id=account_id, claim_id=claim_id) is None
    n = Post.objects.filter(account=acc).count()
    assert PostMetricSnapshot.objects.filter(post__account=acc).count() == n


def test_posts_of_archived_campaigns_are_never_claimed(monkeypatch):
    acc = synced("facebook", FB_PAGE, monkeypatch, days=3)
    campaign = CampaignFactory(organization=acc.organization, status=Campaign.Status.ARCHIVED)
    archived = Post.objects.filter(account=acc).first()
    archived.campaign = campaign
    archived.save()
    outbox = Outbox()
    plan = tick.ingestion_tick(enqueue=outbox)
    claimed = set(PostTracking.objects.filter(claim_id__isnull=False).values_list("post_id", flat=True))
    assert archived.pk not in claimed and len(claimed) == sum(b.size for b in plan.batches) > 0


def test_expired_token_marks_the_account_for_reconnecting(monkeypatch):
    acc = synced("x", X_USER, monkeypatch, days=2)
    outbox = Outbox()
    tick.ingestion_tick(enqueue=outbox)
    fault("x", X_USER, "expired_token")
    run = refresh_the_one_batch(outbox)
    assert run.status == IngestionRun.Status.FAILED and run.errors[-1]["code"] == "401"
    acc.refresh_from_db()
    assert acc.connection_state == Account.Connection.NEEDS_RECONNECT and "401" in acc.connection_error
    assert not PostTracking.objects.filter(claim_id__isnull=False).exists()  # released, not stuck
    assert tick.ingestion_tick(enqueue=Outbox()).batches == []  # out of the pool until reconnected
    assert not PostMetricSnapshot.objects.exists()
    # An admin enters a new token: the next tick takes the account back, and a success clears the mark.
    sandbox_fault_clear("x", X_USER)
    acc.set_access_token("a-fresh-token")
    acc.save()
    again = Outbox()
    tick.ingestion_tick(enqueue=again)
    (account_id, claim_id), = again.batches()
    assert runs.batch_refresh(account_id=account_id, claim_id=claim_id).status == IngestionRun.Status.SUCCESS
    acc.refresh_from_db()
    assert acc.connection_state == Account.Connection.CONNECTED and acc.connection_error == ""


def test_rate_limit_backs_the_account_off_until_the_reset(monkeypatch):
    acc = synced("x", X_USER, monkeypatch, days=2)
    outbox = Outbox()
    tick.ingestion_tick(enqueue=outbox)
    fault("x", X_USER, "rate_limit", reset_seconds=900)
    run = refresh_the_one_batch(outbox)
    assert run.status == IngestionRun.Status.FAILED and run.errors[-1]["code"] == "429"
    state = AccountIngestionState.objects.get(account=acc)
    expected = timezone.now() + dt.timedelta(seconds=900)
    assert abs(state.backoff_until - expected) < dt.timedelta(seconds=15)
    assert state.consecutive_failures == 1 and "429" in state.last_error
    assert tick.ingestion_tick(enqueue=Outbox()).batches == []
    assert PostTracking.objects.filter(next_refresh_at__lt=state.backoff_until).count() == 0


def test_server_errors_are_retried_and_recorded_with_their_codes(monkeypatch):
    acc = synced("x", X_USER, monkeypatch, days=2)
    outbox = Outbox()
    tick.ingestion_tick(enqueue=outbox)
    fault("x", X_USER, "server_error", remaining=1, status=503)
    run = refresh_the_one_batch(outbox)
    assert run.status == IngestionRun.Status.PARTIAL and [e["code"] for e in run.errors] == ["503"]
    assert run.requests_made == 2 and run.snapshots_written == Post.objects.filter(account=acc).count()
    assert AccountIngestionState.objects.get(account=acc).consecutive_failures == 0


def test_malformed_replies_fail_the_run_with_a_clear_error(monkeypatch):
    monkeypatch.setattr(connectors_base, "BACKOFF_BASE_SECONDS", 0.05)  # real sleeps, just short ones
    acc = synced("x", X_USER, monkeypatch, days=2)
    outbox = Outbox()
    tick.ingestion_tick(enqueue=outbox)
    fault("x", X_USER, "malformed")
    run = refresh_the_one_batch(outbox)
    assert run.status == IngestionRun.Status.FAILED
    assert run.errors[-1]["code"] == "malformed" and "not valid JSON" in run.errors[-1]["message"]
    state = AccountIngestionState.objects.get(account=acc)
    assert state.backoff_until > timezone.now()
    acc.refresh_from_db()
    assert acc.connection_state != Account.Connection.NEEDS_RECONNECT


def test_quota_use_is_kept_per_account(monkeypatch):
    acc = synced("facebook", FB_PAGE, monkeypatch, days=2)
    state = AccountIngestionState.objects.get(account=acc)
    assert state.quota_used_pct is not None and "facebook" in state.quota_detail


def test_a_first_sync_sends_its_new_posts_for_reading_at_once(monkeypatch):
    monkeypatch.setattr(runs, "INITIAL_LOOKBACK", dt.timedelta(days=3))
    acc = account("x", X_USER)
    outbox = Outbox()
    runs.account_sync(account_id=acc.pk, enqueue=outbox)
    n = Post.objects.filter(account=acc).count()
    assert n and len(outbox.batches()) == 1
    (account_id, claim_id), = outbox.batches()
    assert PostTracking.objects.filter(claim_id=claim_id).count() == n
    assert runs.batch_refresh(account_id=account_id, claim_id=claim_id).snapshots_written == n


def test_two_beats_at_once_never_claim_a_post_twice(monkeypatch):
    import threading

    from django.db import connection

    acc = synced("x", X_USER, monkeypatch)
    n = Post.objects.filter(account=acc).count()
    start = threading.Barrier(2)
    outboxes = [Outbox(), Outbox()]
    plans = []
    failures = []

    def beat(outbox):
        try:
            start.wait()
            plans.append(tick.ingestion_tick(enqueue=outbox))
        except Exception as exc:  # noqa: BLE001 -- reported by the assertion below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=beat, args=(o,)) for o in outboxes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not failures
    # Rows each beat's conditional UPDATEs actually took: every due post, by exactly one beat.
    assert sum(b.size for plan in plans for b in plan.batches) == n
    claims = [c for o in outboxes for _, c in o.batches()]
    assert PostTracking.objects.filter(claim_id__in=claims).count() == n
    assert sum(1 for o in outboxes for name, _ in o if name == "metrics.sync_account") == 1


def test_youtube_reads_daily_reports_at_sync_and_a_batch_is_one_videos_list(monkeypatch, settings):
    acc = synced("youtube", YT_CHANNEL, monkeypatch, days=30)
    state = AccountIngestionState.objects.get(account=acc)
    assert state.report_job_id and state.reports_created_until is None  # the job's first reports come later
    # Seven hours on: the job's backfilled month of reports exists and is due to be read.
    settings.SANDBOX_NOW = timezone.now() + dt.timedelta(hours=7)
    AccountIngestionState.objects.filter(account=acc).update(reports_checked_at=timezone.now() - dt.timedelta(hours=7))
    sync = runs.account_sync(account_id=acc.pk)
    assert sync.status == IngestionRun.Status.SUCCESS, sync.errors
    reports = IngestionRun.objects.filter(pk=sync.pk).values_list("requests_made", flat=True).get()
    # playlistItems of the stored uploads playlist (no channels.list: subscribers were read an instant
    # ago), reports.list, 30 downloads (no jobs.create)
    assert reports == 1 + 1 + 30
    state.refresh_from_db()
    assert state.reports_cover_from and state.reports_created_until
    slices = AudienceCountrySlice.objects.filter(account=acc, post__isnull=False)
    assert slices.filter(measure="day_views").exists() and slices.filter(measure="views").exists()
    again = runs.account_sync(account_id=acc.pk)
    assert again.requests_made == 1  # reports are asked for every six hours, not every sync
    # Subscribers are read again once six hours have passed (a channels.list, 1 unit).
    AccountIngestionState.objects.filter(account=acc).update(account_stats_at=timezone.now() - dt.timedelta(hours=6))
    stats = runs.account_sync(account_id=acc.pk)
    assert stats.requests_made == 2, stats.errors
    assert AccountIngestionState.objects.get(account=acc).account_stats_at > timezone.now() - dt.timedelta(minutes=1)

    outbox = Outbox()
    tick.ingestion_tick(enqueue=outbox)
    run = refresh_the_one_batch(outbox)
    n = Post.objects.filter(account=acc).count()
    assert run.status == IngestionRun.Status.SUCCESS and run.snapshots_written == n <= 50
    assert run.requests_made == 1  # one videos.list; watch time and countries came with the reports
    covered = PostMetricSnapshot.objects.filter(post__account=acc, watch_time_seconds__isnull=False)
    assert covered.exists()
    assert not covered.filter(post__published_at__lt=dt.datetime.combine(
        state.reports_cover_from, dt.time(0), tzinfo=dt.UTC)).exists()
    state.refresh_from_db()
    units = state.quota_detail["youtube"]["units_today"]
    # Four syncs (the first and the six-hours-later one read subscribers too) and one batch.
    assert units == 2 + 1 + 1 + 2 + 1 and state.quota_used_pct == round(100 * units / 10_000, 1)


def test_a_rate_limited_sync_is_retried_when_the_backoff_ends(monkeypatch):
    # Seen in the demo: a 60-second X rate limit on the first sync held the account's listing back
    # for the whole 30-minute sync interval.
    acc = account("x", X_USER)
    tick.ingestion_tick(enqueue=Outbox())  # claims the account's sync
    fault("x", X_USER, "rate_limit", remaining=1, reset_seconds=60)
    run = runs.account_sync(account_id=acc.pk)
    assert run.status == IngestionRun.Status.FAILED and run.errors[-1]["code"] == "429"
    state = AccountIngestionState.objects.get(account=acc)
    assert state.next_account_refresh_at <= state.backoff_until < timezone.now() + dt.timedelta(seconds=75)
    assert tick.claim_due_accounts(now=state.backoff_until - dt.timedelta(seconds=1)) == []
    assert tick.claim_due_accounts(now=state.backoff_until + dt.timedelta(seconds=1)) == [acc.pk]
