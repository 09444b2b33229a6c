"""Graph objects: resolving an id to a Page, post, video, IG user or media, field selection, rendering and paging."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.http import QueryDict

from metrics.sandbox import common, profiles, synthetic
from metrics.sandbox.profiles import SEEDS_BY_ID
from metrics.sandbox.synthetic import SynthPost

MAX_BATCH = 50
MAX_IDS = 50  # `?ids=` takes at most 50 objects: "(#100) Too many IDs. Maximum: 50. Provided: N."
MAX_LIMIT = 100
VERSION = re.compile(r"v[0-9]+\.[0-9]+")
_STATUS_TYPE = {"image": "added_photos", "video": "added_video", "short_video": "added_video",
                "link": "shared_story", "text": "mobile_status_update", "live": "added_video"}
IG_TYPES = {"image": ("IMAGE", "FEED"), "carousel": ("CAROUSEL_ALBUM", "FEED"), "short_video": ("VIDEO", "REELS"),
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


def unsupported(obj_id: str) -> GraphError:
    return GraphError(100, f"Unsupported get request. Object with ID '{obj_id}' does not exist, cannot be loaded "
                           "due to missing permissions, or does not support this operation. Please read the Graph "
                           "API documentation at https://developers.facebook.com/docs/graph-api", subcode=33)


def graph_time(t: dt.datetime) -> str:
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
    return ("instagram", obj_id) in profiles.ACCOUNTS or bool(re.fullmatch(r"1784[0-9]{13}", obj_id))


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
    metric: str = ""  # insights.metric(a,b): the metrics a field-expanded insights edge asks


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
            elif mod == "metric":
                f.metric = arg
        out.append(f)
    return out


def reactions_by_type(post: SynthPost, total: int) -> dict[str, int]:
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
            out[f.key] = graph_time(post.published_at)
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
            by_type = reactions_by_type(post, m["likes"])
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
    media_type, product = IG_TYPES.get(post.format, ("IMAGE", "FEED"))
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
            value = graph_time(post.published_at)
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

def parse_time(value: str | None) -> dt.datetime | None:
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


def paginate(items: list[SynthPost], params: QueryDict, url: str) -> tuple[list[SynthPost], dict[str, Any] | None]:
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


def paged_body(items: list[SynthPost], params: QueryDict, url: str,
               render: Callable[[SynthPost], dict[str, Any]]) -> dict[str, Any]:
    """A Graph list answer: one page of rendered items, with `paging` when there is more."""
    chunk, paging = paginate(items, params, url)
    body: dict[str, Any] = {"data": [render(p) for p in chunk]}
    if paging:
        body["paging"] = paging
    return body


def _with_params(url: str, new: dict[str, str], drop: tuple[str, ...] = ()) -> str:
    parts = urlsplit(url)
    q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in new and k not in drop]
    q += list(new.items())
    return parts._replace(query=urlencode(q)).geturl()

