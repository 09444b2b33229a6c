"""Short claim leases renewed while a batch works: a live batch keeps its posts, a stale one stops."""

import datetime as dt
import uuid

import pytest
import requests
from django.utils import timezone

from metrics.ingestion import runs, tick
from metrics.models import IngestionRun, PostMetricSnapshot, PostTracking
from tests.metrics.ingest_support import YT_CHANNEL, Outbox, account, fault, sandbox  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]


def _youtube_batch(monkeypatch, *, now: dt.datetime):
    monkeypatch.setattr(runs, "INITIAL_LOOKBACK", dt.timedelta(days=3))
    acc = account("youtube", YT_CHANNEL)
    sync = runs.account_sync(account_id=acc.pk)
    assert sync.status != IngestionRun.Status.FAILED, sync.errors
    PostTracking.objects.update(next_refresh_at=now)
    outbox = Outbox()
    tick.ingestion_tick(now=now, enqueue=outbox)
    (account_id, claim_id), = outbox.batches()
    # A batch is one videos.list call: one 5xx first makes it two requests, with a renewal between them.
    fault("youtube", YT_CHANNEL, "server_error", remaining=1)
    return acc, claim_id


def _connector_calling_after_each_reply(acc, action):
    session = requests.Session()
    session.hooks["response"].append(lambda response, *args, **kwargs: action())
    return runs.connector_build(acc, session=session)


def test_a_batch_that_outlives_its_lease_keeps_its_posts_by_renewing(monkeypatch):
    # Claimed a lease and more ago: without renewals, any tick now could take these posts.
    acc, claim_id = _youtube_batch(monkeypatch, now=timezone.now() - tick.CLAIM_LEASE - dt.timedelta(seconds=5))
    taken_meanwhile = []
    conn = _connector_calling_after_each_reply(
        acc, lambda: taken_meanwhile.extend(tick.ingestion_tick(enqueue=Outbox()).batches))
    run = runs.batch_refresh(account_id=acc.pk, claim_id=claim_id, connector=conn)
    # Not failed: it read to the end (a partial run is one with a platform-side remark, e.g. a missing id).
    assert run.status != IngestionRun.Status.FAILED and conn.requests_made >= 2, run.errors
    assert taken_meanwhile == []  # every tick during the batch found the claim renewed
    assert IngestionRun.objects.get(pk=run.pk).heartbeat_at > run.started_at
    assert PostMetricSnapshot.objects.count() == run.posts_refreshed > 0


def test_a_batch_whose_claim_was_taken_stops_before_its_next_request_and_writes_nothing(monkeypatch):
    acc, claim_id = _youtube_batch(monkeypatch, now=timezone.now())
    other = uuid.uuid4()

    def another_tick_took_them():  # what a tick does once the lease lapsed while the worker stalled
        PostTracking.objects.filter(claim_id=claim_id).update(claim_id=other, claimed_until=timezone.now())

    conn = _connector_calling_after_each_reply(acc, another_tick_took_them)
    run = runs.batch_refresh(account_id=acc.pk, claim_id=claim_id, connector=conn)
    assert run.status == IngestionRun.Status.FAILED and run.errors[-1]["code"] == "claim_lost"
    assert conn.requests_made == 1  # it read nothing after losing the claim
    assert not PostMetricSnapshot.objects.exists()
    assert PostTracking.objects.filter(claim_id=other).exists()  # the other claim's posts are left alone


def test_a_run_whose_heartbeat_stopped_a_lease_ago_is_reported_lost(monkeypatch):
    acc = account("youtube", YT_CHANNEL)
    now = timezone.now()
    long_alive = IngestionRun.objects.create(platform="youtube", account=acc, started_at=now - dt.timedelta(hours=1),
                                             heartbeat_at=now - dt.timedelta(seconds=5))
    dead = IngestionRun.objects.create(platform="youtube", account=acc, started_at=now - dt.timedelta(hours=1),
                                       heartbeat_at=now - tick.CLAIM_LEASE - dt.timedelta(seconds=1))
    assert tick.runs_lost(now=now) == 1
    assert IngestionRun.objects.get(pk=dead.pk).errors[0]["code"] == "worker_lost"
    assert IngestionRun.objects.get(pk=long_alive.pk).status == IngestionRun.Status.RUNNING
