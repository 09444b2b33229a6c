"""Celery entry points: thin, ids only, one service call each."""

import datetime as dt

from celery import shared_task
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from metrics import jobs, partitions
from metrics.imports.service import import_run
from metrics.ingestion import amplification, budgets, conversations, retention, runs, tick
from metrics.models import PostWorkOwed, SchedulerHeartbeat
from metrics.reporting import digest, followup, rollups

# Platform failures are handled inside the services (inline retries in the connector, then the
# account's backoff and the next beat tick). What is left to retry here is our own infrastructure:
# a locked SQLite file, a dropped database connection, a broker that is restarting. Every task is
# safe to run again (claims and upserts), and acks_late (settings) redelivers one a killed worker held.
INFRA_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError, BrokerError),
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="metrics.beat_heartbeat", ignore_result=True, **INFRA_RETRY)
def beat_heartbeat() -> None:
    # Run by the worker from a beat entry, so a fresh tick proves beat, broker and worker all work.
    SchedulerHeartbeat.objects.update_or_create(name="beat", defaults={"last_tick_at": timezone.now()})


# Both enqueued after each ingestion run with every post it touched (metrics.ingestion.pipeline);
# the need is also in PostWorkOwed, so a lost or failed one is done by the sweep below.
@shared_task(name="metrics.rescore_posts", ignore_result=True, **INFRA_RETRY)
def rescore_posts(post_ids: list[int]) -> None:
    followup.followup_do(kind=PostWorkOwed.Kind.RESCORE, post_ids=post_ids)


@shared_task(name="metrics.rollup_posts", ignore_result=True, **INFRA_RETRY)
def rollup_posts(post_ids: list[int], since: str = "") -> None:
    followup.followup_do(kind=PostWorkOwed.Kind.ROLLUP, post_ids=post_ids,
                         since=dt.date.fromisoformat(since) if since else None)


@shared_task(name="metrics.followup_sweep", ignore_result=True, **INFRA_RETRY)
def followup_sweep() -> None:
    followup.followup_sweep()


@shared_task(name="metrics.rollup_accounts", ignore_result=True, **INFRA_RETRY)
def rollup_accounts() -> None:
    rollups.account_rollups_recompute(since=timezone.now().date() - dt.timedelta(days=3))


@shared_task(name="metrics.snapshot_partitions", ignore_result=True, **INFRA_RETRY)
def snapshot_partitions() -> None:
    partitions.partitions_ahead(connection, today=timezone.now().date())


@shared_task(name="metrics.snapshot_retention", ignore_result=True, **INFRA_RETRY)
def snapshot_retention() -> None:
    retention.snapshots_thin_due(now=timezone.now())


# No automatic retry: a re-run would mail again everyone the failed run had already reached.
@shared_task(name="metrics.send_weekly_digests", ignore_result=True)
def send_weekly_digests() -> None:
    digest.digests_send_weekly()


@shared_task(name="metrics.ingestion_tick", ignore_result=True, **INFRA_RETRY)
def ingestion_tick() -> None:
    tick.ingestion_tick()


@shared_task(name="metrics.plan_budgets", ignore_result=True, **INFRA_RETRY)
def plan_budgets() -> None:
    budgets.budgets_plan()


@shared_task(name="metrics.refresh_batch", ignore_result=True, **INFRA_RETRY)
def refresh_batch(account_id: int, claim_id: str) -> None:
    runs.batch_refresh(account_id=account_id, claim_id=claim_id)


@shared_task(name="metrics.sync_account", ignore_result=True, **INFRA_RETRY)
def sync_account(account_id: int) -> None:
    runs.account_sync(account_id=account_id, enqueue=jobs.send)


# A 100,000-row export takes minutes, longer than the default soft limit allows; progress is
# written to the MetricImport as it goes, and a re-delivered run rewrites the same rows.
@shared_task(name="metrics.run_import", ignore_result=True, soft_time_limit=50 * 60, time_limit=55 * 60,
             **INFRA_RETRY)
def run_import(import_id: int) -> None:
    import_run(import_id)


@shared_task(name="metrics.find_amplifications", ignore_result=True, **INFRA_RETRY)
def find_amplifications() -> None:
    amplification.amplifications_find()


@shared_task(name="metrics.read_conversations", ignore_result=True, **INFRA_RETRY)
def read_conversations() -> None:
    conversations.conversations_read()
