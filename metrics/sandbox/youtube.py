"""YouTube Data API v3 (channels, playlistItems, videos) and YouTube Analytics API v2 (reports) stand-ins."""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import re
from collections import defaultdict
from typing import Any

from django.http import HttpRequest, HttpResponse

from metrics.sandbox import common, conversations, faults, synthetic
from metrics.sandbox.models import SandboxFault
from metrics.sandbox.profiles import ACCOUNTS
from metrics.sandbox.synthetic import SynthPost

MAX_IDS = 50
MAX_RESULTS = 50
_CHANNEL = re.compile(r"UC[\w-]{22}")
_PARTS = {"id", "snippet", "contentDetails", "statistics", "status", "player", "topicDetails",
          "recordingDetails", "liveStreamingDetails", "localizations", "brandingSettings", "contentOwnerDetails",
          "paidProductPlacementDetails"}
_QUOTA_MESSAGE = ('The request cannot be completed because you have exceeded your '
                  '<a href="/youtube/v3/getting-started#quota">quota</a>.')


class YTError(Exception):
    def __init__(self, code: int, message: str, reason: str, domain: str = "global", status: str = "",
                 location: str = "", location_type: str = ""):
        super().__init__(message)
        self.code, self.message, self.reason, self.domain = code, message, reason, domain
        self.status, self.location, self.location_type = status, location, location_type

    def body(self) -> dict[str, Any]:
        item: dict[str, Any] = {"message": self.message, "domain": self.domain, "reason": self.reason}
        if self.location:
            item["location"] = self.location
            item["locationType"] = self.location_type or "parameter"
        err: dict[str, Any] = {"code": self.code, "message": self.message, "errors": [item]}
        if self.status:
            err["status"] = self.status
        return {"error": err}


def _etag(*parts: object) -> str:
    return hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=12).hexdigest()


