"""Time series of cumulative metrics, bucketed by day or week (UTC), latest snapshot per bucket.

A post's figures in a bucket are those of its last snapshot up to the end of that bucket, carried
forward when a bucket has no new reading; a campaign's are the sum over its posts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from metrics.models import AccountSnapshot, PostMetricSnapshot
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


def post_series(*, post_ids: list[int], start: dt.date, end: dt.date, interval: str, carry_from: dt.datetime | None):
    spans = buckets(start=start, end=end, interval=interval)
    since = carry_from if carry_from is not None else _start_dt(spans[0].start) - CARRY_WINDOW
    rows = (
        PostMetricSnapshot.objects.filter(post_id__in=post_ids, slot__gte=since, slot__lt=spans[-1].end)
        .order_by("slot", "captured_at")
        .values_list("post_id", "slot", *POST_METRICS)
    )
    totals = _carry(rows.iterator(chunk_size=2000), spans, len(POST_METRICS))
    points = []
    for span, values in zip(spans, totals, strict=True):
        point: dict[str, Any] = {"bucket_start": span.start, **dict.fromkeys(POST_METRICS)}
        if values is not None:
            point.update(zip(POST_METRICS, values, strict=True))
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
