"""Daily roll-ups: what dashboards read instead of raw snapshots.

A post's roll-up row for a day holds its cumulative figures as last read on that day (UTC). Days
between two readings carry the earlier reading forward, so a post's rows are contiguous from its
first reading to its last. Recomputing a post rewrites its rows from its snapshots, which makes the
work idempotent: run it twice, or after a late CSV import, and the rows come out the same. An
ingestion run knows its readings are from today, so it rewrites only the days from its earliest
reading on (`since`), carrying the last row before them; a CSV import rewrites every day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery

from campaigns.models import Account, Post
from metrics.models import AccountSnapshot, DailyAccountRollup, DailyPostRollup, PostMetricSnapshot
from metrics.vocabulary import INTERACTION_PARTS, ROLLUP_METRICS, interactions_of

# What a roll-up reads from each snapshot: the metrics it copies and the parts of interactions.
SNAPSHOT_FIELDS = tuple(dict.fromkeys((*ROLLUP_METRICS, *INTERACTION_PARTS)))
BATCH_SIZE = 1000
RECOMPUTE_SLICE = 500


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def _fill(readings: Mapping[dt.date, Mapping[str, Any]]) -> list[tuple[dt.date, Mapping[str, Any]]]:
    """The day → last-reading map with the gaps between readings carried forward."""
    if not readings:
        return []
    ordered = sorted(readings)
    out, current = [], readings[ordered[0]]
    for day in _days(ordered[0], ordered[-1]):
        current = readings.get(day, current)
        out.append((day, current))
    return out


def post_rollups_recompute(*, post_ids: Collection[int], since: dt.date | None = None) -> int:
    """Rewrite the daily roll-ups of these posts from their snapshots, every day or only the days from
    `since` on (a post never rolled up gets every day); returns the rows written."""
    ids = sorted(set(post_ids))
    if not ids:
        return 0
    posts = {p["id"]: p for p in Post.objects.filter(id__in=ids).values("id", "campaign_id", "account_id")}
    existing = DailyPostRollup.objects.filter(post_id__in=posts)
    # Per post, the last row before `since`: its figures carry over the days up to the next reading.
    before: dict[int, dict[str, Any]] = {}
    if since is not None:
        last_day = existing.filter(post_id=OuterRef("post_id"), day__lt=since).order_by("-day").values("day")[:1]
        for row in existing.filter(day__lt=since, day=Subquery(last_day)).values("post_id", "day", *ROLLUP_METRICS,
                                                                               "interactions"):
            before[row["post_id"]] = row
        # Posts with no row yet before `since`, but readings before it, are rewritten in full.
        rolled = set(existing.filter(day__gte=since).values_list("post_id", flat=True).distinct()) | set(before)
        from_start = [pid for pid in posts if pid not in rolled]
    else:
        from_start = list(posts)
    # The latest reading of each UTC day wins, whatever its source (API, CSV, manual entry).
    per_post: dict[int, dict[dt.date, Mapping[str, Any]]] = defaultdict(dict)
    snapshots = PostMetricSnapshot.objects.filter(post_id__in=posts)
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
        snapshots = snapshots.filter(Q(post_id__in=from_start) | Q(captured_at__gte=start))
    for snap in (snapshots.order_by("post_id", "captured_at")
                 .values("post_id", "captured_at", *SNAPSHOT_FIELDS).iterator(chunk_size=5000)):
        per_post[snap["post_id"]][snap["captured_at"].astimezone(dt.UTC).date()] = snap
    rows = []
    for post_id, readings in per_post.items():
        post = posts[post_id]
        carried = before.get(post_id) if post_id not in from_start else None
        if carried is not None:
            # Days after the last row before `since` (none of them has a row yet) carry it forward.
            readings = {carried["day"]: carried, **readings}
        for day, values in _fill(readings):
            if carried is not None and day == carried["day"]:
                continue  # kept as it is
            rows.append(
                DailyPostRollup(
                    post_id=post_id, campaign_id=post["campaign_id"], account_id=post["account_id"], day=day,
                    interactions=values["interactions"] if values is carried else interactions_of(values),
                    **{m: values[m] for m in ROLLUP_METRICS},
                )
            )
    with transaction.atomic():
        if since is None:
            existing.delete()
        else:
            existing.filter(Q(post_id__in=from_start) | Q(day__gte=since)).delete()
        DailyPostRollup.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def account_rollups_recompute(*, account_ids: Collection[int] | None = None, since: dt.date | None = None) -> int:
    """Rewrite follower roll-ups (all accounts when none are given) from `since` on; returns the rows."""
    accounts = Account.objects.all() if account_ids is None else Account.objects.filter(id__in=account_ids)
    ids = list(accounts.values_list("id", flat=True))
    snapshots = AccountSnapshot.objects.filter(account_id__in=ids, followers__isnull=False)
    existing = DailyAccountRollup.objects.filter(account_id__in=ids)
    carried: dict[int, int | None] = {}
    if since is not None:
        # Gaps right after `since` carry forward the last follower count known before it.
        for row in existing.filter(day__lt=since).order_by("account_id", "day").values("account_id", "followers"):
            carried[row["account_id"]] = row["followers"]
        snapshots = snapshots.filter(captured_at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC))
        existing = existing.filter(day__gte=since)
    per_account: dict[int, dict[dt.date, Mapping[str, Any]]] = defaultdict(dict)
    for snap in snapshots.order_by("account_id", "captured_at").values("account_id", "captured_at", "followers"):
        per_account[snap["account_id"]][snap["captured_at"].astimezone(dt.UTC).date()] = snap
    rows = []
    for account_id, readings in per_account.items():
        filled = _fill(readings)
        if since is not None and account_id in carried and filled and filled[0][0] > since:
            gap = _days(since, filled[0][0] - dt.timedelta(days=1))
            filled = [(d, {"followers": carried[account_id]}) for d in gap] + filled
        rows += [DailyAccountRollup(account_id=account_id, day=day, followers=v["followers"]) for day, v in filled]
    with transaction.atomic():
        existing.filter(account_id__in=per_account).delete()
        DailyAccountRollup.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def rollups_after_snapshots(*, post_ids: Collection[int], since: dt.date | None = None) -> None:
    """What the pipeline runs after an ingestion run: the posts' days (from `since`, when the run
    says), and their accounts' last days."""
    ids = sorted(set(post_ids))
    account_ids: set[int] = set()
    # In slices, so a run that touched thousands of posts neither holds one long transaction nor
    # sends an IN list longer than the database accepts.
    for i in range(0, len(ids), RECOMPUTE_SLICE):
        chunk = ids[i:i + RECOMPUTE_SLICE]
        post_rollups_recompute(post_ids=chunk, since=since)
        account_ids |= set(Post.objects.filter(id__in=chunk).values_list("account_id", flat=True))
    if account_ids:
        account_rollups_recompute(account_ids=account_ids, since=dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2))
