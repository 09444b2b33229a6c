"""The Celery app with beat ticking every second, for the soak test (`celery -A tests.config.soak_app beat`)."""

from config.celery import app

app.conf.beat_schedule = {
    "beat-heartbeat": {"task": "metrics.beat_heartbeat", "schedule": 1.0},
    "ingestion-tick": {"task": "metrics.ingestion_tick", "schedule": 1.0},
}
