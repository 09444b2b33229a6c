"""Where the Celery app's broker keeps its state: under the var dir, one per xdist test process.

Without REDIS_URL it is a SQLite file in the var dir (kombu's SQLAlchemy transport), never relative to
the working directory. The settings module is run afresh (runpy) under each environment, since Django
reads it once per process.
"""

from __future__ import annotations

import runpy
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from kombu import Connection, Exchange, Queue

from config.celery import app

SETTINGS_FILE = Path(settings.BASE_DIR) / "config" / "settings.py"


def _settings_under(monkeypatch, **env: str) -> dict[str, Any]:
    for name in ("REDIS_URL", "PYTEST_XDIST_WORKER", "SOFTPOWER_VAR_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_the_celery_app_takes_its_broker_options_from_the_settings():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.broker_transport_options == settings.CELERY_BROKER_TRANSPORT_OPTIONS


def test_the_embedded_broker_is_a_sqlite_file_under_the_var_dir(monkeypatch, tmp_path):
    var, cwd = tmp_path / "var", tmp_path / "elsewhere"
    cwd.mkdir()
    shown = _settings_under(monkeypatch, SOFTPOWER_VAR_DIR=str(var))
    assert shown["CELERY_BROKER_URL"] == f"sqla+sqlite:///{var / 'broker.sqlite3'}"

    # A message sent and taken back, from another working directory: the file is the one in var/.
    name = f"probe_{uuid.uuid4().hex}"
    monkeypatch.chdir(cwd)
    with Connection(shown["CELERY_BROKER_URL"], transport_options=shown["CELERY_BROKER_TRANSPORT_OPTIONS"]) as conn:
        queue = Queue(name, Exchange(name), routing_key=name)(conn.default_channel)
        queue.declare()
        conn.Producer().publish({"post_ids": [1, 2]}, exchange=name, routing_key=name, declare=[queue])
        message = queue.get(no_ack=True)
    assert message is not None and message.payload == {"post_ids": [1, 2]}
    assert (var / "broker.sqlite3").is_file()
    assert list(cwd.iterdir()) == []


def test_each_xdist_worker_gets_a_var_dir_of_its_own(monkeypatch, tmp_path):
    var = tmp_path / "var"
    shown = _settings_under(monkeypatch, SOFTPOWER_VAR_DIR=str(var), PYTEST_XDIST_WORKER="gw7")
    assert shown["VAR_DIR"] == var / "gw7"
    assert shown["CELERY_BROKER_URL"] == f"sqla+sqlite:///{var / 'gw7' / 'broker.sqlite3'}"
    assert _settings_under(monkeypatch, SOFTPOWER_VAR_DIR=str(var))["VAR_DIR"] == var


def test_each_xdist_worker_gets_a_redis_key_prefix_of_its_own(monkeypatch, tmp_path):
    redis = {"SOFTPOWER_VAR_DIR": str(tmp_path / "var"), "REDIS_URL": "redis://127.0.0.1:6379/15"}
    shown = _settings_under(monkeypatch, PYTEST_XDIST_WORKER="gw7", **redis)
    assert shown["CELERY_BROKER_TRANSPORT_OPTIONS"]["global_keyprefix"] == "gw7:"
    assert "global_keyprefix" not in _settings_under(monkeypatch, **redis)["CELERY_BROKER_TRANSPORT_OPTIONS"]
