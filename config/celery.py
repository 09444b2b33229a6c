import logging
import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import after_setup_logger, after_setup_task_logger
from django.conf import settings

from metrics.connectors.redaction import RedactingFilter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("softpower")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Beat entries. Each says why it runs at that cadence; `expires` keeps a backlog from piling up
# while workers are down (a stale tick is worthless once the next one is due).
app.conf.beat_schedule = {
    # /healthz reports beat as down after 90 s without a tick.
    "beat-heartbeat": {
        "task": "metrics.beat_heartbeat",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    # Follower roll-ups: account snapshots arrive a few times a day; one nightly pass (re)writes the
    # last three days so the dashboards' growth charts have every day, even without new post readings.
    "rollup-accounts-nightly": {
        "task": "metrics.rollup_accounts",
        "schedule": crontab(hour=1, minute=15),
        "options": {"expires": 6 * 3600},
    },
    # PostgreSQL: the snapshot table's monthly partitions, created three months ahead (metrics/partitions.py).
    "snapshot-partitions": {
        "task": "metrics.snapshot_partitions",
        "schedule": crontab(hour=2, minute=5),
        "options": {"expires": 12 * 3600},
    },
    # Retention thins the readings of posts that turned 90 days old (metrics/ingestion/retention.py).
    "snapshot-retention": {
        "task": "metrics.snapshot_retention",
        "schedule": crontab(hour=2, minute=35),
        "options": {"expires": 12 * 3600},
    },
    # Managers read the digest on Monday morning (Taipei); a missed Monday is not worth sending on Tuesday.
    "weekly-digests": {
        "task": "metrics.send_weekly_digests",
        "schedule": crontab(day_of_week="mon", hour=0, minute=30),
        "options": {"expires": 12 * 3600},
    },
    # Who notable reshared or quoted our X posts: hourly is soon enough for a report, and a pass reads only
    # the reshares and quotes added since the last one (metrics/ingestion/amplification.py).
    "find-amplifications": {
        "task": "metrics.find_amplifications",
        "schedule": crontab(minute=40),
        "options": {"expires": 3000},
    },
    # Comments and our replies under posts whose comment count grew (metrics/ingestion/conversations.py).
    "read-conversations": {
        "task": "metrics.read_conversations",
        "schedule": crontab(minute=20),
        "options": {"expires": 3000},
    },
    # Claims due posts and accounts and fans out one task per platform batch. The cadence itself
    # lives in PostTracking.next_refresh_at, so a minute is only the resolution of "due": young
    # posts are read hourly, and a killed worker's batch is re-claimed within a minute of its lease.
    "ingestion-tick": {
        "task": "metrics.ingestion_tick",
        "schedule": settings.INGESTION_TICK_SECONDS,
        "options": {"expires": settings.INGESTION_TICK_SECONDS * 0.9},
    },
    # Ingestion budgets: Graph's are per hour, so a plan every ten minutes slows the oldest posts
    # before most of an hour is spent, and lifts a spent budget's pause soon after its period ends.
    "plan-budgets": {
        "task": "metrics.plan_budgets",
        "schedule": 600.0,
        "options": {"expires": 540},
    },
    # Roll-ups and scores owed after new snapshots whose task was lost or failed (broker restart,
    # database restart). A minute keeps dashboards at most a minute or two behind after an outage.
    "followup-sweep": {
        "task": "metrics.followup_sweep",
        "schedule": settings.FOLLOWUP_SWEEP_SECONDS,
        "options": {"expires": settings.FOLLOWUP_SWEEP_SECONDS * 0.9},
    },
}


@after_setup_logger.connect
@after_setup_task_logger.connect
def _redact_worker_logs(logger: logging.Logger, **kwargs: object) -> None:
    # The worker replaces the root logger's handlers with its own, so settings.LOGGING's filter is
    # gone there: put the redaction back on every handler the worker logs through.
    for handler in logger.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