def _ts(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _bad(message: str, reason: str = "invalid", location: str = "", domain: str = "global") -> YTError:
    return YTError(400, message, reason, domain=domain, status="INVALID_ARGUMENT", location=location)


def channel_exists(channel_id: str) -> bool:
    return ("youtube", channel_id) in ACCOUNTS or bool(_CHANNEL.fullmatch(channel_id))


def _mine(request: HttpRequest) -> str:
    """The channel of an OAuth token: a channel id inside the token, else the first demo channel."""
    m = re.search(r"UC[\w-]{22,23}", common.bearer(request))
    if m and channel_exists(m.group(0)):
        return m.group(0)
    return next(pid for (plat, pid) in ACCOUNTS if plat == "youtube")


def _auth(request: HttpRequest, oauth_only: bool = False) -> None:
    if common.bearer(request):
        return
    if oauth_only:
        raise YTError(401, "Request is missing required authentication credential. Expected OAuth 2 access token, "
                           "login cookie or other valid authentication credential.", "required",
                      status="UNAUTHENTICATED", location="Authorization", location_type="header")
    # An API key travels as `key=` or in the X-Goog-Api-Key header (Google's system parameters:
    # https://cloud.google.com/apis/docs/system-parameters).
    if not (request.GET.get("key") or request.headers.get("X-Goog-Api-Key")):
        raise YTError(403, "Method doesn't allow unregistered callers (callers without established identity). "
                           "Please use API Key or other form of API consumer identity to call this API.",
                      "forbidden", status="PERMISSION_DENIED")


def _fault(account_ids: list[str], buckets: list[int]) -> bool:
    """Apply a live fault for these channels: raises its error, or returns whether to cut the body."""
    fault = faults.claim_fault("youtube", account_ids, buckets)
    if not fault:
        return False
    opts = fault.options or {}
    common.apply_slow(fault)
    if fault.kind == SandboxFault.Kind.RATE_LIMIT:
        reason = opts.get("reason", "quotaExceeded")
        if reason == "quotaExceeded":
            raise YTError(403, _QUOTA_MESSAGE, reason, domain="youtube.quota")
        msg = {"dailyLimitExceeded": "Daily Limit Exceeded",
               "rateLimitExceeded": "Rate Limit Exceeded",
               "userRateLimitExceeded": "User Rate Limit Exceeded"}.get(reason, "Rate Limit Exceeded")
        raise YTError(403, msg, reason, domain="usageLimits")
    if fault.kind == SandboxFault.Kind.EXPIRED_TOKEN:
        raise YTError(401, "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
                           "cookie or other valid authentication credential.", "authError",
                      status="UNAUTHENTICATED", location="Authorization", location_type="header")
    if fault.kind == SandboxFault.Kind.SERVER_ERROR:
        status = common.opt_int(opts, "status", 503)
        if status == 503:
            raise YTError(503, "The service is currently unavailable.", "backendError", status="UNAVAILABLE")
        raise YTError(status, "Internal error encountered.", "backendError", status="INTERNAL")
    return fault.kind == SandboxFault.Kind.MALFORMED


def _respond(body: Any, malformed: bool = False) -> HttpResponse:
    resp = common.json_response(body, headers={"Vary": "Origin, X-Origin, Referer"})
    return common.malformed(resp) if malformed else resp


def _parts(request: HttpRequest, allowed: frozenset[str] | set[str] | None = None) -> list[str]:
    raw = request.GET.get("part", "")
    if not raw:
        raise _bad("No filter selected. Expected one of: …", "required", "part")
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    for p in parts:
        if p not in (allowed or _PARTS):
            raise _bad(f"'{p}'", "unknownPart", "part", domain="youtube.part")
    return parts


def _max_results(request: HttpRequest, default: int = 5) -> int:
    raw = request.GET.get("maxResults", str(default))
    if not common.is_number(raw) or int(raw) > MAX_RESULTS:
        raise _bad(f"Invalid value '{raw}'. Values must be within the range: [0, {MAX_RESULTS}]", "invalidValue",
                   "maxResults", domain="youtube.parameter")
    return int(raw)


def data_view(request: HttpRequest, host: str, resource: str) -> HttpResponse:
    try:
        if request.method not in ("GET", "HEAD"):
            raise YTError(405, "The sandbox serves read-only endpoints.", "methodNotAllowed")
        _auth(request)
        handler = {"channels": _channels, "playlistItems": _playlist_items, "videos": _videos,
                   "commentThreads": _comment_threads}.get(resource)
        if handler is None:
            raise YTError(404, "Not Found", "notFound")
        return handler(request)
    except YTError as e:
        return common.json_response(e.body(), status=e.code)


# --- channels ---------------------------------------------------------------------------------

def _channels(request: HttpRequest) -> HttpResponse:
    parts = _parts(request)
    if request.GET.get("mine") == "true":
        if not common.bearer(request):
            raise YTError(401, "Login Required.", "required", status="UNAUTHENTICATED", location="Authorization",
                          location_type="header")
        ids = [_mine(request)]
    elif request.GET.get("id"):
        ids = [i for i in request.GET["id"].split(",") if i]
        if len(ids) > MAX_IDS:
            raise _bad("The request specifies an invalid filter parameter.", "invalidFilters",
                       domain="youtube.parameter")
    elif request.GET.get("forHandle"):
        # With or without the "@", in any case; an unknown handle is an answer with no items.
        handle = request.GET["forHandle"].removeprefix("@").casefold()
        ids = [pid for (plat, pid), p in ACCOUNTS.items() if plat == "youtube" and p.handle.casefold() == handle]
    else:
        raise _bad("No filter selected. Expected one of: forUsername, managedByMe, categoryId, mine, "
                   "mySubscribers, id, idParam, forHandle", "missingRequiredParameter", domain="youtube.parameter")
    ids = [i for i in ids if channel_exists(i)]
    malformed = _fault(ids, [])
    now = common.now()
    items = []
    for cid in ids:
        p = synthetic.profile("youtube", cid)
        handle = p.handle if p.platform_id else f"channel{synthetic.bucket(cid)}"
        item: dict[str, Any] = {"kind": "youtube#channel", "etag": _etag("ch", cid), "id": cid}
        if "snippet" in parts:
            item["snippet"] = {"title": handle, "description": "Synthetic sandbox channel",
                               "customUrl": "@" + handle.lower(), "publishedAt": "2012-03-01T08:00:00Z",
                               "thumbnails": {"default": {"url": f"https://yt3.example/{cid}.jpg", "width": 88,
                                                          "height": 88}},
                               "localized": {"title": handle, "description": "Synthetic sandbox channel"}}
        if "contentDetails" in parts:
            item["contentDetails"] = {"relatedPlaylists": {"likes": "",
                                                           "uploads": synthetic.youtube_uploads_playlist(cid)}}
        if "statistics" in parts:
            videos = synthetic.posts("youtube", cid, now)
            views = sum(synthetic.post_metrics(v, now)["views"] for v in videos)
            item["statistics"] = {"viewCount": str(views),
                                  "subscriberCount": str(synthetic.followers("youtube", cid, now)),
                                  "hiddenSubscriberCount": False, "videoCount": str(len(videos))}
        items.append(item)
    body: dict[str, Any] = {"kind": "youtube#channelListResponse", "etag": _etag("chl", *ids),
                            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items) or 5}}
    if items:
        body["items"] = items
    return _respond(body, malformed)


