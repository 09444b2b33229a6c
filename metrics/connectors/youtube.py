"""YouTube Data API v3 (uploads, statistics by 50 ids) and YouTube Analytics API v2 (watch time, countries).

search.list costs 100 units, so uploads are listed through the channel's uploads playlist (1 unit
a page). Watch time for a whole batch comes from one Analytics report with `dimensions=video`;
audience countries need one report per video, so the service asks for them once a day per video.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from typing import Any

import requests

from metrics.connectors.base import (
    AccountStats,
    Connector,
    ConnectorError,
    MetricsBatch,
    PostMetrics,
    RemotePost,
    TokenExpiredError,
    as_int,
    chunked,
    parse_time,
)

DATA_HOST = "www.googleapis.com"
ANALYTICS_HOST = "youtubeanalytics.googleapis.com"
VIDEOS_LIMIT = 50
QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded"}
THROTTLE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded", "RESOURCE_EXHAUSTED"}
PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
ANALYTICS_START = "2006-01-01"  # before any channel's first upload: the report then covers the video's life


def seconds_until_quota_reset(now: dt.datetime | None = None) -> float:
    """The Data API quota resets at midnight Pacific time (§4.3)."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(PACIFIC)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0), tzinfo=PACIFIC)
    return (midnight - now).total_seconds()


class YouTubeConnector(Connector):
    platform = "youtube"
    batch_size = VIDEOS_LIMIT
    api_version = "v3"

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

    def data_url(self, resource: str) -> str:
        return self.url(DATA_HOST, f"/youtube/v3/{resource}")

    def uploads_playlist(self) -> str:
        body = self.request("GET", self.data_url("channels"),
                            params={"part": "contentDetails", "id": self.account_platform_id}) or {}
        items = body.get("items") or []
        if not items:
            raise ConnectorError(f"YouTube API: channel {self.account_platform_id} not found", "channelNotFound",
                                 permanent=True)
        uploads: str = items[0]["contentDetails"]["relatedPlaylists"]["uploads"]
        return uploads

    def list_posts(self, since: dt.datetime | None) -> list[RemotePost]:
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
        posts: list[PostMetrics] = []
        for ids in chunked(list(post_ids), VIDEOS_LIMIT):
            body = self.request("GET", self.data_url("videos"), params={
                "part": "statistics,snippet", "id": ",".join(ids), "maxResults": VIDEOS_LIMIT}) or {}
            published = [p for item in body.get("items") or []
                         if (p := parse_time((item.get("snippet") or {}).get("publishedAt")))]
            watch = self.watch_minutes(ids, since=min(published).date() if published else None)
            for item in body.get("items") or []:
                stats = item.get("statistics") or {}
                views = as_int(stats.get("viewCount"))
                minutes = watch.get(item["id"])
                posts.append(PostMetrics(str(item["id"]), {
                    "views": views,
                    "video_views": views,
                    # likeCount is absent when likes are hidden; commentCount when comments are off.
                    "reactions": as_int(stats.get("likeCount")),
                    "comments": as_int(stats.get("commentCount")),
                    "watch_time_seconds": round(minutes * 60) if minutes is not None else None,
                }))
        returned = {p.platform_post_id for p in posts}
        return MetricsBatch(tuple(posts), tuple(pid for pid in post_ids if pid not in returned))

    def report(self, params: dict[str, Any], since: dt.date | None = None) -> list[dict[str, Any]]:
        """An Analytics result table as dicts; `rows` is omitted when there is no data (§0)."""
        today = dt.datetime.now(dt.UTC).date()
        start = min(since, today) if since else dt.date.fromisoformat(ANALYTICS_START)
        # channel==<id> rather than MINE: the same call serves any channel the token may read.
        body = self.request("GET", self.url(ANALYTICS_HOST, "/v2/reports"), params={
            "ids": f"channel=={self.account_platform_id}", "startDate": start.isoformat(),
            "endDate": today.isoformat(), **params,
        })
        headers = [h.get("name") for h in (body or {}).get("columnHeaders") or []]
        return [dict(zip(headers, row, strict=False)) for row in (body or {}).get("rows") or []]

    def watch_minutes(self, video_ids: Sequence[str], since: dt.date | None = None) -> dict[str, float]:
        """Minutes watched per video, one report for the whole batch; empty if Analytics refuses."""
        try:
            rows = self.report({"dimensions": "video", "metrics": "estimatedMinutesWatched,views",
                                "filters": "video==" + ",".join(video_ids), "maxResults": len(video_ids)}, since)
        except TokenExpiredError:
            raise
        except ConnectorError as exc:
            if exc.permanent:
                return {}
            raise
        return {str(r.get("video")): float(r["estimatedMinutesWatched"]) for r in rows
                if r.get("estimatedMinutesWatched") is not None}

    def video_countries(self, video_id: str, since: dt.date | None = None) -> dict[str, int]:
        """Lifetime views by country of one video (`since`: its publication day)."""
        rows = self.report({"dimensions": "country", "metrics": "views", "filters": f"video=={video_id}",
                            "sort": "-views", "maxResults": 250}, since)
        return {str(r["country"]).upper(): int(r["views"]) for r in rows
                if r.get("country") and as_int(r.get("views")) is not None}

    def account_stats(self) -> AccountStats:
        body = self.request("GET", self.data_url("channels"),
                            params={"part": "statistics", "id": self.account_platform_id}) or {}
        items = body.get("items") or []
        stats = (items[0].get("statistics") or {}) if items else {}
        followers = None if stats.get("hiddenSubscriberCount") else as_int(stats.get("subscriberCount"))
        # Channel-level country data needs an Analytics report by subscribers; per-video views by
        # country are read instead (video_countries), which is what campaigns measure.
        return AccountStats(followers=followers, countries=None)
