"""Graph insights: post, video, IG media, IG user and Page metrics; retired names are refused as Graph does."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import QueryDict

from metrics.connectors.metric_registry import metric_refused
from metrics.sandbox import synthetic
from metrics.sandbox.graph.objects import IG_TYPES, GraphError, graph_time, parse_time, reactions_by_type
from metrics.sandbox.synthetic import SynthPost

# --- insights ---------------------------------------------------------------------------------

def refuse_retired(platform: str, edge: str, names: list[str], now: dt.datetime, version: str) -> None:
    """Graph fails the whole request on the first retired metric (#100), dated by the metric registry."""
    for name in names:
        metric = metric_refused(platform, edge, name, on=now.date(), version=version)
        if metric is None:
            continue
        if platform == "instagram" and metric.retired_from_version and metric.replaced_by == "views":
            raise GraphError(100, f"(#100) Starting from version {metric.retired_from_version} and above, the "
                                  f"{name} metric is no longer supported. Please use views instead.")
        if platform == "instagram" and metric.replaced_by:
            raise GraphError(100, f"(#100) metric[0] must be one of the following values: "
                                  f"{', '.join(_IG_BY_PRODUCT['FEED'])}")
        raise GraphError(100, "(#100) The value must be a valid insights metric")


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


def metric_names(params: QueryDict) -> list[str]:
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


def fb_post_insights(post: SynthPost, names: list[str], now: dt.datetime, version: str = "") -> dict[str, Any]:
    if post.format == "short_video":
        # Reels have no /insights edge; their figures come from /{video-id}/video_insights.
        raise GraphError(100, "(#100) Tried accessing nonexisting field (insights) on node type (Video)")
    m = synthetic.post_metrics(post, now)
    values: dict[str, Any] = {}
    refuse_retired("facebook", "insights", names, now, version)
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
            values[name] = {k: v for k, v in reactions_by_type(post, m["likes"]).items() if v}
        elif name.startswith("post_reactions_") and name.endswith("_total"):
            values[name] = reactions_by_type(post, m["likes"]).get(name[len("post_reactions_"):-len("_total")], 0)
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
    names = metric_names(params) if params.get("metric") else _VIDEO_DEFAULT + (
        ["blue_reels_play_count"] if post.format == "short_video" else [])
    for n in names:
        if n not in avail:
            raise GraphError(100, "(#100) The value must be a valid insights metric")
    return {"data": [_insight(video_id, n, avail[n], edge="video_insights") for n in names]}


def ig_media_insights(post: SynthPost, names: list[str], now: dt.datetime, version: str = "") -> dict[str, Any]:
    _, product = IG_TYPES.get(post.format, ("IMAGE", "FEED"))
    allowed = _IG_BY_PRODUCT[product]
    refuse_retired("instagram", "insights", names, now, version)
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
    names = metric_names(params)
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
            data.append(_insight(account_id, n, day_value, period="day", end_time=graph_time(now)))
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


def page_insights(page_id: str, params: QueryDict, now: dt.datetime, version: str = "") -> dict[str, Any]:
    names = metric_names(params)
    refuse_retired("facebook", "page_insights", names, now, version)
    period = params.get("period", "day")
    until = parse_time(params.get("until")) or now
    since = parse_time(params.get("since")) or until - dt.timedelta(days=2)
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
            values.append({"value": v, "end_time": graph_time(end)})
        data.append({"name": n, "period": period, "values": values, "title": n.replace("_", " ").title(),
                     "description": "Synthetic sandbox value.", "id": f"{page_id}/insights/{n}/{period}"})
    return {"data": data}

