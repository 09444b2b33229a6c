"""Ingestion runs: one batch of post metrics, or one account's sync (new posts, followers, countries)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateTimeField, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.crypto import TokenUnreadable
from campaigns.models import Account, Campaign
from campaigns.services import account_mark_connected, account_mark_needs_reconnect
from metrics import jobs
from metrics.connectors.base import Connector, ConnectorError, TokenExpiredError
from metrics.connectors.registry import connector_for
from metrics.connectors.youtube import PACIFIC, YouTubeConnector
from metrics.ingestion import budgets, cadence, limiter, setwrites
from metrics.ingestion.discovery import posts_match_or_create
from metrics.ingestion.pipeline import after_snapshots
from metrics.ingestion.reports import daily_reports_read, report_watch_seconds
from metrics.ingestion.snapshots import PostReading, account_snapshot_upsert, post_snapshots_upsert
from metrics.ingestion.tick import (
    CLAIM_LEASE,
    accounts_ingestable,
    batches_enqueue,
    claim_due_batches,
    tracking_sync,
)
from metrics.models import AccountIngestionState, AudienceCountrySlice, IngestionRun, PostTracking

log = logging.getLogger(__name__)

# How far back the first sync of an account looks for posts that were never planned in the app.
INITIAL_LOOKBACK = dt.timedelta(days=30)
# A post published just before the last sync may show up in the list a little late.
SYNC_OVERLAP = dt.timedelta(hours=1)
BACKOFF_START = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)
MAX_ERRORS_KEPT = 50
BATCH_ROWS = 1000


def connector_build(account: Account, **options: Any) -> Connector:
    return connector_for(account.platform, account_platform_id=account.platform_id,
                         access_token=account.get_access_token(), **options)


def _connector_or_reconnect(account: Account, connector: Connector | None) -> Connector | None:
    """The account's connector; None when its stored token cannot be decrypted (its key was dropped
    from FIELD_ENCRYPTION_KEY): the account is then marked for reconnecting, with a message."""
    if connector is not None:
        return connector
    try:
        return connector_build(account)
    except TokenUnreadable:
        log.warning("account %s: its stored token cannot be decrypted with the configured keys; "
                    "marked for reconnecting", account.pk)
        account_mark_needs_reconnect(account_id=account.pk, error=gettext(
            "The stored access token can no longer be read (its encryption key was removed). "
            "Enter the token again to reconnect the account."))
        return None


def _start_run(account: Account, kind: str) -> IngestionRun:
    return IngestionRun.objects.create(platform=account.platform, account=account, kind=kind)


def _finish_success(*, run: IngestionRun, account: Account, conn: Connector, now: dt.datetime) -> None:
    run.finished_at = timezone.now()
    run.requests_made = conn.requests_made
    run.errors = conn.errors[-MAX_ERRORS_KEPT:]
    run.status = IngestionRun.Status.PARTIAL if conn.errors else IngestionRun.Status.SUCCESS
    run.save()
    budgets.spend_record(account=account, spend=conn.spend, at=run.finished_at)
    state, _ = AccountIngestionState.objects.get_or_create(account=account)
    state.last_success_at = now
    state.consecutive_failures = 0
    state.backoff_until = None
    _copy_quota(state, conn)
    state.save()
    account_mark_connected(account_id=account.pk)


def _copy_quota(state: AccountIngestionState, conn: Connector) -> None:
    if conn.platform == "youtube" and conn.quota.get("units"):
        # Google sends no usage headers: count this account's Data API units per Pacific day,
        # against the project's default 10,000 (the quota is shared by every channel of the project).
        day = dt.datetime.now(PACIFIC).date().isoformat()
        before = state.quota_detail.get("youtube") or {}
        used = conn.quota["units"] + (before.get("units_today", 0) if before.get("day") == day else 0)
        state.quota_detail = {**state.quota_detail, "youtube": {"day": day, "units_today": used}}
        state.quota_used_pct = round(100.0 * used / settings.YOUTUBE_PROJECT_DAILY_UNITS, 1)
        return
    if conn.quota:
        state.quota_detail = {**state.quota_detail, conn.platform: conn.quota}
        if conn.quota.get("used_pct") is not None:
            state.quota_used_pct = conn.quota["used_pct"]


def _finish_failure(*, run: IngestionRun, account: Account, conn: Connector, error: ConnectorError,
                    now: dt.datetime) -> AccountIngestionState:
    """Record the failure; back the account off, or mark it for reconnecting when the token died."""
    errors = conn.errors[-MAX_ERRORS_KEPT:]
    if not errors or errors[-1].get("code") != error.code:
        errors.append(error.as_record())
    run.finished_at = timezone.now()
    run.requests_made = conn.requests_made
    run.errors = errors
    run.status = IngestionRun.Status.FAILED
    run.save()
    budgets.spend_record(account=account, spend=conn.spend, at=run.finished_at)
    state, _ = AccountIngestionState.objects.get_or_create(account=account)
    state.last_failure_at = now
    state.consecutive_failures += 1
    state.last_error = f"[{error.code}] {error.message}"[:2000]
    _copy_quota(state, conn)
    if isinstance(error, TokenExpiredError):
        # Only a person can fix this: the account leaves the pool until someone reconnects it.
        account_mark_needs_reconnect(account_id=account.pk, error=error.message)
        state.backoff_until = None
    else:
        exponential = min(BACKOFF_START * 2 ** (state.consecutive_failures - 1), BACKOFF_MAX)
        wait = dt.timedelta(seconds=error.retry_after) if error.retry_after else exponential
        state.backoff_until = now + wait
        if run.kind == "sync":
            # Retry the listing once the backoff ends, not a whole sync interval later: a one-minute
            # rate limit must not hold back the account's new posts for half an hour.
            due = state.next_account_refresh_at
            state.next_account_refresh_at = min(due, state.backoff_until) if due else state.backoff_until
    state.save()
    log.warning("ingestion %s run %s for account %s failed: [%s] %s", run.kind, run.pk, account.pk,
                error.code, error.message)
    return state


class ClaimLost(Exception):
    """The batch's lease lapsed and another claim took (some of) its posts: it must read no more."""


