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
