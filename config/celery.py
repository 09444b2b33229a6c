import os

from celery import Celery

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
    # Claims due posts and accounts and fans out one task per platform batch. The cadence itself
    # lives in PostTracking.next_refresh_at, so a minute is only the resolution of "due": young
    # posts are read hourly, and a killed worker's batch is re-claimed within a minute of its lease.
    "ingestion-tick": {
        "task": "metrics.ingestion_tick",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
