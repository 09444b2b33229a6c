"""Adaptive refresh cadence: how soon a post's metrics are read again. Pure: no Django, no I/O.

Young posts move fast (most of a post's engagement comes in its first day or two), so they are read
hourly; the long tail is read ever more rarely: weekly to three months, then every four weeks. Together
with the retention rule (retention.py) that keeps at most 100 stored readings per post-year. Posts of
archived campaigns are never read again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

HOUR = dt.timedelta(hours=1)
# (age below which, interval) — the first matching row wins.
STEPS: tuple[tuple[dt.timedelta, dt.timedelta], ...] = (
    (dt.timedelta(days=2), HOUR),
    (dt.timedelta(days=7), dt.timedelta(hours=6)),
    (dt.timedelta(days=30), dt.timedelta(days=1)),
    (dt.timedelta(days=90), dt.timedelta(days=7)),
)
# Past three months a post's figures barely move: a reading every four weeks keeps the curve's tail.
OLD = dt.timedelta(days=28)
# Account syncs (new posts, followers): every 30 minutes while the account publishes, less once it
# is quiet. At 30 minutes a YouTube sync alone costs 96 units a channel a day (two a sync), so a
# hundred quiet channels would spend a tenth of the 10,000-unit quota on finding nothing.
SYNC_STEPS: tuple[tuple[dt.timedelta, dt.timedelta], ...] = (
    (dt.timedelta(days=2), dt.timedelta(minutes=30)),
    (dt.timedelta(days=14), dt.timedelta(hours=2)),
)
QUIET_SYNC_INTERVAL = dt.timedelta(hours=6)


# Posts younger than this keep their cadence whatever the budget: their readings are the curve's shape.
YOUNG = STEPS[0][0]


@dataclass(frozen=True)
class Slowdown:
    """A budget's plan (metrics/ingestion/budgets.py): posts at least `from_age` old are read `factor`
    times less often. Chosen from the oldest posts down, never below YOUNG."""

    from_age: dt.timedelta
    factor: int

    def __post_init__(self) -> None:
        if self.from_age < YOUNG or self.factor < 1:
            raise ValueError("a slowdown never touches posts younger than two days, nor speeds reading up")


def refresh_interval(age: dt.timedelta, slow: Slowdown | None = None) -> dt.timedelta:
    interval = next((interval for limit, interval in STEPS if age < limit), OLD)
    if slow is not None and age >= slow.from_age:
        return interval * slow.factor
    return interval


def account_sync_interval(*, newest_published_at: dt.datetime | None, now: dt.datetime) -> dt.timedelta:
    """How long until the next sync, from how recently the account last published (None: never seen)."""
    if newest_published_at is None:
        return SYNC_STEPS[0][1]
    for limit, interval in SYNC_STEPS:
        if now - newest_published_at < limit:
            return interval
    return QUIET_SYNC_INTERVAL


# Every account's due times sit on its own hourly grid (the Unix epoch plus its phase): an account's
# posts then come due together and share a request where a request is what costs (a videos.list or
# a Graph ids= call reads 50 posts for the price of one), while accounts' grids stay spread out.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
GOLDEN = (5 ** 0.5 - 1) / 2


def account_phase(account_id: int) -> dt.timedelta:
    """Where in the hour the account's grid sits: consecutive ids land far apart (golden-ratio steps)."""
    return dt.timedelta(seconds=round((account_id * GOLDEN) % 1 * 3600))


def aligned(moment: dt.datetime, *, interval: dt.timedelta, account_id: int) -> dt.datetime:
    """The first point of the account's grid for `interval` at or after `moment`."""
    origin = EPOCH + account_phase(account_id)
    steps = -((origin - moment) // interval)  # ceiling division of timedeltas
    return origin + steps * interval


def next_refresh_at(
    *, published_at: dt.datetime | None, now: dt.datetime, archived: bool = False, account_id: int = 0,
    slow: Slowdown | None = None,
) -> dt.datetime | None:
    """When to read the post next; None means never (its campaign is archived).

    Half an interval from now, rounded up to the account's grid for that interval: the wait is between
    a half and one and a half intervals, one interval on average, and posts of one age band of one
    account share their due time. The grids of longer intervals lie on the hourly one, so a daily
    post comes due with the hourly ones that are due then.
    """
    if archived:
        return None
    age = now - published_at if published_at else dt.timedelta(0)
    interval = refresh_interval(max(age, dt.timedelta(0)), slow)
    return aligned(now + interval / 2, interval=interval, account_id=account_id)


def top_up_eligible(*, now: dt.datetime, last_refreshed_at: dt.datetime | None, next_refresh_at: dt.datetime) -> bool:
    """Whether a post not yet due may fill a batch's free places: once half its wait has passed.

    A place in a batch that is sent anyway costs nothing, but reading a post every time there is room
    would read it every hour; past half its wait, a post is read at most twice as often as its cadence.
    """
    if last_refreshed_at is None:
        return True
    return now - last_refreshed_at >= (next_refresh_at - last_refreshed_at) / 2