# --- playlistItems ----------------------------------------------------------------------------

def _playlist_items(request: HttpRequest) -> HttpResponse:
    parts = _parts(request)
    playlist = request.GET.get("playlistId", "")
    if not playlist:
        raise _bad("No filter selected. Expected one of: playlistId, id", "missingRequiredParameter",
                   domain="youtube.parameter")
    limit = _max_results(request)
    channel = synthetic.youtube_channel_of_playlist(playlist)
    if not channel or not channel_exists(channel):
        raise YTError(404, "The playlist identified with the request's <code>playlistId</code> parameter cannot be "
                           "found.", "playlistNotFound", domain="youtube.playlistItem", location="playlistId")
    malformed = _fault([channel], [])
    now = common.now()
    videos = synthetic.posts("youtube", channel, now)
    offset = 0
    token = request.GET.get("pageToken")
    if token:
        # "B…" tokens page back to the newer videos before a position; the others page on to older ones.
        pos = synthetic.decode_token(token[1:] if token.startswith("B") else token)
        if pos is None:
            raise _bad("The request specifies an invalid page token.", "invalidPageToken", "pageToken",
                       domain="youtube.parameter")
        offset = next((i for i, p in enumerate(videos) if p.sort_key < pos), len(videos))
        if token.startswith("B"):
            end = next((i for i, p in enumerate(videos) if p.sort_key <= pos), len(videos))
            offset = max(0, end - limit)
    chunk = videos[offset:offset + limit]
    p = synthetic.profile("youtube", channel)
    title = p.handle if p.platform_id else f"channel{synthetic.bucket(channel)}"
    items = []
    for i, v in enumerate(chunk):
        item: dict[str, Any] = {"kind": "youtube#playlistItem", "etag": _etag("pli", v.post_id),
                                "id": _etag("plid", playlist, v.post_id)[:32]}
        if "snippet" in parts:
            item["snippet"] = {"publishedAt": _ts(v.published_at), "channelId": channel, "title": v.title,
                               "description": v.title, "thumbnails": _thumbs(v), "channelTitle": title,
                               "playlistId": playlist, "position": offset + i,
                               "resourceId": {"kind": "youtube#video", "videoId": v.post_id},
                               "videoOwnerChannelTitle": title, "videoOwnerChannelId": channel}
        if "contentDetails" in parts:
            item["contentDetails"] = {"videoId": v.post_id, "videoPublishedAt": _ts(v.published_at)}
        if "status" in parts:
            item["status"] = {"privacyStatus": "public"}
        items.append(item)
    body: dict[str, Any] = {"kind": "youtube#playlistItemListResponse", "etag": _etag("pl", playlist, offset)}
    if chunk and offset + len(chunk) < len(videos):
        body["nextPageToken"] = synthetic.encode_token(chunk[-1])
    if offset > 0 and chunk:
        body["prevPageToken"] = "B" + synthetic.encode_token(chunk[0])
    body["items"] = items
    body["pageInfo"] = {"totalResults": len(videos), "resultsPerPage": limit}
    return _respond(body, malformed)


