"""A real Celery worker, killed with SIGKILL mid-batch, restarted: every due snapshot exists exactly once.

What the brokers do with the message of the killed batch (observed with this test):
- SQLAlchemy transport on a SQLite file (the default): kombu marks the message's row as delivered
  when it hands it to the worker and puts it back only when the worker closes its channel cleanly,
  so acks_late cannot bring it back after a SIGKILL: the message is gone;
- Redis: the message is unacked and comes back only after the visibility timeout (an hour).
Neither brings the batch back quickly, so completion does not rely on them: the batch's posts keep
their claim until its lease lapses, and the next beat tick claims them again under a new claim id.
A late redelivery of the old message then finds no posts under its claim and does nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from campaigns.models import Post
from config.celery import app
from metrics.ingestion import runs, tick
from metrics.models import AccountIngestionState, IngestionRun, PostMetricSnapshot, PostTracking
from metrics.sandbox.faults import sandbox_fault_clear
from tests.metrics.ingest_support import X_USER, account, fault, sandbox  # noqa: F401

pytestmark = [
    pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox"),
]

# The worker renews its claims for this long before each request, so the reply (SLOW_SECONDS) must
# fit in it, and in the HTTP timeout, which settings require to be shorter than the lease.
LEASE = dt.timedelta(seconds=6)
SLOW_SECONDS = 3.0


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(live_server, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": _database_url(),
           "PLATFORM_API_BASE": live_server.url + "/sandbox", "PYTHONUNBUFFERED": "1",
           "INGESTION_CLAIM_LEASE_SECONDS": str(LEASE.total_seconds()), "PLATFORM_HTTP_TIMEOUT": "5"}
    celery = Path(sys.executable).with_name("celery")
    ready_before = log.read_bytes().count(b"ready.") if log.exists() else 0
    handle = log.open("ab")
    # Its own session, so the main process and its pool child can be killed together, by group id.
    proc = subprocess.Popen(
        [str(celery), "-A", "config", "worker", "-P", "prefork", "-c", "1", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-l", "INFO"],
        cwd=settings.BASE_DIR, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        # Generous: on a loaded two-core machine a worker can take a minute to import everything.
        _wait(lambda: log.read_bytes().count(b"ready.") > ready_before, 90, "the worker to start", log)
    except AssertionError:
        _kill(proc)  # a late-starting worker left behind would take the next test's tasks
        raise
    return proc


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _wait(condition, seconds: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


def _purge() -> None:
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")


def test_sigkill_mid_batch_then_restart_leaves_every_snapshot_exactly_once(live_server, monkeypatch, tmp_path):
    started = time.monotonic()
    monkeypatch.setattr(runs, "INITIAL_LOOKBACK", dt.timedelta(days=45))
    acc = account("x", X_USER)
    runs.account_sync(account_id=acc.pk)
    # Keep the account's own sync out of the way: this test is about post batches.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    AccountIngestionState.objects.filter(account=acc).update(next_account_refresh_at=tomorrow)
    post_ids = set(Post.objects.filter(account=acc).values_list("id", flat=True))
    assert len(post_ids) > 100  # two X batches: the first completes, the kill lands in the second
    _purge()
    fault("x", X_USER, "slow", delay_seconds=SLOW_SECONDS)
    log = tmp_path / "worker.log"
    worker = _start_worker(live_server, log)
    try:
        plan = tick.ingestion_tick(lease=LEASE)  # sends the batches through the real broker
        assert len(plan.batches) == 2

        def first_done_second_running():
            runs = list(IngestionRun.objects.filter(kind="refresh").values_list("status", flat=True))
            return runs.count("success") == 1 and runs.count("running") == 1

        _wait(first_done_second_running, 30, "the first batch to finish and the second to start", log)
        _kill(worker)
        killed_at = time.monotonic()
        print(f"killed after {killed_at - started:.1f} s")
        written = PostMetricSnapshot.objects.count()
        assert 0 < written < len(post_ids)  # mid-run: one batch stored, the other not
        assert PostTracking.objects.filter(claim_id__isnull=False).count() == len(post_ids) - written

        sandbox_fault_clear("x", X_USER, "slow")
        worker = _start_worker(live_server, log)
        # Whatever the broker does with the lost message, the next beat tick after the lease lapses
        # claims the unfinished posts again.
        time.sleep(max(0.0, LEASE.total_seconds() - (time.monotonic() - killed_at)) + 0.5)
        again = tick.ingestion_tick(lease=LEASE)
        # The killed task held the account and was reading the second claim after its own
        # (limiter.py), so the second claim's own message may still be queued: the restarted worker
        # then reads those posts itself, or, if it came while the dead holder's hold was live, this
        # tick claims them again. Either way all of them, and once (checked below).
        assert sum(b.size for b in again.batches) in (0, len(post_ids) - written), (
            timezone.now(), set(PostTracking.objects.values_list("claimed_until", "next_refresh_at")),
            list(IngestionRun.objects.values_list("kind", "status", "started_at", "heartbeat_at")),
            list(AccountIngestionState.objects.values_list("backoff_until", "next_account_refresh_at")))
        print(f"restarted after {time.monotonic() - started:.1f} s")
        _wait(lambda: PostMetricSnapshot.objects.count() >= len(post_ids)
              and not PostTracking.objects.filter(claim_id__isnull=False).exists(), 30, "the re-claimed batch", log)
        print(f"completed after {time.monotonic() - started:.1f} s")
    finally:
        _kill(worker)
        _purge()
        print(log.read_text(errors="replace")[-6000:])  # shown only when the test fails

    per_post = dict(PostMetricSnapshot.objects.values("post_id").annotate(n=Count("id")).values_list("post_id", "n"))
    assert set(per_post) == post_ids and set(per_post.values()) == {1}
    assert IngestionRun.objects.filter(status="failed", errors__0__code="worker_lost").count() == 1
    assert time.monotonic() - started < 60
