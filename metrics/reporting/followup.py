"""Who does the follow-up work owed after new snapshots (PostWorkOwed): the task sent with it, or the sweep.

A worker claims the owed rows it is about to do with a conditional UPDATE (claim id and lease),
calls the existing roll-up or rescoring service, then deletes only the rows still carrying its
claim. A need recorded meanwhile resets the claim (metrics.ingestion.pipeline), so it is never
cleared by work that started before it; a worker that dies leaves its claim to lapse.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Collection

from django.db.models import Q
from django.utils import timezone

from metrics.models import PostWorkOwed
from metrics.reporting import rollups
from metrics.scoring import service as scoring_service

# Longer than one chunk of roll-ups or scores takes; a dead worker's rows come back after it.
CLAIM_LEASE = dt.timedelta(minutes=5)
# The task enqueued with a need normally does it within seconds; the sweep leaves it that long.
SWEEP_GRACE = dt.timedelta(seconds=30)
SWEEP_CHUNK = 500
# One sweep stops starting chunks after this, so it ends well before the next one is due.
SWEEP_BUDGET_SECONDS = 45.0

# `since`: the earliest day the new readings touch, when the task knows it (roll-ups then rewrite only
# the days from then on); the sweep does not know it and rewrites every day of the posts.
WORK: dict[str, Callable[[list[int], dt.date | None], object]] = {
    PostWorkOwed.Kind.ROLLUP: lambda ids, since: rollups.rollups_after_snapshots(post_ids=ids, since=since),
    PostWorkOwed.Kind.RESCORE: lambda ids, since: scoring_service.posts_rescore(post_ids=ids),
}


def _claimable(now: dt.datetime) -> Q:
    return Q(claim_id__isnull=True) | Q(claimed_until__lt=now)


def _claim(kind: str, post_ids: Collection[int], now: dt.datetime) -> str:
    claim = uuid.uuid4()
    PostWorkOwed.objects.filter(kind=kind, post_id__in=list(post_ids)).filter(_claimable(now)).update(
        claim_id=claim, claimed_until=now + CLAIM_LEASE
    )
    return str(claim)


def followup_do(*, kind: str, post_ids: Collection[int], since: dt.date | None = None) -> int:
    """Do `kind` for these posts and clear what it finished; returns how many owed rows it cleared.

    The work is done for every id given (a task may be sent for posts that owe nothing, as a
    re-run); rows another live claim holds are left to that claim.
    """
    ids = sorted(set(post_ids))
    if not ids:
        return 0
    claim = _claim(kind, ids, timezone.now())
    WORK[kind](ids, since)
    return PostWorkOwed.objects.filter(claim_id=claim).delete()[0]


def followup_sweep(*, now: dt.datetime | None = None, grace: dt.timedelta = SWEEP_GRACE,
                   chunk: int = SWEEP_CHUNK, budget_seconds: float = SWEEP_BUDGET_SECONDS) -> int:
    """Do the owed work older than `grace` that nobody holds, in claimed chunks; returns rows cleared."""
    started = time.monotonic()
    cleared = 0
    for kind in PostWorkOwed.Kind.values:
        while time.monotonic() - started < budget_seconds:
            moment = now or timezone.now()
            candidates = list(
                PostWorkOwed.objects.filter(kind=kind, owed_since__lte=moment - grace).filter(_claimable(moment))
                .order_by("owed_since").values_list("post_id", flat=True)[:chunk]
            )
            if not candidates:
                break
            claim = _claim(kind, candidates, moment)
            # Another sweep may have claimed some of them between the read and the UPDATE.
            mine = list(PostWorkOwed.objects.filter(claim_id=claim).values_list("post_id", flat=True))
            if mine:
                WORK[kind](mine, None)  # every day of the posts: the sweep does not know the first
                cleared += PostWorkOwed.objects.filter(claim_id=claim).delete()[0]
    return cleared
