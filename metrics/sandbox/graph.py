"""Graph API stand-in (graph.facebook.com and graph.instagram.com): Pages, posts, videos, IG media.

`graph_get()` answers one GET as (status, body, headers); the view and batch requests wrap it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from metrics.sandbox import common, faults, synthetic
from metrics.sandbox.models import SandboxFault
from metrics.sandbox.profiles import SEEDS_BY_ID
from metrics.sandbox.synthetic import SynthPost

MAX_BATCH = 50
MAX_LIMIT = 100
_VERSION = re.compile(r"v[0-9]+\.[0-9]+")
_STATUS_TYPE = {"image": "added_photos", "video": "added_video", "short_video": "added_video",
                "link": "shared_story", "text": "mobile_status_update", "live": "added_video"}
_IG_TYPES = {"image": ("IMAGE", "FEED"), "carousel": ("CAROUSEL_ALBUM", "FEED"), "short_video": ("VIDEO", "REELS"),
             "story": ("IMAGE", "STORY"), "video": ("VIDEO", "FEED")}


class GraphError(Exception):
    def __init__(self, code: int, message: str, *, status: int = 400, subcode: int | None = None,
                 type_: str = "OAuthException", transient: bool | None = None, headers: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.status, self.subcode = code, message, status, subcode
        self.type, self.transient, self.headers = type_, transient, headers or {}

    def body(self) -> dict[str, Any]:
        err: dict[str, Any] = {"message": self.message, "type": self.type, "code": self.code}
        if self.subcode is not None:
            err["error_subcode"] = self.subcode
        if self.transient is not None:
            err["is_transient"] = self.transient
        if self.code == 190:
            err["error_user_title"] = "Session expired"
            err["error_user_msg"] = "Your session has expired. Please log in again."
        err["fbtrace_id"] = common.fbtrace_id()
        return {"error": err}


def _unsupported(obj_id: str) -> GraphError:
    return GraphError(100, f"Unsupported get request. Object with ID '{obj_id}' does not exist, cannot be loaded "
                           "due to missing permissions, or does not support this operation. Please read the Graph "
                           "API documentation at https://developers.facebook.com/docs/graph-api", subcode=33)


def _ts(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


# --- nodes ------------------------------------------------------------------------------------

@dataclass
class Node:
    kind: str  # page | post | video | ig_user | ig_media
    platform: str  # facebook | instagram
    account_id: str
    bucket: int
    obj_id: str


def _is_ig_user(obj_id: str) -> bool:
    return ("instagram", obj_id) in synthetic.ACCOUNTS or bool(re.fullmatch(r"1784[0-9]{13}", obj_id))


def resolve(obj_id: str) -> Node | None:
    """What kind of object an id names, and whose it is (without checking it exists)."""
    if "_" in obj_id or re.fullmatch(r"7[0-9]{17}|8[0-9]{14}", obj_id):
        owner = synthetic.account_of_post("facebook", obj_id)
        if not owner:
            return None
        return Node("post" if "_" in obj_id else "video", "facebook", owner[0], owner[1], obj_id)
    if ("instagram", obj_id) in SEEDS_BY_ID or re.fullmatch(r"18[0-9]{17}", obj_id):
        owner = synthetic.account_of_post("instagram", obj_id)
        if not owner:
            return None
        return Node("ig_media", "instagram", owner[0], owner[1], obj_id)
    if _is_ig_user(obj_id):
        return Node("ig_user", "instagram", obj_id, synthetic.bucket(obj_id), obj_id)
    if re.fullmatch(r"[0-9]{1,20}", obj_id):
        return Node("page", "facebook", obj_id, synthetic.bucket(obj_id), obj_id)
    return None


# --- field selection --------------------------------------------------------------------------

@dataclass
class Field:
    name: str
    key: str  # output key (alias)
    summary: bool = False
    limit: int | None = None
    type: str = ""
    sub: str = ""


def parse_fields(spec: str) -> list[Field]:
    """Split `a,b.summary(total_count).limit(0),c{d,e}` at top-level commas into Field specs."""
    parts, depth, cur = [], 0, ""
    for ch in spec:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    out = []
    for raw in (p.strip() for p in parts):
        if not raw:
            continue
        m = re.match(r"([A-Za-z_0-9]+)", raw)
        if not m:
            raise GraphError(100, f"(#100) Unknown fields: {raw}.")
        f = Field(m.group(1), m.group(1))
        sub = re.search(r"\{(.*)\}", raw)
        if sub:
            f.sub = sub.group(1)
        for mod, arg in re.findall(r"\.([a-z_]+)\(([^)]*)\)", raw):
            if mod == "summary":
                f.summary = True
            elif mod == "limit":
                f.limit = int(arg) if common.is_number(arg) else None
            elif mod == "type":
                f.type = arg.upper()
            elif mod == "as":
                f.key = arg
        out.append(f)
    return out


def _reactions_by_type(post: SynthPost, total: int) -> dict[str, int]:
    love = int(total * 0.12)
    wow = int(total * 0.03)
    haha = int(total * 0.015)
    sorry = int(total * 0.005)
    anger = int(total * 0.003)
    care = int(total * 0.01)
    return {"like": total - love - wow - haha - sorry - anger - care, "love": love, "wow": wow, "haha": haha,
            "sorry": sorry, "anger": anger, "care": care}


def _post_permalink(post: SynthPost) -> str:
    page, _, n = post.post_id.partition("_")
    if post.format == "short_video":
        return f"https://www.facebook.com/reel/{synthetic.facebook_video_id(post)}/"
    return f"https://www.facebook.com/{page}/posts/{n}"


def render_fb_post(post: SynthPost, fields: list[Field], now: dt.datetime) -> dict[str, Any]:
    m = synthetic.post_metrics(post, now)
    out: dict[str, Any] = {}
    for f in fields:
        n = f.name
        if n == "id":
            out[f.key] = post.post_id
        elif n == "message":
            out[f.key] = post.title
        elif n in ("created_time", "updated_time"):
            out[f.key] = _ts(post.published_at)
        elif n == "permalink_url":
            out[f.key] = _post_permalink(post)
        elif n == "status_type":
            out[f.key] = _STATUS_TYPE.get(post.format, "mobile_status_update")
        elif n == "is_published":
            out[f.key] = True
        elif n == "from":
            out[f.key] = {"name": synthetic.profile("facebook", post.account_id).handle, "id": post.account_id}
        elif n == "shares":
            if m["shares"]:
                out[f.key] = {"count": m["shares"]}
        elif n == "reactions":
            by_type = _reactions_by_type(post, m["likes"])
            total = by_type.get(f.type.lower(), 0) if f.type else m["likes"]
            out[f.key] = _edge_summary(f, {"total_count": total, "viewer_reaction": "NONE"})
        elif n == "likes":
            out[f.key] = _edge_summary(f, {"total_count": m["likes"], "can_like": True, "has_liked": False})
        elif n == "comments":
            out[f.key] = _edge_summary(f, {"order": "ranked", "total_count": m["comments"], "can_comment": True})
        elif n == "attachments":
            att_type = {"image": "photo", "video": "video_inline", "short_video": "video_inline",
                        "live": "video_inline", "link": "share"}.get(post.format, "status")
            att: dict[str, Any] = {"media_type": "photo" if post.format == "image" else
                                   "video" if post.format in ("video", "short_video", "live") else "link",
                                   "type": att_type, "url": _post_permalink(post)}
            if post.format in ("video", "short_video", "live"):
                vid = synthetic.facebook_video_id(post)
                att["target"] = {"id": vid, "url": f"https://www.facebook.com/watch/?v={vid}"}
            out[f.key] = {"data": [att]}
        elif n == "full_picture":
            out[f.key] = f"https://scontent.example/{post.post_id}.jpg"
        else:
            raise GraphError(100, f"(#100) Tried accessing nonexisting field ({n}) on node type (PagePost)")
    return out


def _edge_summary(f: Field, summary: dict[str, Any]) -> dict[str, Any]:
    edge: dict[str, Any] = {"data": []}
    if f.summary:
        edge["summary"] = summary
    return edge


def render_ig_media(post: SynthPost, fields: list[Field], now: dt.datetime) -> dict[str, Any]:
    m = synthetic.post_metrics(post, now)
    media_type, product = _IG_TYPES.get(post.format, ("IMAGE", "FEED"))
    shortcode = synthetic.encode_token(post)[-11:].replace("=", "A")
    kind = "reel" if product == "REELS" else "p"
    out: dict[str, Any] = {}
    for f in fields:
        n = f.name
        value: Any
        if n == "id":
            value = post.post_id
        elif n == "caption":
            value = post.title
        elif n == "media_type":
            value = media_type
        elif n == "media_product_type":
            value = product
        elif n == "permalink":
            value = f"https://www.instagram.com/{kind}/{shortcode}/"
        elif n == "shortcode":
            value = shortcode
        elif n == "timestamp":
            value = _ts(post.published_at)
        elif n == "like_count":
            value = m["likes"]
        elif n == "comments_count":
            value = m["comments"]
        elif n in ("media_url", "thumbnail_url"):
            if n == "thumbnail_url" and media_type != "VIDEO":
                continue
            value = f"https://scontent.cdninstagram.example/{post.post_id}.jpg"
        elif n == "username":
            value = synthetic.profile("instagram", post.account_id).handle if post.account_id else ""
        elif n == "is_comment_enabled":
            value = True
        elif n == "owner":
            value = {"id": post.account_id}
        else:
            raise GraphError(100, f"(#100) Tried accessing nonexisting field ({n}) on node type (IGMedia)")
        out[f.key] = value
    return out


# --- listings ---------------------------------------------------------------------------------

def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        if common.is_number(value):
            return dt.datetime.fromtimestamp(int(value), dt.UTC)
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError) as e:
        raise GraphError(100, f"(#100) Invalid time value: {value}") from e
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _limit(params: QueryDict, default: int = 25) -> int:
    raw = params.get("limit")
    if raw is None:
        return default
    if not common.is_number(raw):
        raise GraphError(100, "(#100) Param limit must be an integer")
    return max(1, min(int(raw), MAX_LIMIT))


def _page(items: list[SynthPost], params: QueryDict, url: str) -> tuple[list[SynthPost], dict[str, Any] | None]:
    """Cursor-page a newest-first list: `after` moves to older items, `before` to newer ones."""
    limit = _limit(params)
    after, before = params.get("after"), params.get("before")
    start = 0
    if after:
        pos = synthetic.decode_token(after)
        if pos is None:
            raise GraphError(100, "(#100) The after cursor is invalid")
        start = next((i for i, p in enumerate(items) if p.sort_key < pos), len(items))
        chunk = items[start:start + limit]
    elif before:
        pos = synthetic.decode_token(before)
        if pos is None:
            raise GraphError(100, "(#100) The before cursor is invalid")
        end = next((i for i, p in enumerate(items) if p.sort_key <= pos), len(items))
        start = max(0, end - limit)
        chunk = items[start:end]
    else:
        chunk = items[:limit]
    if not chunk:
        return [], None
    first, last = synthetic.encode_token(chunk[0]), synthetic.encode_token(chunk[-1])
    paging: dict[str, Any] = {"cursors": {"before": first, "after": last}}
    if start + len(chunk) < len(items):
        paging["next"] = _with_params(url, {"after": last}, drop=("before",))
    if start > 0:
        paging["previous"] = _with_params(url, {"before": first}, drop=("after",))
    return chunk, paging


def _with_params(url: str, new: dict[str, str], drop: tuple[str, ...] = ()) -> str:
    parts = urlsplit(url)
    q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in new and k not in drop]
    q += list(new.items())
    return parts._replace(query=urlencode(q)).geturl()


# --- insights ---------------------------------------------------------------------------------

_POST_METRICS_RETIRED = re.compile(r"post_impressions.*|post_engaged_users|post_engaged_fan|post_consumptions.*|"
                                   r"post_negative_feedback.*|post_views")
_PAGE_METRICS_RETIRED = re.compile(r"page_impressions.*|page_fans.*|page_engaged_users|page_consumptions.*|"
                                   r"page_follows_(country|city|gender_age|locale)|page_.*_by_country.*")
_IG_RETIRED = {
    "impressions": "(#100) Starting from version 22 and above, the impressions metric is no longer supported for "
                   "media created after July 1, 2024. Please use views instead.",
    "plays": "(#100) Starting from version 22 and above, the plays metric is no longer supported. "
             "Please use views instead.",
    "clips_replays_count": "(#100) Starting from version 22 and above, the clips_replays_count metric is no longer "
                           "supported. Please use views instead.",
    "ig_reels_aggregated_all_plays_count": "(#100) Starting from version 22 and above, the "
                                           "ig_reels_aggregated_all_plays_count metric is no longer supported. "
                                           "Please use views instead.",
    "engagement": "(#100) metric[0] must be one of the following values: views, reach, likes, comments, saved, "
                  "shares, total_interactions",
    "video_views": "(#100) The video_views metric is no longer supported. Please use views instead.",
}
_IG_BY_PRODUCT = {
    "FEED": ["views", "reach", "likes", "comments", "saved", "shares", "total_interactions", "profile_visits",
             "follows", "profile_activity"],
    "REELS": ["views", "reach", "likes", "comments", "saved", "shares", "total_interactions",
              "ig_reels_avg_watch_time", "ig_reels_video_view_total_time"],
    "STORY": ["views", "reach", "replies", "navigation", "shares", "total_interactions", "follows",
              "profile_visits", "profile_activity"],
}
_TITLES = {
    "post_media_view": "Lifetime Post media views", "post_total_media_view_unique": "Lifetime Post total media "
    "view unique", "post_clicks": "Lifetime Post Clicks", "post_clicks_by_type": "Lifetime Matched Post Clicks by "
    "Type", "post_reactions_by_type_total": "Lifetime Total post Reactions by Type.",
    "views": "Views", "reach": "Accounts reached", "likes": "Likes", "comments": "Comments", "saved": "Saved",
    "shares": "Shares", "total_interactions": "Post interactions", "follower_demographics": "Follower demographics",
}


def _metric_names(params: QueryDict) -> list[str]:
    raw = params.get("metric", "")
    names = [n.strip() for n in raw.replace("[", "").replace("]", "").replace('"', "").split(",") if n.strip()]
    if not names:
        raise GraphError(100, "(#100) The parameter metric is required")
    return names


def _insight(obj_id: str, name: str, value: Any, period: str = "lifetime", edge: str = "insights",
             end_time: str | None = None) -> dict[str, Any]:
    v: dict[str, Any] = {"value": value}
    if end_time:
        v["end_time"] = end_time
    return {"name": name, "period": period, "values": [v], "title": _TITLES.get(name, name.replace("_", " ").title()),
            "description": f"{_TITLES.get(name, name)}: synthetic sandbox value.",
            "id": f"{obj_id}/{edge}/{name}/{period}"}


def fb_post_insights(post: SynthPost, names: list[str], now: dt.datetime) -> dict[str, Any]:
    if post.format == "short_video":
        # Reels have no /insights edge; their figures come from /{video-id}/video_insights.
        raise GraphError(100, "(#100) Tried accessing nonexisting field (insights) on node type (Video)")
    m = synthetic.post_metrics(post, now)
    values: dict[str, Any] = {}
    for name in names:
        if _POST_METRICS_RETIRED.fullmatch(name):
            raise GraphError(100, "(#100) The value must be a valid insights metric")
    for name in names:
        if name == "post_media_view":
            values[name] = m["views"]
        elif name == "post_total_media_view_unique":
            values[name] = m["reach"]
        elif name == "post_clicks":
            values[name] = m["clicks"]
        elif name == "post_clicks_by_type":
            values[name] = {"link clicks": int(m["clicks"] * 0.4), "photo view": int(m["clicks"] * 0.35),
                            "other clicks": m["clicks"] - int(m["clicks"] * 0.4) - int(m["clicks"] * 0.35)}
        elif name == "post_reactions_by_type_total":
            values[name] = {k: v for k, v in _reactions_by_type(post, m["likes"]).items() if v}
        elif name.startswith("post_reactions_") and name.endswith("_total"):
            values[name] = _reactions_by_type(post, m["likes"]).get(name[len("post_reactions_"):-len("_total")], 0)
        elif name in ("post_video_views", "post_video_views_unique"):
            values[name] = m.get("video_views", 0) if name == "post_video_views" else int(m.get("video_views", 0) * .8)
        elif name == "post_video_avg_time_watched":
            values[name] = int(synthetic.average_view_seconds(post) * 1000)
        elif name == "post_video_view_time":
            values[name] = m.get("watch_seconds", 0) * 1000
        else:
            raise GraphError(100, "(#100) The value must be a valid insights metric")
    return {"data": [_insight(post.post_id, n, v) for n, v in values.items()]}


_VIDEO_DEFAULT = ["total_video_views", "total_video_views_unique", "total_video_avg_time_watched",
                  "total_video_view_total_time", "total_video_impressions"]


def fb_video_insights(video_id: str, post: SynthPost, params: QueryDict, now: dt.datetime) -> dict[str, Any]:
    m = synthetic.post_metrics(post, now)
    vv = m.get("video_views", 0)
    avail = {
        "total_video_views": vv,
        "total_video_views_unique": int(vv * 0.82),
        "total_video_avg_time_watched": int(synthetic.average_view_seconds(post) * 1000),
        "total_video_view_total_time": m.get("watch_seconds", 0) * 1000,
        "total_video_impressions": m["views"],
        "total_video_impressions_unique": m["reach"],
        "post_video_avg_time_watched": int(synthetic.average_view_seconds(post) * 1000),
        "post_video_view_time": m.get("watch_seconds", 0) * 1000,
    }
    if post.format == "short_video":
        avail["blue_reels_play_count"] = vv
        avail["post_impressions_unique"] = m["reach"]
    names = _metric_names(params) if params.get("metric") else _VIDEO_DEFAULT + (
        ["blue_reels_play_count"] if post.format == "short_video" else [])
    for n in names:
        if n not in avail:
            raise GraphError(100, "(#100) The value must be a valid insights metric")
    return {"data": [_insight(video_id, n, avail[n], edge="video_insights") for n in names]}


def ig_media_insights(post: SynthPost, names: list[str], now: dt.datetime) -> dict[str, Any]:
    _, product = _IG_TYPES.get(post.format, ("IMAGE", "FEED"))
    allowed = _IG_BY_PRODUCT[product]
    for n in names:
        if n in _IG_RETIRED:
            raise GraphError(100, _IG_RETIRED[n])
    for n in names:
        if n not in allowed:
            raise GraphError(100, f"(#100) The Media Insights API does not support the {n} metric for this media "
                                  "product type.")
    if product == "STORY" and now - post.published_at > dt.timedelta(hours=24):
        return {"data": []}  # Story insights are kept only 24 hours
    m = synthetic.post_metrics(post, now)
    if m["reach"] < 5:
        raise GraphError(10, "(#10) Not enough viewers for the media to show insights", status=400,
                         type_="OAuthException")
    avail = {
        "views": m["views"], "reach": m["reach"], "likes": m["likes"], "comments": m["comments"],
        "saved": m.get("saves", 0), "shares": m["shares"],
        "total_interactions": m["likes"] + m["comments"] + m.get("saves", 0) + m["shares"],
        "profile_visits": m.get("profile_visits", 0), "follows": m.get("follows", 0),
        "profile_activity": m.get("profile_visits", 0) + m.get("follows", 0),
        "ig_reels_avg_watch_time": int(synthetic.average_view_seconds(post) * 1000),
        "ig_reels_video_view_total_time": m.get("watch_seconds", 0) * 1000,
        "replies": m["comments"], "navigation": int(m["views"] * 0.6),
    }
    return {"data": [_insight(post.post_id, n, avail[n]) for n in names]}


def ig_user_insights(account_id: str, params: QueryDict, now: dt.datetime) -> dict[str, Any]:
    names = _metric_names(params)
    data = []
    for n in names:
        if n in ("follower_demographics", "engaged_audience_demographics", "reached_audience_demographics"):
            breakdown = params.get("breakdown", "")
            if breakdown not in ("country", "city", "age", "gender"):
                raise GraphError(100, "(#100) Incomplete request: breakdown must be one of age, city, country, "
                                      "gender for demographic metrics")
            if params.get("metric_type", "total_value") != "total_value":
                raise GraphError(100, "(#100) metric_type must be total_value for demographic metrics")
            total = synthetic.followers("instagram", account_id, now)
            if n != "follower_demographics":
                total = int(total * (0.35 if n == "reached_audience_demographics" else 0.06))
            results = _demographics(account_id, breakdown, total, now)
            if total < 100 or not results:
                continue  # withheld when a bucket would hold fewer than 100 people
            data.append({"name": n, "period": "lifetime", "title": _TITLES.get(n, n), "description": "…",
                         "total_value": {"breakdowns": [{"dimension_keys": [breakdown], "results": results}]},
                         "id": f"{account_id}/insights/{n}/lifetime"})
        elif n in ("follower_count", "reach", "views", "profile_views", "accounts_engaged"):
            f = synthetic.followers("instagram", account_id, now)
            day_value = {"follower_count": max(0, f - synthetic.followers("instagram", account_id,
                                                                          now - dt.timedelta(days=1))),
                         "reach": int(f * 0.3), "views": int(f * 0.8), "profile_views": int(f * 0.01),
                         "accounts_engaged": int(f * 0.04)}[n]
            data.append(_insight(account_id, n, day_value, period="day", end_time=_ts(now)))
        elif n in ("impressions", "email_contacts", "phone_call_clicks", "text_message_clicks",
                   "get_directions_clicks", "website_clicks", "profile_views_legacy"):
            raise GraphError(100, f"(#100) metric[0] must be one of the following values: reach, follower_count, "
                                  f"views, profile_views, accounts_engaged, follower_demographics, "
                                  f"engaged_audience_demographics, reached_audience_demographics ({n})")
        else:
            raise GraphError(100, "(#100) The value must be a valid insights metric")
    return {"data": data}


def _demographics(account_id: str, breakdown: str, total: int, now: dt.datetime) -> list[dict[str, Any]]:
    if breakdown == "country":
        counts = synthetic.audience_countries("instagram", account_id, now)
        counts = {c: int(v * total / max(1, sum(counts.values()))) for c, v in counts.items()}
    elif breakdown == "gender":
        counts = {"F": int(total * 0.54), "M": int(total * 0.41), "U": int(total * 0.05)}
    elif breakdown == "age":
        shares = {"13-17": .02, "18-24": .21, "25-34": .36, "35-44": .22, "45-54": .11, "55-64": .05, "65+": .03}
        counts = {k: int(total * s) for k, s in shares.items()}
    else:
        counts = {"Taipei, Taiwan": int(total * 0.3), "Kaohsiung, Taiwan": int(total * 0.08)}
    return [{"dimension_values": [k], "value": v} for k, v in counts.items() if v >= 100]


def page_insights(page_id: str, params: QueryDict, now: dt.datetime) -> dict[str, Any]:
    names = _metric_names(params)
    for n in names:
        if _PAGE_METRICS_RETIRED.fullmatch(n):
            raise GraphError(100, "(#100) The value must be a valid insights metric")
    period = params.get("period", "day")
    until = _parse_time(params.get("until")) or now
    since = _parse_time(params.get("since")) or until - dt.timedelta(days=2)
    if until - since > dt.timedelta(days=93):
        raise GraphError(100, "(#100) There cannot be more than 93 days (8035200 s) between since and until")
    days: list[dt.datetime] = []
    d = dt.datetime(since.year, since.month, since.day, tzinfo=dt.UTC) + dt.timedelta(days=1)
    while d <= until and len(days) < 93:
        days.append(d)
        d += dt.timedelta(days=1)
    data = []
    for n in names:
        values = []
        for end in days:
            f = synthetic.followers("facebook", page_id, end)
            prev = synthetic.followers("facebook", page_id, end - dt.timedelta(days=1))
            v = {"page_follows": f, "page_daily_follows": max(0, f - prev),
                 "page_daily_follows_unique": max(0, f - prev), "page_media_view": int(f * 0.3),
                 "page_total_media_view_unique": int(f * 0.18), "page_post_engagements": int(f * 0.01),
                 "page_views_total": int(f * 0.004), "page_video_views": int(f * 0.05)}.get(n)
            if v is None:
                raise GraphError(100, "(#100) The value must be a valid insights metric")
            values.append({"value": v, "end_time": _ts(end)})
        data.append({"name": n, "period": period, "values": values, "title": n.replace("_", " ").title(),
                     "description": "Synthetic sandbox value.", "id": f"{page_id}/insights/{n}/{period}"})
    return {"data": data}


# --- dispatcher -------------------------------------------------------------------------------

def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _usage_headers(node: Node | None, token: str, at_limit: bool = False) -> dict[str, str]:
    app_calls, _ = common.count_request("graph-app", token[:32] or "anon", common.GRAPH_WINDOW_SECONDS)
    app_pct = 100 if at_limit else min(100, app_calls * 100 // common.GRAPH_WINDOW_LIMIT)
    headers = {"X-App-Usage": _compact({"call_count": app_pct, "total_time": app_pct // 2,
                                        "total_cputime": app_pct // 2})}
    if node and node.account_id:
        calls, end = common.count_request("graph", node.account_id, common.GRAPH_WINDOW_SECONDS)
        pct = 100 if at_limit else min(100, calls * 100 // common.GRAPH_WINDOW_LIMIT)
        regain = max(1, (end - int(time.time())) // 60) if at_limit else 0
        headers["X-Business-Use-Case-Usage"] = _compact({node.account_id: [{
            "type": "pages" if node.platform == "facebook" else "instagram", "call_count": pct,
            "total_cputime": pct // 3, "total_time": pct // 3, "estimated_time_to_regain_access": regain}]})
    return headers


_RATE_MESSAGES = {
    4: (403, "(#4) Application request limit reached"),
    17: (403, "(#17) User request limit reached"),
    32: (403, "(#32) Page request limit reached"),
    613: (400, "(#613) Calls to this api have exceeded the rate limit."),
    80001: (400, "(#80001) There have been too many calls to this Page account. Wait a bit and try again."),
    80002: (400, "(#80002) There have been too many calls to this Instagram account. Wait a bit and try again."),
}


def _fault_error(fault: SandboxFault, node: Node | None, token: str) -> GraphError | None:
    opts = fault.options or {}
    if fault.kind == SandboxFault.Kind.RATE_LIMIT:
        code = common.opt_int(opts, "code", 4)
        status, msg = _RATE_MESSAGES.get(code, _RATE_MESSAGES[4])
        return GraphError(code, msg, status=status, transient=True, headers=_usage_headers(node, token, True))
    if fault.kind == SandboxFault.Kind.EXPIRED_TOKEN:
        return GraphError(190, "Error validating access token: Session has expired on Friday, 02-Oct-26 "
                               "10:00:00 PDT. The current time is Sunday, 22-Nov-26 10:00:00 PST.",
                          subcode=common.opt_int(opts, "subcode", 463))
    if fault.kind == SandboxFault.Kind.SERVER_ERROR:
        status = common.opt_int(opts, "status", 500)
        if status == 503:
            return GraphError(2, "Service temporarily unavailable", status=503, transient=True)
        return GraphError(1, "An unknown error occurred", status=status, transient=True)
    return None


def graph_get(host: str, path: str, params: QueryDict, token: str, url: str,
              check_faults: bool = True) -> tuple[int, Any, dict[str, str]]:
    """Answer one Graph GET: (HTTP status, JSON-able body or raw bytes, headers)."""
    segs = [s for s in path.strip("/").split("/") if s]
    if segs and _VERSION.fullmatch(segs[0]):
        segs = segs[1:]
    node = resolve(segs[0]) if segs else None
    headers: dict[str, str] = {}
    try:
        if not token:
            raise GraphError(104, "An access token is required to request this resource.")
        if not segs:
            raise GraphError(100, "Unsupported get request.", subcode=33)
        if node is None:
            raise _unsupported(segs[0])
        headers = _usage_headers(node, token)
        fault = faults.claim_fault(node.platform, [node.account_id], [node.bucket]) if check_faults else None
        malformed = False
        if fault:
            common.apply_slow(fault)
            err = _fault_error(fault, node, token)
            if err:
                raise err
            malformed = fault.kind == SandboxFault.Kind.MALFORMED
        body = _dispatch(node, segs[1:], params, url)
        if malformed:
            raw = json.dumps(body).encode()
            return 200, raw[: max(1, len(raw) // 2)], headers
        return 200, body, headers
    except GraphError as e:
        headers.update(e.headers)
        if e.code in (104, 190):
            # Graph names the token problem in this header too.
            headers["WWW-Authenticate"] = f'OAuth "Facebook Platform" "invalid_token" "{e.message[:80]}"'
        return e.status, e.body(), headers


def _load_post(node: Node, now: dt.datetime) -> SynthPost:
    platform = "facebook" if node.kind in ("post", "video") else "instagram"
    post = synthetic.post_by_id(platform, node.obj_id, now)
    if post is None:
        raise _unsupported(node.obj_id)
    return post


def _dispatch(node: Node, rest: list[str], params: QueryDict, url: str) -> Any:
    now = common.now()
    fields_spec = params.get("fields", "")
    edge = rest[0] if rest else ""
    if len(rest) > 1:
        raise GraphError(2500, f"Unknown path components: /{'/'.join(rest[1:])}")
    if node.kind == "page":
        if edge in ("published_posts", "posts", "feed"):
            fields = parse_fields(fields_spec or "id,message,created_time")
            items = synthetic.posts("facebook", node.obj_id, now, since=_parse_time(params.get("since")),
                                    until=_parse_time(params.get("until")))
            chunk, paging = _page(items, params, url)
            body: dict[str, Any] = {"data": [render_fb_post(p, fields, now) for p in chunk]}
            if paging:
                body["paging"] = paging
            return body
        if edge == "insights":
            return page_insights(node.obj_id, params, now)
        if edge == "":
            p = synthetic.profile("facebook", node.obj_id)
            f = synthetic.followers("facebook", node.obj_id, now)
            avail = {"id": node.obj_id, "name": p.handle, "username": p.handle, "followers_count": f,
                     "fan_count": int(f * 0.93), "link": f"https://www.facebook.com/{node.obj_id}",
                     "category": "Government organization", "verification_status": "blue_verified"}
            linked = _linked_instagram(node.obj_id)
            if linked:
                avail["instagram_business_account"] = {"id": linked}
            return _select(avail, fields_spec or "name,id", "Page", optional={"instagram_business_account"})
        raise _unsupported(node.obj_id)
    if node.kind in ("post", "video"):
        post = _load_post(node, now)
        if edge == "insights" and node.kind == "post":
            return fb_post_insights(post, _metric_names(params), now)
        if edge == "video_insights":
            if post.format not in ("video", "short_video", "live"):
                raise _unsupported(node.obj_id)
            return fb_video_insights(node.obj_id if node.kind == "video" else synthetic.facebook_video_id(post),
                                     post, params, now)
        if edge == "" and node.kind == "post":
            return render_fb_post(post, parse_fields(fields_spec or "id,message,created_time"), now)
        if edge == "" and node.kind == "video":
            m = synthetic.post_metrics(post, now)
            avail = {"id": node.obj_id, "title": post.title, "description": post.title,
                     "created_time": _ts(post.published_at), "length": float(post.duration_seconds),
                     "permalink_url": f"/{post.account_id}/videos/{node.obj_id}/", "views": m.get("video_views", 0),
                     "post_id": post.post_id}
            return _select(avail, fields_spec or "id,description,updated_time", "Video", missing_ok=True)
        raise _unsupported(node.obj_id)
    if node.kind == "ig_user":
        if edge in ("media", "stories"):
            fields = parse_fields(fields_spec or "id")
            items = synthetic.posts("instagram", node.obj_id, now, since=_parse_time(params.get("since")),
                                    until=_parse_time(params.get("until")))
            if edge == "media":
                items = [p for p in items if p.format != "story"]  # Stories are only on /stories
            else:
                items = [p for p in items if p.format == "story" and now - p.published_at < dt.timedelta(hours=24)]
            chunk, paging = _page(items, params, url)
            body = {"data": [render_ig_media(p, fields, now) for p in chunk]}
            if paging:
                body["paging"] = paging
            return body
        if edge == "insights":
            return ig_user_insights(node.obj_id, params, now)
        if edge == "":
            p = synthetic.profile("instagram", node.obj_id)
            avail = {"id": node.obj_id, "username": p.handle, "name": p.handle,
                     "followers_count": synthetic.followers("instagram", node.obj_id, now),
                     "follows_count": 300 + synthetic.bucket(node.obj_id) % 700,
                     "media_count": len(synthetic.posts("instagram", node.obj_id, now)),
                     "biography": "Synthetic sandbox account", "profile_picture_url":
                     f"https://scontent.cdninstagram.example/{node.obj_id}.jpg"}
            return _select(avail, fields_spec or "id", "IGUser")
        raise _unsupported(node.obj_id)
    if node.kind == "ig_media":
        post = _load_post(node, now)
        if edge == "insights":
            return ig_media_insights(post, _metric_names(params), now)
        if edge == "":
            return render_ig_media(post, parse_fields(fields_spec or "id"), now)
        raise _unsupported(node.obj_id)
    raise _unsupported(node.obj_id)


def _linked_instagram(page_id: str) -> str:
    """The demo's Page ↔ Instagram links: Page 1048576000000NN goes with IG user 178414000000000NN."""
    if ("facebook", page_id) not in synthetic.ACCOUNTS:
        return ""
    ig = "178414000000000" + page_id[-2:]
    return ig if ("instagram", ig) in synthetic.ACCOUNTS else ""


