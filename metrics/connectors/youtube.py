"""YouTube Data API v3 (uploads, statistics by 50 ids) and the YouTube Reporting API (watch time, countries).

search.list costs 100 units, so uploads are listed through the channel's uploads playlist (1 unit
a page; https://developers.google.com/youtube/v3/determine_quota_cost). Watch time and views by
country come from the channel's daily bulk report (one download a channel a day, whatever the number
of videos; https://developers.google.com/youtube/reporting/v1/reports) rather than one Analytics
query per video.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from metrics.connectors.base import (
    AccountStats,
    Connector,
    ConnectorError,
    MetricsBatch,
    PostMetrics,
    RemoteComment,
    RemotePost,
    TokenExpiredError,
    as_int,
    chunked,
    parse_time,
)

DATA_HOST = "www.googleapis.com"
REPORTING_HOST = "youtubereporting.googleapis.com"
# Daily rows by date × channel × video × live/on-demand × subscribed × country, with views and
# watch_time_minutes (https://developers.google.com/youtube/reporting/v1/reports/channel_reports).
REPORT_TYPE = "channel_basic_a2"
VIDEOS_LIMIT = 50
# Units a sync spends listing new uploads: the first playlistItems page of the stored uploads playlist
# (1 unit; https://developers.google.com/youtube/v3/determine_quota_cost). A channels.list (1 unit)
# is added when the uploads playlist is not known yet or the subscriber count is due.
LISTING_UNITS = 1
STATS_UNITS = 1
# Subscriber counts move slowly: read four times a day, not at every sync (a sync can run every 30 min).
STATS_INTERVAL = dt.timedelta(hours=6)
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
THROTTLE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "RESOURCE_EXHAUSTED"}
PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


def seconds_until_quota_reset(now: dt.datetime | None = None) -> float:
    """The Data API quota resets at midnight Pacific time (§4.3)."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(PACIFIC)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0), tzinfo=PACIFIC)
    return (midnight - now).total_seconds()


@dataclass(frozen=True)
class ReportRef:
    """A report as jobs.reports.list gives it: the Pacific day it covers and where to download it."""

    report_id: str
    day: dt.date
    created_at: dt.datetime
    download_url: str


@dataclass(frozen=True)
class VideoCountryDay:
    video_id: str
    country: str
    views: int
    watch_seconds: int


@dataclass(frozen=True)
class ChannelReport:
    ref: ReportRef
    rows: tuple[VideoCountryDay, ...]


