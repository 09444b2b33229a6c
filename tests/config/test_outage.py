"""A real database outage: gunicorn on a PostgreSQL server of the test's own (a throwaway cluster on a
free port, never the machine's), which is stopped and started again under it.

While it is down, the API answers 503 in its JSON error shape and pages a plain 503 page, both with
Retry-After, and the log gets one line for the outage, no traceback.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(*command: str) -> list[str]:
    # PostgreSQL refuses to run as root; CI and the helpers' machines run tests as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


class ThrowawayPostgres:
    def __init__(self, folder: Path):
        self.bin = Path(PG_BIN[-1])
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.port = _free_port()
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        subprocess.run(_as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"),
                       check=True, capture_output=True)

    def start(self) -> None:
        subprocess.run(_as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                                    "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", "start"),
                       check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run(_as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"),
                       check=True, capture_output=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


@pytest.fixture
def postgres(tmp_path):
    if not PG_BIN:
        pytest.fail("PostgreSQL's server binaries are missing (/usr/lib/postgresql/*/bin)")
    # Under /tmp, not pytest's tmp_path: the postgres user must reach it through every parent folder.
    folder = Path(f"/tmp/softpower-outage-{os.getpid()}-{time.monotonic_ns()}")
    server = ThrowawayPostgres(folder)
    server.start()
    yield server
    subprocess.run(_as_postgres(str(server.bin / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "stop"),
                   capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def web(postgres, tmp_path):
    """gunicorn, one worker (the outage flag is per process), on the throwaway database, as in production."""
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "DEBUG": "False", "HTTPS": "False", "DATABASE_URL": postgres.url,
           "SOFTPOWER_VAR_DIR": str(tmp_path / "var"), "PYTHONUNBUFFERED": "1"}
    env.pop("REDIS_URL", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
                                 "--workers", "1", "--timeout", "300"], cwd=ROOT, env=env, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        try:
            # The first request loads the whole app: seconds, but minutes on a machine shared by many.
            requests.get(f"{base}/login/", timeout=300)
            break
        except requests.RequestException:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
    yield base, log
    proc.terminate()
    proc.wait(timeout=20)


def _outage_lines(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if "Database unavailable" in line]


def test_an_outage_answers_503_with_retry_after_and_logs_one_line(postgres, web):
    base, log = web
    assert requests.get(f"{base}/healthz", timeout=120).json()["database"]["ok"] is True
    before = len(log.read_text())  # (beat's table is missing from this bare database: healthz logged that)

    postgres.stop()
    api, pages = [], []
    for n in range(20):
        api.append(requests.get(f"{base}/api/v1/campaigns/", headers={"Authorization": f"Token sp_{n}"}, timeout=120))
        # A session cookie makes the page load the session: the failure is in a middleware, not a view.
        pages.append(requests.get(f"{base}/campaigns/", cookies={"sessionid": f"{n:032d}"}, timeout=120,
                                  headers={"Accept-Language": "en"}))
    write = requests.post(f"{base}/api/v1/campaigns/", json={}, headers={"Authorization": "Token sp_x"}, timeout=120)

    for response in [*api, write]:
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        assert response.headers["Content-Type"] == "application/json"
        assert response.json()["error"]["code"] == "database_unavailable"
    for response in pages:
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        assert response.headers["Content-Type"].startswith("text/html")
        assert "Softpower is briefly unavailable" in response.text
    assert requests.get(f"{base}/healthz", timeout=120).json()["database"] == {"ok": False, "error": "unavailable"}

    text = log.read_text()[before:]
    assert len(_outage_lines(log)) == 1, text
    assert "Traceback" not in text, text

    # Back: the next connection clears the flag, and a second outage is a second line.
    postgres.start()
    assert requests.get(f"{base}/healthz", timeout=120).json()["database"]["ok"] is True
    assert "Database reachable again." in log.read_text()
    postgres.stop()
    assert requests.get(f"{base}/api/v1/campaigns/", headers={"Authorization": "Token sp_y"}, timeout=30
                        ).status_code == 503
    assert len(_outage_lines(log)) == 2
