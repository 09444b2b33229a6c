"""Instagram professional accounts through the Graph API (Facebook Login host, which takes batches)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from metrics.connectors.base import (
    AccountStats,
    ConnectorError,
    RemoteComment,
    RemotePost,
    TokenExpiredError,
    as_int,
    parse_time,
)
from metrics.connectors.facebook import PAGE_SIZE, GraphConnector

IG_FORMATS = {"REELS": "short_video", "STORY": "story"}
IG_MEDIA_TYPES = {"IMAGE": "image", "VIDEO": "video", "CAROUSEL_ALBUM": "carousel"}


class InstagramConnector(GraphConnector):
    platform = "instagram"
    offers_account_countries = True
    object_fields = "like_count,comments_count"

    def list_posts(self, since: dt.datetime | None) -> list[RemotePost]:
        params = {"fields": "id,caption,media_type,media_product_type,permalink,timestamp", "limit": PAGE_SIZE}
        found = []
        # The media edge pages newest first; everything after the first older item is older still.
        for item in self.get_list_until(f"{self.account_platform_id}/media", params, since):
            caption = item.get("caption") or ""
            kind = (IG_FORMATS.get(item.get("media_product_type") or "")
                    or IG_MEDIA_TYPES.get(item.get("media_type") or "", "image"))
            found.append(RemotePost(
                platform_post_id=str(item["id"]), published_at=parse_time(item.get("timestamp")),
                permalink=item.get("permalink") or "", format=kind, title=caption.split("\n")[0][:120], body=caption,
            ))
        return found

    def get_list_until(self, path: str, params: dict[str, Any], since: dt.datetime | None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        params = dict(params)
        while True:
            body = self.request("GET", self.graph_url(path), params=params)
            page = body.get("data") or []
            for item in page:
                published = parse_time(item.get("timestamp"))
                if since and published and published < since:
                    return items
                items.append(item)
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not page or not paging.get("next") or not after:
                return items
            params["after"] = after

    def object_metrics(self, obj: dict[str, Any]) -> dict[str, int | None]:
        return {"reactions": as_int(obj.get("like_count")), "comments": as_int(obj.get("comments_count"))}

    def account_stats(self) -> AccountStats:
        body = self.request("GET", self.graph_url(self.account_platform_id), params={"fields": "followers_count"})
        return AccountStats(followers=as_int(body.get("followers_count")), countries=self.follower_countries())

    def follower_countries(self) -> dict[str, int] | None:
        """Followers by country; None when Instagram withholds it (buckets under 100 people) or refuses."""
        try:
            body = self.request("GET", self.graph_url(f"{self.account_platform_id}/insights"), params={
                "metric": "follower_demographics", "period": "lifetime", "metric_type": "total_value",
                "breakdown": "country",
            })
        except TokenExpiredError:
            raise
        except ConnectorError as exc:
            if exc.permanent:
                return None
            raise
        countries: dict[str, int] = {}
        for item in body.get("data") or []:
            for breakdown in ((item.get("total_value") or {}).get("breakdowns") or []):
                keys = breakdown.get("dimension_keys") or []
                if "country" not in keys:
                    continue
                index = keys.index("country")
                for result in breakdown.get("results") or []:
                    dims = result.get("dimension_values") or []
                    value = as_int(result.get("value"))
                    if len(dims) > index and value is not None and len(str(dims[index])) == 2:
                        countries[str(dims[index]).upper()] = value
        return countries or None

    def comments(self, post_id: str, *, owner_name: str = "") -> list[RemoteComment]:
        """Top-level comments with their replies nested; the account's own are those under its username."""
        items = self.get_list(f"{post_id}/comments", {"limit": 100, "fields": (
            "id,text,timestamp,username,replies{id,text,timestamp,username}")})
        found: list[RemoteComment] = []
        owner = owner_name.casefold()
        for c in items:
            found.append(RemoteComment(str(c.get("id") or ""), "", c.get("username") or "", c.get("text") or "",
                                       parse_time(c.get("timestamp")), (c.get("username") or "").casefold() == owner))
            for r in (c.get("replies") or {}).get("data") or []:
                found.append(RemoteComment(str(r.get("id") or ""), str(c.get("id") or ""), r.get("username") or "",
                                           r.get("text") or "", parse_time(r.get("timestamp")),
                                           (r.get("username") or "").casefold() == owner))
        return found
