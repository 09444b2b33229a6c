import datetime as dt

import pytest
from django.utils import timezone

from metrics.models import SchedulerHeartbeat
from metrics.tasks import beat_heartbeat


@pytest.mark.django_db
def test_healthz_is_503_until_beat_has_ticked(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["beat"]["ok"] is False


@pytest.mark.django_db
def test_healthz_is_200_after_a_fresh_tick(client):
    beat_heartbeat()
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_reports_a_stale_beat(client):
    SchedulerHeartbeat.objects.create(name="beat", last_tick_at=timezone.now() - dt.timedelta(minutes=5))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["beat"]["seconds_ago"] >= 300


@pytest.mark.django_db
def test_healthz_names_no_host_or_driver_error_when_the_database_is_down(client, monkeypatch, caplog):
    from django.db import connection
    from django.db.utils import OperationalError

    detail = 'connection to server at "db.internal" (10.1.2.3), port 5433 failed: Connection refused'

    def refuse(*args, **kwargs):
        raise OperationalError(detail)

    from config import outage

    monkeypatch.setattr(outage, "_outage_noted", False)  # a new outage for this process
    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert response.json()["database"] == {"ok": False, "error": "unavailable"}
    assert "db.internal" not in body and "10.1.2.3" not in body and "5433" not in body
    # The details are for the operators, in the log.
    assert detail in caplog.text
