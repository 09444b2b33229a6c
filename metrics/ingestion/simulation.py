"""What the refresh cadence costs a day, found by running the real tick in simulated time.

`youtube_units_per_day` builds channels and videos of all ages in the database, then steps a clock
from one due moment to the next and, at each, runs the real claiming code (`tick.claim_due_accounts`,
`tick.claim_due_batches`) and the real cadence (`cadence.next_refresh_at`) for what a worker would
do with each claim, without HTTP: a batch costs one `videos.list` call (1 unit for up to 50 ids), a
sync the units the connector spends on it. New videos keep being published at the same rate, so
the figure is a steady state. Everything is rolled back at the end: the caller's database is left
as it was. `make bench` calls it; so do the tests, at a small size.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from campaigns.models import Account, Organization, Post
from metrics.connectors.youtube import LISTING_UNITS, STATS_INTERVAL, STATS_UNITS, VIDEOS_LIMIT
from metrics.ingestion import budgets, cadence, tick
from metrics.models import AccountIngestionState, PostTracking

YEAR = dt.timedelta(days=365)
# Beat ticks every minute: nothing can come due between two ticks.
TICK = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class CadenceCost:
    channels: int
    posts: int
    days: float
    units_per_day: float
    videos_list_calls_per_day: float
    syncs_per_day: float
    videos_per_call: float
    # What budgets.cost_between projected, at the start of the measured span, for that span.
    projected_units_per_day: float = 0.0
    # channels.list calls for subscriber counts, at most one a channel per STATS_INTERVAL.
    stats_reads_per_day: float = 0.0


class _Rollback(Exception):
    pass


def youtube_units_per_day(*, channels: int = 100, posts: int = 10_000, warmup: dt.timedelta = dt.timedelta(days=2),
                          measured: dt.timedelta = dt.timedelta(days=1), seed: int = 11,
                          start: dt.datetime | None = None) -> CadenceCost:
    """Data API units a day for `channels` channels with `posts` videos published over the past year."""
    start = (start or timezone.now()).replace(second=0, microsecond=0)
    rng = random.Random(seed)
    result: CadenceCost | None = None
    try:
        with transaction.atomic():
            result = _run(channels=channels, posts=posts, warmup=warmup, measured=measured, rng=rng, start=start)
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


def _run(*, channels: int, posts: int, warmup: dt.timedelta, measured: dt.timedelta, rng: random.Random,
         start: dt.datetime) -> CadenceCost:
    org = Organization.objects.create(name="Cadence simulation", slug=f"cadence-simulation-{rng.randrange(10**9)}")
    accounts = []
    for n in range(channels):
        acc = Account(organization=org, platform="youtube", handle=f"sim{n}", platform_id=f"UCsimulation{n:013d}")
        acc.set_access_token("simulated")
        accounts.append(acc)
    Account.objects.bulk_create(accounts)
    accounts = list(Account.objects.filter(organization=org))
    end = start + warmup + measured
    # Published uniformly over the year before `end`: the ones still in the future appear as the clock passes them.
    schedule = sorted((start - YEAR + (end - start + YEAR) * rng.random(), rng.choice(accounts).pk)
                      for _ in range(round(posts * (1 + (end - start) / YEAR))))
    published = [s for s in schedule if s[0] <= start]
    upcoming = [s for s in schedule if s[0] > start]
    _publish(published, org)
    tick.tracking_sync(now=start)
    _spread(start, rng)
    measure_from = start + warmup
    calls = syncs = videos = stats = 0
    projected = None
    stats_read_at: dict[int, dt.datetime] = {}
    now = start
    while now < end:
        if projected is None and now >= measure_from:
            projected, _, _ = budgets.cost_between(Account.objects.filter(organization=org), platform="youtube",
                                                   now=now, end=end)
        due_now = [s for s in upcoming if s[0] <= now]
        if due_now:
            upcoming = upcoming[len(due_now):]
            _publish(due_now, org)
            tick.tracking_sync(now=now)  # the tick does it every minute; it only matters after a publication
        synced = tick.claim_due_accounts(now=now, account_ids=[a.pk for a in accounts])
        batches = tick.claim_due_batches(now=now, account_ids=[a.pk for a in accounts])
        for batch in batches:
            _read(batch.claim_id, now)
        stats_due = [a for a in synced if a not in stats_read_at or stats_read_at[a] + STATS_INTERVAL <= now]
        stats_read_at.update({a: now for a in stats_due})
        if now >= measure_from:
            syncs += len(synced)
            stats += len(stats_due)
            calls += sum(math.ceil(b.size / VIDEOS_LIMIT) for b in batches)
            videos += sum(b.size for b in batches)
        now = _next_event(now, upcoming, [a.pk for a in accounts], end)
    days = measured / dt.timedelta(days=1)
    return CadenceCost(channels=channels, posts=posts, days=days,
                       units_per_day=(calls + syncs * LISTING_UNITS + stats * STATS_UNITS) / days,
                       videos_list_calls_per_day=calls / days, syncs_per_day=syncs / days,
                       videos_per_call=videos / calls if calls else 0.0, stats_reads_per_day=stats / days,
                       projected_units_per_day=float(projected or 0) / days)


def _publish(items: list[tuple[dt.datetime, int]], org: Organization) -> None:
    Post.objects.bulk_create([
        Post(account_id=account_id, status=Post.Status.PUBLISHED, published_at=at, format="video",
             platform_post_id=f"sim{at.timestamp():.0f}{account_id}{i}")
        for i, (at, account_id) in enumerate(items)
    ], batch_size=1000)


def _spread(start: dt.datetime, rng: random.Random) -> None:
    """Start in a steady state: each post last read at a random point of its wait, not all due at once."""
    trackings = list(PostTracking.objects.select_related("post"))
    for tracking in trackings:
        published = tracking.post.published_at or start
        last = start - cadence.refresh_interval(start - published) * rng.random()
        tracking.last_refreshed_at = last
        tracking.next_refresh_at = cadence.next_refresh_at(published_at=published, now=last,
                                                           account_id=tracking.post.account_id) or start
    PostTracking.objects.bulk_update(trackings, ["last_refreshed_at", "next_refresh_at"], batch_size=1000)


def _read(claim_id: str, now: dt.datetime) -> None:
    """What a worker's batch leaves behind: each post due again when the cadence says, unclaimed."""
    claimed = PostTracking.objects.filter(claim_id=claim_id).values_list("post_id", "post__published_at",
                                                                         "post__account_id")
    by_next: dict[dt.datetime | None, list[int]] = defaultdict(list)
    for post_id, published_at, account_id in claimed:
        by_next[cadence.next_refresh_at(published_at=published_at, now=now, account_id=account_id)].append(post_id)
    for following, post_ids in by_next.items():
        PostTracking.objects.filter(pk__in=post_ids).update(next_refresh_at=following, last_refreshed_at=now,
                                                            claim_id=None, claimed_until=None)


def _next_event(now: dt.datetime, upcoming: list[tuple[dt.datetime, int]], account_ids: list[int],
                end: dt.datetime) -> dt.datetime:
    """The next beat tick at which anything is due (a post, a sync, a new video)."""
    moments = [end]
    post_due = PostTracking.objects.filter(post__account_id__in=account_ids).aggregate(m=Min("next_refresh_at"))["m"]
    sync_due = AccountIngestionState.objects.filter(account_id__in=account_ids).aggregate(
        m=Min("next_account_refresh_at"))["m"]
    moments += [m for m in (post_due, sync_due) if m]
    if upcoming:
        moments.append(upcoming[0][0])
    following = min(moments)
    # Round up to the beat's minute, and always move on.
    ticks = math.ceil((following - now) / TICK)
    return now + TICK * max(ticks, 1)