def _heartbeat(run: IngestionRun, *, claim_id: str | None = None, holding: int = 0,
               holder: str | None = None) -> Callable[[], None]:
    """Renew the run's heartbeat and the batch's claim; raise ClaimLost if the claim is no longer whole.

    Only rows still carrying the claim id are extended, and the tick claims only rows whose lease
    has lapsed (both conditional UPDATEs), so at most one of the two wins any post.
    """

    def beat() -> None:
        now = timezone.now()
        if claim_id is not None:
            held = PostTracking.objects.filter(claim_id=claim_id).update(claimed_until=now + CLAIM_LEASE)
            if held < holding:
                raise ClaimLost(claim_id)
        if holder is not None and run.account_id is not None:
            limiter.account_hold(account_id=run.account_id, holder=holder)
        run.heartbeat_at = now  # the instance too: the run's final save() writes every field
        IngestionRun.objects.filter(pk=run.pk).update(heartbeat_at=now)

    return beat


def _release(claim_id: str, *, not_before: dt.datetime | None) -> None:
    """Give claimed posts back to the pool; they are due again no earlier than `not_before`."""
    claimed = PostTracking.objects.filter(claim_id=claim_id)
    if not_before:
        claimed.filter(next_refresh_at__lt=not_before).update(next_refresh_at=not_before)
    PostTracking.objects.filter(claim_id=claim_id).update(claim_id=None, claimed_until=None)


def batch_refresh(*, account_id: int, claim_id: str, connector: Connector | None = None) -> IngestionRun | None:
    """Read the metrics of the posts claimed under `claim_id` and store them; None if nothing is claimed.

    One batch per account at a time (limiter.py): a batch that finds another one of its account
    running returns at once, and the running one reads its claim next, so a rate-limit reply stops
    the whole round of the account after one call.
    """
    if not PostTracking.objects.filter(claim_id=claim_id, post__account_id=account_id).exists():
        return None  # done already (a second delivery), or the lease lapsed and another claim took them
    if not limiter.account_hold(account_id=account_id, holder=claim_id):
        return None
    try:
        run = _batch_read(account_id=account_id, claim_id=claim_id, connector=connector, holder=claim_id)
        done = {claim_id}
        while (waiting := limiter.claim_waiting(account_id=account_id, done=done)) is not None:
            done.add(waiting)
            if not limiter.account_hold(account_id=account_id, holder=claim_id):
                break  # the hold lapsed while this worker stalled; the new holder reads the rest
            _batch_read(account_id=account_id, claim_id=waiting, connector=None, holder=claim_id)
    finally:
        limiter.account_let_go(account_id=account_id, holder=claim_id)
    return run


