"""Facebook Pages through the Graph API, and the Graph plumbing Instagram shares.

Metrics are read with Graph batched requests (up to 50 sub-requests per HTTP call). Insights are
asked in small groups so that one retired metric (error #100, which fails the whole request)
costs only its own group: a failing group is split metric by metric and the retired one dropped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

from metrics.connectors.base import (
    AccountStats,
    Connector,
    ConnectorError,
    MetricsBatch,
    PostMetrics,
    RemotePost,
    TokenExpiredError,
    as_int,
    parse_time,
)

GRAPH_HOST = "graph.facebook.com"
GRAPH_BATCH_LIMIT = 50
PAGE_SIZE = 100
# Codes Meta documents as temporary or as rate limits (§5.1 of PLATFORMS.md); 80000–80014 are BUC limits.
TRANSIENT_CODES = {1, 2, 4, 17, 32, 341, 613, *range(80000, 80015)}
TOKEN_CODES = {190, 102}
INVALID_METRIC_CODE = 100

# An HTTP reply's headers, or a batched sub-reply's (a sub-reply may leave a value out).
Headers = Mapping[str, str | None]


def graph_error(body: Any, status: int, headers: Headers | None) -> ConnectorError | None:
    """Classify a Graph reply. Graph's own `code` decides, not the HTTP status (§5.1)."""
    error = body.get("error") if isinstance(body, dict) else None
    if error is None:
        if status >= 500 or status == 429:
            return ConnectorError(f"Graph API: HTTP {status}", str(status), permanent=False, http_status=status,
                                  retry_after=_buc_wait(headers))
        if status >= 400:
            return ConnectorError(f"Graph API: HTTP {status} without an error object", str(status),
                                  permanent=True, http_status=status)
        return None
    code = as_int(error.get("code")) or 0
    message = f"(#{code}) {error.get('message', '')}".strip()
    if code in TOKEN_CODES:
        return TokenExpiredError(message, str(code), http_status=status)
    if code in TRANSIENT_CODES or error.get("is_transient") is True or status >= 500:
        return ConnectorError(message, str(code), permanent=False, http_status=status, retry_after=_buc_wait(headers))
    return ConnectorError(message, str(code), permanent=True, http_status=status)


def _buc_wait(headers: Headers | None) -> float | None:
    """Seconds until access returns, from X-Business-Use-Case-Usage (minutes there) or Retry-After."""
    waits: list[float] = []
    raw = headers.get("X-Business-Use-Case-Usage") if headers else None
    if raw:
        try:
            for entries in json.loads(raw).values():
                for entry in entries:
                    minutes = entry.get("estimated_time_to_regain_access")
                    if minutes:
                        waits.append(float(minutes) * 60)
        except (ValueError, AttributeError, TypeError):
            pass
    retry_after = headers.get("Retry-After") if headers else None
    if retry_after:
        with contextlib.suppress(ValueError):
            waits.append(float(retry_after))
    return max(waits) if waits else None


@dataclass
class SubRequest:
    """One GET inside a Graph batch; `group` names the metrics it asks for, to split on #100."""

    post_id: str
    kind: str  # "object" | "insights" | "video"
    metrics: tuple[str, ...] = ()
    fields: str = ""

    @property
    def relative_url(self) -> str:
        if self.kind == "object":
            return f"{self.post_id}?fields={self.fields}"
        if self.kind == "video":
            return f"{self.post_id}/video_insights"
        return f"{self.post_id}/insights?metric={','.join(self.metrics)}&period=lifetime"