def _thumbs(v: SynthPost) -> dict[str, Any]:
    base = f"https://i.ytimg.example/vi/{v.post_id}"
    return {"default": {"url": f"{base}/default.jpg", "width": 120, "height": 90},
            "medium": {"url": f"{base}/mqdefault.jpg", "width": 320, "height": 180},
            "high": {"url": f"{base}/hqdefault.jpg", "width": 480, "height": 360}}


# --- videos -----------------------------------------------------------------------------------

def _videos(request: HttpRequest) -> HttpResponse:
    parts = _parts(request)
    raw = request.GET.get("id", "")
    if not raw:
        if request.GET.get("chart") or request.GET.get("myRating"):
            raise _bad("The sandbox serves videos by id only.", "unsupportedFilter", domain="youtube.parameter")
        raise _bad("No filter selected. Expected one of: chart, id, myRating", "missingRequiredParameter",
                   domain="youtube.parameter")
    ids = [i for i in raw.split(",") if i]
    if len(ids) > MAX_IDS:
        raise _bad("The request specifies an invalid filter parameter.", "invalidFilters", domain="youtube.parameter")
    owners = [synthetic.account_of_post("youtube", i) for i in ids]
    malformed = _fault([o[0] for o in owners if o and o[0]], [o[1] for o in owners if o])
    now = common.now()
    items = []
    for vid in dict.fromkeys(ids):
        v = synthetic.post_by_id("youtube", vid, now)
        if v is None:
            continue  # unknown ids are simply left out, as on YouTube
        items.append(render_video(v, parts, now))
    body = {"kind": "youtube#videoListResponse", "etag": _etag("vl", *ids), "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}}
    return _respond(body, malformed)


def _comment_threads(request: HttpRequest) -> HttpResponse:
    parts = _parts(request, {"id", "snippet", "replies"})
    video_id = request.GET.get("videoId", "")
    if not video_id:
        raise _bad("No filter selected. Expected one of: allThreadsRelatedToChannelId, id, videoId",
                   "missingRequiredParameter", domain="youtube.parameter")
    owner = synthetic.account_of_post("youtube", video_id)
    malformed = _fault([owner[0]] if owner and owner[0] else [], [owner[1]] if owner else [])
    now = common.now()
    video = synthetic.post_by_id("youtube", video_id, now)
    if video is None:
        raise YTError(404, "The video identified by the <code>videoId</code> parameter could not be found.",
                      "videoNotFound")
    del parts  # snippet and replies are always given here
    p = synthetic.profile("youtube", video.account_id) if video.account_id else None
    try:
        body = conversations.youtube_threads(video, p.handle if p and p.platform_id else "channel", request.GET, now)
    except conversations.BadPage:
        raise _bad("The request specifies an invalid page token or maxResults.", "invalidPageToken",
                   domain="youtube.parameter") from None
    return _respond(body, malformed)


def render_video(v: SynthPost, parts: list[str], now: dt.datetime) -> dict[str, Any]:
    item: dict[str, Any] = {"kind": "youtube#video", "etag": _etag("v", v.post_id, now.date()), "id": v.post_id}
    channel = v.account_id
    p = synthetic.profile("youtube", channel) if channel else None
    if "snippet" in parts:
        snippet: dict[str, Any] = {"publishedAt": _ts(v.published_at), "title": v.title, "description": v.title,
                                   "thumbnails": _thumbs(v), "tags": ["diplomacy"], "categoryId": "25",
                                   "liveBroadcastContent": "none", "defaultAudioLanguage": v.language,
                                   "localized": {"title": v.title, "description": v.title}}
        if channel:
            snippet["channelId"] = channel
            snippet["channelTitle"] = p.handle if p and p.platform_id else f"channel{synthetic.bucket(channel)}"
        item["snippet"] = snippet
    if "contentDetails" in parts:
        item["contentDetails"] = {"duration": synthetic.iso8601_duration(v.duration_seconds), "dimension": "2d",
                                  "definition": "hd", "caption": "false", "licensedContent": False,
                                  "contentRating": {}, "projection": "rectangular"}
    if "statistics" in parts:
        m = synthetic.post_metrics(v, now)
        stats = {"viewCount": str(m["views"]), "likeCount": str(m["likes"]), "favoriteCount": "0",
                 "commentCount": str(m["comments"])}
        # Some creators hide likes or turn comments off: then the count is absent, not zero.
        for hidden in synthetic.youtube_hidden_counts(v):
            del stats[hidden]
        item["statistics"] = stats
    if "status" in parts:
        item["status"] = {"uploadStatus": "processed", "privacyStatus": "public", "license": "youtube",
                          "embeddable": True, "publicStatsViewable": True, "madeForKids": False}
    if "liveStreamingDetails" in parts and v.format == "live":
        item["liveStreamingDetails"] = {"actualStartTime": _ts(v.published_at),
                                        "actualEndTime": _ts(v.published_at + dt.timedelta(
                                            seconds=v.duration_seconds))}
    return item


# --- Analytics v2 -----------------------------------------------------------------------------

_METRIC_TYPES = {"views": "INTEGER", "estimatedMinutesWatched": "INTEGER", "averageViewDuration": "INTEGER",
                 "averageViewPercentage": "FLOAT", "likes": "INTEGER", "dislikes": "INTEGER", "comments": "INTEGER",
                 "shares": "INTEGER", "subscribersGained": "INTEGER", "subscribersLost": "INTEGER",
                 "engagedViews": "INTEGER"}
_DIMENSIONS = {"day", "month", "country", "video"}


def analytics_view(request: HttpRequest, host: str) -> HttpResponse:
    try:
        if request.method not in ("GET", "HEAD"):
            raise YTError(405, "The sandbox serves read-only endpoints.", "methodNotAllowed")
        _auth(request, oauth_only=True)
        body, malformed = report(request)
        return _respond(body, malformed)
    except YTError as e:
        return common.json_response(e.body(), status=e.code)


def _date(request: HttpRequest, name: str) -> dt.date:
    raw = request.GET.get(name, "")
    if not raw:
        raise _bad(f"Required parameter: {name}", "required", name)
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as e:
        raise _bad(f"Invalid value at '{name}' ({raw})", "badRequest", name) from e


def report(request: HttpRequest) -> tuple[dict[str, Any], bool]:
    ids = request.GET.get("ids", "")
    m = re.fullmatch(r"channel==(MINE|[\w-]+)", ids)
    if not m:
        raise _bad("Required parameter: ids" if not ids else f"Invalid value at 'ids' ({ids})",
                   "required" if not ids else "badRequest", "ids")
    channel = _mine(request) if m.group(1) == "MINE" else m.group(1)
    if not channel_exists(channel):
        raise YTError(403, "Forbidden", "forbidden", status="PERMISSION_DENIED")
    start, end = _date(request, "startDate"), _date(request, "endDate")
    if end < start:
        raise _bad("The query is invalid: endDate is before startDate.", "badRequest")
    metrics = [x for x in request.GET.get("metrics", "").split(",") if x]
    if not metrics:
        raise _bad("Required parameter: metrics", "required", "metrics")
    for x in metrics:
        if x not in _METRIC_TYPES:
            raise _bad(f"Unknown identifier ({x}) given in field parameters.metrics.", "badRequest")
    dims = [x for x in request.GET.get("dimensions", "").split(",") if x]
    for x in dims:
        if x not in _DIMENSIONS:
            raise _bad(f"Unknown identifier ({x}) given in field parameters.dimensions.", "badRequest")
    filters: dict[str, list[str]] = {}
    for f in (request.GET.get("filters") or "").split(";"):
        if not f:
            continue
        key, _, val = f.partition("==")
        if key not in ("video", "country") or not val:
            raise _bad(f"Unknown identifier ({key}) given in field parameters.filters.", "badRequest")
        filters[key] = val.split(",")
    malformed = _fault([channel], [])
    now = common.now()
    if "video" in filters:
        videos = [v for v in (synthetic.post_by_id("youtube", i, now, account_hint=channel)
                              for i in filters["video"]) if v and v.account_id == channel]
    else:
        videos = synthetic.posts("youtube", channel, now, since=now - dt.timedelta(days=366))
    rows = _rows(videos, start, end, metrics, dims, filters.get("country"), now)
    rows = _sort(rows, request.GET.get("sort", ""), dims, metrics)
    first = _positive(request, "startIndex", 1)
    rows = rows[first - 1:]
    if request.GET.get("maxResults"):
        rows = rows[: _positive(request, "maxResults", 0)]
    headers = [{"name": d, "columnType": "DIMENSION", "dataType": "STRING"} for d in dims]
    headers += [{"name": x, "columnType": "METRIC", "dataType": _METRIC_TYPES[x]} for x in metrics]
    body: dict[str, Any] = {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers}
    if rows:
        body["rows"] = rows
    return body, malformed


def _positive(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name) or str(default)
    if not common.is_number(raw) or int(raw) < 1:
        raise _bad(f"Invalid value at '{name}' ({raw}): must be a positive integer", "badRequest", name)
    return int(raw)


def _bounds(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def _rows(videos: list[SynthPost], start: dt.date, end: dt.date, metrics: list[str], dims: list[str],
          countries: list[str] | None, now: dt.datetime) -> list[list[Any]]:
    # Sum metric deltas per (dimension values) key over the videos and the days of the range.
    sums: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    days = []
    day = start
    while day <= end and _bounds(day) < now:
        days.append(day)
        day += dt.timedelta(days=1)
    for v in videos:
        split = synthetic.country_shares(v) if ("country" in dims or countries) else {"": 1.0}
        prev = synthetic.post_metrics(v, _bounds(days[0])) if days else {}
        for day in days:
            hi = min(_bounds(day) + dt.timedelta(days=1), now)
            if v.published_at >= hi:
                prev = {}
                continue
            cur = synthetic.post_metrics(v, hi)
            delta = {k: cur.get(k, 0) - prev.get(k, 0) for k in cur}
            prev = cur
            if not delta.get("views"):
                continue
            for ctry, share in split.items():
                if countries and ctry not in countries:
                    continue
                key_parts = {"day": day.isoformat(), "month": day.strftime("%Y-%m"), "country": ctry,
                             "video": v.post_id}
                acc = sums[tuple(key_parts[d] for d in dims)]
                acc["views"] += delta["views"] * share
                acc["likes"] += delta["likes"] * share
                acc["comments"] += delta["comments"] * share
                acc["shares"] += delta["shares"] * share
                acc["watch"] += delta.get("watch_seconds", 0) * share
                acc["duration_views"] += v.duration_seconds * delta["views"] * share
    rows = []
    for key, acc in sums.items():
        views = acc["views"]
        values = {
            "views": int(views), "likes": int(acc["likes"]), "dislikes": int(acc["likes"] * 0.02),
            "comments": int(acc["comments"]), "shares": int(acc["shares"]),
            "estimatedMinutesWatched": int(acc["watch"] / 60),
            "averageViewDuration": int(acc["watch"] / views) if views else 0,
            "averageViewPercentage": round(100 * acc["watch"] / acc["duration_views"], 1)
            if acc["duration_views"] else 0.0,
            "subscribersGained": int(views * 0.002), "subscribersLost": int(views * 0.0002),
            "engagedViews": int(views * 0.7),
        }
        if not values["views"] and not values["likes"]:
            continue
        rows.append(list(key) + [values[x] for x in metrics])
    return rows


def _sort(rows: list[list[Any]], sort: str, dims: list[str], metrics: list[str]) -> list[list[Any]]:
    cols = dims + metrics
    keys = [s for s in sort.split(",") if s]
    if not keys:
        return sorted(rows, key=lambda r: tuple(r[: len(dims)]))
    for k in reversed(keys):
        name = k.lstrip("-")
        if name not in cols:
            raise _bad(f"The query is invalid: sort field {name} is not in the dimensions or metrics.", "badRequest")
        idx = cols.index(name)
        rows = sorted(rows, key=operator.itemgetter(idx), reverse=k.startswith("-"))
    return rows
