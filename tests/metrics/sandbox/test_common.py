"""What the sandbox's platform views share: the rate counters, counted together by every process."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from metrics.sandbox import common
from tests.metrics.ingestion.test_worker_kill import _database_url

WINDOW = 3600


@pytest.mark.django_db(transaction=True)
def test_rate_counters_are_shared_between_processes():
    if time.time() % WINDOW > WINDOW - 30:
        time.sleep(35)  # not across a window's end
    assert common.count_request("x", "token:1300000000000000001", WINDOW)[0] == 1
    other = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from metrics.sandbox import common; "
         f"print(common.count_request('x', 'token:1300000000000000001', {WINDOW})[0])"],
        cwd=settings.BASE_DIR, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
                                    "DATABASE_URL": _database_url()},
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert other.stdout.strip() == "2"
    calls, reset = common.count_request("x", "token:1300000000000000001", WINDOW)
    assert calls == 3 and reset % WINDOW == 0
    assert common.count_request("x", "another", WINDOW)[0] == 1
