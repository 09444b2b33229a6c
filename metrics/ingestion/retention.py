"""Retention: old posts keep the shape of their curve, not every hourly reading of their first days.

What is kept, for ever, of a post older than THIN_AFTER (90 days):
- its first and its last reading, and every reading after its first 48 hours (the cadence already reads
  those at most four times a day, then daily, weekly, and every four weeks);
- within the first 48 hours: every reading of the first 12 hours, then the first of each 3-hour span;
- the last reading of each UTC day, so the daily roll-ups come out the same when recomputed;
- the readings nearest the ages scoring reads (24 hours and 7 days), so a rescore gives the same score.

Posts younger than THIN_AFTER keep everything: their roll-ups and scores, and the baselines of newer
posts (which compare readings at the same age in the first week), are computed from full readings.
With the cadence (cadence.py) this stores at most about 90 readings per post-year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from campaigns.models import Post
from metrics.models import PostMetricSnapshot
from metrics.scoring.definitions import EARLY_AGE_HOURS, REFERENCE_AGE_HOURS

THIN_AFTER = dt.timedelta(days=90)
KEEP_ALL_HOURS = 12
DENSE_UNTIL_HOURS = 48
SPAN_HOURS = 3
SCORED_AGES_HOURS = (EARLY_AGE_HOURS, float(REFERENCE_AGE_HOURS))
CHUNK_POSTS = 500


def _nearest(published_at: dt.datetime, moments: Sequence[dt.datetime], age_hours: float) -> dt.datetime | None:
    """The moment nearest the age (ties: the earlier), as scoring.reading_nearest picks it."""
    best = None
    for m in moments:
        own = (m - published_at).total_seconds() / 3600
        if own < 0:
            continue
        key = (abs(own - age_hours), m)
        if best is None or key < best:
            best = key
    return best[1] if best else None


def readings_to_keep(published_at: dt.datetime, moments: Sequence[dt.datetime]) -> set[dt.datetime]:
    """Of a post's reading times, the ones retention keeps (see the module docstring)."""
    ordered = sorted(moments)
    if not ordered:
        return set()
    keep = {ordered[0], ordered[-1]}
    last_of_day: dict[dt.date, dt.datetime] = {}
    spans: set[int] = set()
    for m in ordered:
        last_of_day[m.astimezone(dt.UTC).date()] = m
        hours = (m - published_at).total_seconds() / 3600
        if hours < KEEP_ALL_HOURS or hours >= DENSE_UNTIL_HOURS:
            keep.add(m)
        elif int(hours // SPAN_HOURS) not in spans:
            spans.add(int(hours // SPAN_HOURS))
            keep.add(m)
    keep |= set(last_of_day.values())
    for age in SCORED_AGES_HOURS:
        nearest = _nearest(published_at, ordered, age)
        if nearest is not None:
            keep.add(nearest)
    return keep


def posts_thin(*, post_ids: Sequence[int], now: dt.datetime) -> int:
    """Apply the rule to these posts' readings (only posts older than THIN_AFTER); returns rows deleted."""
    posts = {pk: at for pk, at in Post.objects.filter(id__in=post_ids, published_at__lt=now - THIN_AFTER)
             .values_list("id", "published_at") if at is not None}
    moments: dict[int, list[tuple[int, dt.datetime]]] = {pid: [] for pid in posts}
    for snap_id, post_id, captured_at in (PostMetricSnapshot.objects.filter(post_id__in=posts)
                                          .values_list("id", "post_id", "captured_at")):
        moments[post_id].append((snap_id, captured_at))
    doomed = []
    for post_id, rows in moments.items():
        keep = readings_to_keep(posts[post_id], [m for _, m in rows])
        doomed += [snap_id for snap_id, m in rows if m not in keep]
    with transaction.atomic():
        return PostMetricSnapshot.objects.filter(id__in=doomed).delete()[0] if doomed else 0


def snapshots_thin_due(*, now: dt.datetime, window: dt.timedelta = dt.timedelta(days=7)) -> int:
    """The daily pass: posts that crossed THIN_AFTER within `window`, in chunks. Thinning twice is harmless
    (the second pass finds nothing to delete), so the window tolerates missed days."""
    ids = list(Post.objects.filter(published_at__lt=now - THIN_AFTER, published_at__gte=now - THIN_AFTER - window)
               .order_by("id").values_list("id", flat=True))
    deleted = 0
    for start in range(0, len(ids), CHUNK_POSTS):
        deleted += posts_thin(post_ids=ids[start:start + CHUNK_POSTS], now=now)
    return deleted
