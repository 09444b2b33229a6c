"""X API v2 stand-in (api.x.com and api.twitter.com): user timelines, tweet lookup, user lookup."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import time
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse

from metrics.sandbox import common, conversations, faults, synthetic, x_amplification
from metrics.sandbox.models import SandboxFault, SandboxXUser
from metrics.sandbox.profiles import ACCOUNTS, NOTABLE_BY_ID
from metrics.sandbox.synthetic import SynthPost

MAX_IDS = 100
PROBLEM = "application/problem+json"
_ID = re.compile(r"[0-9]{1,19}")
# Who exists: the demo's users, and any id of X's current length (15 to 19 digits), for which the
# sandbox invents a user so that any test account works. A shorter id stands for a user that does
# not exist, and is answered as X answers one (a 200 with a "Not Found Error" item).
_EXISTING_USER = re.compile(r"[1-9][0-9]{14,18}")


def user_exists(user_id: str) -> bool:
    return ("x", user_id) in ACCOUNTS or bool(_EXISTING_USER.fullmatch(user_id))


def _remember_user(user_id: str) -> None:
    # So that a later lookup of this user's posts names the author (see SandboxXUser).
    if ("x", user_id) not in ACCOUNTS:
        with contextlib.suppress(IntegrityError):  # another request remembered it first
            SandboxXUser.objects.get_or_create(user_id=user_id, defaults={"bucket": synthetic.bucket(user_id)})


def _author_hint(post_id: str) -> str:
    """A user id whose bucket matches the post's, among the users served, or "" if none."""
    owner = synthetic.account_of_post("x", post_id)
    if not owner or owner[0]:
        return ""
    return SandboxXUser.objects.filter(bucket=owner[1]).values_list("user_id", flat=True).first() or ""
_TWEET_FIELDS = {"attachments", "author_id", "context_annotations", "conversation_id", "created_at",
                 "edit_controls", "edit_history_tweet_ids", "entities", "geo", "id", "in_reply_to_user_id", "lang",
                 "non_public_metrics", "organic_metrics", "possibly_sensitive", "promoted_metrics",
                 "public_metrics", "referenced_tweets", "reply_settings", "source", "text", "withheld",
                 "note_tweet", "article", "card_uri", "community_id", "display_text_range", "media_metadata",
                 "scopes"}
_USER_FIELDS = {"created_at", "description", "entities", "id", "location", "name", "pinned_tweet_id",
                "profile_image_url", "protected", "public_metrics", "url", "username", "verified", "verified_type",
                "withheld", "most_recent_tweet_id", "affiliation", "connection_status", "subscription_type"}


class XError(Exception):
    def __init__(self, status: int, body: dict[str, Any], content_type: str = PROBLEM,
                 headers: dict[str, str] | None = None):
        super().__init__(status)
        self.status, self.body, self.content_type, self.headers = status, body, content_type, headers or {}


def _invalid(message: str, parameters: dict[str, list[str]]) -> XError:
    return XError(400, {"errors": [{"parameters": parameters, "message": message}], "title": "Invalid Request",
                        "detail": "One or more parameters to your request was invalid.",
                        "type": "https://api.twitter.com/2/problems/invalid-request"})


def _unauthorized() -> XError:
    return XError(401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})


