"""Adaptive refresh cadence: how soon a post's metrics are read again. Pure: no Django, no I/O.

Young posts move fast (most of a post's engagement comes in its first day or two), so they are read
hourly; the long tail is read ever more rarely: weekly to three months, then every four weeks. Together
with the retention rule (retention.py) that keeps at most 100 stored readings per post-year. Posts of
archived campaigns are never read again.
"""

from __future__ import annotations

import datetime as dt

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


def refresh_interval(age: dt.timedelta) -> dt.timedelta:
    for limit, interval in STEPS:
        if age < limit:
            return interval
    return OLD


def next_refresh_at(
    *, published_at: dt.datetime | None, now: dt.datetime, archived: bool = False
) -> dt.datetime | None:
    """When to read the post next; None means never (its campaign is archived)."""
    if archived:
        return None
    age = now - published_at if published_at else dt.timedelta(0)
    return now + refresh_interval(max(age, dt.timedelta(0)))