class GraphConnector(Connector):
    """Graph API (Facebook Pages, Instagram professional accounts).

    The token goes in `Authorization: Bearer` (Connector.auth), never in `access_token=`: Graph reads
    an OAuth 2 bearer header on every call, batch requests included (RFC 6750 §2.1).
    """

    host = GRAPH_HOST
    batch_size = GRAPH_BATCH_LIMIT
    # (metric group, ...) asked per post, each its own sub-request; fragile metrics stand alone.
    insight_groups: tuple[tuple[str, ...], ...] = ()
    object_fields = ""
    # Graph metric name → our snapshot field
    insight_fields: dict[str, str] = {}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api_version = settings.GRAPH_API_VERSION

    def classify(self, response: requests.Response, body: Any) -> ConnectorError | None:
        return graph_error(body, response.status_code, response.headers)

    def record_quota(self, response: requests.Response) -> None:
        self.record_usage(response.headers)

    def record_usage(self, headers: Headers) -> None:
        for header in ("X-App-Usage", "X-Business-Use-Case-Usage", "X-Page-Usage"):
            raw = headers.get(header)
            if not raw:
                continue  # a missing header does not mean zero usage (§5.2)
            try:
                value = json.loads(raw)
            except ValueError:
                continue
            self.quota[header] = value
            percents = _percents(value)
            if percents:
                self.quota["used_pct"] = max(max(percents), self.quota.get("used_pct", 0))

    def graph_url(self, path: str) -> str:
        return self.url(self.host, f"/{self.api_version}/{path.lstrip('/')}")

    def get_list(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every item of a Graph list edge, following the `after` cursor until `next` is gone."""
        items: list[dict[str, Any]] = []
        params = dict(params)
        while True:
            body = self.request("GET", self.graph_url(path), params=params)
            items.extend(body.get("data") or [])
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not paging.get("next") or not after:
                return items
            params["after"] = after

    # --- metrics through batched requests -------------------------------------------------
    def post_metrics(self, post_ids: Sequence[str], formats: dict[str, str] | None = None) -> MetricsBatch:
        pending: list[SubRequest] = []
        for post_id in post_ids:
            pending.append(SubRequest(post_id, "object", fields=self.object_fields))
            for group in self.insight_groups:
                live = tuple(m for m in group if m not in self.dropped_metrics)
                if live:
                    pending.append(SubRequest(post_id, "insights", metrics=live))
            pending.extend(self.format_requests(post_id, (formats or {}).get(post_id, "")))
        objects: dict[str, dict[str, Any]] = {}
        insights: dict[str, dict[str, Any]] = {pid: {} for pid in post_ids}
        attempt = 0
        while pending:
            attempt += 1
            retry: list[SubRequest] = []
            splits: list[SubRequest] = []
            transient: ConnectorError | None = None
            for start in range(0, len(pending), GRAPH_BATCH_LIMIT):
                chunk = pending[start:start + GRAPH_BATCH_LIMIT]
                for sub, (body, error) in zip(chunk, self._batch(chunk), strict=True):
                    if error is None:
                        if sub.kind == "object":
                            objects[sub.post_id] = body or {}
                        else:
                            insights[sub.post_id].update(_insight_values(body))
                        continue
                    if error.code == str(INVALID_METRIC_CODE) and sub.kind == "insights":
                        splits.extend(self._split_invalid(sub, error))
                        continue
                    self.errors.append(error.as_record())
                    if isinstance(error, TokenExpiredError):
                        raise error
                    if not error.permanent:
                        retry.append(sub)
                        transient = error
                    # Any other permanent error (deleted post, #10 too few viewers) leaves that part empty.
            if transient is not None:
                if attempt >= self.max_attempts:
                    raise transient
                wait = self.backoff(attempt, transient.retry_after)
                if wait > self.max_inline_wait:
                    raise transient
                self.sleep(wait)
            pending = retry + splits
        posts = []
        missing = []
        for post_id in post_ids:
            if post_id not in objects:
                missing.append(post_id)
                continue
            posts.append(PostMetrics(post_id, self.to_metrics(objects[post_id], insights[post_id]),
                                     extra=self.extra_for(objects[post_id], insights[post_id])))
        return MetricsBatch(tuple(posts), tuple(missing))

    def _split_invalid(self, sub: SubRequest, error: ConnectorError) -> list[SubRequest]:
        """#100 on an insights request: find out whether a metric is retired, or the post has no such edge.

        A retired metric fails the whole request (§1.2): each metric is then asked alone, and the
        one refused as an invalid metric is dropped for the rest of the run. A refusal that is about
        this post (a Reel has no /insights edge; a Story offers no `saved`) drops nothing else.
        """
        text = error.message.lower()
        if "nonexisting field (insights)" in text or "unsupported get request" in text:
            return self.insights_unavailable(sub)
        if len(sub.metrics) > 1:
            return [SubRequest(sub.post_id, "insights", metrics=(m,)) for m in sub.metrics
                    if m not in self.dropped_metrics]
        if "valid insights metric" in text or "no longer supported" in text:
            self.dropped_metrics.add(sub.metrics[0])
            self.errors.append(error.as_record())
        return []

    def insights_unavailable(self, sub: SubRequest) -> list[SubRequest]:
        return []

    def format_requests(self, post_id: str, post_format: str) -> list[SubRequest]:
        """Sub-requests only some formats need (video metrics), asked up front to save a round."""
        return []

    def _batch(self, chunk: list[SubRequest]) -> list[tuple[Any, ConnectorError | None]]:
        batch = [{"method": "GET", "relative_url": sub.relative_url} for sub in chunk]
        replies = self.request("POST", self.url(self.host, f"/{self.api_version}/"),
                               data={"batch": json.dumps(batch), "include_headers": "true"})
        if not isinstance(replies, list) or len(replies) != len(chunk):
            raise ConnectorError("Graph API: a batch reply must be a list with one item per request",
                                 "malformed", permanent=False)
        results: list[tuple[Any, ConnectorError | None]] = []
        for reply in replies:
            if reply is None:  # Graph returns null for a sub-request that timed out
                error = ConnectorError("Graph API: a batched request timed out", "batch_timeout", permanent=False)
                results.append((None, error))
                continue
            status = as_int(reply.get("code")) or 0
            headers = {str(h.get("name")): h.get("value") for h in reply.get("headers") or [] if isinstance(h, dict)}
            self.record_usage(headers)  # per-object BUC usage travels in the sub-reply's headers
            try:
                body = json.loads(reply["body"]) if isinstance(reply.get("body"), str) else reply.get("body")
            except ValueError:
                error = ConnectorError("Graph API: a batched reply body is not valid JSON", "malformed",
                                       permanent=False, http_status=status)
                results.append((None, error))
                continue
            results.append((body, graph_error(body, status, headers)))
        return results

    # --- subclasses map Graph values to snapshot fields ---------------------------------------
    def to_metrics(self, obj: dict[str, Any], values: dict[str, Any]) -> dict[str, int | None]:
        raise NotImplementedError

    def extra_for(self, obj: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in values.items() if isinstance(v, dict)}


def _insight_values(body: Any) -> dict[str, Any]:
    """{metric name: lifetime value}; a metric the platform has no data for is simply absent."""
    values: dict[str, Any] = {}
    for item in (body or {}).get("data") or []:
        points = item.get("values") or []
        if points:
            values[item.get("name")] = points[-1].get("value")
        elif isinstance(item.get("total_value"), dict):
            values[item.get("name")] = item["total_value"].get("value")
    return values


def _percents(value: Any) -> list[float]:
    found: list[float] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("call_count", "total_time", "total_cputime") and isinstance(inner, int | float):
                found.append(float(inner))
            else:
                found.extend(_percents(inner))
    elif isinstance(value, list):
        for inner in value:
            found.extend(_percents(inner))
    return found


def summary_count(obj: dict[str, Any], edge: str) -> int | None:
    node = obj.get(edge)
    if not isinstance(node, dict):
        return None
    return as_int((node.get("summary") or {}).get("total_count"))


VIDEO_FORMATS = {"video", "short_video", "live"}
FB_FORMATS = {
    "added_photos": "image", "added_video": "video", "shared_story": "link", "mobile_status_update": "text",
    "created_note": "text", "published_story": "text",
}


class FacebookConnector(GraphConnector):
    platform = "facebook"
    object_fields = "shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"
    # post_clicks is valid but fragile (§1.2), so it is asked alone.
    insight_groups = (("post_media_view", "post_total_media_view_unique"), ("post_clicks",))

    def list_posts(self, since: dt.datetime | None) -> list[RemotePost]:
        params = {"fields": "id,message,created_time,permalink_url,status_type", "limit": PAGE_SIZE}
        if since:
            params["since"] = int(since.timestamp())
        found = []
        for item in self.get_list(f"{self.account_platform_id}/published_posts", params):
            message = item.get("message") or ""
            found.append(RemotePost(
                platform_post_id=str(item["id"]), published_at=parse_time(item.get("created_time")),
                permalink=item.get("permalink_url") or "", format=FB_FORMATS.get(item.get("status_type") or "", "text"),
                title=message.split("\n")[0][:120], body=message,
            ))
        return found

    def insights_unavailable(self, sub: SubRequest) -> list[SubRequest]:
        # Reels have no /insights edge; their figures come from video_insights (§1.2). Ask once per post.
        if sub.post_id in self._video_fallback:
            return []
        self._video_fallback.add(sub.post_id)
        return [SubRequest(sub.post_id, "video")]

    def format_requests(self, post_id: str, post_format: str) -> list[SubRequest]:
        # Videos' views and watch time live on video_insights (§1.2).
        if post_format in VIDEO_FORMATS:
            self._video_fallback.add(post_id)
            return [SubRequest(post_id, "video")]
        return []

    def post_metrics(self, post_ids: Sequence[str], formats: dict[str, str] | None = None) -> MetricsBatch:
        self._video_fallback: set[str] = set()
        return super().post_metrics(post_ids, formats)

    def to_metrics(self, obj: dict[str, Any], values: dict[str, Any]) -> dict[str, int | None]:
        # `shares` is absent when nobody shared (§1.1): zero, since the post itself was returned.
        shares = (obj.get("shares") or {}).get("count", 0)
        watched_ms = as_int(values.get("total_video_view_total_time"))
        return {
            "views": as_int(values.get("post_media_view", values.get("total_video_impressions"))),
            "reach": as_int(values.get("post_total_media_view_unique", values.get("total_video_impressions_unique"))),
            "reactions": summary_count(obj, "reactions"),
            "comments": summary_count(obj, "comments"),
            "shares": as_int(shares),
            "clicks": as_int(values.get("post_clicks")),
            "video_views": as_int(values.get("total_video_views")),
            "watch_time_seconds": round(watched_ms / 1000) if watched_ms is not None else None,
        }

    def account_stats(self) -> AccountStats:
        body = self.request("GET", self.graph_url(self.account_platform_id),
                            params={"fields": "followers_count,fan_count"})
        followers = as_int(body.get("followers_count"))
        if followers is None:
            followers = as_int(body.get("fan_count"))
        # Facebook has no organic follower geography that survives the 2024–2025 deprecations (§1.3).
        return AccountStats(followers=followers, countries=None)