def _ts(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _fields(request: HttpRequest, name: str, allowed: set[str]) -> list[str]:
    raw = request.GET.get(name, "")
    fields = [f for f in raw.split(",") if f]
    bad = [f for f in fields if f not in allowed]
    if bad:
        raise _invalid(f"The `{name}` query parameter value [{bad[0]}] is not one of "
                       f"[{','.join(sorted(allowed))}]", {name: [raw]})
    return fields


def _field_unauthorized(post: SynthPost, field: str) -> dict[str, Any]:
    # What X puts in `errors` (beside `data`) for a private metric it will not give on an older post.
    return {"value": field, "detail": f"Sorry, you are not authorized to access '{field}' on the Tweet with ids: "
                                      f"[{post.post_id}].",
            "title": "Field Authorization Error", "resource_type": "tweet", "field": field,
            "parameter": "tweet.fields", "resource_id": post.post_id, "section": "data",
            "type": "https://api.twitter.com/2/problems/not-authorized-for-field"}


def render_tweet(post: SynthPost, fields: list[str], now: dt.datetime, user_context: bool,
                 errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The tweet object; a private metric refused for it adds its error item to `errors`."""
    m = synthetic.post_metrics(post, now)
    out: dict[str, Any] = {"id": post.post_id, "text": post.title, "edit_history_tweet_ids": [post.post_id]}
    recent = now - post.published_at <= dt.timedelta(days=30)
    for f in fields:
        if f == "created_at":
            out[f] = _ts(post.published_at)
        elif f == "author_id" and post.account_id:
            out[f] = post.account_id
        elif f == "conversation_id":
            out[f] = post.post_id
        elif f == "lang":
            out[f] = post.language
        elif f == "possibly_sensitive":
            out[f] = False
        elif f == "reply_settings":
            out[f] = "everyone"
        elif f == "public_metrics":
            out[f] = {"retweet_count": m["shares"], "reply_count": m["comments"], "like_count": m["likes"],
                      "quote_count": m["quotes"], "bookmark_count": m["saves"], "impression_count": m["views"]}
        elif f in ("non_public_metrics", "organic_metrics") and user_context and not recent:
            if errors is not None:
                errors.append(_field_unauthorized(post, f))
        elif f in ("non_public_metrics", "organic_metrics") and user_context:
            # Only with user-context auth on the owner's posts of the last 30 days, as on X.
            if f == "non_public_metrics":
                out[f] = {"impression_count": m["views"], "url_link_clicks": m["clicks"],
                          "user_profile_clicks": m["profile_clicks"]}
            else:
                out[f] = {"impression_count": m["views"], "like_count": m["likes"], "reply_count": m["comments"],
                          "retweet_count": m["shares"], "url_link_clicks": m["clicks"],
                          "user_profile_clicks": m["profile_clicks"]}
        elif f == "attachments" and post.format in ("image", "video"):
            out[f] = {"media_keys": [_media_key(post)]}
        elif f == "entities" and "#" in post.title:
            tag = post.title.split("#", 1)[1].split()[0]
            start = post.title.index("#")
            out[f] = {"hashtags": [{"start": start, "end": start + len(tag) + 1, "tag": tag}]}
    return out


_MEDIA_FIELDS = {"duration_ms", "height", "media_key", "non_public_metrics", "organic_metrics", "preview_image_url",
                 "promoted_metrics", "public_metrics", "type", "url", "width", "alt_text", "variants"}
_EXPANSIONS = {"attachments.media_keys", "author_id", "referenced_tweets.id", "in_reply_to_user_id",
               "entities.mentions.username", "attachments.poll_ids", "geo.place_id", "edit_history_tweet_ids",
               "referenced_tweets.id.author_id"}


def _media_key(post: SynthPost) -> str:
    return f"{3 if post.format == 'image' else 13}_{post.post_id}"


def includes(request: HttpRequest, posts: list[SynthPost], now: dt.datetime) -> dict[str, Any]:
    """The `includes` object for the requested expansions (media with view counts, authors)."""
    expansions = _fields(request, "expansions", _EXPANSIONS)
    media_fields = _fields(request, "media.fields", _MEDIA_FIELDS)
    out: dict[str, Any] = {}
    if "attachments.media_keys" in expansions:
        media = []
        for p in posts:
            if p.format not in ("image", "video"):
                continue
            item: dict[str, Any] = {"media_key": _media_key(p), "type": "photo" if p.format == "image" else "video"}
            if "public_metrics" in media_fields and p.format == "video":
                item["public_metrics"] = {"view_count": synthetic.post_metrics(p, now).get("video_views", 0)}
            if "duration_ms" in media_fields and p.format == "video":
                item["duration_ms"] = p.duration_seconds * 1000
            if "width" in media_fields:
                item["width"], item["height"] = 1280, 720
            media.append(item)
        if media:
            out["media"] = media
    if "author_id" in expansions:
        authors = sorted({p.account_id for p in posts if p.account_id})
        if authors:
            out["users"] = [{"id": a, "name": synthetic.profile("x", a).handle or f"user{a[-6:]}",
                             "username": synthetic.profile("x", a).handle or f"user{a[-6:]}"} for a in authors]
    return out


def _user_context(token: str) -> bool:
    # App-only bearer tokens in the sandbox start with "AAAA" like X's; anything else acts as a user token.
    return not token.startswith("AAAA")


def _rate_headers(account_id: str, token: str) -> dict[str, str]:
    # Counted per token and account, as X counts per user (user tokens) or per app (bearer).
    calls, reset = common.count_request("x", f"{token[-16:]}:{account_id}", common.X_WINDOW_SECONDS)
    return {"x-rate-limit-limit": str(common.X_WINDOW_LIMIT),
            "x-rate-limit-remaining": str(max(0, common.X_WINDOW_LIMIT - calls)),
            "x-rate-limit-reset": str(reset)}


def _fault(account_ids: list[str], buckets: list[int]) -> tuple[bool, dict[str, str]]:
    """Apply a live fault for these accounts: raises its error, or returns (malformed?, extra headers)."""
    fault = faults.claim_fault("x", account_ids, buckets)
    if not fault:
        return False, {}
    opts = fault.options or {}
    common.apply_slow(fault)
    if fault.kind == SandboxFault.Kind.RATE_LIMIT:
        reset = int(time.time()) + common.opt_int(opts, "reset_seconds", 60)
        headers = {"x-rate-limit-limit": str(common.X_WINDOW_LIMIT), "x-rate-limit-remaining": "0",
                   "x-rate-limit-reset": str(reset)}
        if opts.get("style") == "v1":
            raise XError(429, {"errors": [{"code": 88, "message": "Rate limit exceeded"}]},
                         content_type="application/json; charset=utf-8", headers=headers)
        raise XError(429, {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank",
                           "status": 429}, headers=headers)
    if fault.kind == SandboxFault.Kind.EXPIRED_TOKEN:
        raise _unauthorized()
    if fault.kind == SandboxFault.Kind.SERVER_ERROR:
        status = common.opt_int(opts, "status", 503)
        title = "Service Unavailable" if status == 503 else "Internal Server Error"
        raise XError(status, {"title": title, "detail": title, "type": "about:blank", "status": status})
    return fault.kind == SandboxFault.Kind.MALFORMED, {}


def _respond(status: int, body: Any, headers: dict[str, str], content_type: str = "application/json; charset=utf-8",
             malformed: bool = False) -> HttpResponse:
    resp = common.json_response(body, status=status, content_type=content_type, headers=headers)
    return common.malformed(resp) if malformed else resp


def x_view(request: HttpRequest, host: str, path: str) -> HttpResponse:
    headers: dict[str, str] = {}
    try:
        if request.method not in ("GET", "HEAD"):
            raise XError(405, {"title": "Method Not Allowed", "type": "about:blank", "status": 405,
                               "detail": "The sandbox serves read-only endpoints"})
        token = common.bearer(request)
        if not token:
            raise _unauthorized()
        segs = [s for s in path.strip("/").split("/") if s]
        if len(segs) == 4 and segs[:2] == ["2", "users"] and segs[3] == "tweets":
            return _user_tweets(request, segs[2], token)
        if segs == ["2", "tweets"]:
            return _lookup(request, token)
        if segs == ["2", "tweets", "search", "recent"]:
            return _search_recent(request, token)
        if len(segs) == 3 and segs[:2] == ["2", "tweets"]:
            return _lookup(request, token, single=segs[2])
        if len(segs) == 4 and segs[:2] == ["2", "tweets"] and segs[3] in ("retweeted_by", "quote_tweets"):
            return _amplifiers(request, token, segs[2], segs[3])
        if len(segs) == 3 and segs[:2] == ["2", "users"]:
            return _user(request, segs[2], token)
        if len(segs) == 5 and segs[:4] == ["2", "users", "by", "username"]:
            user_id = synthetic.x_user_id_for_username(segs[4])
            if not user_id:
                return _respond(200, {"errors": [_not_found(segs[4], "user", "username",
                                                            f"Could not find user with username: [{segs[4]}].")]},
                                _rate_headers("", token))
            return _user(request, user_id, token)
        raise XError(404, {"errors": [{"message": "Sorry, that page does not exist", "code": 34}]},
                     content_type="application/json; charset=utf-8")
    except XError as e:
        headers.update(e.headers)
        return _respond(e.status, e.body, headers, e.content_type)


def _not_found(value: str, resource_type: str, parameter: str, detail: str) -> dict[str, Any]:
    return {"value": value, "detail": detail, "title": "Not Found Error", "resource_type": resource_type,
            "parameter": parameter, "resource_id": value,
            "type": "https://api.twitter.com/2/problems/resource-not-found"}


def _parse_time(request: HttpRequest, name: str) -> dt.datetime | None:
    raw = request.GET.get(name)
    if not raw:
        return None
    try:
        t = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as e:
        raise _invalid(f"Invalid '{name}':'{raw}'. '{name}' must be a valid RFC3339 date-time", {name: [raw]}) from e
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _user_tweets(request: HttpRequest, user_id: str, token: str) -> HttpResponse:
    if not _ID.fullmatch(user_id):
        raise _invalid(f"The `id` query parameter value [{user_id}] is not valid", {"id": [user_id]})
    raw_max = request.GET.get("max_results", "10")
    if not common.is_number(raw_max) or not 5 <= int(raw_max) <= 100:
        raise _invalid(f"The `max_results` query parameter value [{raw_max}] is not between 5 and 100",
                       {"max_results": [raw_max]})
    limit = int(raw_max)
    tweet_fields = _fields(request, "tweet.fields", _TWEET_FIELDS)
    start, end = _parse_time(request, "start_time"), _parse_time(request, "end_time")
    headers = _rate_headers(user_id, token)
    malformed, extra = _fault([user_id], [])
    headers.update(extra)
    if user_exists(user_id):
        _remember_user(user_id)
    now = common.now()
    items = synthetic.posts("x", user_id, now, since=start, until=end)
    exclude = request.GET.get("exclude", "")
    del exclude  # the synthetic timelines hold neither retweets nor replies
    since_id, until_id = request.GET.get("since_id"), request.GET.get("until_id")
    if common.is_number(since_id):
        items = [p for p in items if _id_num(p.post_id) > int(since_id)]
    if common.is_number(until_id):
        items = [p for p in items if _id_num(p.post_id) < int(until_id)]
    items = items[:3200]  # the timeline reaches back to the 3,200 most recent posts
    token_in = request.GET.get("pagination_token")
    offset = 0
    if token_in:
        # "B…" (previous_token) pages back to the newer posts before a position; the others page on.
        backward = token_in.startswith("B")
        pos = synthetic.decode_token(token_in[1:] if backward else token_in)
        if pos is None:
            raise _invalid(f"The `pagination_token` query parameter value [{token_in}] is not valid",
                           {"pagination_token": [token_in]})
        offset = next((i for i, p in enumerate(items) if p.sort_key < pos), len(items))
        if backward:
            stop = next((i for i, p in enumerate(items) if p.sort_key <= pos), len(items))
            offset = max(0, stop - limit)
    chunk = items[offset:offset + limit]
    user_ctx = _user_context(token)
    body: dict[str, Any] = {}
    meta: dict[str, Any] = {"result_count": len(chunk)}
    if chunk:
        refused: list[dict[str, Any]] = []
        body["data"] = [render_tweet(p, tweet_fields, now, user_ctx, refused) for p in chunk]
        inc = includes(request, chunk, now)
        if inc:
            body["includes"] = inc
        if refused:
            body["errors"] = refused
        meta["newest_id"], meta["oldest_id"] = chunk[0].post_id, chunk[-1].post_id
        if offset + len(chunk) < len(items):
            meta["next_token"] = synthetic.encode_token(chunk[-1])
        if offset > 0:
            meta["previous_token"] = "B" + synthetic.encode_token(chunk[0])
    body["meta"] = meta
    return _respond(200, body, headers, malformed=malformed)


def _id_num(post_id: str) -> int:
    return int(post_id) if common.is_number(post_id) else 0


def _lookup(request: HttpRequest, token: str, single: str | None = None) -> HttpResponse:
    raw = single if single is not None else request.GET.get("ids", "")
    ids = [i for i in raw.split(",") if i] if raw else []
    if not ids:
        raise _invalid("The query parameters [ids] is required", {"ids": [raw]})
    if len(ids) > MAX_IDS:
        raise _invalid(f"The `ids` query parameter value [{raw[:40]}…] is not valid: size must be between 1 and "
                       f"{MAX_IDS}", {"ids": [raw]})
    bad = [i for i in ids if not _ID.fullmatch(i)]
    if bad:
        raise _invalid(f"The `ids` query parameter value [{bad[0]}] does not match ^[0-9]{{1,19}}$", {"ids": [raw]})
    tweet_fields = _fields(request, "tweet.fields", _TWEET_FIELDS)
    owners = [synthetic.account_of_post("x", i) for i in ids]
    account_ids = [o[0] for o in owners if o and o[0]]
    headers = _rate_headers(account_ids[0] if account_ids else "", token)
    malformed, extra = _fault(account_ids, [o[1] for o in owners if o])
    headers.update(extra)
    now = common.now()
    data, found = [], []
    errors: list[dict[str, Any]] = []
    user_ctx = _user_context(token)
    for i in dict.fromkeys(ids):
        post = synthetic.post_by_id("x", i, now, account_hint=_author_hint(i))
        if post:
            found.append(post)
            data.append(render_tweet(post, tweet_fields, now, user_ctx, errors))
        else:
            errors.append(_not_found(i, "tweet", "ids" if single is None else "id",
                                     f"Could not find tweet with {'ids' if single is None else 'id'}: [{i}]."))
    body: dict[str, Any] = {}
    if data:
        body["data"] = data[0] if single is not None else data
        inc = includes(request, found, now)
        if inc:
            body["includes"] = inc
    if errors:
        body["errors"] = errors
    return _respond(200, body, headers, malformed=malformed)


def _search_recent(request: HttpRequest, token: str) -> HttpResponse:
    """Recent search, for the one query Softpower asks: the replies in a post's conversation."""
    query = request.GET.get("query", "")
    match = re.fullmatch(r"conversation_id:([0-9]{1,19})", query.strip())
    if not match:
        raise _invalid("The sandbox's recent search answers `conversation_id:ID` queries only", {"query": [query]})
    post_id = match.group(1)
    owner = synthetic.account_of_post("x", post_id)
    headers = _rate_headers(owner[0] if owner and owner[0] else "", token)
    malformed, extra = _fault([owner[0]] if owner and owner[0] else [], [owner[1]] if owner else [])
    headers.update(extra)
    now = common.now()
    post = synthetic.post_by_id("x", post_id, now, account_hint=_author_hint(post_id))
    if post is None:
        return _respond(200, {"meta": {"result_count": 0}}, headers)
    try:
        body = conversations.x_conversation(post, request.GET, now)
    except conversations.BadPage as e:
        raise _invalid(f"The `max_results` or `next_token` query parameter value [{e}] is not valid",
                       {"max_results": [str(e)]}) from e
    return _respond(200, body, headers, malformed=malformed)


def _amplifiers(request: HttpRequest, token: str, post_id: str, which: str) -> HttpResponse:
    if not _ID.fullmatch(post_id):
        raise _invalid(f"The `id` query parameter value [{post_id}] does not match ^[0-9]{{1,19}}$", {"id": [post_id]})
    owner = synthetic.account_of_post("x", post_id)
    headers = _rate_headers(owner[0] if owner and owner[0] else "", token)
    malformed, extra = _fault([owner[0]] if owner and owner[0] else [], [owner[1]] if owner else [])
    headers.update(extra)
    now = common.now()
    post = synthetic.post_by_id("x", post_id, now, account_hint=_author_hint(post_id))
    if post is None:
        return _respond(200, {"errors": [_not_found(post_id, "tweet", "id", f"Could not find tweet with id: "
                                                                              f"[{post_id}].")]}, headers)
    try:
        handler = x_amplification.retweeted_by if which == "retweeted_by" else x_amplification.quote_tweets
        body = handler(request, post, now)
    except x_amplification.InvalidParameter as e:
        raise _invalid(e.message, {e.name: [e.raw]}) from e
    return _respond(200, body, headers, malformed=malformed)


def _user(request: HttpRequest, user_id: str, token: str) -> HttpResponse:
    if not _ID.fullmatch(user_id):
        raise _invalid(f"The `id` query parameter value [{user_id}] is not valid", {"id": [user_id]})
    user_fields = _fields(request, "user.fields", _USER_FIELDS)
    headers = _rate_headers(user_id, token)
    malformed, extra = _fault([user_id], [])
    headers.update(extra)
    if not user_exists(user_id):
        return _respond(200, {"errors": [_not_found(user_id, "user", "id",
                                                    f"Could not find user with id: [{user_id}].")]}, headers)
    _remember_user(user_id)
    now = common.now()
    p = synthetic.profile("x", user_id)
    handle = p.handle if p.platform_id else f"user{user_id[-6:]}"
    user: dict[str, Any] = {"id": user_id, "name": handle.replace("_", " "), "username": handle}
    notable = NOTABLE_BY_ID.get(("x", user_id))
    if notable:
        user.update(name=notable.name, username=notable.username)
    for f in user_fields:
        if f == "public_metrics":
            user[f] = {"followers_count": synthetic.followers("x", user_id, now),
                       "following_count": 200 + synthetic.bucket(user_id) % 800,
                       "tweet_count": len(synthetic.posts("x", user_id, now)) + 1000,
                       "listed_count": 50 + synthetic.bucket(user_id) % 500,
                       "like_count": 1000 + synthetic.bucket(user_id) % 5000}
        elif f == "created_at":
            user[f] = "2011-03-01T08:00:00.000Z"
        elif f == "description":
            user[f] = "Synthetic sandbox account"
        elif f in ("protected", "verified"):
            user[f] = f == "verified"
        elif f == "verified_type":
            user[f] = "government"
    return _respond(200, {"data": user}, headers, malformed=malformed)