class YouTubeConnector(Connector):
    platform = "youtube"
    batch_size = VIDEOS_LIMIT
    api_version = "v3"
    offers_daily_reports = True
    account_stats_interval = STATS_INTERVAL

    def __init__(self, *, uploads_playlist_id: str = "", **kwargs: Any):
        super().__init__(**kwargs)
        self._channel: dict[str, Any] | None = None
        # Known from an earlier sync (AccountIngestionState), it spares the channels.list call.
        self.uploads_playlist_id = uploads_playlist_id

    def classify(self, response: requests.Response, body: Any) -> ConnectorError | None:
        status = response.status_code
        if status < 400:
            return None
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        # Blank reasons never count, so they are left out here.
        reasons: set[str] = {r for e in error.get("errors") or [] if isinstance(e, dict) and (r := e.get("reason"))}
        if error.get("status"):
            reasons.add(error["status"])
        reason = next(iter(sorted(r for r in reasons if r)), "") or str(status)
        message = f"YouTube API: HTTP {status} {reason}: {error.get('message', '')}".strip().rstrip(":")
        if status == 401:
            return TokenExpiredError(message, "401", http_status=status)
        if reasons & QUOTA_REASONS:
            # Waiting inside a worker is pointless: the daily quota comes back at midnight Pacific.
            return ConnectorError(message, sorted(reasons & QUOTA_REASONS)[0], permanent=False, http_status=status,
                                  retry_after=seconds_until_quota_reset())
        if reasons & THROTTLE_REASONS or status == 429 or status >= 500:
            code = sorted(reasons & THROTTLE_REASONS)[0] if reasons & THROTTLE_REASONS else str(status)
            return ConnectorError(message, code, permanent=False, http_status=status,
                                  retry_after=self.retry_after_header(response))
        return ConnectorError(message, reason, permanent=True, http_status=status)

    def record_quota(self, response: requests.Response) -> None:
        # Google sends no usage headers; every call costs at least one unit, so count them.
        if DATA_HOST in response.url or "youtube.googleapis.com" in response.url:
            self.quota["units"] = self.quota.get("units", 0) + 1

    def spend_of(self, response: requests.Response, body: Any) -> dict[str, int]:
        # Every Data API call made here (list methods) costs one unit; the Analytics and Reporting
        # APIs have quotas of their own and cost none of the project's 10,000.
        data_api = DATA_HOST in response.url or "youtube.googleapis.com" in response.url
        return {"requests": 1, "calls": 1, "units": 1 if data_api else 0}

    def data_url(self, resource: str) -> str:
        return self.url(DATA_HOST, f"/youtube/v3/{resource}")

    def channel(self) -> dict[str, Any]:
        """The channel's uploads playlist and statistics in one channels.list call (1 unit) per sync."""
        if self._channel is None:
            body = self.request("GET", self.data_url("channels"), params={
                "part": "contentDetails,statistics", "id": self.account_platform_id}) or {}
            items = body.get("items") or []
            if not items:
                raise ConnectorError(f"YouTube API: channel {self.account_platform_id} not found",
                                     "channelNotFound", permanent=True)
            self._channel = items[0]
        return self._channel

    def uploads_playlist(self) -> str:
        if not self.uploads_playlist_id:
            self.uploads_playlist_id = str(self.channel()["contentDetails"]["relatedPlaylists"]["uploads"])
        return self.uploads_playlist_id

    def list_posts(self, since: dt.datetime | None) -> list[RemotePost]:
        stored = bool(self.uploads_playlist_id)
        try:
            return self._uploads_since(since)
        except ConnectorError as exc:
            if not (stored and exc.http_status == 404):
                raise
        # The stored playlist is gone (playlistNotFound): ask the channel for its uploads playlist again.
        self.uploads_playlist_id = ""
        return self._uploads_since(since)

    def _uploads_since(self, since: dt.datetime | None) -> list[RemotePost]:
        params = {"part": "contentDetails,snippet", "playlistId": self.uploads_playlist(), "maxResults": 50}
        found: list[RemotePost] = []
        while True:
            body = self.request("GET", self.data_url("playlistItems"), params=params) or {}
            for item in body.get("items") or []:
                details = item.get("contentDetails") or {}
                snippet = item.get("snippet") or {}
                published = parse_time(details.get("videoPublishedAt") or snippet.get("publishedAt"))
                if since and published and published < since:
                    return found  # the uploads playlist is newest first
                video_id = details.get("videoId") or (snippet.get("resourceId") or {}).get("videoId")
                if not video_id:
                    continue
                found.append(RemotePost(
                    platform_post_id=str(video_id), published_at=published,
                    permalink=f"https://www.youtube.com/watch?v={video_id}", format="video",
                    title=(snippet.get("title") or "")[:300], body=snippet.get("description") or "",
                ))
            token = body.get("nextPageToken")
            if not token:
                return found
            params["pageToken"] = token

    def post_metrics(self, post_ids: Sequence[str], formats: dict[str, str] | None = None) -> MetricsBatch:
        """Statistics of 50 videos a call (1 unit); watch time comes from the daily reports instead."""
        posts: list[PostMetrics] = []
        for ids in chunked(list(post_ids), VIDEOS_LIMIT):
            body = self.request("GET", self.data_url("videos"), params={
                "part": "statistics", "id": ",".join(ids), "maxResults": VIDEOS_LIMIT}) or {}
            for item in body.get("items") or []:
                stats = item.get("statistics") or {}
                views = as_int(stats.get("viewCount"))
                posts.append(PostMetrics(str(item["id"]), {
                    "views": views,
                    "video_views": views,
                    # likeCount is absent when likes are hidden; commentCount when comments are off.
                    "reactions": as_int(stats.get("likeCount")),
                    "comments": as_int(stats.get("commentCount")),
                }))
        returned = {p.platform_post_id for p in posts}
        return MetricsBatch(tuple(posts), tuple(pid for pid in post_ids if pid not in returned))

    # --- YouTube Reporting API: one bulk report a channel a day ------------------------------
    def reporting_url(self, path: str) -> str:
        return self.url(REPORTING_HOST, f"/v1/{path}")

    def reporting_job(self) -> str:
        """The id of the channel's `channel_basic_a2` job, created on first use (jobs.list, jobs.create)."""
        body = self.request("GET", self.reporting_url("jobs")) or {}
        for job in body.get("jobs") or []:
            if job.get("reportTypeId") == REPORT_TYPE and job.get("id"):
                return str(job["id"])
        created = self.request("POST", self.reporting_url("jobs"),
                               json_body={"reportTypeId": REPORT_TYPE, "name": "Softpower " + REPORT_TYPE}) or {}
        if not created.get("id"):
            raise ConnectorError("YouTube Reporting API: jobs.create returned no job id", "malformed",
                                 permanent=False)
        return str(created["id"])

    def reports_created_after(self, job_id: str, created_after: dt.datetime | None) -> list[ReportRef]:
        """The job's reports created after `created_after` (all it still keeps when None), oldest first."""
        params: dict[str, Any] = {}
        if created_after:
            params["createdAfter"] = created_after.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        refs: list[ReportRef] = []
        while True:
            body = self.request("GET", self.reporting_url(f"jobs/{job_id}/reports"), params=params) or {}
            for item in body.get("reports") or []:
                start, created = parse_time(item.get("startTime")), parse_time(item.get("createTime"))
                if start and created and item.get("downloadUrl"):
                    refs.append(ReportRef(str(item.get("id", "")), start.astimezone(PACIFIC).date(), created,
                                          str(item["downloadUrl"])))
            token = body.get("nextPageToken")
            if not token:
                return sorted(refs, key=lambda r: (r.created_at, r.day))
            params["pageToken"] = token

    def report_download(self, ref: ReportRef) -> ChannelReport:
        """One day's report: views and watch time by video and country, summed over the other dimensions."""
        parts = urlsplit(ref.download_url)
        url = self.url(parts.hostname or REPORTING_HOST, parts.path)
        text = self.request("GET", url, params=dict(parse_qsl(parts.query)), text=True) or ""
        cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        for row in csv.DictReader(io.StringIO(text)):
            if row.get("channel_id") != self.account_platform_id or not row.get("video_id"):
                continue
            views, minutes = as_int(row.get("views")), _as_float(row.get("watch_time_minutes"))
            cell = cells[(row["video_id"], (row.get("country_code") or "").upper())]
            cell[0] += views or 0
            cell[1] += round((minutes or 0.0) * 60)
        return ChannelReport(ref, tuple(VideoCountryDay(video, country, views, seconds)
                                        for (video, country), (views, seconds) in sorted(cells.items())))

    def comments(self, post_id: str, *, owner_name: str = "") -> list[RemoteComment]:
        """commentThreads.list, 100 threads a page (1 unit each), with the replies each thread carries."""
        params: dict[str, Any] = {"part": "snippet,replies", "videoId": post_id, "maxResults": 100,
                                  "order": "time", "textFormat": "plainText"}
        found: list[RemoteComment] = []
        while True:
            body = self.request("GET", self.data_url("commentThreads"), params=params) or {}
            for thread in body.get("items") or []:
                top = ((thread.get("snippet") or {}).get("topLevelComment") or {})
                found.append(self._comment(top, ""))
                for reply in (thread.get("replies") or {}).get("comments") or []:
                    found.append(self._comment(reply, str(top.get("id") or "")))
            token = body.get("nextPageToken")
            if not token:
                return found
            params["pageToken"] = token

    def _comment(self, item: dict[str, Any], parent_id: str) -> RemoteComment:
        snippet = item.get("snippet") or {}
        author = str((snippet.get("authorChannelId") or {}).get("value") or "")
        return RemoteComment(str(item.get("id") or ""), parent_id, snippet.get("authorDisplayName") or "",
                             snippet.get("textOriginal") or snippet.get("textDisplay") or "",
                             parse_time(snippet.get("publishedAt")), author == self.account_platform_id)

    def account_stats(self) -> AccountStats:
        stats = self.channel().get("statistics") or {}
        followers = None if stats.get("hiddenSubscriberCount") else as_int(stats.get("subscriberCount"))
        # Audience countries are per video, from the daily reports (report_download).
        return AccountStats(followers=followers, countries=None)


def _as_float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
