"""A generated data set at a ministry network's scale, for benchmarks and load tests (`manage.py generate_dataset`).

Dev tooling, like the demo: it may read the platform sandbox. Every post's readings follow the sandbox's
own curve (`synthetic.lifetime_share`) times the post's lifetime figures (`synthetic.post_metrics`), so
the numbers look like what ingestion would have stored. Readings are dense while a post is young and
sparse later, as the refresh cadence reads them.

Rows go in fast: COPY on PostgreSQL, one prepared INSERT run over many rows elsewhere (SQLite). The daily
roll-ups are written here from the same readings, by the rule `reporting.rollups` applies (the day's last
reading, carried forward to the last reading), because recomputing them from the database would cost more
than generating everything; tests/metrics/test_dataset.py checks they equal what the roll-up service writes.
Scores come from the real scoring service.

Accounts are left without a token, so a running worker never tries to read these made-up posts.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from campaigns.choices import Role
from campaigns.models import Account, Campaign, Membership, Organization, Post
from metrics import partitions
from metrics.demo import sandbox_snapshot_fields
from metrics.models import AccountSnapshot, DailyAccountRollup, DailyPostRollup, PostMetricSnapshot
from metrics.sandbox import synthetic
from metrics.sandbox.synthetic.accounts import FORMAT_MIX, hash_unit
from metrics.scoring import service as scoring_service
from metrics.vocabulary import INTERACTION_PARTS, POST_METRICS, ROLLUP_METRICS

UTC = dt.UTC
HOUR = dt.timedelta(hours=1)
PLATFORMS = ("facebook", "instagram", "x", "youtube")
PLATFORM_ID_PREFIX = {"facebook": "1048576", "instagram": "178414", "x": "13000", "youtube": "UCgen"}
HISTORY_DAYS = synthetic.HISTORY_DAYS  # posts are spread over the sandbox's ~6 months of history
BIGGEST_CAMPAIGN_SHARE = 0.4  # of all posts, taken from the first organization's posts
CAMPAIGN_POSTS = 250  # the other campaigns: about this many posts each
WITHOUT_CAMPAIGN_EVERY = 10  # one post in ten belongs to no campaign
FLUSH_POSTS = 500  # posts whose rows are generated before they are written
GENERATED_VERSION = "generated"
SNAPSHOT_COLUMNS = ("post_id", "source", "slot", "captured_at", "api_version", *POST_METRICS, "extra")
ROLLUP_COLUMNS = ("post_id", "campaign_id", "account_id", "day", *ROLLUP_METRICS, "interactions")
EXTRA = json.dumps({"generated": True})


@dataclass(frozen=True)
class DatasetSize:
    organizations: int = 2
    accounts_per_org: int = 20
    posts: int = 10_000
    snapshots_per_post: int = 100


def reading_hours(age_hours: int, count: int) -> list[int]:
    """Distinct whole-hour ages (1 … age_hours) of `count` readings: geometric, dense while young."""
    if age_hours <= count:
        return list(range(1, age_hours + 1))
    out: list[int] = []
    for k in range(count):
        target = round(age_hours ** (k / (count - 1))) if count > 1 else age_hours
        out.append(max(out[-1] + 1 if out else 1, target))
    return out


# --- writing rows fast ------------------------------------------------------------------------------------

def _timestamp(value: dt.datetime, *, postgres: bool) -> str:
    """A UTC time as the database takes it in text (SQLite: Django's naive UTC form)."""
    return value.isoformat() if postgres else value.replace(tzinfo=None).isoformat(" ")


def rows_write(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
    """Append rows to a table: COPY on PostgreSQL, one prepared INSERT run over all rows elsewhere."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            text = "".join("\t".join(r"\N" if v is None else str(v) for v in row) + "\n" for row in rows)
            with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
                copy.write(text)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})", rows)
    return len(rows)


# --- one post's readings and roll-ups ------------------------------------------------------------------------

def _synth_post(account: Account, index: int, published_at: dt.datetime) -> synthetic.SynthPost:
    platform = account.platform
    u = hash_unit("gen-format", account.platform_id, index)
    fmt, acc = FORMAT_MIX[platform][-1][0], 0.0
    for name, share in FORMAT_MIX[platform]:
        acc += share
        if u < acc:
            fmt = name
            break
    duration = 0
    if fmt in ("video", "live"):
        duration = 60 + int(hash_unit("gen-duration", account.platform_id, index) * 900)
    elif fmt == "short_video":
        duration = 8 + int(hash_unit("gen-duration", account.platform_id, index) * 52)
    profile = synthetic.profile(platform, account.platform_id)
    return synthetic.SynthPost(
        platform=platform, account_id=account.platform_id, post_id=f"gen{account.id}x{index}",
        published_at=published_at, format=fmt, title=f"Generated post {index} of {account.handle}",
        language="en", scale=1.0, countries=dict(profile.countries), duration_seconds=duration,
    )


def _post_rows(post: Post, sp: synthetic.SynthPost, *, now: dt.datetime, count: int,
               snapshots: list[tuple], rollups: list[tuple]) -> None:
    """Append the post's snapshot rows and its daily roll-up rows (the rule of reporting.rollups)."""
    postgres = connection.vendor == "postgresql"
    # The curve is 1 after ten years: the post's lifetime figures, which each reading takes its share of.
    final = synthetic.post_metrics(sp, sp.published_at + dt.timedelta(days=3650))
    lifetime = sandbox_snapshot_fields(sp.platform, final)
    totals = [lifetime.get(name) for name in POST_METRICS]
    rollup_at = [POST_METRICS.index(m) for m in ROLLUP_METRICS]
    parts_at = [POST_METRICS.index(m) for m in INTERACTION_PARTS]
    age_hours = int((now - sp.published_at) / HOUR)
    by_day: dict[dt.date, tuple] = {}
    for hours in reading_hours(age_hours, count):
        captured_at = sp.published_at + hours * HOUR
        share = synthetic.lifetime_share(sp, captured_at)
        values = [None if total is None else int(total * share) for total in totals]
        snapshots.append((post.id, "api", _timestamp(captured_at.replace(minute=0, second=0), postgres=postgres),
                          _timestamp(captured_at, postgres=postgres), GENERATED_VERSION, *values, EXTRA))
        parts = [values[i] for i in parts_at if values[i] is not None]
        by_day[captured_at.date()] = (*(values[i] for i in rollup_at), sum(parts) if parts else None)
    if not by_day:
        return
    days = sorted(by_day)
    day, current = days[0], by_day[days[0]]
    while day <= days[-1]:
        current = by_day.get(day, current)
        rollups.append((post.id, post.campaign_id, post.account_id, day.isoformat(), *current))
        day += dt.timedelta(days=1)


# --- the data set ----------------------------------------------------------------------------------------

def _user(username: str, password: str):
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.set_password(password)
    user.save()
    return user


def _accounts(orgs: list[Organization], per_org: int, run: str) -> list[Account]:
    accounts = []
    for o, org in enumerate(orgs):
        for a in range(per_org):
            platform = PLATFORMS[a % len(PLATFORMS)]
            number = int(hash_unit("gen-account", run, o, a) * 10**9)
            accounts.append(Account(organization=org, platform=platform, language="en",
                                    platform_id=f"{PLATFORM_ID_PREFIX[platform]}{number}",
                                    handle=f"{org.slug}-{platform}-{a}"))
    return Account.objects.bulk_create(accounts)


def _published_times(n: int, *, now: dt.datetime, salt: object) -> list[dt.datetime]:
    """n publication times spread over the history window, oldest first, at least an hour old."""
    span = (HISTORY_DAYS * 24 - 1) * 3600
    times = []
    for i in range(n):
        jitter = hash_unit("gen-time", salt, i) - 0.5
        seconds = span * (n - i - 0.5 + 0.8 * jitter) / n + 3600
        times.append((now - dt.timedelta(seconds=seconds)).replace(microsecond=0))
    return times


def _campaign(org: Organization, name: str, posts: list[Post]) -> Campaign:
    days = [p.published_at.date() for p in posts if p.published_at]
    return Campaign.objects.create(
        organization=org, name=name, start_date=min(days), end_date=max(days), status=Campaign.Status.ACTIVE,
        objective="Generated for benchmarks and load tests.",
    )


def _assign_campaigns(orgs: list[Organization], posts_by_org: dict[int, list[Post]], total: int) -> Campaign | None:
    """One big campaign in the first organization, the rest in campaigns of about CAMPAIGN_POSTS posts."""
    biggest = None
    for position, org in enumerate(orgs):
        posts = posts_by_org.get(org.id, [])  # account by account, each oldest first
        rest = posts
        if position == 0 and posts:
            want = min(len(posts), max(1, round(total * BIGGEST_CAMPAIGN_SHARE)))
            # Evenly through every account and month, as a long campaign's posts are.
            chosen = [p for j, p in enumerate(posts) if (j * want) // len(posts) != ((j + 1) * want) // len(posts)]
            biggest = _campaign(org, f"{org.name}: the big campaign", chosen)
            for p in chosen:
                p.campaign = biggest
            taken = {id(p) for p in chosen}
            rest = [p for p in posts if id(p) not in taken]
        rest = [p for j, p in enumerate(rest) if j % WITHOUT_CAMPAIGN_EVERY]
        for start in range(0, len(rest), CAMPAIGN_POSTS):
            chunk = rest[start:start + CAMPAIGN_POSTS]
            campaign = _campaign(org, f"{org.name}: campaign {start // CAMPAIGN_POSTS + 1}", chunk)
            for p in chunk:
                p.campaign = campaign
    return biggest


def _account_history(accounts: list[Account], *, now: dt.datetime) -> None:
    """A follower count a day for each account, and its daily roll-up."""
    postgres = connection.vendor == "postgresql"
    snapshots, rollups = [], []
    for account in accounts:
        for day in range(HISTORY_DAYS, -1, -1):
            at = (now - dt.timedelta(days=day)).replace(hour=0)
            followers = synthetic.followers(account.platform, account.platform_id, at)
            stamp = _timestamp(at, postgres=postgres)
            snapshots.append((account.id, "api", stamp, stamp, followers, EXTRA))
            rollups.append((account.id, at.date().isoformat(), followers))
    rows_write(AccountSnapshot._meta.db_table,
               ("account_id", "source", "slot", "captured_at", "followers", "extra"), snapshots)
    rows_write(DailyAccountRollup._meta.db_table, ("account_id", "day", "followers"), rollups)


def dataset_generate(size: DatasetSize, *, username: str, password: str, score: bool = True,
                     now: dt.datetime | None = None, log: Callable[[str], None] = lambda _m: None) -> dict:
    """Create the data set; returns what the command prints last (organization ids, counts, seconds)."""
    started = time.perf_counter()
    now = (now or dt.datetime.now(UTC)).replace(minute=0, second=0, microsecond=0)
    run = uuid.uuid4().hex[:8]
    with transaction.atomic():
        user = _user(username, password)
        orgs = [Organization.objects.create(name=f"Generated ministry {run} #{i + 1}", slug=f"gen-{run}-{i + 1}")
                for i in range(size.organizations)]
        Membership.objects.bulk_create([Membership(user=user, organization=o, role=Role.ADMIN) for o in orgs])
        accounts = _accounts(orgs, size.accounts_per_org, run)
        per_account, extra = divmod(size.posts, max(1, len(accounts)))
        synth: dict[int, tuple[Account, synthetic.SynthPost]] = {}
        posts_by_org: dict[int, list[Post]] = {}
        new_posts: list[Post] = []
        for a, account in enumerate(accounts):
            times = _published_times(per_account + (a < extra), now=now, salt=account.platform_id)
            for i, published_at in enumerate(times):
                sp = _synth_post(account, i, published_at)
                post = Post(account=account, status=Post.Status.PUBLISHED, planned_at=published_at,
                            published_at=published_at, platform_post_id=sp.post_id, format=sp.format,
                            title=sp.title, language=sp.language, created_by=user)
                synth[id(post)] = (account, sp)
                new_posts.append(post)
                posts_by_org.setdefault(account.organization_id, []).append(post)
        biggest = _assign_campaigns(orgs, posts_by_org, size.posts)
        Post.objects.bulk_create(new_posts, batch_size=2000)
        log(f"{len(orgs)} organizations, {len(accounts)} accounts, {len(new_posts)} posts "
            f"({time.perf_counter() - started:.1f} s)")

        # PostgreSQL: the months of history get their own partitions rather than the DEFAULT one.
        partitions.partitions_ensure(connection, since=(now - dt.timedelta(days=HISTORY_DAYS)).date(),
                                     until=now.date())
        snapshot_count = 0
        snapshots: list[tuple] = []
        rollups: list[tuple] = []
        for n, post in enumerate(new_posts, start=1):
            _post_rows(post, synth[id(post)][1], now=now, count=size.snapshots_per_post,
                       snapshots=snapshots, rollups=rollups)
            if n % FLUSH_POSTS == 0 or n == len(new_posts):
                snapshot_count += rows_write(PostMetricSnapshot._meta.db_table, SNAPSHOT_COLUMNS, snapshots)
                rows_write(DailyPostRollup._meta.db_table, ROLLUP_COLUMNS, rollups)
                snapshots, rollups = [], []
        _account_history(accounts, now=now)
        log(f"{snapshot_count} snapshots and their daily roll-ups ({time.perf_counter() - started:.1f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner needs to know the tables grew
            for model in (Post, PostMetricSnapshot, DailyPostRollup):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    scored = 0
    if score:
        scored = scoring_service.posts_rescore(post_ids=[p.id for p in new_posts])
        log(f"{scored} posts scored ({time.perf_counter() - started:.1f} s)")
    return {
        "organizations": [o.id for o in orgs],
        "biggest_campaign": biggest.id if biggest else None,
        "posts": len(new_posts),
        "snapshots": snapshot_count,
        "scored": scored,
        "seconds": round(time.perf_counter() - started, 1),
    }


def dataset_size_for(posts: int, snapshots: int, accounts: int) -> DatasetSize:
    """The size for a total of posts, snapshots and accounts (two organizations when there are enough accounts)."""
    organizations = 2 if accounts >= 2 else 1
    return DatasetSize(organizations=organizations, accounts_per_org=max(1, math.ceil(accounts / organizations)),
                       posts=posts, snapshots_per_post=max(1, round(snapshots / max(1, posts))))
