"""Celery entry points: thin, ids only, one service call each."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from metrics import digest, rollups, scoring_service
from metrics.models import SchedulerHeartbeat


@shared_task(name="metrics.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    # Run by the worker from a beat entry, so a fresh tick proves beat, broker and worker all work.
    SchedulerHeartbeat.objects.update_or_create(name="beat", defaults={"last_tick_at": timezone.now()})


@shared_task(name="metrics.rescore_posts", ignore_result=True)
def rescore_posts(post_ids: list[int]) -> None:
    # Enqueued once per ingestion run with every post it touched (metrics.pipeline.after_snapshots).
    scoring_service.posts_rescore(post_ids=post_ids)


@shared_task(name="metrics.rollup_posts", ignore_result=True)
def rollup_posts(post_ids: list[int]) -> None:
    rollups.rollups_after_snapshots(post_ids=post_ids)


@shared_task(name="metrics.rollup_accounts", ignore_result=True)
def rollup_accounts() -> None:
    rollups.account_rollups_recompute(since=timezone.now().date() - dt.timedelta(days=3))


@shared_task(name="metrics.send_weekly_digests", ignore_result=True)
def send_weekly_digests() -> None:
    digest.digests_send_weekly()