def _select(avail: dict[str, Any], spec: str, node_type: str, missing_ok: bool = False,
            optional: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    out = {}
    for f in parse_fields(spec):
        if f.name in avail:
            out[f.key] = avail[f.name]
        elif not missing_ok and f.name not in optional:
            raise GraphError(100, f"(#100) Tried accessing nonexisting field ({f.name}) on node type ({node_type})")
    return out


# --- views ------------------------------------------------------------------------------------

def _token(request: HttpRequest, params: QueryDict) -> str:
    return params.get("access_token") or common.bearer(request)


def _respond(status: int, body: Any, headers: dict[str, str]) -> HttpResponse:
    if isinstance(body, bytes):
        resp = HttpResponse(body, status=status, content_type="application/json; charset=UTF-8")
        for k, v in headers.items():
            resp[k] = v
        return resp
    return common.json_response(body, status=status, headers=headers)


@csrf_exempt
def graph_view(request: HttpRequest, host: str, path: str = "") -> HttpResponse:
    root = path.strip("/")
    if request.method == "POST" and (not root or _VERSION.fullmatch(root)):
        return batch(request, host)  # POST / (or /vNN.0) with batch=[...]
    if request.method not in ("GET", "HEAD"):
        status, body = 400, GraphError(100, "(#100) The sandbox serves read-only endpoints").body()
        return _respond(status, body, {})
    params = request.GET
    status, body, headers = graph_get(host, path, params, _token(request, params), request.build_absolute_uri())
    return _respond(status, body, headers)


def batch(request: HttpRequest, host: str) -> HttpResponse:
    params = request.POST
    token = params.get("access_token") or request.GET.get("access_token") or common.bearer(request)
    if not token:
        return _respond(400, GraphError(104, "An access token is required to request this resource.").body(), {})
    try:
        items = json.loads(params.get("batch", ""))
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ValueError
    except ValueError:
        return _respond(400, GraphError(100, "(#100) The parameter batch is required and must be a JSON array "
                                             "of objects").body(), {})
    if len(items) > MAX_BATCH:
        return _respond(400, GraphError(100, f"(#100) Too many requests in batch message. Maximum batch size "
                                             f"is {MAX_BATCH}").body(), {})
    # One query tells whether any fault is live; without one the items skip the per-item fault lookup.
    check_faults = faults.any_live()
    base = request.build_absolute_uri(request.path).rstrip("/")
    base = re.sub(r"/v[0-9]+\.[0-9]+$", "", base)
    out = []
    for item in items:
        method = str(item.get("method", "GET")).upper()
        rel = str(item.get("relative_url", ""))
        if method != "GET":
            out.append(_batch_item(400, GraphError(100, "(#100) The sandbox serves read-only endpoints").body(), {}))
            continue
        try:
            parts = urlsplit(rel if rel.startswith("/") else "/" + rel)
        except ValueError:
            out.append(_batch_item(400, GraphError(100, "(#100) Invalid relative_url").body(), {}))
            continue
        q = QueryDict(parts.query)
        item_token = q.get("access_token") or token
        status, body, headers = graph_get(host, parts.path, q, item_token, base + parts.path + "?" + parts.query,
                                          check_faults=check_faults)
        out.append(_batch_item(status, body, headers))
    return common.json_response(out, headers=_usage_headers(None, token))


def _batch_item(status: int, body: Any, headers: dict[str, str]) -> dict[str, Any]:
    text = body.decode() if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False)
    hdrs = [{"name": "Content-Type", "value": "text/javascript; charset=UTF-8"}]
    hdrs += [{"name": k, "value": v} for k, v in headers.items()]
    return {"code": status, "headers": hdrs, "body": text}
