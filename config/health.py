"""GET /healthz: the database, the broker and the last beat tick, 200 when all is well, else 503.

Anyone may ask, so a failure answers only which part is down; what went wrong (host names, ports,
driver messages) goes to the log.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone

from config.celery import app as celery_app
from config.outage import DATABASE_ERRORS, outage_note
from metrics.models import SchedulerHeartbeat

logger = logging.getLogger(__name__)

# Beat writes the heartbeat every 30 s; three missed ticks means beat is not running.
BEAT_STALE_AFTER = timedelta(seconds=90)


def _down(part: str, exc: Exception) -> dict:
    if isinstance(exc, DATABASE_ERRORS):
        outage_note(exc)  # once per outage, not once per probe
    else:
        logger.warning("healthz: the %s check failed", part, exc_info=True)
    return {"ok": False, "error": "unavailable"}


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001 -- any failure is the answer
        return _down("database", exc)


def _check_broker() -> dict:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        return {"ok": True, "transport": celery_app.conf.broker_url.split("://")[0]}
    except Exception as exc:  # noqa: BLE001
        return _down("broker", exc)


def check_beat() -> dict:
    try:
        beat = SchedulerHeartbeat.objects.filter(name="beat").first()
    except Exception as exc:  # noqa: BLE001
        return _down("beat", exc)
    if beat is None:
        return {"ok": False, "last_tick": None, "error": "beat has never ticked"}
    age = timezone.now() - beat.last_tick_at
    return {
        "ok": age <= BEAT_STALE_AFTER,
        "last_tick": beat.last_tick_at.isoformat(),
        "seconds_ago": round(age.total_seconds(), 1),
    }


def healthz(request):
    checks = {"database": _check_database(), "broker": _check_broker(), "beat": check_beat()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
