"""Ingestion runs: one batch of post metrics, or one account's sync (new posts, followers, countries)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from campaigns.crypto import TokenUnreadable
from campaigns.models import Account, Campaign, Post
from campaigns.services import account_mark_connected, account_mark_needs_reconnect
from metrics import jobs
from metrics.connectors.base import Connector, ConnectorError, TokenExpiredError
from metrics.connectors.registry import connector_for
from metrics.connectors.youtube import PACIFIC
from metrics.ingestion import cadence
from metrics.ingestion.discovery import posts_match_or_create
from metrics.ingestion.pipeline import after_snapshots
from metrics.ingestion.snapshots import PostReading, account_snapshot_upsert, post_snapshots_upsert
from metrics.ingestion.tick import accounts_ingestable, batches_enqueue, claim_due_batches, tracking_sync
from metrics.models import AccountIngestionState, AudienceCountrySlice, IngestionRun, PostTracking

log = logging.getLogger(__name__)

# How far back the first sync of an account looks for posts that were never planned in the app.
INITIAL_LOOKBACK = dt.timedelta(days=30)
# A post published just before the last sync may show up in the list a little late.
SYNC_OVERLAP = dt.timedelta(hours=1)
BACKOFF_START = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)
MAX_ERRORS_KEPT = 50
YOUTUBE_DAILY_UNITS = 10_000


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
        state.quota_used_pct = round(100.0 * used / YOUTUBE_DAILY_UNITS, 1)
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


def _release(claim_id: str, *, not_before: dt.datetime | None) -> None:
    """Give claimed posts back to the pool; they are due again no earlier than `not_before`."""
    claimed = PostTracking.objects.filter(claim_id=claim_id)
    if not_before:
        claimed.filter(next_refresh_at__lt=not_before).update(next_refresh_at=not_before)
    PostTracking.objects.filter(claim_id=claim_id).update(claim_id=None, claimed_until=None)


def batch_refresh(*, account_id: int, claim_id: str, connector: Connector | None = None) -> IngestionRun | None:
    """Read the metrics of the posts claimed under `claim_id` and store them; None if nothing is claimed."""
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
    by_platform_id = {t.post.platform_post_id: t for t in trackings}
    try:
        batch = conn.post_metrics(list(by_platform_id), {pid: t.post.format for pid, t in by_platform_id.items()})
        countries = _video_countries(conn, account, [by_platform_id[p.platform_post_id].post for p in batch.posts])
    except ConnectorError as exc:
        state = _finish_failure(run=run, account=account, conn=conn, error=exc, now=now)
        _release(claim_id, not_before=state.backoff_until)
        return run
    read_at = timezone.now()
    version = f"{conn.platform} {conn.api_version}".strip()
    readings = {
        by_platform_id[p.platform_post_id].post_id: PostReading(
            post_id=by_platform_id[p.platform_post_id].post_id, captured_at=read_at, source="api",
            api_version=version, metrics=p.metrics, extra=p.extra,
        )
        for p in batch.posts
    }
    with transaction.atomic():
        # Only trackings still holding this claim are ours: a duplicate delivery that lost the race
        # writes nothing, so snapshot counts stay honest (the upsert would not duplicate anyway).
        ours = []
        for tracking in trackings:
            post = tracking.post
            archived = post.campaign is not None and post.campaign.status == Campaign.Status.ARCHIVED
            following = cadence.next_refresh_at(published_at=post.published_at, now=read_at, archived=archived)
            mine = PostTracking.objects.filter(pk=tracking.pk, claim_id=claim_id)
            if following is None:
                done = mine.delete()[0]
            else:
                done = mine.update(next_refresh_at=following, last_refreshed_at=read_at, claim_id=None,
                                   claimed_until=None)
            if done:
                ours.append(post.pk)
        written = post_snapshots_upsert([readings[pk] for pk in ours if pk in readings])
        _store_countries(account, countries, ours, day=read_at.date())
        run.posts_refreshed = len([pk for pk in ours if pk in readings])
        run.snapshots_written = written
        if batch.missing:
            conn.errors.append({"code": "missing", "message": f"not returned: {', '.join(batch.missing)[:400]}",
                                "permanent": True, "http_status": None, "retry_after": None})
        _finish_success(run=run, account=account, conn=conn, now=now)
        after_snapshots(post_ids=[pk for pk in ours if pk in readings])
    return run


def _video_countries(conn: Connector, account: Account, posts: list[Post]) -> dict[int, dict[str, int]]:
    """Views by country per YouTube video, once a day per video (one Analytics report each)."""
    if not hasattr(conn, "video_countries") or not posts:
        return {}
    today = timezone.now().date()
    done = set(
        AudienceCountrySlice.objects.filter(post__in=posts, day=today, measure=AudienceCountrySlice.Measure.VIEWS)
        .values_list("post_id", flat=True)
    )
    result = {}
    for post in posts:
        if post.pk in done:
            continue
        try:
            since = post.published_at.date() if post.published_at else None
            result[post.pk] = conn.video_countries(post.platform_post_id, since)
        except TokenExpiredError:
            raise
        except ConnectorError:
            continue  # recorded in conn.errors; metrics are worth keeping without the countries
    return result


def _store_countries(account: Account, countries: dict[int, dict[str, int]], post_ids: list[int],
                     day: dt.date) -> None:
    for post_id in post_ids:
        for country, value in (countries.get(post_id) or {}).items():
            AudienceCountrySlice.objects.update_or_create(
                account=account, post_id=post_id, measure=AudienceCountrySlice.Measure.VIEWS, source="api",
                day=day, country=country, defaults={"value": value},
            )


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
    run = _start_run(account, "sync")
    since = (state.posts_synced_until - SYNC_OVERLAP) if state.posts_synced_until else now - INITIAL_LOOKBACK
    try:
        remote = conn.list_posts(since)
        stats = conn.account_stats()
    except ConnectorError as exc:
        _finish_failure(run=run, account=account, conn=conn, error=exc, now=now)
        return run
    with transaction.atomic():
        posts = posts_match_or_create(account=account, found=remote)
        tracking_sync(now=now)  # the new posts are due at once, so their first metrics come next tick
        written = 0
        if stats.followers is not None:
            account_snapshot_upsert(account_id=account.pk, captured_at=now, followers=stats.followers)
            written += 1
        for country, value in (stats.countries or {}).items():
            AudienceCountrySlice.objects.update_or_create(
                account=account, post=None, measure=AudienceCountrySlice.Measure.FOLLOWERS, source="api",
                day=now.date(), country=country, defaults={"value": value},
            )
        run.posts_refreshed = len(posts)
        run.snapshots_written = written
        _finish_success(run=run, account=account, conn=conn, now=now)
        AccountIngestionState.objects.filter(account=account).update(posts_synced_until=now)
        if enqueue is not None:
            batches_enqueue(claim_due_batches(now=timezone.now(), account_ids=[account.pk]), enqueue=enqueue)
    return run
