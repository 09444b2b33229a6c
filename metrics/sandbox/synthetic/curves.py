"""Synthetic metrics: each post's saturating curve over its age, country views, ids and tokens."""


from __future__ import annotations

import base64
import datetime as dt
import math

from metrics.sandbox.profiles import ACCOUNTS
from metrics.sandbox.synthetic.accounts import (
    REACH,
    TAU,
    UTC,
    hash_unit,
    lognormal,
    profile,
    profile_for_bucket,
    split_by_shares,
    tz_offset,
)
from metrics.sandbox.synthetic.posts import SynthPost, account_of_post

# --- metrics ----------------------------------------------------------------------------------

def lifetime_share(post: SynthPost, now: dt.datetime) -> float:
    """Share of the post's lifetime total reached at `now`: 0 at publication, →1, never decreasing."""
    age_h = (now - post.published_at).total_seconds() / 3600
    if age_h <= 0:
        return 0.0
    # Day-night rhythm: warp time so it runs faster in the audience's daytime (derivative ≥ 0.45).
    tz = tz_offset(post.countries)
    omega = 2 * math.pi / 24

    def phase(t: dt.datetime) -> float:
        hours = t.timestamp() / 3600 + tz
        return math.sin(omega * hours - math.pi / 2 - omega * 9)  # peaks mid-afternoon local

    amp = 0.55 / omega
    warped = age_h + amp * (phase(now) - phase(post.published_at))
    warped = max(warped, 0.0)
    fast, slow = TAU[post.platform]
    return 0.72 * (1 - math.exp(-warped / fast)) + 0.28 * (1 - math.exp(-warped / slow))


def _lifetime_views(post: SynthPost) -> float:
    if post.account_id:
        p = profile(post.platform, post.account_id)
    else:  # a bucket-only lookup: the default profile depends on the bucket alone
        owner = account_of_post(post.platform, post.post_id)
        p = profile_for_bucket(post.platform, owner[1] if owner else 0)
    reach = REACH[post.platform].get(post.format, 0.05)
    mult = lognormal(0.6, "views", post.platform, post.post_id)
    if hash_unit("takeoff", post.platform, post.post_id) < 0.04:  # some posts take off
        mult *= 5 + 20 * hash_unit("takeoff-size", post.post_id)
    return p.followers * reach * mult * post.scale


def _rate(name: str, post: SynthPost, lo: float, hi: float) -> float:
    return lo + (hi - lo) * hash_unit("rate", name, post.platform, post.post_id)


def post_metrics(post: SynthPost, now: dt.datetime) -> dict[str, int]:
    """Cumulative metrics of the post at `now` (platform-neutral names; absent = not applicable).

    Keys: views, reach, likes, comments, shares, quotes, saves, clicks, profile_clicks,
    video_views, watch_seconds, follows, replies (X replies are `comments`).
    """
    f = lifetime_share(post, now)
    total = _lifetime_views(post)
    views = total * f
    likes_rate = {"facebook": (0.015, 0.05), "instagram": (0.03, 0.09), "x": (0.008, 0.03),
                  "youtube": (0.02, 0.05)}[post.platform]
    m: dict[str, int] = {
        "views": int(views),
        "reach": int(views * _rate("reach", post, 0.55, 0.85)),
        "likes": int(views * _rate("likes", post, *likes_rate)),
        "comments": int(views * _rate("comments", post, 0.0005, 0.005)),
        "shares": int(views * _rate("shares", post, 0.0005, 0.008)),
    }
    if post.platform == "x":
        m["quotes"] = int(views * _rate("quotes", post, 0.0001, 0.001))
        m["saves"] = int(views * _rate("saves", post, 0.0005, 0.003))
        m["clicks"] = int(views * _rate("clicks", post, 0.002, 0.01 if post.format == "link" else 0.004))
        m["profile_clicks"] = int(views * _rate("profile", post, 0.0005, 0.002))
    if post.platform == "instagram":
        m["saves"] = int(views * _rate("saves", post, 0.002, 0.012))
        m["follows"] = int(views * _rate("follows", post, 0.0001, 0.001))
        m["profile_visits"] = int(views * _rate("visits", post, 0.002, 0.01))
    if post.platform == "facebook":
        m["clicks"] = int(views * _rate("clicks", post, 0.004, 0.03 if post.format == "link" else 0.01))
    if post.duration_seconds:
        m["video_views"] = int(views * (1.0 if post.platform == "youtube" else _rate("vv", post, 0.4, 0.8)))
        avg = post.duration_seconds * _rate("avgpct", post, 0.25, 0.65)
        m["watch_seconds"] = int(m["video_views"] * avg)
    return m


def average_view_seconds(post: SynthPost) -> float:
    """Average view duration of a video post (constant over its life)."""
    return post.duration_seconds * _rate("avgpct", post, 0.25, 0.65)


def post_country_views(post: SynthPost, now: dt.datetime) -> dict[str, int]:
    """The post's views at `now` split by viewer country (the post's or its account's mix)."""
    return split_by_shares(post_metrics(post, now)["views"], post.countries, post.post_id)


def country_shares(post: SynthPost) -> dict[str, float]:
    """Share of the post's viewers by country (sums to about 1)."""
    parts = split_by_shares(1_000_000, post.countries, post.post_id)
    total = sum(parts.values()) or 1
    return {c: n / total for c, n in parts.items()}


def youtube_hidden_counts(post: SynthPost) -> list[str]:
    """statistics keys YouTube leaves out for this video (likes hidden, comments off); never for seeds."""
    if post.seed_key:
        return []
    hidden = []
    if hash_unit("hide-likes", post.post_id) < 0.04:
        hidden.append("likeCount")
    if hash_unit("no-comments", post.post_id) < 0.03:
        hidden.append("commentCount")
    return hidden


def iso8601_duration(seconds: int) -> str:
    """YouTube's contentDetails.duration form, e.g. PT4M13S; P0D for none."""
    if seconds <= 0:
        return "P0D"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s else "")
    return out


def x_user_id_for_username(username: str) -> str | None:
    """The known X account with this handle, if any."""
    for (plat, pid), p in ACCOUNTS.items():
        if plat == "x" and p.handle.lower() == username.lower():
            return pid
    return None


def youtube_uploads_playlist(channel_id: str) -> str:
    return "UU" + channel_id[2:] if channel_id.startswith("UC") else "UU" + channel_id


def youtube_channel_of_playlist(playlist_id: str) -> str | None:
    return "UC" + playlist_id[2:] if playlist_id.startswith("UU") and len(playlist_id) > 2 else None


def encode_token(post: SynthPost) -> str:
    """An opaque paging cursor positioned at this post."""
    raw = f"{int(post.published_at.timestamp())}:{post.post_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> tuple[dt.datetime, str] | None:
    """(published_at, post_id) of a cursor from encode_token, or None if it is not one."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        ts, post_id = raw.split(":", 1)
        return dt.datetime.fromtimestamp(int(ts), UTC), post_id
    except (ValueError, UnicodeDecodeError, OverflowError, OSError):
        return None
