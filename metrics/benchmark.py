"""`make bench` and `make load`: every bench figure against a floor measured in the same run (../shared/BENCH.md).

Runs in a database of its own (a `bench_…` PostgreSQL database, or a temporary SQLite file), dropped at
the end, so the dev data is never touched. Pages are timed against one gunicorn process with DEBUG off,
which also serves the platform sandbox for the ingestion figures. Dev tooling: it may use the sandbox.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import json
import math
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaigns.models import Account, Organization, Post
from metrics import dataset
from metrics.imports import service as imports
from metrics.ingestion import cadence, retention, runs, simulation, tick
from metrics.models import PostMetricSnapshot, PostTracking
from metrics.sandbox import synthetic

UTC = dt.UTC
BENCH_USER = "bench"
ROUNDS = 30
# The platforms' own per-request limits: X tweets lookup 100 ids, YouTube videos.list 50, Graph batch 50.
PER_REQUEST_LIMIT = {"x": 100, "youtube": 50, "facebook": 50, "instagram": 50}
# Where each platform's requests go in the sandbox. Instagram goes through the Facebook Login host
# (graph.facebook.com, which takes batches) as well as Instagram Login's; the platforms are ingested one
# after the other, so a stage counts only its own. YouTube: the Data API, the Analytics API and the
# Reporting API (the last two draw on no Data API units).
SANDBOX_PATHS = {"facebook": ("/graph.facebook.com/",), "instagram": ("/graph.facebook.com/", "/graph.instagram.com/"),
                 "x": ("/api.x.com/",),
                 "youtube": ("/youtube/v3/", "/youtubeanalytics.googleapis.com/", "/youtubereporting.googleapis.com/"),
                 "youtube_data": ("/youtube/v3/",)}
INGEST_POSTS = 1000
IMPORT_ROWS = 20_000
SNAPSHOT_SCORING_COLUMNS = ("post_id", "captured_at", "reactions", "comments", "shares", "quotes", "saves",
                            "reach", "impressions", "views")
TARGETS = {"p95": 3.0, "rescore": 4.0, "rescore_mb": 300, "per_year": 100, "ingest": 4.0, "import": 4.0,
           "requests": 1.0, "units": 5000}


@dataclass
class Row:
    """One line of the printed table."""

    figure: str
    measured: str
    floor: str
    ratio: str
    target: str


@dataclass
class Results:
    size: dict[str, Any]
    figures: dict[str, Any] = field(default_factory=dict)
    table: list[Row] = field(default_factory=list)
    # Each row is logged as soon as it is measured, so a long run that is stopped still says something.
    log: Callable[[str], None] = lambda _line: None

    def add(self, figure: str, measured: str, floor: str, ratio: str, target: str) -> None:
        self.table.append(Row(figure, measured, floor, ratio, target))
        self.log(f"  {figure}: {measured} | floor {floor} | ratio {ratio} | target {target}")


def _ratio(measured: float, floor: float) -> float:
    return round(measured / floor, 2) if floor > 0 else float("inf")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# --- its own database ---------------------------------------------------------------------------------------

def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


@contextlib.contextmanager
def bench_database() -> Iterator[str]:
    """Point the default connection at a new, empty database; drop it afterwards. Yields its URL."""
    original = connection.settings_dict["NAME"]
    postgres = connection.vendor == "postgresql"
    name = f"bench_{uuid.uuid4().hex[:10]}" if postgres else tempfile.mkstemp(prefix="bench-", suffix=".sqlite3")[1]
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield _database_url()
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)


def _child_env() -> dict[str, str]:
    """Our environment, with compiled bytecode kept between the bench's processes (outside the tree)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(Path(tempfile.gettempdir()) / "softpower-bench-pycache")}


