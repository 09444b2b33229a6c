"""Celery entry points: thin, ids only, one service call each."""

from celery import shared_task
from django.utils import timezone

from metrics.imports.service import import_run
from metrics.models import SchedulerHeartbeat


@shared_task(name="metrics.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    # Run by the worker from a beat entry, so a fresh tick proves beat, broker and worker all work.
    SchedulerHeartbeat.objects.update_or_create(name="beat", defaults={"last_tick_at": timezone.now()})


# A 100,000-row export takes minutes, longer than the default soft limit allows; progress is
# written to the MetricImport as it goes, and a re-delivered run rewrites the same rows.
@shared_task(name="metrics.run_import", ignore_result=True, soft_time_limit=50 * 60, time_limit=55 * 60)
def run_import(import_id: int) -> None:
    import_run(import_id)
