"""Comments and the account's replies, in each platform's shape (synthetic.comments makes the conversation).

- Graph, Facebook: `GET /{post-id}/comments?filter=stream&fields=id,message,created_time,from,parent` lists
  top-level comments and replies in one flat list (`parent` names the comment replied to); 25 a page by
  default, `limit` up to 100, cursor paging.
- Graph, Instagram: `GET /{ig-media-id}/comments?fields=id,text,timestamp,username,replies{...}` lists top-level
  comments with their replies nested.
- YouTube: `commentThreads.list?part=snippet,replies&videoId=…` (1 unit), 20 a page by default, maxResults up to
  100, `pageToken` paging; `replies.comments` holds the channel's answers.
- X: `GET /2/tweets/search/recent?query=conversation_id:ID` finds the replies in a post's conversation from the
  last seven days only (recent search), 10 to 100 a page, `next_token` paging.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from metrics.sandbox import synthetic
from metrics.sandbox.synthetic.comments import SynthComment, conversation

RECENT_SEARCH_DAYS = 7


class BadPage(Exception):
    """An unreadable cursor or page size; each platform answers it in its own error shape."""


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise BadPage(cursor) from None
    if not re.fullmatch(r"o:[0-9]{1,7}", raw):
        raise BadPage(cursor)
    return int(raw[2:])


def _page(items: list, cursor: str, limit: int) -> tuple[list, str]:
    start = _offset(cursor) if cursor else 0
    chunk = items[start:start + limit]
    return chunk, _cursor(start + limit) if start + limit < len(items) else ""


def _graph_time(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _limit(raw: str | None, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadPage(raw)
    return int(raw)


# --- Graph ----------------------------------------------------------------------------------------------------

def _fb_items(post: synthetic.SynthPost, page_id: str, page_name: str, now: dt.datetime,
              stream: bool) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for c in conversation(post, now):
        top = {"id": f"{post.post_id.split('_')[-1]}_{100000 + c.index}", "message": c.text,
               "created_time": _graph_time(c.created_at), "from": {"id": c.author_id, "name": c.author_name},
               "comment_count": 1 if c.reply_at else 0}
        items.append(top)
        if stream and c.reply_at:
            items.append({"id": f"{post.post_id.split('_')[-1]}_{900000 + c.index}", "message": c.reply_text,
                          "created_time": _graph_time(c.reply_at), "from": {"id": page_id, "name": page_name},
                          "parent": {"id": top["id"]}, "comment_count": 0})
    return items


def graph_comments(post: synthetic.SynthPost, params: Any, url: str, now: dt.datetime,
                   with_params: Callable[[str, dict[str, str]], str]) -> dict[str, Any]:
    """The comments edge of a Facebook post or an Instagram media object."""
    limit = _limit(params.get("limit"), 25, 1, 100)
    owner = synthetic.profile(post.platform, post.account_id) if post.account_id else None
    handle = owner.handle if owner and owner.platform_id else "account"
    if post.platform == "facebook":
        fields = params.get("fields", "id,message,created_time")
        items = _fb_items(post, post.account_id, handle, now, stream=params.get("filter") == "stream")
        wanted = {f.split("{")[0] for f in re.split(r",(?![^{]*})", fields) if f}
        items = [{k: v for k, v in item.items() if k in wanted or k == "id"} for item in items]
    else:
        items = []
        for c in conversation(post, now):
            item: dict[str, Any] = {"id": str(17900000000000000 + synthetic.hash_int("igc", post.post_id, c.index)
                                              % 10**16), "text": c.text, "timestamp": _graph_time(c.created_at),
                                    "username": f"reader{c.author_id[-6:]}"}
            if c.reply_at:
                item["replies"] = {"data": [{"id": str(18000000000000000 + synthetic.hash_int(
                    "igr", post.post_id, c.index) % 10**16), "text": c.reply_text,
                    "timestamp": _graph_time(c.reply_at), "username": handle}]}
            items.append(item)
    chunk, after = _page(items, params.get("after", ""), limit)
    body: dict[str, Any] = {"data": chunk}
    if chunk:
        body["paging"] = {"cursors": {"before": _cursor(0), "after": after or _cursor(len(items))}}
        if after:
            body["paging"]["next"] = with_params(url, {"after": after})
    return body


# --- YouTube ----------------------------------------------------------------------------------------------------

def _yt_time(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def youtube_threads(post: synthetic.SynthPost, channel_title: str, params: Any, now: dt.datetime) -> dict[str, Any]:
    limit = _limit(params.get("maxResults"), 20, 1, 100)
    threads = []
    for c in conversation(post, now):
        thread_id = "Ug" + base64.urlsafe_b64encode(synthetic.hash_int("ytc", post.post_id, c.index).to_bytes(
            8, "big")).decode().rstrip("=")
        top = {"kind": "youtube#comment", "id": thread_id, "snippet": {
            "videoId": post.post_id, "textOriginal": c.text, "textDisplay": c.text,
            "authorDisplayName": f"@{c.author_name.replace(' ', '').lower()}",
            "authorChannelId": {"value": "UC" + c.author_id[-22:].rjust(22, "x")},
            "publishedAt": _yt_time(c.created_at), "updatedAt": _yt_time(c.created_at)}}
        thread: dict[str, Any] = {"kind": "youtube#commentThread", "id": thread_id, "snippet": {
            "channelId": post.account_id, "videoId": post.post_id, "topLevelComment": top,
            "canReply": True, "totalReplyCount": 1 if c.reply_at else 0, "isPublic": True}}
        if c.reply_at:
            thread["replies"] = {"comments": [{"kind": "youtube#comment", "id": f"{thread_id}.r1", "snippet": {
                "videoId": post.post_id, "textOriginal": c.reply_text, "textDisplay": c.reply_text,
                "parentId": thread_id, "authorDisplayName": f"@{channel_title}",
                "authorChannelId": {"value": post.account_id}, "publishedAt": _yt_time(c.reply_at),
                "updatedAt": _yt_time(c.reply_at)}}]}
        threads.append(thread)
    threads.reverse()  # order=time: newest first
    chunk, token = _page(threads, params.get("pageToken", ""), limit)
    body: dict[str, Any] = {"kind": "youtube#commentThreadListResponse", "items": chunk,
                            "pageInfo": {"totalResults": len(chunk), "resultsPerPage": limit}}
    if token:
        body["nextPageToken"] = token
    return body


# --- X --------------------------------------------------------------------------------------------------------

def x_conversation(post: synthetic.SynthPost, params: Any, now: dt.datetime) -> dict[str, Any]:
    limit = _limit(params.get("max_results"), 10, 10, 100)
    since = now - dt.timedelta(days=RECENT_SEARCH_DAYS)
    replies: list[tuple[dt.datetime, dict[str, Any]]] = []
    comments: list[SynthComment] = conversation(post, now)
    for c in comments:
        reply_id = str(1700000000000000000 + synthetic.hash_int("xr", post.post_id, c.index) % 10**17)
        if c.created_at >= since:
            replies.append((c.created_at, {"id": reply_id, "text": c.text, "author_id": c.author_id,
                                           "created_at": c.created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                                           "conversation_id": post.post_id, "in_reply_to_user_id": post.account_id,
                                           "referenced_tweets": [{"type": "replied_to", "id": post.post_id}]}))
        if c.reply_at and c.reply_at >= since:
            answer_id = str(1710000000000000000 + synthetic.hash_int("xa", post.post_id, c.index) % 10**17)
            replies.append((c.reply_at, {"id": answer_id, "text": c.reply_text, "author_id": post.account_id,
                                         "created_at": c.reply_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                                         "conversation_id": post.post_id, "in_reply_to_user_id": c.author_id,
                                         "referenced_tweets": [{"type": "replied_to", "id": reply_id}]}))
    replies.sort(key=lambda pair: pair[0], reverse=True)  # recent search answers newest first
    chunk, token = _page([r for _t, r in replies], params.get("next_token", "") or params.get("pagination_token", ""),
                         limit)
    fields = set(filter(None, params.get("tweet.fields", "").split(",")))
    keep = {"id", "text", "edit_history_tweet_ids"} | fields
    data = [{k: v for k, v in r.items() if k in keep} | {"edit_history_tweet_ids": [r["id"]]} for r in chunk]
    meta: dict[str, Any] = {"result_count": len(data)}
    if data:
        meta["newest_id"], meta["oldest_id"] = data[0]["id"], data[-1]["id"]
    if token:
        meta["next_token"] = token
    return {"data": data, "meta": meta} if data else {"meta": meta}