def _batch_read(*, account_id: int, claim_id: str, connector: Connector | None, holder: str) -> IngestionRun | None:
    trackings = list(
        PostTracking.objects.filter(claim_id=claim_id, post__account_id=account_id)
        .select_related("post", "post__account", "post__campaign")
    )
    if not trackings:
        return None  # done already (a second delivery), or the lease lapsed and another claim took them
    account = trackings[0].post.account
    now = timezone.now()
    if not accounts_ingestable(now).filter(pk=account.pk).exists():
        state = AccountIngestionState.objects.filter(account=account).first()
        _release(claim_id, not_before=state.backoff_until if state else None)
        return None
    conn = _connector_or_reconnect(account, connector)
    if conn is None:
        _release(claim_id, not_before=None)
        return None
    run = _start_run(account, "refresh")
    conn.before_request = _heartbeat(run, claim_id=claim_id, holding=len(trackings), holder=holder)
    by_platform_id = {t.post.platform_post_id: t for t in trackings}
    try:
        batch = conn.post_metrics(list(by_platform_id), {pid: t.post.format for pid, t in by_platform_id.items()})
    except ClaimLost:
        # Its worker stalled past the lease and the posts are another batch's now: stop reading them.
        run.finished_at = timezone.now()
        run.requests_made = conn.requests_made
        run.status = IngestionRun.Status.FAILED
        run.errors = [*conn.errors[-MAX_ERRORS_KEPT:], {
            "code": "claim_lost", "message": "The batch's claim lapsed; another batch reads its posts.",
            "permanent": False, "http_status": None, "retry_after": None}]
        run.save()
        budgets.spend_record(account=account, spend=conn.spend, at=run.finished_at)
        log.warning("ingestion refresh run %s stopped: its claim %s lapsed", run.pk, claim_id)
        return run
    except ConnectorError as exc:
        state = _finish_failure(run=run, account=account, conn=conn, error=exc, now=now)
        _release(claim_id, not_before=state.backoff_until)
        return run
    read_at = timezone.now()
    version = f"{conn.platform} {conn.api_version}".strip()
    watched = (report_watch_seconds(account_id=account.pk, posts=[t.post for t in trackings])
               if conn.offers_daily_reports else {})
    readings = {}
    for p in batch.posts:
        post_id = by_platform_id[p.platform_post_id].post_id
        metrics = {**p.metrics, "watch_time_seconds": watched.get(post_id)} if conn.offers_daily_reports else p.metrics
        readings[post_id] = PostReading(post_id=post_id, captured_at=read_at, source="api", api_version=version,
                                        metrics=metrics, extra=p.extra)
    with transaction.atomic():
        ours = _trackings_advance(trackings, claim_id=claim_id, read_at=read_at)
        written = post_snapshots_upsert([readings[pk] for pk in ours if pk in readings])
        run.posts_refreshed = len([pk for pk in ours if pk in readings])
        run.snapshots_written = written
        if batch.missing:
            conn.errors.append({"code": "missing", "message": f"not returned: {', '.join(batch.missing)[:400]}",
                                "permanent": True, "http_status": None, "retry_after": None})
        _finish_success(run=run, account=account, conn=conn, now=now)
        read = [readings[pk] for pk in ours if pk in readings]
        # The roll-ups need rewriting only from the earliest day these readings fall on.
        after_snapshots(post_ids=[r.post_id for r in read],
                        since=min((r.captured_at for r in read), default=None))
    return run


def _trackings_advance(trackings: list[PostTracking], *, claim_id: str, read_at: dt.datetime) -> list[int]:
    """Move the batch's trackings to their next refresh: one UPDATE for the whole batch (and a DELETE
    for posts of archived campaigns).

    Only trackings still holding this claim are ours: a duplicate delivery that lost the race
    writes nothing, so snapshot counts stay honest (the upsert would not duplicate anyway).
    """
    following: dict[int, dt.datetime | None] = {}
    account = trackings[0].post.account
    slow = budgets.slowdown_for(organization_id=account.organization_id, platform=account.platform)
    for tracking in trackings:
        post = tracking.post
        archived = post.campaign is not None and post.campaign.status == Campaign.Status.ARCHIVED
        following[tracking.pk] = cadence.next_refresh_at(published_at=post.published_at, now=read_at,
                                                         archived=archived, account_id=post.account_id, slow=slow)
    ours: list[int] = []
    finished = [pk for pk, when in following.items() if when is None]
    if finished:  # archived campaigns: never read again
        gone = PostTracking.objects.filter(pk__in=finished, claim_id=claim_id)
        ours += list(gone.values_list("pk", flat=True))
        gone.delete()
    due = {pk: when for pk, when in following.items() if when is not None}
    if connection.vendor == "postgresql":
        return ours + setwrites.trackings_advance(claim_id=claim_id, following=due, read_at=read_at)
    held = PostTracking.objects.select_for_update().filter(claim_id=claim_id, pk__in=list(due))
    moved = list(held.values_list("pk", flat=True))
    by_time: dict[dt.datetime, list[int]] = defaultdict(list)
    for pk in moved:
        by_time[due[pk]].append(pk)
    if by_time:
        PostTracking.objects.filter(pk__in=moved, claim_id=claim_id).update(
            next_refresh_at=Case(*(When(pk__in=pks, then=Value(when)) for when, pks in by_time.items()),
                                 output_field=DateTimeField()),
            last_refreshed_at=read_at, claim_id=None, claimed_until=None,
        )
    return ours + moved


