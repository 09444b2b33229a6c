"""Facebook Pages through the Graph API, and the Graph plumbing Instagram shares.

Metrics are read at Graph's minimum: the fields and insights of up to 50 posts in one
`GET /?ids=…&fields=…,insights.metric(…)` read, one HTTP call per batch of posts (several reads,
one per shape of post, travel in one Graph batch). The metrics asked come from the dated registry
(metric_registry), since one retired metric fails the whole read with error #100.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings

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
    parse_time,
)
from metrics.connectors.metric_registry import FB_VIDEO, metric_get, metrics_to_ask

GRAPH_HOST = "graph.facebook.com"
GRAPH_BATCH_LIMIT = 50  # requests in one Graph batch call
GRAPH_IDS_LIMIT = 50  # objects in one `?ids=` read: "(#100) Too many IDs. Maximum: 50."
PAGE_SIZE = 100
# Codes Meta documents as temporary or as rate limits (§5.1 of PLATFORMS.md); 80000–80014 are BUC limits.
TRANSIENT_CODES = {1, 2, 4, 17, 32, 341, 613, *range(80000, 80015)}
TOKEN_CODES = {190, 102}
INVALID_METRIC_CODE = 100

# An HTTP reply's headers, or a batched sub-reply's (a sub-reply may leave a value out).
Headers = Mapping[str, str | None]


# Of those, the ones that mean "too many calls" (application, user, page, custom, BUC limits).
RATE_LIMIT_CODES = {4, 17, 32, 613, *range(80000, 80015)}


def rate_limited(error: ConnectorError) -> bool:
    return error.http_status == 429 or (error.code.isdigit() and int(error.code) in RATE_LIMIT_CODES)


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


@dataclass(frozen=True)
class IdsRead:
    """One `GET /{version}/?ids=a,b,…&fields=…`: up to 50 posts of one shape, fields and insights at once.

    Field expansion (`insights.metric(m1,m2){name,values}`) returns each post's insights inline
    (https://developers.facebook.com/docs/graph-api/guides/field-expansion); `ids=` takes at most 50
    objects, and one unknown id, retired metric or refused edge fails the whole read.
    """

    ids: tuple[str, ...]
    object_fields: str
    # (edge, metric names) expanded inline, e.g. ("insights", ("post_media_view", "post_clicks"))
    edges: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def fields(self) -> str:
        parts = [self.object_fields] if self.object_fields else []
        parts += [f"{edge}.metric({','.join(names)}){{name,values}}" for edge, names in self.edges if names]
        return ",".join(parts) or "id"

    @property
    def relative_url(self) -> str:
        return "?" + urlencode({"ids": ",".join(self.ids), "fields": self.fields}, safe=",(){}.")

    def with_ids(self, ids: Sequence[str]) -> IdsRead:
        return IdsRead(tuple(ids), self.object_fields, self.edges)

    def halves(self) -> list[IdsRead]:
        middle = len(self.ids) // 2
        return [self.with_ids(self.ids[:middle]), self.with_ids(self.ids[middle:])]

    def without_metric(self, metric: str) -> IdsRead:
        return IdsRead(self.ids, self.object_fields,
                       tuple((edge, tuple(n for n in names if n != metric)) for edge, names in self.edges))

    def without_edge(self, edge: str) -> IdsRead:
        return IdsRead(self.ids, self.object_fields, tuple(e for e in self.edges if e[0] != edge))

    def metric_halves(self) -> list[IdsRead]:
        """The same posts, the metrics split in two reads: values merge per post, so nothing is lost."""
        pairs = [(edge, name) for edge, names in self.edges for name in names]
        middle = len(pairs) // 2
        return [IdsRead(self.ids, self.object_fields, _edges_of(half)) for half in (pairs[:middle], pairs[middle:])]


def _edges_of(pairs: Sequence[tuple[str, str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    edges: dict[str, list[str]] = {}
    for edge, name in pairs:
        edges.setdefault(edge, []).append(name)
    return tuple((edge, tuple(names)) for edge, names in edges.items())


# Graph's refusals of a metric name, which say nothing about the posts (§1.2, §2.2).
_METRIC_REFUSALS = ("valid insights metric", "no longer supported", "must be one of the following values")
_UNKNOWN_IDS = re.compile(r"do not exist:\s*(.+)$")


class GraphConnector(Connector):
    """Graph API (Facebook Pages, Instagram professional accounts).

    The token goes in `Authorization: Bearer` (Connector.auth), never in `access_token=`: Graph reads
    an OAuth 2 bearer header on every call, batch requests included (RFC 6750 §2.1).
    """

    host = GRAPH_HOST
    batch_size = GRAPH_IDS_LIMIT
    # Fields of the post object itself, read with its insights.
    object_fields = ""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api_version = settings.GRAPH_API_VERSION

    def edges_for(self, post_format: str) -> tuple[str, ...]:
        """The insights edges a post of this format has (subclasses)."""
        return ("insights",)

    def classify(self, response: requests.Response, body: Any) -> ConnectorError | None:
        return graph_error(body, response.status_code, response.headers)

    def record_quota(self, response: requests.Response) -> None:
        self.record_usage(response.headers)

    def spend_of(self, response: requests.Response, body: Any) -> dict[str, int]:
        # Graph counts each request of a batch as a call of its own (graph-api/batch-requests, "Limits").
        return {"requests": 1, "calls": len(body) if isinstance(body, list) else 1}

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

    # --- metrics: fields and insights of up to 50 posts per read -----------------------------
    def metrics_for_edge(self, edge: str, post_format: str) -> tuple[str, ...]:
        today = dt.datetime.now(dt.UTC).date()
        found = metrics_to_ask(self.platform, edge, on=today, version=self.api_version, post_format=post_format)
        return tuple(m.name for m in found if m.name not in self.dropped_metrics)

    def reads_for(self, post_ids: Sequence[str], formats: Mapping[str, str]) -> list[IdsRead]:
        """Posts grouped by what can be asked of them together, in reads of at most 50."""
        shapes: dict[tuple[tuple[str, tuple[str, ...]], ...], list[str]] = {}
        for post_id in post_ids:
            post_format = formats.get(post_id, "")
            edges = tuple((edge, self.metrics_for_edge(edge, post_format)) for edge in self.edges_for(post_format))
            shapes.setdefault(edges, []).append(post_id)
        return [IdsRead(tuple(ids[start:start + GRAPH_IDS_LIMIT]), self.object_fields, edges)
                for edges, ids in shapes.items() for start in range(0, len(ids), GRAPH_IDS_LIMIT)]

    def post_metrics(self, post_ids: Sequence[str], formats: dict[str, str] | None = None) -> MetricsBatch:
        """One HTTP call per round for every read (a Graph batch when there are several shapes).

        Something wrong costs extra calls only then: an unknown id named by #803 is left out, a
        retired metric is dropped, and any other refusal is narrowed down by halving the read.
        """
        objects: dict[str, dict[str, Any]] = {pid: {} for pid in post_ids}
        values: dict[str, dict[str, dict[str, Any]]] = {pid: {} for pid in post_ids}
        seen: set[str] = set()
        gone: set[str] = set()
        pending = self.reads_for(post_ids, formats or {})
        attempt = 0
        while pending:
            attempt += 1
            following: list[IdsRead] = []
            transient: ConnectorError | None = None
            for start in range(0, len(pending), GRAPH_BATCH_LIMIT):
                chunk = pending[start:start + GRAPH_BATCH_LIMIT]
                if transient is not None and rate_limited(transient):
                    # Every further call would be refused and would count against the limit too.
                    following.extend(chunk)
                    continue
                for read, (body, error) in zip(chunk, self._send(chunk), strict=True):
                    if error is None:
                        seen.update(self._take(read, body, objects, values))
                        continue
                    if isinstance(error, TokenExpiredError):
                        self.errors.append(error.as_record())
                        raise error
                    if not error.permanent:
                        self.errors.append(error.as_record())
                        following.append(read)
                        transient = error
                        continue
                    following.extend(self._narrow(read, error, gone))
            if transient is not None:
                if attempt >= self.max_attempts:
                    raise transient
                wait = self.backoff(attempt, transient.retry_after)
                if wait > self.max_inline_wait:
                    raise transient
                self.sleep(wait)
            pending = following
        posts = []
        missing = []
        for post_id in post_ids:
            if post_id in gone or post_id not in seen:
                missing.append(post_id)
                continue
            metrics, sources = self.series_of(values[post_id])
            metrics.update(self.object_metrics(objects[post_id]))
            extra = {k: v for edge in values[post_id].values() for k, v in edge.items() if isinstance(v, dict)}
            posts.append(PostMetrics(post_id, metrics, extra={**extra, "metric_sources": sources}))
        return MetricsBatch(tuple(posts), tuple(missing))

    def _narrow(self, read: IdsRead, error: ConnectorError, gone: set[str]) -> list[IdsRead]:
        """What to ask next after a refusal of the whole read."""
        text = error.message
        unknown = _UNKNOWN_IDS.search(text) if error.code == "803" else None
        if unknown:
            named = {i.strip() for i in unknown.group(1).split(",")} & set(read.ids)
            if named:
                gone.update(named)
                self.errors.append({**error.as_record(), "message": f"not found: {', '.join(sorted(named))}"})
                rest = [i for i in read.ids if i not in named]
                return [read.with_ids(rest)] if rest else []
        if error.code == str(INVALID_METRIC_CODE) and any(r in text for r in _METRIC_REFUSALS):
            asked = [name for _, names in read.edges for name in names]
            named_metric = _named(text, asked)
            if named_metric is None and len(asked) == 1:
                named_metric = asked[0]
            if named_metric is not None:
                # Retired for everyone: not asked again in this run (the registry should know it).
                self.dropped_metrics.add(named_metric)
                self.errors.append(error.as_record())
                return [read.without_metric(named_metric)]
            return read.metric_halves()
        if len(read.ids) > 1:
            return read.halves()  # one post refuses (a Reel's missing edge, #10 too few viewers): find it
        edge = next((e for e, _ in read.edges if f"({e})" in text), None)
        if edge is not None:
            return [read.without_edge(edge)]  # this post has no such edge: its other figures still count
        metric = _named(text, [m for _, names in read.edges for m in names])
        if metric is not None:
            return [read.without_metric(metric)]  # not offered for this media type
        self.errors.append(error.as_record())
        if read.edges:
            return [IdsRead(read.ids, read.object_fields, ())]  # keep what the post itself shows
        gone.update(read.ids)
        return []

    def _take(self, read: IdsRead, body: Any, objects: dict[str, dict[str, Any]],
              values: dict[str, dict[str, dict[str, Any]]]) -> set[str]:
        found = set()
        edges = {edge for edge, _ in read.edges}
        for post_id in read.ids:
            obj = body.get(post_id) if isinstance(body, dict) else None
            if not isinstance(obj, dict):
                continue  # Graph may leave out an object it will not show
            found.add(post_id)
            objects[post_id].update({k: v for k, v in obj.items() if k not in edges})
            for edge in edges:
                values[post_id].setdefault(edge, {}).update(_insight_values(obj.get(edge)))
        return found

    def series_of(self, values: dict[str, dict[str, Any]]) -> tuple[dict[str, int | None], dict[str, str]]:
        """Snapshot series from insights, and which platform metric filled each (the provenance)."""
        metrics: dict[str, int | None] = {}
        sources: dict[str, str] = {}
        # The post's own insights before its video's, where both fill a series (reach).
        for edge in sorted(values, key=lambda e: e != "insights"):
            for name, value in values[edge].items():
                metric = metric_get(self.platform, edge, name)
                if metric is None or not metric.series or metric.series in sources:
                    continue
                number = as_int(value)
                metrics[metric.series] = round(number / 1000) if number is not None and metric.milliseconds else number
                sources[metric.series] = name
        return metrics, sources

    def _send(self, reads: list[IdsRead]) -> list[tuple[Any, ConnectorError | None]]:
        """One HTTP call: a plain GET for one read, a Graph batch of GETs for several."""
        if len(reads) == 1:
            extra, headers = self.auth()
            try:
                error, body = self._once("GET", self.graph_url(""), params={
                    "ids": ",".join(reads[0].ids), "fields": reads[0].fields, **extra}, data=None,
                    headers=headers)
            except ConnectorError as exc:
                return [(None, exc)]
            return [(body, error)]
        return self._batch([read.relative_url for read in reads])

    def _batch(self, relative_urls: list[str]) -> list[tuple[Any, ConnectorError | None]]:
        batch = [{"method": "GET", "relative_url": url} for url in relative_urls]
        replies = self.request("POST", self.url(self.host, f"/{self.api_version}/"),
                               data={"batch": json.dumps(batch), "include_headers": "true"})
        if not isinstance(replies, list) or len(replies) != len(relative_urls):
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

    # --- subclasses map the post object's own fields -------------------------------------------
    def object_metrics(self, obj: dict[str, Any]) -> dict[str, int | None]:
        raise NotImplementedError


def _named(text: str, metrics: Sequence[str]) -> str | None:
    """The metric an error names first ("the impressions metric … use views instead": impressions)."""
    found = [(match.start(), m) for m in metrics if (match := re.search(rf"\b{re.escape(m)}\b", text))]
    return min(found)[1] if found else None


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


FB_FORMATS = {
    "added_photos": "image", "added_video": "video", "shared_story": "link", "mobile_status_update": "text",
    "created_note": "text", "published_story": "text",
}


class FacebookConnector(GraphConnector):
    platform = "facebook"
    object_fields = "shares,reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)"

    def list_posts(self, since: dt.datetime | None) -> list[RemotePost]:
        params = {"fields": "id,message,created_time,permalink_url,status_type", "limit": PAGE_SIZE}
        if since:
            params["since"] = int(since.timestamp())
        found = []
        for item in self.get_list(f"{self.account_platform_id}/published_posts", params):
            message = item.get("message") or ""
            permalink = item.get("permalink_url") or ""
            post_format = FB_FORMATS.get(item.get("status_type") or "", "text")
            if "/reel/" in permalink:
                post_format = "short_video"  # a Reel is `added_video` too; it has no /insights edge (§1.2)
            found.append(RemotePost(
                platform_post_id=str(item["id"]), published_at=parse_time(item.get("created_time")),
                permalink=permalink, format=post_format, title=message.split("\n")[0][:120], body=message,
            ))
        return found

    def edges_for(self, post_format: str) -> tuple[str, ...]:
        # Videos' views and watch time live on video_insights; Reels have no /insights edge at all (§1.2).
        if post_format == "short_video":
            return ("video_insights",)
        if post_format in FB_VIDEO:
            return ("insights", "video_insights")
        return ("insights",)

    def object_metrics(self, obj: dict[str, Any]) -> dict[str, int | None]:
        # `shares` is absent when nobody shared (§1.1): zero, since the post itself was returned.
        shares = (obj.get("shares") or {}).get("count", 0)
        return {"reactions": summary_count(obj, "reactions"), "comments": summary_count(obj, "comments"),
                "shares": as_int(shares)}

    def account_stats(self) -> AccountStats:
        body = self.request("GET", self.graph_url(self.account_platform_id),
                            params={"fields": "followers_count,fan_count"})
        followers = as_int(body.get("followers_count"))
        if followers is None:
            followers = as_int(body.get("fan_count"))
        # Facebook has no organic follower geography that survives the 2024–2025 deprecations (§1.3).
        return AccountStats(followers=followers, countries=None)

    def comments(self, post_id: str, *, owner_name: str = "") -> list[RemoteComment]:
        """Comments and replies in one flat list (`filter=stream`; `parent` names the comment replied to)."""
        items = self.get_list(f"{post_id}/comments", {"filter": "stream", "limit": 100,
                                                      "fields": "id,message,created_time,from,parent"})
        return [RemoteComment(comment_id=str(c.get("id") or ""), parent_id=str((c.get("parent") or {}).get("id") or ""),
                              author_name=(c.get("from") or {}).get("name") or "", text=c.get("message") or "",
                              created_at=parse_time(c.get("created_time")),
                              by_owner=str((c.get("from") or {}).get("id") or "") == self.account_platform_id)
                for c in items]
