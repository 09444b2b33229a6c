"""X API v2: a user's posts, post metrics by lookups of up to 100 ids, follower counts.

X offers no audience geography for organic posts in the public v2 API (§3.3): countries are None.
Errors are keyed on the HTTP status; a 200 may carry partial `errors` for ids it could not find.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

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

X_HOST = "api.x.com"
LOOKUP_LIMIT = 100


class XConnector(Connector):
    platform = "x"
    batch_size = LOOKUP_LIMIT
    # Pay-per-use: each post read is charged, so a lookup reads only the posts that are due.
    priced_per_request = False
    api_version = "2"

    def classify(self, response: requests.Response, body: Any) -> ConnectorError | None:
        status = response.status_code
        if status < 400:
            return None
        detail = ""
        if isinstance(body, dict):
            detail = body.get("detail") or body.get("title") or ""
            if not detail and body.get("errors"):
                first = body["errors"][0]
                detail = first.get("message") or first.get("detail") or ""
        message = f"X API: HTTP {status} {detail}".strip()
        if status == 401:
            return TokenExpiredError(message, "401", http_status=status)
        if status == 429:
            return ConnectorError(message, "429", permanent=False, http_status=status,
                                  retry_after=self._reset_wait(response))
        if status >= 500:
            return ConnectorError(message, str(status), permanent=False, http_status=status,
                                  retry_after=self.retry_after_header(response))
        return ConnectorError(message, str(status), permanent=True, http_status=status)

    @staticmethod
    def _reset_wait(response: requests.Response) -> float | None:
        reset = response.headers.get("x-rate-limit-reset")
        if reset:
            try:
                return max(float(reset) - time.time(), 0.0)
            except ValueError:
                pass
        return Connector.retry_after_header(response)

    def record_quota(self, response: requests.Response) -> None:
        limit = as_int(response.headers.get("x-rate-limit-limit"))
        remaining = as_int(response.headers.get("x-rate-limit-remaining"))
        if limit and remaining is not None:
            self.quota.update({"limit": limit, "remaining": remaining,
                               "reset": as_int(response.headers.get("x-rate-limit-reset")),
                               "used_pct": round(100.0 * (limit - remaining) / limit, 1)})

    def spend_of(self, response: requests.Response, body: Any) -> dict[str, int]:
        # X bills reads per resource returned, not per request (docs.x.com/x-api/getting-started/pricing).
        data = body.get("data") if isinstance(body, dict) and response.status_code < 300 else None
        if isinstance(data, list):
            users = (body.get("includes") or {}).get("users") or []
            return {"requests": 1, "calls": 1, "posts_read": len(data), "users_read": len(users)}
        if isinstance(data, dict):
            key = "users_read" if "/2/users/" in response.url and "/tweets" not in response.url else "posts_read"
            return {"requests": 1, "calls": 1, key: 1}
        return {"requests": 1, "calls": 1}

    def list_posts(self, since: dt.datetime | None) -> list[RemotePost]:
        params = {
            "max_results": 100, "tweet.fields": "created_at,attachments", "expansions": "attachments.media_keys",
            "media.fields": "type", "exclude": "retweets,replies",
        }
        if since:
            params["start_time"] = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        url = self.url(X_HOST, f"/2/users/{self.account_platform_id}/tweets")
        found = []
        while True:
            body = self.request("GET", url, params=params) or {}
            media = {m.get("media_key"): m.get("type") for m in (body.get("includes") or {}).get("media") or []}
            for tweet in body.get("data") or []:
                keys = (tweet.get("attachments") or {}).get("media_keys") or []
                types = {media.get(k) for k in keys}
                kind = "video" if types & {"video", "animated_gif"} else "image" if "photo" in types else "text"
                text = tweet.get("text") or ""
                found.append(RemotePost(
                    platform_post_id=str(tweet["id"]), published_at=parse_time(tweet.get("created_at")),
                    permalink=f"https://x.com/i/status/{tweet['id']}", format=kind, title=text[:120], body=text,
                ))
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                return found
            params["pagination_token"] = token

    def post_metrics(self, post_ids: Sequence[str], formats: dict[str, str] | None = None) -> MetricsBatch:
        posts: list[PostMetrics] = []
        returned: set[str] = set()
        url = self.url(X_HOST, "/2/tweets")
        for ids in chunked(list(post_ids), LOOKUP_LIMIT):
            body = self.request("GET", url, params={
                "ids": ",".join(ids), "tweet.fields": "public_metrics", "expansions": "attachments.media_keys",
                "media.fields": "public_metrics",
            }) or {}
            media_views = {m.get("media_key"): as_int((m.get("public_metrics") or {}).get("view_count"))
                           for m in (body.get("includes") or {}).get("media") or []}
            for tweet in body.get("data") or []:
                pm = tweet.get("public_metrics") or {}
                keys = (tweet.get("attachments") or {}).get("media_keys") or []
                views = [v for k in keys if (v := media_views.get(k)) is not None]
                impressions = as_int(pm.get("impression_count"))
                returned.add(str(tweet["id"]))
                posts.append(PostMetrics(str(tweet["id"]), {
                    "views": impressions,
                    "impressions": impressions,
                    "reactions": as_int(pm.get("like_count")),
                    "comments": as_int(pm.get("reply_count")),
                    "shares": as_int(pm.get("retweet_count")),
                    "quotes": as_int(pm.get("quote_count")),
                    "saves": as_int(pm.get("bookmark_count")),
                    "video_views": sum(views) if views else None,
                }))
            for error in body.get("errors") or []:
                # Partial not-found comes back in a 200 (§3.4); noted, not fatal.
                self.errors.append({"code": "not_found", "message": (error.get("detail") or "")[:500],
                                    "permanent": True, "http_status": 200, "retry_after": None})
        missing = tuple(pid for pid in post_ids if pid not in returned)
        return MetricsBatch(tuple(posts), missing)

    def account_stats(self) -> AccountStats:
        body = self.request("GET", self.url(X_HOST, f"/2/users/{self.account_platform_id}"),
                            params={"user.fields": "public_metrics"}) or {}
        if not body.get("data") and body.get("errors"):
            # An unknown or suspended user is a 200 with a "Not Found Error" item (§3.4), not an HTTP error.
            first = body["errors"][0]
            raise ConnectorError(f"X API: {first.get('title') or 'error'}: {first.get('detail') or ''}".strip(),
                                 "not_found", permanent=True, http_status=200)
        metrics = (body.get("data") or {}).get("public_metrics") or {}
        return AccountStats(followers=as_int(metrics.get("followers_count")), countries=None)

    def comments(self, post_id: str, *, owner_name: str = "") -> list[RemoteComment]:
        """The replies in the post's conversation from the last seven days (recent search: older ones are not
        searchable without full-archive access)."""
        url = self.url(X_HOST, "/2/tweets/search/recent")
        params: dict[str, Any] = {"query": f"conversation_id:{post_id}", "max_results": 100,
                                  "tweet.fields": "author_id,created_at,referenced_tweets"}
        found: list[RemoteComment] = []
        while True:
            body = self.request("GET", url, params=params) or {}
            for tweet in body.get("data") or []:
                replied = next((r.get("id") for r in tweet.get("referenced_tweets") or []
                                if r.get("type") == "replied_to"), "")
                found.append(RemoteComment(str(tweet.get("id") or ""), "" if replied == post_id else str(replied),
                                           str(tweet.get("author_id") or ""), tweet.get("text") or "",
                                           parse_time(tweet.get("created_at")),
                                           str(tweet.get("author_id") or "") == self.account_platform_id))
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                return found
            params["next_token"] = token

    # --- Who amplified a post: resharers and quotes (docs.x.com: Retweets lookup, Quote Tweets lookup) ---------

    def resharers(self, post_id: str, *, newest: int) -> list[Amplifier]:
        """The `newest` accounts that reshared the post most recently (X lists the newest first, 100 a page)."""
        url = self.url(X_HOST, f"/2/tweets/{post_id}/retweeted_by")
        params: dict[str, Any] = {"max_results": max(1, min(LOOKUP_LIMIT, newest))}
        found: list[Amplifier] = []
        while len(found) < newest:
            body = self.request("GET", url, params=params) or {}
            for user in body.get("data") or []:
                found.append(Amplifier(user_id=str(user.get("id") or ""), username=user.get("username") or "",
                                       item_id="", at=None))
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                break
            params["pagination_token"] = token
        return found[:newest]

    def quoters(self, post_id: str, *, newest: int) -> list[Amplifier]:
        """The `newest` quotes of the post, with their authors (10 to 100 a page)."""
        url = self.url(X_HOST, f"/2/tweets/{post_id}/quote_tweets")
        params: dict[str, Any] = {"max_results": max(10, min(LOOKUP_LIMIT, newest)), "tweet.fields": "created_at",
                                  "expansions": "author_id", "user.fields": "username"}
        found: list[Amplifier] = []
        while len(found) < newest:
            body = self.request("GET", url, params=params) or {}
            usernames = {str(u.get("id")): u.get("username") or "" for u in (body.get("includes") or {}).get("users")
                         or []}
            for tweet in body.get("data") or []:
                author = str(tweet.get("author_id") or "")
                found.append(Amplifier(user_id=author, username=usernames.get(author, ""),
                                       item_id=str(tweet.get("id") or ""), at=parse_time(tweet.get("created_at"))))
            token = (body.get("meta") or {}).get("next_token")
            if not token:
                break
            params["pagination_token"] = token
        return found[:newest]


@dataclass(frozen=True)
class Amplifier:
    """One account that reshared (no item of its own) or quoted (`item_id`, `at`) a post."""

    user_id: str
    username: str
    item_id: str
    at: dt.datetime | None