def _store_follower_countries(account: Account, countries: dict[str, int], day: dt.date) -> None:
    """The account's followers by country for the day: the day's rows replaced in two statements.

    Account rows have no post, so their unique index is partial, which an upsert cannot name.
    """
    followers = AudienceCountrySlice.Measure.FOLLOWERS
    AudienceCountrySlice.objects.filter(account=account, post=None, measure=followers, source="api", day=day).delete()
    AudienceCountrySlice.objects.bulk_create([
        AudienceCountrySlice(account=account, post=None, measure=AudienceCountrySlice.Measure.FOLLOWERS,
                             source="api", day=day, country=country, value=value)
        for country, value in countries.items()
    ], batch_size=BATCH_ROWS)


def account_sync(*, account_id: int, connector: Connector | None = None,
                 enqueue: jobs.Enqueue | None = None) -> IngestionRun | None:
    """Find the account's new posts (unplanned ones are created), and read followers and countries.

    With `enqueue`, the posts now due are claimed and sent at once rather than at the next tick,
    so a freshly connected account shows metrics within seconds of its first sync.
    """
    now = timezone.now()
    account = accounts_ingestable(now).filter(pk=account_id).first()
    if account is None:
        return None
    state, _ = AccountIngestionState.objects.get_or_create(account=account)
    conn = _connector_or_reconnect(account, connector)
    if conn is None:
        return None
    if isinstance(conn, YouTubeConnector) and not conn.uploads_playlist_id:
        conn.uploads_playlist_id = state.uploads_playlist_id
    run = _start_run(account, "sync")
    conn.before_request = _heartbeat(run)
    since = (state.posts_synced_until - SYNC_OVERLAP) if state.posts_synced_until else now - INITIAL_LOOKBACK
    every = conn.account_stats_interval
    stats_due = every is None or state.account_stats_at is None or state.account_stats_at + every <= now
    try:
        remote = conn.list_posts(since)
        stats = conn.account_stats() if stats_due else None
    except ConnectorError as exc:
        _finish_failure(run=run, account=account, conn=conn, error=exc, now=now)
        return run
    with transaction.atomic():
        posts = posts_match_or_create(account=account, found=remote)
        tracking_sync(now=now)  # the new posts are due at once, so their first metrics come next tick
        written = 0
        if stats is not None and stats.followers is not None:
            account_snapshot_upsert(account_id=account.pk, captured_at=now, followers=stats.followers)
            written += 1
        if stats is not None and stats.countries:
            _store_follower_countries(account, stats.countries, now.date())
        run.posts_refreshed = len(posts)
        run.snapshots_written = written
        synced: dict[str, Any] = {"posts_synced_until": now}
        if stats is not None:
            synced["account_stats_at"] = now
        if isinstance(conn, YouTubeConnector):
            synced["uploads_playlist_id"] = conn.uploads_playlist_id
        AccountIngestionState.objects.filter(account=account).update(**synced)
    try:
        # After the new posts exist, so their rows in the reports find them.
        run.snapshots_written += daily_reports_read(account=account, conn=conn, now=now)
    except TokenExpiredError as exc:
        _finish_failure(run=run, account=account, conn=conn, error=exc, now=now)
        return run
    except ConnectorError:
        pass  # recorded in conn.errors (a partial run); posts and followers are worth keeping without it
    with transaction.atomic():
        _finish_success(run=run, account=account, conn=conn, now=now)
        if enqueue is not None:
            batches_enqueue(claim_due_batches(now=timezone.now(), account_ids=[account.pk]), enqueue=enqueue)
    return run