# --- the server ---------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(database_url: str, log_dir: Path, workers: int = 1) -> Iterator[tuple[str, Path]]:
    """gunicorn (one worker process unless told), DEBUG off, serving the app and the sandbox.
    Yields its URL and access log."""
    port = _free_port()
    access_log = log_dir / "access.log"
    env = {**_child_env(), "DEBUG": "False", "DATABASE_URL": database_url, "SANDBOX_ENABLED": "True",
           "SECRET_KEY": uuid.uuid4().hex * 2, "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "HTTPS": "False"}  # plain HTTP on localhost
    process = subprocess.Popen(  # noqa: S603 -- our own gunicorn, fixed arguments
        [str(Path(sys.executable).with_name("gunicorn")), "config.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--timeout", "300", "--preload", "--access-logfile", str(access_log),
         "--error-logfile", str(log_dir / "error.log")],
        cwd=settings.BASE_DIR, env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a loaded machine compiles Django slowly
        while True:
            try:
                requests.get(url + "/login/", timeout=60)
                break
            except (requests.ConnectionError, requests.Timeout):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start; see {log_dir / 'error.log'}") from None
                time.sleep(0.5)
        yield url, access_log
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _sandbox_requests(access_log: Path, platform: str, since_line: int) -> int:
    lines = access_log.read_text().splitlines()[since_line:]
    return sum(1 for line in lines if "/sandbox/" in line and any(p in line for p in SANDBOX_PATHS[platform]))


def _log_lines(access_log: Path) -> int:
    return len(access_log.read_text().splitlines())


# --- pages --------------------------------------------------------------------------------------------------

def _page_urls(*, campaign_id: int, org_id: int) -> dict[str, str]:
    today = dt.datetime.now(UTC).date()
    api = f"/api/v1/timeseries/campaigns/{campaign_id}/"
    return {
        "dashboard": f"/campaigns/{campaign_id}/dashboard/",
        "overview": f"/overview/?org={org_id}",
        "timeseries_30d": f"{api}?from={today - dt.timedelta(days=29)}&to={today}",
        "timeseries_365d": f"{api}?from={today - dt.timedelta(days=364)}&to={today}",
        "calendar": f"/calendar/?date={today}",
    }


def _login(base: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(base + "/login/", timeout=60)
    answer = session.post(base + "/login/", timeout=60, allow_redirects=False, headers={"Referer": base + "/login/"},
                          data={"username": BENCH_USER, "password": password,
                                "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    if answer.status_code != 302:
        raise RuntimeError(f"could not log in to the bench server ({answer.status_code})")
    return session


def page_times(base: str, password: str, urls: dict[str, str], rounds: int = ROUNDS) -> dict[str, list[float]]:
    """Wall time of each page seen from the client on localhost, round-robin with the login page."""
    session = _login(base, password)
    loop = {**urls, "login": "/login/"}
    for path in loop.values():  # warm up: first requests import and compile templates
        session.get(base + path, timeout=300)
    times: dict[str, list[float]] = defaultdict(list)
    for _round in range(rounds):
        for name, path in loop.items():
            start = time.perf_counter()
            answer = session.get(base + path, timeout=300)
            times[name].append(time.perf_counter() - start)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered {answer.status_code}")
    return times


def query_counts(urls: dict[str, str]) -> dict[str, int]:
    """SQL queries per request, in this process on the same views."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=BENCH_USER))
    counts = {}
    for name, path in urls.items():
        client.get(path)  # sessions, caches: count a steady request
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}")
        counts[name.removesuffix("_30d")] = len(queries)
    return counts


# --- rescoring ----------------------------------------------------------------------------------------------

RESCORE_SCRIPT = """
import json, time, django
django.setup()
from campaigns.models import Post
from metrics.scoring import service
ids = list(Post.objects.filter(status="published").values_list("id", flat=True))
start = time.perf_counter()
service.posts_rescore(post_ids=ids)
print(json.dumps({"seconds": time.perf_counter() - start, "posts": len(ids)}))
"""


def rescore_in_subprocess(database_url: str) -> tuple[float, int, float]:
    """(seconds, posts, peak MB) of rescoring every post, in a fresh process (its ru_maxrss is the peak)."""
    env = {**_child_env(), "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    process = subprocess.Popen([sys.executable, "-c", RESCORE_SCRIPT], cwd=settings.BASE_DIR, env=env,  # noqa: S603
                               stdout=subprocess.PIPE)
    assert process.stdout is not None
    out = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError("the rescoring process failed")
    result = json.loads(out.decode().strip().splitlines()[-1])
    return result["seconds"], result["posts"], usage.ru_maxrss / 1024  # kB on Linux


def read_floor() -> float:
    """Seconds to read, in one query, the snapshot columns scoring reads, for every post."""
    table = PostMetricSnapshot._meta.db_table
    columns = ", ".join(connection.ops.quote_name(c) for c in SNAPSHOT_SCORING_COLUMNS)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 -- our own table and columns
        cursor.fetchall()
    return time.perf_counter() - start


# --- cadence and retention ----------------------------------------------------------------------------------

def snapshots_per_post_year(published_at: dt.datetime) -> int:
    """Readings stored for one post after 365 simulated days of the real cadence and retention rule."""
    now, read = published_at, []
    end = published_at + dt.timedelta(days=365)
    while True:
        following = cadence.next_refresh_at(published_at=published_at, now=now)
        if following is None or following > end:
            break
        now = following
        read.append(now)
    return len(retention.readings_to_keep(published_at, read))


# --- ingestion, import and their floors ---------------------------------------------------------------------

def _copy_floor(tables: dict[str, list[tuple]]) -> float:
    """Seconds to COPY (bulk insert on SQLite) the given rows into empty copies of their tables."""
    postgres = connection.vendor == "postgresql"
    prepared = {}
    with connection.cursor() as cursor:
        for table, rows in tables.items():
            copy = f"bench_floor_{table}"
            if postgres:
                cursor.execute(f"CREATE TEMP TABLE {copy} (LIKE {table} INCLUDING ALL)")
            else:
                cursor.execute(f"CREATE TEMP TABLE {copy} AS SELECT * FROM {table} WHERE 0")  # noqa: S608
            cursor.execute(f"SELECT * FROM {copy} WHERE 1 = 0")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            prepared[copy] = (columns, [tuple(json.dumps(v) if isinstance(v, dict | list) else
                                              (v.isoformat() if isinstance(v, dt.datetime | dt.date) else v)
                                              for v in row) for row in rows])
    start = time.perf_counter()
    for copy, (columns, rows) in prepared.items():
        dataset.rows_write(copy, columns, rows)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        for copy in prepared:
            cursor.execute(f"DROP TABLE {copy}")
    return seconds


def _rows(model, where: str, ids: list[int]) -> list[tuple]:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"SELECT * FROM {table} WHERE {where} IN ({marks})", ids)  # noqa: S608
        return cursor.fetchall()


def _ingest_accounts(org: Organization, platform: str, *, now: dt.datetime) -> list[Post]:
    """Accounts the sandbox knows (any id: it synthesizes a profile) with INGEST_POSTS posts between them.

    Each account brings a whole number of the platform's batches (a request reads one account's posts),
    so the floor ceil(posts / limit) is what the platform allows, not a figure no client could reach.
    """
    limit = PER_REQUEST_LIMIT[platform]
    posts: list[Post] = []
    n = 0
    while len(posts) < INGEST_POSTS:
        n += 1
        platform_id = {"facebook": f"1048576{n:08d}", "instagram": f"178414{n:011d}", "x": f"13{n:017d}",
                       "youtube": f"UCbench{n:017d}"}[platform]
        found = synthetic.posts(platform, platform_id, now)
        found = found[: min(len(found) // limit * limit, INGEST_POSTS - len(posts))]
        if not found:
            continue
        account = Account(organization=org, platform=platform, platform_id=platform_id, handle=f"bench-{platform}-{n}",
                          connection_state=Account.Connection.CONNECTED)
        account.set_access_token("sandbox-bench-token")
        account.save()
        posts += Post.objects.bulk_create([
            Post(account=account, status=Post.Status.PUBLISHED, platform_post_id=sp.post_id,
                 published_at=sp.published_at, planned_at=sp.published_at, format=sp.format, title=sp.title)
            for sp in found])
    PostTracking.objects.bulk_create([PostTracking(post=p, next_refresh_at=now) for p in posts])
    return posts


def ingest_platform(platform: str, *, access_log: Path, org: Organization) -> dict[str, float]:
    """A real ingestion of INGEST_POSTS posts against the sandbox, and its floor."""
    now = dt.datetime.now(UTC)
    posts = _ingest_accounts(org, platform, now=now)
    account_ids = sorted({p.account_id for p in posts})
    first_line = _log_lines(access_log)
    waited = 0.0

    def on_response(response, *args, **kwargs):
        nonlocal waited
        waited += response.elapsed.total_seconds()

    batches = tick.claim_due_batches(now=now, account_ids=account_ids)
    start = time.perf_counter()
    for batch in batches:
        conn = runs.connector_build(Account.objects.get(pk=batch.account_id))
        conn.session.hooks["response"].append(on_response)
        runs.batch_refresh(account_id=batch.account_id, claim_id=batch.claim_id, connector=conn)
    took = time.perf_counter() - start
    time.sleep(1)  # gunicorn writes its access log line after the answer
    ids = [p.id for p in posts]
    snapshots = _rows(PostMetricSnapshot, "post_id", ids)
    floor = _copy_floor({PostMetricSnapshot._meta.db_table: snapshots,
                         PostTracking._meta.db_table: _rows(PostTracking, "post_id", ids)})
    return {"seconds": took, "http": waited, "floor": floor, "snapshots": len(snapshots), "batches": len(batches),
            "requests": _sandbox_requests(access_log, platform, first_line),
            "data_api_requests": _sandbox_requests(access_log, "youtube_data", first_line)}


def youtube_sync_requests(*, access_log: Path, org: Organization) -> tuple[int, int]:
    """Data API requests of a channel's first account sync (uploads playlist, subscribers, new uploads)
    and of the next one, counted at the sandbox (Reporting API requests draw on no Data API units)."""
    account = Account.objects.filter(organization=org, platform="youtube").first()
    assert account is not None
    counts = []
    for _ in range(2):
        first_line = _log_lines(access_log)
        runs.account_sync(account_id=account.pk)
        time.sleep(1)
        counts.append(_sandbox_requests(access_log, "youtube_data", first_line))
    return counts[0], counts[1]


def import_export(*, org: Organization, rows: int = IMPORT_ROWS) -> dict[str, Any]:
    """Import a YouTube Studio export of `rows` videos (new to the app), and the COPY floor of what it wrote."""
    account = Account.objects.create(organization=org, platform="youtube", platform_id="UCbenchImport000000000001",
                                     handle="bench-import")
    out = io.StringIO()
    out.write("Content,Video title,Video publish time,Duration,Views,Watch time (hours),Subscribers,Impressions\n")
    first = dt.date(2026, 1, 1)
    for n in range(rows):
        day = first + dt.timedelta(days=n % 300)
        views = 1000 + (n * 7919) % 90_000
        out.write(f'bn{n:09d},"Video {n}","{day:%b} {day.day}, {day.year}",300,{views},{views / 60:.1f},{n % 50},'
                  f"{views * 9}\n")
    imp = imports.import_create(account=account, uploaded_file=ContentFile(out.getvalue().encode(), name="export.csv"))
    start = time.perf_counter()
    done = imports.import_run(imp.pk)
    took = time.perf_counter() - start
    assert done is not None
    post_ids = list(Post.objects.filter(account=account).values_list("id", flat=True))
    floor = _copy_floor({Post._meta.db_table: _rows(Post, "id", post_ids),
                         PostMetricSnapshot._meta.db_table: _rows(PostMetricSnapshot, "post_id", post_ids)})
    return {"seconds": took, "floor": floor, "imported": done.imported_rows, "status": done.status}


# --- the whole bench ----------------------------------------------------------------------------------------

ORDER = ["dashboard_p95_x_trivial", "overview_p95_x_trivial", "timeseries_30d_p95_x_trivial",
         "timeseries_365d_p95_x_trivial", "calendar_p95_x_trivial", "queries_small", "queries_large",
         "rescore_x_read_floor", "rescore_peak_mb", "snapshots_per_post_year", "ingest_x_bulk_insert_floor",
         "import_x_copy_floor", "requests_x_minimum", "youtube_units_per_day_100_channels_10k_posts"]


@contextlib.contextmanager
def _stage(name: str, results: Results, log: Callable[[str], None], started: float) -> Iterator[None]:
    """A part of the bench that failed leaves its figures null and a line in the table; the rest runs."""
    try:
        yield
        log(f"{name} done ({time.perf_counter() - started:.0f} s)")
    except Exception as exc:  # noqa: BLE001 -- report and carry on: one broken figure must not hide the others
        import traceback

        log(traceback.format_exc())
        results.add(name, f"FAILED: {type(exc).__name__}: {str(exc)[:80]}", "—", "—", "—")


def _rescore_stage(results: Results, database_url: str) -> None:
    figures = results.figures
    seconds, scored, peak_mb = rescore_in_subprocess(database_url)
    floor = read_floor()
    figures["rescore_x_read_floor"] = _ratio(seconds, floor)
    figures["rescore_peak_mb"] = round(peak_mb)
    results.add("rescore_x_read_floor", f"{seconds:.1f} s ({scored} posts)", f"{floor:.2f} s",
                f"{figures['rescore_x_read_floor']:.1f}", f"≤ {TARGETS['rescore']}")
    results.add("rescore_peak_mb", f"{peak_mb:.0f} MB", "—", "—", f"≤ {TARGETS['rescore_mb']}")


def _queries_stage(results: Results, large_urls: dict[str, str], small_urls: dict[str, str]) -> None:
    figures = results.figures
    figures["queries_small"] = query_counts({k: v for k, v in small_urls.items() if k != "timeseries_365d"})
    figures["queries_large"] = query_counts({k: v for k, v in large_urls.items() if k != "timeseries_365d"})
    same = figures["queries_small"] == figures["queries_large"]
    results.add("queries_large (floor: queries_small)", json.dumps(figures["queries_large"]),
                json.dumps(figures["queries_small"]), "equal" if same else "DIFFER", "equal")


def _pages_stage(results: Results, base: str, password: str, urls: dict[str, str]) -> None:
    times = page_times(base, password, urls)
    trivial = p95(times["login"])
    for name in urls:
        key = f"{name}_p95_x_trivial"
        results.figures[key] = _ratio(p95(times[name]), trivial)
        results.add(key, f"{p95(times[name]) * 1000:.0f} ms", f"{trivial * 1000:.0f} ms",
                    f"{results.figures[key]:.1f}", f"≤ {TARGETS['p95']}")


def _ingest_stage(results: Results, access_log: Path, org: Organization, log: Callable[[str], None]) -> float:
    """Ingestion and request figures; returns the YouTube Data API requests per refresh batch."""
    spent = floor_total = 0.0
    requests_x: dict[str, float] = {}
    per_batch = 1.0
    for platform in ("x", "youtube", "facebook", "instagram"):
        run = ingest_platform(platform, access_log=access_log, org=org)
        log(f"ingestion {platform}: {json.dumps(run)}")
        spent += run["seconds"] - run["http"]
        floor_total += run["floor"]
        minimum = math.ceil(INGEST_POSTS / PER_REQUEST_LIMIT[platform])
        requests_x[platform] = round(run["requests"] / minimum, 2)
        note = f" ({run['data_api_requests']:.0f} Data API)" if platform == "youtube" else ""
        results.add(f"requests_x_minimum.{platform}", f"{run['requests']:.0f} requests{note}", f"{minimum}",
                    f"{requests_x[platform]:.2f}", "1.00")
        if platform == "youtube":
            per_batch = run["data_api_requests"] / max(1, run["batches"])
    results.figures["requests_x_minimum"] = requests_x
    results.figures["ingest_x_bulk_insert_floor"] = _ratio(spent, floor_total)
    results.add("ingest_x_bulk_insert_floor", f"{spent:.2f} s (less HTTP)", f"{floor_total:.2f} s",
                f"{results.figures['ingest_x_bulk_insert_floor']:.1f}", f"≤ {TARGETS['ingest']}")
    return per_batch


def _units_stage(results: Results, per_batch: float, sync_requests: tuple[int, int],
                 log: Callable[[str], None]) -> None:
    """The real tick and cadence in simulated time (simulation.py), priced by what the ingestion stage
    measured at the sandbox: Data API requests per refresh batch, per sync, and for the subscriber count
    (a first sync's requests beyond a later one's)."""
    cost = simulation.youtube_units_per_day(channels=100, posts=10_000)
    log(f"youtube cadence: {json.dumps(dataclasses.asdict(cost))}")
    first, later = sync_requests
    units = round(cost.videos_list_calls_per_day * per_batch + cost.syncs_per_day * later
                  + cost.stats_reads_per_day * (first - later))
    results.figures["youtube_units_per_day_100_channels_10k_posts"] = units
    results.add("youtube_units_per_day_100_channels_10k_posts",
                f"{units} units ({cost.videos_list_calls_per_day:.0f} videos.list of {cost.videos_per_call:.1f} "
                f"videos, {cost.syncs_per_day:.0f} syncs x {later}, {cost.stats_reads_per_day:.0f} x {first - later})",
                "10000 quota", f"{units / 10000:.2f}", f"≤ {TARGETS['units']}")


def _import_stage(results: Results, org: Organization) -> None:
    imported = import_export(org=org)
    results.figures["import_x_copy_floor"] = _ratio(imported["seconds"], imported["floor"])
    results.add("import_x_copy_floor", f"{imported['seconds']:.1f} s ({imported['imported']} rows)",
                f"{imported['floor']:.2f} s", f"{results.figures['import_x_copy_floor']:.1f}",
                f"≤ {TARGETS['import']}")


def _per_year_stage(results: Results) -> None:
    per_year = snapshots_per_post_year(dt.datetime(2026, 1, 1, 9, 17, tzinfo=UTC))
    results.figures["snapshots_per_post_year"] = per_year
    results.add("snapshots_per_post_year", str(per_year), "8760", f"{per_year / 8760:.3f}", f"≤ {TARGETS['per_year']}")


# Stages `--only` can pick; the data set is generated only for those that read it, gunicorn started only
# for those that talk to it. "units" uses what "ingestion" measures, so it brings ingestion along.
STAGES = ("rescore", "queries", "per-year", "pages", "ingestion", "units", "import")
NEEDS_DATASET = {"rescore", "queries", "pages"}
NEEDS_SERVER = {"pages", "ingestion"}


def stages_chosen(only: str | None) -> set[str]:
    """The stages named in `--only a,b` (every stage when not given); unknown names are refused."""
    if not only:
        return set(STAGES)
    chosen = {name.strip() for name in only.split(",") if name.strip()}
    unknown = chosen - set(STAGES)
    if unknown or not chosen:
        raise ValueError(f"unknown stage(s) {', '.join(sorted(unknown)) or '(none)'}; choose from {', '.join(STAGES)}")
    if "units" in chosen:
        chosen.add("ingestion")
    return chosen


def run_bench(*, posts: int, snapshots: int, accounts: int, log: Callable[[str], None],
              stages: set[str] | None = None) -> Results:
    stages = set(STAGES) if stages is None else stages
    password = uuid.uuid4().hex
    size = dataset.dataset_size_for(posts, snapshots, accounts)
    results = Results(size={"database": connection.vendor, "posts": posts, "snapshots": 0, "accounts": accounts},
                      log=log)
    from celery import current_app

    # Follow-up jobs (roll-ups, scores) that ingestion and imports enqueue go nowhere: nothing here runs them.
    current_app.conf.broker_url = "memory://"
    started = time.perf_counter()
    with bench_database() as database_url, tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        large_urls: dict[str, str] = {}
        small_urls: dict[str, str] = {}
        if stages & NEEDS_DATASET:
            big = dataset.dataset_generate(size, username=BENCH_USER, password=password, score=False, log=log)
            results.size["snapshots"] = big["snapshots"]
            log(f"data set: {json.dumps(big)}")
            small = dataset.dataset_generate(dataset.DatasetSize(1, 4, 100, size.snapshots_per_post),
                                             username=BENCH_USER, password=password, score=False)
            large_urls = _page_urls(campaign_id=big["biggest_campaign"], org_id=big["organizations"][0])
            small_urls = _page_urls(campaign_id=small["biggest_campaign"], org_id=small["organizations"][0])
        if "rescore" in stages:
            with _stage("rescoring", results, log, started):
                _rescore_stage(results, database_url)
        if "queries" in stages:
            with _stage("queries", results, log, started):
                _queries_stage(results, large_urls, small_urls)
        if "per-year" in stages:
            with _stage("per-year", results, log, started):
                _per_year_stage(results)
        per_batch, sync_requests = 1.0, (0, 0)
        org = Organization.objects.create(name="Bench ingestion", slug=f"bench-ingest-{uuid.uuid4().hex[:8]}")
        if stages & NEEDS_SERVER:
            with gunicorn(database_url, Path(tmp)) as (base, access_log):
                if "pages" in stages:
                    with _stage("pages", results, log, started):
                        _pages_stage(results, base, password, large_urls)
                settings.PLATFORM_API_BASE = base + "/sandbox"
                if "ingestion" in stages:
                    with _stage("ingestion", results, log, started):
                        per_batch = _ingest_stage(results, access_log, org, log)
                        sync_requests = youtube_sync_requests(access_log=access_log, org=org)
        if "units" in stages:
            with _stage("youtube units", results, log, started):
                _units_stage(results, per_batch, sync_requests, log)
        if "import" in stages:
            with _stage("import", results, log, started):
                _import_stage(results, org)
    # Every figure of BENCH.md is in the file; those of stages not run are null.
    results.figures = {key: results.figures.get(key) for key in ORDER}
    log(f"bench finished in {time.perf_counter() - started:.0f} s")
    return results


def results_write(results: Results, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"size": results.size, "figures": results.figures}, indent=2) + "\n")


def results_table(results: Results) -> str:
    header = Row("figure", "measured", "floor", "ratio", "target")
    rows = [header, *results.table]
    widths = [max(len(getattr(r, f)) for r in rows) for f in ("figure", "measured", "floor", "ratio", "target")]
    lines = []
    for r in rows:
        cells = [r.figure, r.measured, r.floor, r.ratio, r.target]
        lines.append("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    return "\n".join(lines)


# --- make load ----------------------------------------------------------------------------------------------

@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    by_role: dict[str, int]
    error_samples: list[str]
    # page name → its latencies, for p50/p95 per page
    by_page: dict[str, list[float]] = field(default_factory=dict)


def _user_loop(role: str, base: str, password: str, token: str, urls: dict[str, str], until: float,
               result: LoadResult, lock: Any) -> None:
    """One simulated user: managers on dashboards, editors on the calendar, API clients on the API."""
    paths = {"manager": [("dashboard", urls["dashboard"]), ("overview", urls["overview"])],
             "editor": [("calendar", urls["calendar"]), ("calendar week", urls["calendar"] + "&view=week")],
             "api": [("api time series 30 d", urls["timeseries_30d"]),
                     ("api dashboard", f"/api/v1/dashboards/campaigns/{urls['campaign_id']}/")]}[role]
    if role == "api":
        session = requests.Session()
        session.headers["Authorization"] = f"Token {token}"
    else:
        session = _login(base, password)
    n = 0
    while time.monotonic() < until:
        page, path = paths[n % len(paths)]
        n += 1
        start = time.perf_counter()
        try:
            answer = session.get(base + path, timeout=120)
            failed = answer.status_code != 200
            problem = f"{answer.status_code} {path}"
        except requests.RequestException as exc:
            failed, problem = True, f"{type(exc).__name__} {path}"
        took = time.perf_counter() - start
        with lock:
            result.requests += 1
            result.latencies.append(took)
            result.by_page.setdefault(page, []).append(took)
            result.by_role[role] = result.by_role.get(role, 0) + 1
            if failed:
                result.errors += 1
                if len(result.error_samples) < 5:
                    result.error_samples.append(problem)


def run_load(*, users: int, seconds: int, posts: int, snapshots: int, accounts: int, workers: int,
             log: Callable[[str], None]) -> LoadResult:
    """`make load`: `users` concurrent users for `seconds` against gunicorn on a generated data set."""
    import threading

    from campaigns.tokens import token_create

    password = uuid.uuid4().hex
    size = dataset.dataset_size_for(posts, snapshots, accounts)
    with bench_database() as database_url, tempfile.TemporaryDirectory(prefix="load-") as tmp:
        made = dataset.dataset_generate(size, username=BENCH_USER, password=password, log=log)
        log(f"data set: {json.dumps(made)}")
        _token, key = token_create(user=get_user_model().objects.get(username=BENCH_USER), name="load")
        urls: dict[str, Any] = _page_urls(campaign_id=made["biggest_campaign"], org_id=made["organizations"][0])
        urls["campaign_id"] = made["biggest_campaign"]
        with gunicorn(database_url, Path(tmp), workers=workers) as (base, _log):
            roles = ["manager", "editor", "api"]
            result = LoadResult(0, 0, 0.0, [], {}, [])
            lock = threading.Lock()
            sessions_ready = time.monotonic()
            until = sessions_ready + seconds
            threads = [threading.Thread(target=_user_loop, daemon=True,
                                        args=(roles[i % 3], base, password, key, urls, until, result, lock))
                       for i in range(users)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=seconds + 300)
            result.seconds = time.monotonic() - sessions_ready
    return result


def _percentile_ms(values: list[float], q: float) -> float:
    ordered = sorted(values) or [0.0]
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000


def load_report(result: LoadResult, users: int) -> str:
    pct = lambda q: _percentile_ms(result.latencies, q)  # noqa: E731
    lines = [f"{users} users, {result.seconds:.0f} s: {result.requests} requests, "
             f"{result.requests / max(result.seconds, 1e-9):.1f} requests/s, p50 {pct(0.5):.0f} ms, "
             f"p95 {pct(0.95):.0f} ms, p99 {pct(0.99):.0f} ms, errors {result.errors}"
             f" ({', '.join(result.error_samples) or 'none'}); by role {json.dumps(result.by_role)}"]
    for page, times in sorted(result.by_page.items()):
        lines.append(f"  {page}: {len(times)} requests, p50 {_percentile_ms(times, 0.5):.0f} ms, "
                     f"p95 {_percentile_ms(times, 0.95):.0f} ms")
    return "\n".join(lines)
