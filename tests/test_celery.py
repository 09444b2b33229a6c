"""The Celery app on the embedded filesystem broker keeps every folder under the var dir.

kombu's filesystem transport puts any folder left unset relative to the working directory: the
control folder's default once wrote exchange tables to ./control in the repository. Each check runs
in a fresh interpreter, since the settings are read once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

DECLARE_AND_SHOW = """
import json, sys, django
django.setup()
from django.conf import settings
from kombu import Exchange, Queue
from config.celery import app
if "declare" in sys.argv:
    with app.connection_for_write() as conn:
        Queue("celery", Exchange("celery"), routing_key="celery")(conn.default_channel).declare()
print(json.dumps({"var_dir": str(settings.VAR_DIR), "options": app.conf.broker_transport_options}))
"""


def _run_settings(cwd: Path, *args: str, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("REDIS_URL", "DATABASE_URL", "PYTEST_XDIST_WORKER", "SOFTPOWER_VAR_DIR")}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", PYTHONPATH=str(settings.BASE_DIR), **env)
    done = subprocess.run([sys.executable, "-c", DECLARE_AND_SHOW, *args], cwd=cwd, env=clean, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_filesystem_broker_keeps_every_folder_under_the_var_dir(tmp_path):
    var, cwd = tmp_path / "var", tmp_path / "elsewhere"
    cwd.mkdir()
    shown = _run_settings(cwd, "declare", SOFTPOWER_VAR_DIR=str(var))
    options = shown["options"]
    for key in ("data_folder_in", "data_folder_out", "control_folder", "processed_folder"):
        assert Path(options[key]).is_relative_to(var / "broker"), (key, options[key])
    # Declaring the queue writes the exchange table: into var/, and nothing into the working directory.
    assert (Path(options["control_folder"]) / "celery.exchange").is_file()
    assert list(cwd.iterdir()) == []


def test_each_xdist_worker_gets_a_var_dir_of_its_own(tmp_path):
    var = tmp_path / "var"
    shown = _run_settings(tmp_path, SOFTPOWER_VAR_DIR=str(var), PYTEST_XDIST_WORKER="gw7")
    assert Path(shown["var_dir"]) == var / "gw7"
    assert Path(shown["options"]["data_folder_in"]).is_relative_to(var / "gw7" / "broker")


def test_each_xdist_worker_gets_a_redis_key_prefix_of_its_own(tmp_path):
    shown = _run_settings(tmp_path, SOFTPOWER_VAR_DIR=str(tmp_path / "var"), PYTEST_XDIST_WORKER="gw7",
                          REDIS_URL="redis://127.0.0.1:6379/15")
    assert shown["options"]["global_keyprefix"] == "gw7:"
    alone = _run_settings(tmp_path, SOFTPOWER_VAR_DIR=str(tmp_path / "var"), REDIS_URL="redis://127.0.0.1:6379/15")
    assert "global_keyprefix" not in alone["options"]
