"""Fault drills: real worker, beat, sandbox server, PostgreSQL and Redis; every due post read once.

Run by `make drills` (`python -m tests.drills.drills`). The drills start their own PostgreSQL
(initdb + pg_ctl in a temporary folder) and Redis (`redis-server --save ''`) on free ports, never
the machine's, so they may kill and restart them. The sandbox is served by gunicorn on a free port
and the app reads it through PLATFORM_API_BASE, as in production.

Each drill makes every post due, lets beat and the workers read them while one fault strikes, and
counts: posts due; refreshed (read since the drill began); lost (due but not refreshed, or with
roll-ups or a score still owed, at the end); duplicated (posts written by more than one batch, or
read by two batches at once); and recovery seconds (from the fault to the last due post read and
the last owed work done). Exit status 1 on any loss, duplicate or recovery over 120 s.

Leases and cadences are shortened through settings (environment below) so the drills take minutes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RECOVERY_LIMIT = 120.0
# Give up on a drill after this; anything still unread is counted as lost.
DRILL_TIMEOUT = 150.0
# Short cadences: a lease of 20 s (renewed before every request), a tick and a sweep every 5 s.
FAST = {
    "INGESTION_TICK_SECONDS": "5",
    "FOLLOWUP_SWEEP_SECONDS": "5",
    "INGESTION_CLAIM_LEASE_SECONDS": "20",
    "PLATFORM_HTTP_TIMEOUT": "15",
}
ACCOUNTS = [  # demo-profile accounts the sandbox knows (metrics/sandbox/profiles.py)
    ("facebook", "104857600000001"),
    ("instagram", "17841400000000001"),
    ("x", "1300000000000000001"),
    ("youtube", "UCtrendingTaiwanDemo00001"),
]
LOOKBACK_DAYS = 40
# `python -m tests.drills.drills storm "two beats"` runs only the drills whose names contain these.
ONLY = sys.argv[1:]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return
        time.sleep(0.3)
    raise RuntimeError(f"timed out waiting for {what}")


def answers(url: str) -> bool:
    """Whether the server answers at all (healthz says 503 while beat has not ticked yet)."""
    try:
        with urllib.request.urlopen(url, timeout=5):  # noqa: S310 -- our own local server
            return True
    except urllib.error.HTTPError:
        return True


def port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


# --- the drill's own servers ----------------------------------------------------------------------
class Postgres:
    """A throwaway cluster in a temporary folder (initdb refuses root: run as the postgres user then)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
        self.bin = Path(found[-1]).parent
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.as_user:
            shutil.chown(self.folder, "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        # fsync off: the drill's data is thrown away, and a restart with -m immediate still recovers.
        opts = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.folder / "pg.log"),
                  "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> None:
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class Redis:
    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), 15, "redis-server")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


