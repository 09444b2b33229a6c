"""The production image's recipe (Dockerfile, docker-compose.yml, .dockerignore) and its healthchecks.

No Docker daemon is needed: the files are read as data, and the healthchecks' commands run here.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml
from django.core.management import CommandError, call_command
from django.utils import timezone

from metrics.models import SchedulerHeartbeat

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_build_context_leaves_out_secrets_local_state_and_host_builds():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for pattern in [".env", ".venv", "var", "node_modules", "media", ".git"]:
        assert pattern in ignored, pattern


def test_the_media_folder_exists_in_the_image_owned_by_the_app_user():
    assert re.search(r"mkdir -p /app/var/media && chown -R softpower /app/var", DOCKERFILE)
    assert "media:/app/var/media" in COMPOSE["services"]["web"]["volumes"]


def test_gunicorn_is_configured_in_one_place():
    assert 'CMD ["gunicorn", "-c", "config/gunicorn.py"]' in DOCKERFILE
    assert "command" not in COMPOSE["services"]["web"]
    for recipe in [DOCKERFILE, (ROOT / "docker-compose.yml").read_text()]:
        assert not re.search(r"gunicorn[^\n]*--timeout", recipe)
    assert "timeout = 60" in (ROOT / "config" / "gunicorn.py").read_text()


def test_every_long_running_service_has_a_healthcheck():
    assert "HEALTHCHECK" in DOCKERFILE  # web: the image's own
    for name in ["postgres", "redis", "worker", "beat"]:
        assert COMPOSE["services"][name]["healthcheck"]["test"], name
    assert COMPOSE["services"]["migrate"]["healthcheck"] == {"disable": True}


@pytest.mark.django_db
def test_the_beat_healthcheck_follows_the_heartbeat():
    with pytest.raises(CommandError):
        call_command("check_beat")
    SchedulerHeartbeat.objects.create(name="beat", last_tick_at=timezone.now() - dt.timedelta(minutes=5))
    with pytest.raises(CommandError):
        call_command("check_beat")
    SchedulerHeartbeat.objects.filter(name="beat").update(last_tick_at=timezone.now())
    call_command("check_beat")


def test_the_web_healthcheck_asks_healthz(live_server, transactional_db):
    # Healthy while the database answers, even though beat has never ticked here (healthz says 503).
    requests.get(f"{live_server.url}/healthz", timeout=120)  # loads the app first: slow on a busy machine
    env = {**os.environ, "HEALTHCHECK_URL": f"{live_server.url}/healthz", "ALLOWED_HOSTS": "localhost"}
    ok = subprocess.run([sys.executable, str(ROOT / "config" / "container_healthcheck.py")], env=env,
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr
    env["HEALTHCHECK_URL"] = "http://127.0.0.1:9/healthz"  # nothing listens there
    down = subprocess.run([sys.executable, str(ROOT / "config" / "container_healthcheck.py")], env=env,
                          capture_output=True, text=True, timeout=60)
    assert down.returncode == 1 and "no answer" in down.stderr
