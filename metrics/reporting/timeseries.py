"""Time series of cumulative metrics, bucketed by day or week (UTC), latest snapshot per bucket.

A post's figures in a bucket are those of its last snapshot up to the end of that bucket, carried
forward when a bucket has no new reading; a campaign's are the sum over its posts. Posts' series are
read from the daily roll-ups and summed by the database (their cost grows with buckets, not readings);
accounts' from their snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum

from campaigns.models import Post
from metrics.models import AccountSnapshot, DailyPostRollup
from metrics.reporting.selectors.common import latest_rollups
from metrics.vocabulary import POST_METRICS, interactions_of

MAX_BUCKETS = {"day": 366, "week": 260}
# How far before the range a campaign's posts are looked up to carry their figures forward.
CARRY_WINDOW = dt.timedelta(days=60)


@dataclass(frozen=True)
class Bucket:
    start: dt.date
    end: dt.datetime  # exclusive, UTC


def buckets(*, start: dt.date, end: dt.date, interval: str) -> list[Bucket]:
    """Day buckets, or weeks starting on Monday, covering start..end (dates inclusive)."""
    step = dt.timedelta(days=1 if interval == "day" else 7)
    first = start if interval == "day" else start - dt.timedelta(days=start.weekday())
    out = []
    day = first
    while day <= end:
        out.append(Bucket(start=day, end=dt.datetime.combine(day + step, dt.time(), tzinfo=dt.UTC)))
        day += step
    return out


def _start_dt(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _carry(readings: Iterable[tuple], spans: list[Bucket], width: int) -> list[list | None]:
    """For readings (key, slot, *values) sorted by slot: per bucket, the sum over keys of each key's
    latest values up to the bucket's end (None where no key has a reading yet or a value is NULL)."""
    latest: dict = {}
    out: list[list | None] = []
    readings = iter(readings)
    pending = next(readings, None)
    for span in spans:
        while pending is not None and pending[1] < span.end:
            latest[pending[0]] = pending[2:]
            pending = next(readings, None)
        if not latest:
            out.append(None)
            continue
        totals: list = []
        for index in range(width):
            values = [v[index] for v in latest.values() if v[index] is not None]
            totals.append(sum(values) if values else None)
        out.append(totals)
    return out


def _add(totals: list[int | None], values: Iterable[int | None]) -> None:
    """Add values in, None-aware: a metric no post gave stays None, never 0."""
    for index, value in enumerate(values):
        if value is not None:
            totals[index] = (totals[index] or 0) + value


def post_series(*, post_ids: list[int] | QuerySet, start: dt.date, end: dt.date, interval: str):
    """The posts' summed figures at the end of each bucket, in two queries whatever the readings.

    A post's roll-up rows run without a gap from its first reading's day to its last's, so at a
    bucket's last day the posts are those with a row that day (summed in SQL) plus those whose rows
    ended before it (their last row, carried). As before, a post counts from its first reading in
    CARRY_WINDOW before the range.
    """
    spans = buckets(start=start, end=end, interval=interval)
    last_days = [(span.end - dt.timedelta(days=1)).date() for span in spans]
    since = spans[0].start - CARRY_WINDOW
    rows = DailyPostRollup.objects.filter(post_id__in=post_ids, day__gte=since, day__lte=last_days[-1])
    on_day: dict[dt.date, dict[str, Any]] = {
        r["day"]: dict(r) for r in rows.filter(day__in=last_days).order_by().values("day")
        .annotate(posts=Count("id"), **{m: Sum(m) for m in POST_METRICS})
    }
    # Posts whose last row in the window comes before the last bucket's end: their final figures.
    latest = latest_rollups(Post.objects.filter(id__in=post_ids), on_or_before=last_days[-1], metrics=POST_METRICS)
    finals = sorted(((r["day"], *(r[m] for m in POST_METRICS)) for r in latest.values()
                     if since <= r["day"] < last_days[-1]), key=lambda row: row[0])
    ended: list[int | None] = [None] * len(POST_METRICS)
    ended_posts = 0
    points = []
    next_final = 0
    for span, day in zip(spans, last_days, strict=True):
        while next_final < len(finals) and finals[next_final][0] < day:
            _add(ended, finals[next_final][1:])
            ended_posts += 1
            next_final += 1
        point: dict[str, Any] = {"bucket_start": span.start, **dict.fromkeys(POST_METRICS)}
        today = on_day.get(day)
        if today is not None or ended_posts:
            totals = list(ended)
            if today is not None:
                _add(totals, (today[m] for m in POST_METRICS))
            point.update(zip(POST_METRICS, totals, strict=True))
        point["interactions"] = interactions_of(point)
        points.append(point)
    return points


def account_series(*, account_id: int, start: dt.date, end: dt.date, interval: str):
    spans = buckets(start=start, end=end, interval=interval)
    rows = (
        AccountSnapshot.objects.filter(
            account_id=account_id, slot__gte=_start_dt(spans[0].start) - CARRY_WINDOW, slot__lt=spans[-1].end
        )
        .order_by("slot", "captured_at")
        .values_list("account_id", "slot", "followers")
    )
    totals = _carry(rows.iterator(chunk_size=2000), spans, 1)
    return [
        {"bucket_start": span.start, "followers": values[0] if values else None}
        for span, values in zip(spans, totals, strict=True)
    ]