# --- the app's processes --------------------------------------------------------------------------
class Processes:
    """Worker, beat and web processes, each in its own session so a kill takes its children too."""

    def __init__(self, folder: Path, env: dict[str, str]):
        self.folder = folder
        self.env = env
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        proc = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs[name] = proc
        return proc

    def worker(self, name: str = "worker") -> subprocess.Popen:
        log = self.folder / f"{name}.log"
        ready_before = log.read_bytes().count(b" ready.") if log.exists() else 0
        proc = self.start(name, [str(BIN / "celery"), "-A", "config", "worker", "-P", "prefork", "-c", "2",
                                 "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "-l", "INFO"])
        try:
            wait_for(lambda: log.read_bytes().count(b" ready.") > ready_before, 180, f"{name} to start")
        except RuntimeError:
            self.kill(name)
            raise
        return proc

    def beat(self, name: str = "beat") -> subprocess.Popen:
        schedule = self.folder / f"{name}-schedule"
        return self.start(name, [str(BIN / "celery"), "-A", "config", "beat", "-s", str(schedule), "-l", "INFO"])

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    def kill_all(self) -> None:
        for name in list(self.procs):
            self.kill(name)


def pool_children(pid: int) -> list[int]:
    """The prefork pool's child processes of a worker (from /proc, no extra dependency)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


# --- measuring -------------------------------------------------------------------------------------
@dataclass
class Row:
    drill: str
    due: int = 0
    refreshed: int = 0
    lost: int = 0
    duplicated: int = 0
    recovery: float = 0.0

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.duplicated == 0 and self.recovery <= RECOVERY_LIMIT


class Drills:
    def __init__(self, procs: Processes, pg: Postgres, redis: Redis):
        self.procs = procs
        self.pg = pg
        self.redis = redis
        self.rows: list[Row] = []
        self.since = 0.0  # when the current drill made every post due

    # Imported late: Django is set up only once the drill's own database exists.
    def make_all_due(self) -> tuple[int, float]:
        from django.utils import timezone

        from config.celery import app
        from metrics.models import AccountIngestionState, PostTracking, PostWorkOwed
        from metrics.sandbox.faults import sandbox_fault_clear

        sandbox_fault_clear()
        # Each drill starts from healthy accounts: no backoff left over from the one before.
        AccountIngestionState.objects.update(backoff_until=None, consecutive_failures=0)
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("celery")
        PostWorkOwed.objects.all().delete()
        started = timezone.now()
        due = PostTracking.objects.update(next_refresh_at=started, claim_id=None, claimed_until=None)
        self.since = started.timestamp()
        return due, self.since

    def progress(self, since: float) -> tuple[int, int, int, bool]:
        """(refreshed, duplicated, owed, two batches at once) for posts read since `since`."""
        import datetime as dt

        from django.db import connection
        from django.db.models import Sum

        from metrics.models import IngestionRun, PostTracking, PostWorkOwed

        moment = dt.datetime.fromtimestamp(since, dt.UTC)
        refreshed = PostTracking.objects.filter(last_refreshed_at__gte=moment).count()
        written = IngestionRun.objects.filter(kind="refresh", started_at__gte=moment).aggregate(
            n=Sum("posts_refreshed"))["n"] or 0
        owed = PostWorkOwed.objects.values("post_id").distinct().count()
        # Two batches reading one post at once: their claims would overlap on a post; the claim is
        # one column per post, so what can be seen is two writers, counted in `written`.
        connection.close()
        return refreshed, max(0, written - refreshed), owed, False

    def run(self, name: str, fault: Callable[[], float | None], *, after: Callable[[], None] | None = None) -> Row:
        """Make every post due, strike with `fault` (returns when it struck), wait for the end, measure."""
        from django.db import connection

        if ONLY and not any(part.lower() in name.lower() for part in ONLY):
            return Row(name)
        row = Row(name)
        print(f"-- {name}", flush=True)
        row.due, since = self.make_all_due()
        connection.close()
        struck = fault() or since
        deadline = time.time() + DRILL_TIMEOUT
        done_at = None
        while time.time() < deadline:
            try:
                refreshed, duplicated, owed, _ = self.progress(since)
            except Exception as exc:  # the drill's own database may be restarting
                print(f"   (waiting: {type(exc).__name__})", flush=True)
                connection.close()
                time.sleep(1)
                continue
            if refreshed >= row.due and owed == 0:
                done_at = time.time()
                break
            time.sleep(0.5)
        if after:
            after()
        refreshed, duplicated, owed, _ = self.progress(since)
        row.refreshed = refreshed
        row.lost = (row.due - refreshed) + owed
        row.duplicated = duplicated
        row.recovery = round((done_at or time.time()) - struck, 1)
        print(f"   {row}", flush=True)
        self.rows.append(row)
        return row

    def wait_mid_batch(self) -> None:
        """Until some batch of this drill has finished and another is being read."""
        import datetime as dt

        from django.db import connection

        from metrics.models import IngestionRun

        moment = dt.datetime.fromtimestamp(self.since, dt.UTC)

        def mid() -> bool:
            runs = list(IngestionRun.objects.filter(kind="refresh", started_at__gte=moment)
                        .values_list("status", flat=True))
            connection.close()
            return "running" in runs and any(s != "running" for s in runs)

        wait_for(mid, 120, "a batch in flight")

    def clear_faults(self) -> None:
        from metrics.sandbox.faults import sandbox_fault_clear

        sandbox_fault_clear()

    def slow(self, seconds: float) -> None:
        """Every reply takes `seconds`; a Graph call a twentieth of it, as the sandbox delays each call
        of a Graph batch (50 calls), and a batch slower than PLATFORM_HTTP_TIMEOUT is a timeout, not slow."""
        from metrics.sandbox.faults import sandbox_fault_set

        for platform, account_id in ACCOUNTS:
            delay = seconds / 20 if platform in ("facebook", "instagram") else seconds
            sandbox_fault_set(platform, account_id, "slow", delay_seconds=delay)


def report(rows: list[Row]) -> bool:
    header = f"{'drill':<34} {'posts due':>9} {'refreshed':>9} {'lost':>5} {'duplicated':>10} {'recovery s':>10}"
    print()
    print(header)
    print("-" * len(header))
    for r in rows:
        flag = "" if r.ok else "  FAIL"
        print(f"{r.drill:<34} {r.due:>9} {r.refreshed:>9} {r.lost:>5} {r.duplicated:>10} {r.recovery:>10.1f}{flag}")
    return all(r.ok for r in rows)


def main() -> int:
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="softpower-drills-"))
    os.chmod(folder, 0o755)
    pg = Postgres(folder / "pg")
    redis = Redis(folder)
    pg.init()
    pg.start()
    pg.create_database("drills")
    redis.start()
    web_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "False",
        # Production settings, served over plain HTTP on localhost (the sandbox answers here too).
        "HTTPS": "False",
        "SECRET_KEY": "drills-only-secret-key",
        "FIELD_ENCRYPTION_KEY": "ZHJpbGxzLW9ubHkta2V5LTMyLWJ5dGVzLWxvbmctLS0=",
        "DATABASE_URL": pg.url("drills"),
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "SANDBOX_ENABLED": "True",
        "PLATFORM_API_BASE": f"http://127.0.0.1:{web_port}/sandbox",
        "SOFTPOWER_VAR_DIR": str(folder / "var"),
        "PYTHONUNBUFFERED": "1",
        **FAST,
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    os.environ.update(env)
    procs = Processes(folder, env)
    ok = False
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        procs.start("web", [str(BIN / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{web_port}", "-w", "2",
                            "--threads", "4", "--timeout", "60", "--preload"])
        # Both gunicorn workers loaded and answering, not just the port open.
        wait_for(lambda: answers(f"http://127.0.0.1:{web_port}/healthz") and answers(
            f"http://127.0.0.1:{web_port}/healthz"), 240, "gunicorn")
        due = seed()
        print(f"{due} posts on {len(ACCOUNTS)} accounts; setup took {time.monotonic() - started:.0f} s", flush=True)
        drills = Drills(procs, pg, redis)
        run_all(drills)
        ok = report(drills.rows)
        print(f"\ndrills took {time.monotonic() - started:.0f} s; logs in {folder}")
    finally:
        procs.kill_all()
        redis.kill()
        pg.stop("immediate")
    if ok:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if ok else 1


def seed() -> int:
    """One organization with the four demo accounts, their posts found by a real sync."""
    import datetime as dt

    from django.utils import timezone

    from campaigns.models import Account, Organization
    from metrics.ingestion import runs
    from metrics.models import AccountIngestionState, PostTracking

    org = Organization.objects.create(name="Drills", slug="drills")
    runs.INITIAL_LOOKBACK = dt.timedelta(days=LOOKBACK_DAYS)
    for platform, platform_id in ACCOUNTS:
        acc = Account(organization=org, platform=platform, platform_id=platform_id, handle=f"drills-{platform}",
                      language="en", connection_state=Account.Connection.CONNECTED)
        acc.set_access_token("sandbox-user-token")
        acc.save()
        run = runs.account_sync(account_id=acc.pk)
        if run is None or run.status != "success":
            raise RuntimeError(f"sync of {platform} failed: {run and run.errors}")
    # Account syncs are not what the drills count: keep them out of the way.
    AccountIngestionState.objects.update(next_account_refresh_at=timezone.now() + dt.timedelta(days=1))
    return PostTracking.objects.count()


def run_all(d: Drills) -> None:
    procs = d.procs
    procs.worker()
    procs.beat()
    from django.db import connection

    from metrics.models import SchedulerHeartbeat

    def ticked() -> bool:
        connection.close()
        return SchedulerHeartbeat.objects.filter(name="beat").exists()

    # Beat, broker and worker all work before any drill starts (the first tick proves it).
    wait_for(ticked, 120, "beat's first tick to reach the worker")

    def child_kill() -> float:
        d.slow(1.0)
        d.wait_mid_batch()
        children = pool_children(procs.procs["worker"].pid)
        os.kill(children[0], signal.SIGKILL)
        d.clear_faults()
        return time.time()

    d.run("SIGKILL of a worker child", child_kill)

    def worker_kill() -> float:
        d.slow(1.0)
        d.wait_mid_batch()
        procs.kill("worker")
        struck = time.time()
        d.clear_faults()
        procs.worker()
        return struck

    d.run("SIGKILL of the whole worker", worker_kill)

    def twice() -> None:
        from celery import current_app

        from metrics.ingestion import tick

        def send_twice(name, args):
            current_app.send_task(name, args=args)
            current_app.send_task(name, args=args)

        tick.ingestion_tick(enqueue=send_twice)

    d.run("same message delivered twice", twice)

    if not ONLY or any("beat" in part for part in ONLY):
        procs.beat("beat2")
        d.run("two beats at once", lambda: None)
        procs.kill("beat2")

    def redis_restart() -> float:
        d.slow(1.0)
        d.wait_mid_batch()
        d.redis.kill()
        struck = time.time()
        time.sleep(3)
        d.redis.start()
        d.clear_faults()
        return struck

    d.run("Redis restarted mid-run", redis_restart)

    def pg_restart() -> float:
        from django.db import connection

        d.slow(1.0)
        d.wait_mid_batch()
        connection.close()
        d.pg.stop("immediate")
        struck = time.time()
        time.sleep(3)
        d.pg.start()
        d.clear_faults()
        return struck

    d.run("PostgreSQL restarted mid-run", pg_restart)

    def storm() -> None:
        from metrics.sandbox.faults import sandbox_fault_set

        # The accounts answer 429 (or their platform's rate-limit error) to their next requests.
        # Not Facebook or Instagram: Graph's rate-limit answers carry X-Business-Use-Case-Usage with a
        # wait in minutes (up to the hour's window), which the connector rightly honours, so no
        # recovery within two minutes is possible or wanted there (tests/metrics/connectors cover it).
        sandbox_fault_set("x", ACCOUNTS[2][1], "rate_limit", remaining=6, reset_seconds=3)
        sandbox_fault_set("youtube", ACCOUNTS[3][1], "rate_limit", remaining=6, reason="rateLimitExceeded")

    d.run("429 storm", storm)

    d.run("slow replies (4 s each)", lambda: d.slow(4.0))


if __name__ == "__main__":
    sys.exit(main())
