"""Adaptive refresh cadence: how soon a post's metrics are read again. Pure: no Django, no I/O.

Young posts move fast (most of a post's engagement comes in its first day or two), so they are read
hourly; the long tail is read ever more rarely. Posts of archived campaigns are never read again.
"""

from __future__ import annotations

import datetime as dt

HOUR = dt.timedelta(hours=1)
# (age below which, interval) — the first matching row wins.
STEPS: tuple[tuple[dt.timedelta, dt.timedelta], ...] = (
    (dt.timedelta(days=2), HOUR),
    (dt.timedelta(days=7), dt.timedelta(hours=6)),
    (dt.timedelta(days=30), dt.timedelta(days=1)),
)
AFTER_A_MONTH = dt.timedelta(days=7)


def refresh_interval(age: dt.timedelta) -> dt.timedelta:
    for limit, interval in STEPS:
        if age < limit:
            return interval
    return AFTER_A_MONTH


def next_refresh_at(
    *, published_at: dt.datetime | None, now: dt.datetime, archived: bool = False
) -> dt.datetime | None:
    """When to read the post next; None means never (its campaign is archived)."""
    if archived:
        return None
    age = now - published_at if published_at else dt.timedelta(0)
    return now + refresh_interval(max(age, dt.timedelta(0)))
