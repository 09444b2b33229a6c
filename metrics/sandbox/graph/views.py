"""Graph API stand-in (graph.facebook.com and graph.instagram.com): Pages, posts, videos, IG media.

`graph_get()` answers one GET as (status, body, headers); the view and batch requests wrap it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from metrics.sandbox import common, conversations, faults, profiles, synthetic
from metrics.sandbox.graph.insights import (
    fb_post_insights,
    fb_video_insights,
    ig_media_insights,
    ig_user_insights,
    metric_names,
    page_insights,
)
from metrics.sandbox.graph.objects import (
    MAX_BATCH,
    MAX_IDS,
    VERSION,
    GraphError,
    Node,
    _with_params,
    graph_time,
    paged_body,
    parse_fields,
    parse_time,
    render_fb_post,
    render_ig_media,
    resolve,
    unsupported,
)
from metrics.sandbox.models import SandboxFault
from metrics.sandbox.synthetic import SynthPost

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
    version = ""
    if segs and VERSION.fullmatch(segs[0]):
        version, segs = segs[0], segs[1:]
    node = resolve(segs[0]) if segs else None
    headers: dict[str, str] = {}
    try:
        if not token:
            raise GraphError(104, "An access token is required to request this resource.")
        if not segs and params.get("ids"):
            return _multi_get(params, token, url, version, check_faults)
        if not segs:
            raise GraphError(100, "Unsupported get request.", subcode=33)
        if node is None:
            raise unsupported(segs[0])
        headers = _usage_headers(node, token)
        fault = faults.claim_fault(node.platform, [node.account_id], [node.bucket]) if check_faults else None
        malformed = False
        if fault:
            common.apply_slow(fault)
            err = _fault_error(fault, node, token)
            if err:
                raise err
            malformed = fault.kind == SandboxFault.Kind.MALFORMED
        body = _dispatch(node, segs[1:], params, url, version)
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
        raise unsupported(node.obj_id)
    return post


def _multi_get(params: QueryDict, token: str, url: str, version: str,
               check_faults: bool) -> tuple[int, Any, dict[str, str]]:
    """`GET /?ids=a,b&fields=…`: several objects in one call, keyed by id.

    Graph answers all or nothing: more than 50 ids, one unknown id, or one object refusing a field
    or a metric fails the whole request (https://developers.facebook.com/docs/graph-api/advanced).
    """
    ids = [i.strip() for i in params.get("ids", "").split(",") if i.strip()]
    headers: dict[str, str] = {}
    try:
        if len(ids) > MAX_IDS:
            raise GraphError(100, f"(#100) Too many IDs. Maximum: {MAX_IDS}. Provided: {len(ids)}.")
        nodes = {i: resolve(i) for i in ids}
        now = common.now()
        unknown = [i for i, n in nodes.items() if n is None or (n.kind in ("post", "ig_media", "video")
                                                                 and _find_post(n, now) is None)]
        if unknown:
            raise GraphError(803, f"(#803) Some of the aliases you requested do not exist: {','.join(unknown)}")
        known = [n for n in nodes.values() if n is not None]
        headers = _usage_headers(known[0], token)
        if check_faults:
            fault = faults.claim_fault(known[0].platform, sorted({n.account_id for n in known}),
                                       sorted({n.bucket for n in known}))
            if fault:
                common.apply_slow(fault)
                err = _fault_error(fault, known[0], token)
                if err:
                    raise err
                if fault.kind == SandboxFault.Kind.MALFORMED:
                    return 200, b'{"' + ids[0].encode() + b'": {"id"', headers
        parts = _top_level(params.get("fields", ""))
        expanded = [f for f in parse_fields(",".join(parts)) if f.name in _EXPANDED_EDGES]
        object_params = QueryDict(mutable=True)
        object_params["fields"] = ",".join(["id", *(p for p in parts if _name_of(p) not in {"id", *_EXPANDED_EDGES})])
        body = {}
        for obj_id in ids:
            obj_node = nodes[obj_id]
            if obj_node is None:
                continue
            item = _dispatch(obj_node, [], object_params, url, version)
            for f in expanded:
                item[f.key] = _expand(obj_node, f, now, version)
            body[obj_id] = item
        return 200, body, headers
    except GraphError as e:
        headers.update(e.headers)
        return e.status, e.body(), headers


_EXPANDED_EDGES = ("insights", "video_insights")


def _top_level(spec: str) -> list[str]:
    """`a,b.summary(x).limit(0),c.metric(m1,m2){d,e}` split at its top-level commas."""
    depth, cur, parts = 0, "", []
    for ch in spec:
        depth += (ch in "({") - (ch in ")}")
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return [p for p in parts if p]


def _name_of(part: str) -> str:
    return re.split(r"[.{(]", part, maxsplit=1)[0]


def _find_post(node: Node, now: dt.datetime) -> SynthPost | None:
    platform = "facebook" if node.kind in ("post", "video") else "instagram"
    return synthetic.post_by_id(platform, node.obj_id, now)


def _expand(node: Node, f: Any, now: dt.datetime, version: str) -> dict[str, Any]:
    """A field-expanded insights edge, `insights.metric(a,b){name,values}`, as the edge itself answers it."""
    params = QueryDict(mutable=True)
    if f.metric:
        params["metric"] = f.metric
    post = _load_post(node, now)
    if node.kind == "post" and f.name == "insights":
        data = fb_post_insights(post, metric_names(params), now, version)
    elif node.kind in ("post", "video") and f.name == "video_insights":
        if post.format not in ("video", "short_video", "live"):
            raise GraphError(100, "(#100) Tried accessing nonexisting field (video_insights) on node type (Post)")
        video_id = node.obj_id if node.kind == "video" else synthetic.facebook_video_id(post)
        data = fb_video_insights(video_id, post, params, now)
    elif node.kind == "ig_media" and f.name == "insights":
        data = ig_media_insights(post, metric_names(params), now, version)
    else:
        kind = {"post": "Post", "video": "Video", "ig_media": "IGMedia"}.get(node.kind, "Node")
        raise GraphError(100, f"(#100) Tried accessing nonexisting field ({f.name}) on node type ({kind})")
    wanted = [k.strip() for k in f.sub.split(",") if k.strip()] if f.sub else []
    items = [{k: v for k, v in item.items() if not wanted or k in wanted} for item in data["data"]]
    return {"data": items}


def _dispatch(node: Node, rest: list[str], params: QueryDict, url: str, version: str = "") -> Any:
    now = common.now()
    fields_spec = params.get("fields", "")
    edge = rest[0] if rest else ""
    if len(rest) > 1:
        raise GraphError(2500, f"Unknown path components: /{'/'.join(rest[1:])}")
    if node.kind == "page":
        if edge in ("published_posts", "posts", "feed"):
            fields = parse_fields(fields_spec or "id,message,created_time")
            items = synthetic.posts("facebook", node.obj_id, now, since=parse_time(params.get("since")),
                                    until=parse_time(params.get("until")))
            return paged_body(items, params, url, lambda p: render_fb_post(p, fields, now))
        if edge == "insights":
            return page_insights(node.obj_id, params, now, version)
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
        raise unsupported(node.obj_id)
    if node.kind in ("post", "video"):
        post = _load_post(node, now)
        if edge == "insights" and node.kind == "post":
            return fb_post_insights(post, metric_names(params), now, version)
        if edge == "video_insights":
            if post.format not in ("video", "short_video", "live"):
                raise unsupported(node.obj_id)
            return fb_video_insights(node.obj_id if node.kind == "video" else synthetic.facebook_video_id(post),
                                     post, params, now)
        if edge == "comments" and node.kind == "post":
            return _comments(post, params, url, now)
        if edge == "" and node.kind == "post":
            return render_fb_post(post, parse_fields(fields_spec or "id,message,created_time"), now)
        if edge == "" and node.kind == "video":
            m = synthetic.post_metrics(post, now)
            avail = {"id": node.obj_id, "title": post.title, "description": post.title,
                     "created_time": graph_time(post.published_at), "length": float(post.duration_seconds),
                     "permalink_url": f"/{post.account_id}/videos/{node.obj_id}/", "views": m.get("video_views", 0),
                     "post_id": post.post_id}
            return _select(avail, fields_spec or "id,description,updated_time", "Video", missing_ok=True)
        raise unsupported(node.obj_id)
    if node.kind == "ig_user":
        if edge in ("media", "stories"):
            fields = parse_fields(fields_spec or "id")
            items = synthetic.posts("instagram", node.obj_id, now, since=parse_time(params.get("since")),
                                    until=parse_time(params.get("until")))
            if edge == "media":
                items = [p for p in items if p.format != "story"]  # Stories are only on /stories
            else:
                items = [p for p in items if p.format == "story" and now - p.published_at < dt.timedelta(hours=24)]
            return paged_body(items, params, url, lambda p: render_ig_media(p, fields, now))
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
        raise unsupported(node.obj_id)
    if node.kind == "ig_media":
        post = _load_post(node, now)
        if edge == "insights":
            return ig_media_insights(post, metric_names(params), now, version)
        if edge == "comments":
            return _comments(post, params, url, now)
        if edge == "":
            return render_ig_media(post, parse_fields(fields_spec or "id"), now)
        raise unsupported(node.obj_id)
    raise unsupported(node.obj_id)


def _comments(post: SynthPost, params: QueryDict, url: str, now: dt.datetime) -> dict[str, Any]:
    try:
        return conversations.graph_comments(post, params, url, now, _with_params)
    except conversations.BadPage as e:
        raise GraphError(100, f"(#100) Invalid parameter: {e}") from e


def _linked_instagram(page_id: str) -> str:
    """The demo's Page ↔ Instagram links: Page 1048576000000NN goes with IG user 178414000000000NN."""
    if ("facebook", page_id) not in profiles.ACCOUNTS:
        return ""
    ig = "178414000000000" + page_id[-2:]
    return ig if ("instagram", ig) in profiles.ACCOUNTS else ""


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
    if request.method == "POST" and (not root or VERSION.fullmatch(root)):
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
