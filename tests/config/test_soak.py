"""Soak: a real worker and a real beat ticking every second, on the embedded broker, for a minute.

The filesystem broker this replaced lost the race within about an hour of `make run`: the worker
read a message file beat had not finished writing (JSONDecodeError) and exited. Here beat sends two
messages a second, this process publishes one too (as the web server does), and the worker's tasks send
follow-up jobs, so three processes write the one broker file at once. Nothing may crash, every
message must be worked, and the queue must drain.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from amqp.exceptions import ChannelError
from django.conf import settings
from django.utils import timezone

from campaigns.models import Post
from config.celery import app
from metrics import jobs
from metrics.models import IngestionRun, SchedulerHeartbeat
from tests.metrics.ingest_support import X_USER, account, sandbox  # noqa: F401
from tests.metrics.ingestion.test_worker_kill import _database_url, _purge, _wait

pytestmark = [
    pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox"),
]

SOAK_SECONDS = 60


def _celery(args: list[str], live_server, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": _database_url(),
           "PLATFORM_API_BASE": live_server.url + "/sandbox", "PYTHONUNBUFFERED": "1"}
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen([str(celery), *args], cwd=settings.BASE_DIR, env=env, stdout=log.open("ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)


def _queued() -> int:
    with app.connection_for_write() as conn:
        try:
            return conn.default_channel.queue_declare("celery", passive=True).message_count
        except ChannelError:  # Redis drops an empty queue's key: nothing queued
            return 0


def test_worker_and_beat_ticking_every_second_run_without_a_crash_and_do_the_work(live_server, tmp_path):
    acc = account("x", X_USER)
    _purge()
    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker = _celery(["-A", "config", "worker", "-P", "prefork", "-c", "2", "--without-gossip", "--without-mingle",
                      "--without-heartbeat", "-l", "INFO"], live_server, worker_log)
    beat = _celery(["-A", "tests.config.soak_app", "beat", "--max-interval", "1", "-l", "INFO",
                    "-s", str(tmp_path / "celerybeat-schedule")], live_server, beat_log)
    try:
        _wait(lambda: b"ready." in worker_log.read_bytes(), 120, "the worker to start", worker_log)
        started = timezone.now()
        sent = 0
        deadline = time.monotonic() + SOAK_SECONDS
        while time.monotonic() < deadline:
            # As the web server does: an account sync, enqueued after its transaction commits.
            jobs.enqueue_after_commit("metrics.sync_account", [acc.pk])
            sent += 1
            assert worker.poll() is None, worker_log.read_text(errors="replace")[-3000:]
            assert beat.poll() is None, beat_log.read_text(errors="replace")[-3000:]
            time.sleep(1)
        beat.terminate()
        beat.wait(30)
        _wait(lambda: _queued() == 0, 60, "the queue to drain", worker_log)
    finally:
        for proc in (beat, worker):
            if proc.poll() is None:
                proc.terminate()
            proc.wait(30)

    log = worker_log.read_text(errors="replace")
    assert "Unrecoverable error" not in log and "Traceback" not in log, log[-3000:]
    assert "Traceback" not in beat_log.read_text(errors="replace")
    sent_by_beat = beat_log.read_text().count("Scheduler: Sending due task")
    assert sent_by_beat >= SOAK_SECONDS  # two entries, once a second each, from the worker's start on
    # Every message was worked: each beat tick and each sync this process sent shows as succeeded.
    done = {name: sum(1 for line in log.splitlines() if f"Task {name}[" in line and "succeeded" in line)
            for name in ("metrics.beat_heartbeat", "metrics.ingestion_tick", "metrics.sync_account")}
    # At least: the tick also sends a sync when the account falls due.
    assert done["metrics.sync_account"] >= sent, (done, sent)
    assert done["metrics.beat_heartbeat"] + done["metrics.ingestion_tick"] >= sent_by_beat, (done, sent_by_beat)
    assert SchedulerHeartbeat.objects.get(name="beat").last_tick_at > started
    # The syncs did real work through the sandbox: the account's posts exist and runs were recorded.
    assert IngestionRun.objects.filter(account=acc).exists()
    assert Post.objects.filter(account=acc).exists()
