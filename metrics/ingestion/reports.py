"""YouTube's daily bulk reports: read the new ones during an account sync, store views and watch time.

One `channel_basic_a2` report a channel a day gives every video's views and watch time by country
(https://developers.google.com/youtube/reporting/v1/reports), so audience geography and watch time
cost one download a channel a day instead of an Analytics query per video. Each day is stored as
DAY_VIEWS / DAY_WATCH slices (a report delivered again, e.g. backfilled, replaces its day), and each
touched video's running VIEWS total by country is rewritten at its latest reported day, where the
geography pages read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Sum

from campaigns.models import Account, Post
from metrics.connectors.base import Connector
from metrics.connectors.youtube import PACIFIC, ChannelReport, YouTubeConnector
from metrics.models import AccountIngestionState, AudienceCountrySlice

# A day's report appears some hours after the Pacific day ends, at no documented time: asking four
# times a day finds it within six hours and costs no Data API units (the Reporting API has none).
REPORTS_CHECK_INTERVAL = dt.timedelta(hours=6)
Measure = AudienceCountrySlice.Measure


def reports_due(state: AccountIngestionState, now: dt.datetime) -> bool:
    return state.reports_checked_at is None or state.reports_checked_at + REPORTS_CHECK_INTERVAL <= now


def daily_reports_read(*, account: Account, conn: Connector, now: dt.datetime) -> int:
    """Download the reports made since the last one stored and store each; returns the rows written.

    Each report is stored in its own transaction with the cursor that says it was read, so a failure
    half-way keeps what came before and the next sync starts after it.
    """
    if not isinstance(conn, YouTubeConnector):
        return 0
    state = AccountIngestionState.objects.get(account=account)
    if not reports_due(state, now):
        return 0
    job_id = state.report_job_id or conn.reporting_job()
    AccountIngestionState.objects.filter(pk=state.pk).update(report_job_id=job_id, reports_checked_at=now)
    written = 0
    for ref in conn.reports_created_after(job_id, state.reports_created_until):
        report = conn.report_download(ref)
        with transaction.atomic():
            written += report_store(account=account, report=report)
            state.refresh_from_db()
            cover_from = min(state.reports_cover_from or ref.day, ref.day)
            until = max(state.reports_created_until or ref.created_at, ref.created_at)
            AccountIngestionState.objects.filter(pk=state.pk).update(reports_cover_from=cover_from,
                                                                     reports_created_until=until)
    return written


def report_store(*, account: Account, report: ChannelReport) -> int:
    """Replace the report's day for the account's known videos and rewrite their running totals."""
    videos = {r.video_id for r in report.rows}
    post_ids = dict(Post.objects.filter(account=account, platform_post_id__in=videos)
                    .values_list("platform_post_id", "id"))
    day = report.ref.day
    rows = []
    for r in report.rows:
        post_id = post_ids.get(r.video_id)
        if post_id is None or len(r.country) != 2:
            continue  # a video the app does not track, or a country YouTube did not name ("ZZ" aside)
        for measure, value in ((Measure.DAY_VIEWS, r.views), (Measure.DAY_WATCH, r.watch_seconds)):
            if value:
                rows.append(AudienceCountrySlice(account=account, post_id=post_id, measure=measure, source="api",
                                                 day=day, country=r.country, value=value))
    touched = set(post_ids.values())
    AudienceCountrySlice.objects.filter(post_id__in=touched, day=day,
                                        measure__in=[Measure.DAY_VIEWS, Measure.DAY_WATCH]).delete()
    AudienceCountrySlice.objects.bulk_create(rows, batch_size=1000)
    return len(rows) + _views_totals_rewrite(account=account, post_ids=touched)


def _views_totals_rewrite(*, account: Account, post_ids: Iterable[int]) -> int:
    daily = AudienceCountrySlice.objects.filter(post_id__in=list(post_ids), measure=Measure.DAY_VIEWS)
    latest = dict(daily.values("post_id").annotate(last=Max("day")).values_list("post_id", "last"))
    totals = daily.values("post_id", "country").annotate(total=Sum("value"))
    for post_id, last in latest.items():
        AudienceCountrySlice.objects.filter(post_id=post_id, measure=Measure.VIEWS, day=last).delete()
    rows = [AudienceCountrySlice(account=account, post_id=t["post_id"], measure=Measure.VIEWS, source="api",
                                 day=latest[t["post_id"]], country=t["country"], value=t["total"]) for t in totals]
    AudienceCountrySlice.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def report_watch_seconds(*, account_id: int, posts: Iterable[Post]) -> dict[int, int]:
    """Lifetime watch seconds of the videos whose whole life the stored reports cover."""
    cover_from = (AccountIngestionState.objects.filter(account_id=account_id)
                  .values_list("reports_cover_from", flat=True).first())
    if cover_from is None:
        return {}
    # An older video's first days predate the reports: its sum would understate its watch time.
    covered = [p.pk for p in posts if p.published_at and p.published_at.astimezone(PACIFIC).date() >= cover_from]
    rows = (AudienceCountrySlice.objects.filter(post_id__in=covered, measure=Measure.DAY_WATCH)
            .values("post_id").annotate(total=Sum("value")).values_list("post_id", "total"))
    return dict(rows)
