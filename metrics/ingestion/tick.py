"""Scheduled ingestion: which posts are due, who reads them, and what a run leaves behind.

The flow, every beat tick (a minute):
1. every published post with a platform id gets a PostTracking row (its next refresh time);
2. accounts due for a sync are claimed (compare-and-set on next_account_refresh_at) and get one
   `metrics.sync_account` task each: new posts, follower count, audience countries;
3. due posts are claimed in platform-sized batches with a conditional UPDATE that writes a claim id
   and a lease; each batch becomes one `metrics.refresh_batch(account_id, claim_id)` task.

Why it is idempotent: a batch's snapshots and the release of its claims are written in one
transaction, and only for trackings that still carry the batch's claim id. A message delivered
twice finds the claims gone and does nothing; two beats cannot claim the same row (the UPDATE is
conditional); a worker killed mid-batch leaves the claims in place until their lease lapses, and
the next tick claims those posts again under a new claim id, whatever the broker does with the
lost message (Redis restores it after its visibility timeout, the embedded SQLite broker has already
taken it for good). Snapshot rows are keyed by (post, source, hour slot) and upserted, so even a re-read in
the same hour rewrites rather than duplicates.

This module decides what is due and claims it; `runs` reads the platforms.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaigns.models import Account, Campaign, Post
from metrics import jobs
from metrics.connectors.registry import connector_class
from metrics.ingestion import cadence
from metrics.models import AccountIngestionState, IngestionBudget, IngestionRun, PostTracking

# A batch renews its claim before every platform request (runs.batch_refresh), so the lease only has
# to outlast one request and its inline wait; a killed worker's posts come back to the pool after it,
# and the next tick claims them again (recovery within lease + one tick: 45 + 60 s by default).
CLAIM_LEASE = dt.timedelta(seconds=settings.INGESTION_CLAIM_LEASE_SECONDS)
# New posts, followers and audience countries change slowly next to post metrics.
ACCOUNT_SYNC_INTERVAL = dt.timedelta(minutes=30)
CLAIM_LIMIT_PER_TICK = 20_000


@dataclass(frozen=True)
class Batch:
    account_id: int
    claim_id: str
    size: int


@dataclass
class TickPlan:
    tracked: int = 0
    accounts: list[int] = field(default_factory=list)
    batches: list[Batch] = field(default_factory=list)


# --- who and what is eligible ---------------------------------------------------------------------
def accounts_ingestable(now: dt.datetime) -> QuerySet[Account]:
    """Accounts with a working token (as far as we know) that are not backing off."""
    return (
        Account.objects.exclude(access_token_encrypted="")
        # A token entered after the failure that refused the old one means someone reconnected it.
        .filter(~Q(connection_state=Account.Connection.NEEDS_RECONNECT)
                | Q(access_token_set_at__gt=F("ingestion_state__last_failure_at")))
        .filter(
            Q(ingestion_state__isnull=True) | Q(ingestion_state__backoff_until__isnull=True)
            | Q(ingestion_state__backoff_until__lte=now)
        )
    )


def accounts_budget_spent() -> QuerySet[Account]:
    """Accounts whose organization spent its budget for their platform (budgets.py): not read, nor
    synced, until the period ends and the planner says so; the health page shows it."""
    spent = IngestionBudget.objects.filter(organization_id=OuterRef("organization_id"), platform=OuterRef("platform"),
                                           status=IngestionBudget.Status.EXHAUSTED)
    return Account.objects.filter(Exists(spent))


def posts_trackable() -> QuerySet[Post]:
    """Published posts the platforms can be asked about; archived campaigns are never read again."""
    return (
        Post.objects.filter(status=Post.Status.PUBLISHED)
        .exclude(platform_post_id="")
        .filter(Q(campaign__isnull=True) | ~Q(campaign__status=Campaign.Status.ARCHIVED))
    )


def tracking_sync(*, now: dt.datetime) -> int:
    """Give every trackable post a next-refresh time (now: it has never been read)."""
    ids = list(posts_trackable().filter(tracking__isnull=True).values_list("id", flat=True))
    PostTracking.objects.bulk_create(
        [PostTracking(post_id=pk, next_refresh_at=now) for pk in ids], ignore_conflicts=True, batch_size=1000
    )
    return len(ids)


# --- claiming -------------------------------------------------------------------------------------
def _claimable(now: dt.datetime) -> Q:
    return Q(claim_id__isnull=True) | Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def claim_due_batches(*, now: dt.datetime, lease: dt.timedelta = CLAIM_LEASE,
                      account_ids: Iterable[int] | None = None, limit: int = CLAIM_LIMIT_PER_TICK) -> list[Batch]:
    """Claim due posts, one claim per platform batch of one account; returns what was claimed."""
    accounts = accounts_ingestable(now).exclude(pk__in=accounts_budget_spent())
    if account_ids is not None:
        accounts = accounts.filter(id__in=list(account_ids))
    due = (
        PostTracking.objects.filter(next_refresh_at__lte=now)
        .filter(_claimable(now))
        .filter(post__in=posts_trackable(), post__account__in=accounts)
        .order_by("next_refresh_at")
        .values_list("post_id", "post__account_id", "post__account__platform")[:limit]
    )
    by_account: dict[tuple[int, str], list[int]] = defaultdict(list)
    for post_id, account_id, platform in due:
        by_account[(account_id, platform)].append(post_id)
    batches = []
    for (account_id, platform), post_ids in by_account.items():
        platform_connector = connector_class(platform)
        size = platform_connector.batch_size
        room = -len(post_ids) % size
        extra = _top_up(account_id, room=room, now=now) if room and platform_connector.priced_per_request else []
        post_ids += extra
        for start in range(0, len(post_ids), size):
            chunk = post_ids[start:start + size]
            claim = uuid.uuid4()
            # The conditional UPDATE is the claim: a row another tick claimed first no longer matches.
            claimed = (
                PostTracking.objects.filter(pk__in=chunk)
                .filter(Q(next_refresh_at__lte=now) | Q(pk__in=extra))
                .filter(_claimable(now))
                .update(claim_id=claim, claimed_until=now + lease)
            )
            if claimed:
                batches.append(Batch(account_id, str(claim), claimed))
    return batches


def _top_up(account_id: int, *, room: int, now: dt.datetime) -> list[int]:
    """Posts of the account not yet due that fill a batch's free places, the soonest due first.

    Only where a request is what costs (YouTube units, Graph calls): the request is sent anyway. X
    charges each post read, so it reads only what is due.
    """
    candidates = (
        PostTracking.objects.filter(post__account_id=account_id, next_refresh_at__gt=now)
        .filter(_claimable(now))
        .filter(post__in=posts_trackable())
        .order_by("next_refresh_at")
        .values_list("post_id", "last_refreshed_at", "next_refresh_at")[:room * 4]
    )
    return [post_id for post_id, last, following in candidates
            if cadence.top_up_eligible(now=now, last_refreshed_at=last, next_refresh_at=following)][:room]


def claim_due_accounts(*, now: dt.datetime, account_ids: Iterable[int] | None = None) -> list[int]:
    accounts = accounts_ingestable(now).exclude(pk__in=accounts_budget_spent())
    if account_ids is not None:
        accounts = accounts.filter(id__in=list(account_ids))
    ids = list(accounts.values_list("id", flat=True))
    AccountIngestionState.objects.bulk_create(
        [AccountIngestionState(account_id=pk) for pk in ids], ignore_conflicts=True
    )
    due = list(AccountIngestionState.objects.filter(account_id__in=ids).filter(
        Q(next_account_refresh_at__isnull=True) | Q(next_account_refresh_at__lte=now)
    ).values_list("account_id", "next_account_refresh_at"))
    newest = dict(
        Post.objects.filter(account_id__in=[a for a, _ in due], status=Post.Status.PUBLISHED)
        .values("account_id").annotate(newest=Max("published_at")).values_list("account_id", "newest")
    )
    claimed = []
    for account_id, seen in due:
        following = now + cadence.account_sync_interval(newest_published_at=newest.get(account_id), now=now)
        # Compare-and-set on the value just read: of two ticks, only one moves it.
        n = AccountIngestionState.objects.filter(account_id=account_id, next_account_refresh_at=seen).update(
            next_account_refresh_at=following
        ) if seen else AccountIngestionState.objects.filter(
            account_id=account_id, next_account_refresh_at__isnull=True
        ).update(next_account_refresh_at=following)
        if n:
            claimed.append(account_id)
    return claimed


def runs_lost(*, now: dt.datetime, lease: dt.timedelta = CLAIM_LEASE) -> int:
    """Runs still 'running' whose heartbeat stopped a lease ago: their worker died. Say so on the health page."""
    return IngestionRun.objects.alias(alive_at=Coalesce("heartbeat_at", "started_at")).filter(
        status=IngestionRun.Status.RUNNING, alive_at__lt=now - lease
    ).update(
        status=IngestionRun.Status.FAILED, finished_at=now,
        errors=[{"code": "worker_lost", "message": "The worker stopped mid-run; its posts were claimed again.",
                 "permanent": False, "http_status": None, "retry_after": None}],
    )


def ingestion_tick(*, now: dt.datetime | None = None, lease: dt.timedelta = CLAIM_LEASE,
                   enqueue: jobs.Enqueue = jobs.send) -> TickPlan:
    """One beat tick: track new posts, claim due accounts and post batches, fan out one task each."""
    now = now or timezone.now()
    plan = TickPlan()
    with transaction.atomic():
        runs_lost(now=now, lease=lease)
        plan.tracked = tracking_sync(now=now)
        plan.accounts = claim_due_accounts(now=now)
        plan.batches = claim_due_batches(now=now, lease=lease)
    for account_id in plan.accounts:
        jobs.enqueue_after_commit("metrics.sync_account", [account_id], send=enqueue)
    batches_enqueue(plan.batches, enqueue=enqueue)
    return plan


def batches_enqueue(batches: Iterable[Batch], *, enqueue: jobs.Enqueue = jobs.send) -> None:
    for batch in batches:
        jobs.enqueue_after_commit("metrics.refresh_batch", [batch.account_id, batch.claim_id], send=enqueue)


