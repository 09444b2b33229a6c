"""Synthetic posts: each account's daily schedule, and post ids that carry their own publication time."""


from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from metrics.sandbox.profiles import ACCOUNTS, SEED_POSTS, SEEDS_BY_ID, AccountProfile, SeedPost
from metrics.sandbox.synthetic.accounts import (
    FORMAT_MIX,
    HASHTAGS,
    HISTORY_DAYS,
    MAX_PER_DAY,
    TOPICS,
    UTC,
    X_EPOCH_MS,
    bucket,
    hash_int,
    hash_unit,
    known_by_bucket,
    profile,
    profile_for_bucket,
    tz_offset,
)

# --- posts ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SynthPost:
    platform: str
    account_id: str  # "" when only the bucket is known (a lookup of an unknown account's post)
    post_id: str
    published_at: dt.datetime
    format: str  # campaigns.models.PostFormat value
    title: str
    language: str
    scale: float
    countries: dict[str, float] = field(default_factory=dict)
    duration_seconds: int = 0  # videos only
    seed_key: str = ""

    @property
    def sort_key(self) -> tuple[dt.datetime, str]:
        return (self.published_at, self.post_id)


@functools.lru_cache(maxsize=65536)
def _day_times(platform: str, b: int, day: dt.date, rate: float, tz: int) -> tuple[int, ...]:
    """Seconds since the UTC day's start at which the account posts that day, ascending."""
    n = int(rate * (0.4 + 1.2 * hash_unit("n", platform, b, day)) + hash_unit("n2", platform, b, day))
    n = min(n, MAX_PER_DAY)
    secs = set()
    for i in range(n):
        # Daytime in the audience's zone: 07:00–22:00 local, mapped to UTC within this UTC day.
        local = 7 * 3600 + int(hash_unit("t", platform, b, day, i) * 15 * 3600)
        s = (local - tz * 3600) % 86400
        while s in secs:
            s = (s + 1) % 86400
        secs.add(s)
    return tuple(sorted(secs))


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=UTC)


def _schedule_params(platform: str, b: int) -> tuple[float, int, AccountProfile]:
    p = profile_for_bucket(platform, b)
    return p.posts_per_day, tz_offset(p.countries), p


def _format_for(platform: str, b: int, ts: int) -> str:
    u = hash_unit("fmt", platform, b, ts)
    acc = 0.0
    for fmt, share in FORMAT_MIX[platform]:
        acc += share
        if u < acc:
            return fmt
    return FORMAT_MIX[platform][-1][0]


@functools.lru_cache(maxsize=131072)
def _day_posts(platform: str, account_id: str, day: dt.date) -> tuple[SynthPost, ...]:
    """All generated posts of the account on that UTC day (cached: listings reuse them)."""
    b = bucket(account_id)
    rate, tz, p = _schedule_params(platform, b)
    if (platform, account_id) in ACCOUNTS:
        p = ACCOUNTS[(platform, account_id)]
        rate, tz = p.posts_per_day, tz_offset(p.countries)
    base = int(_day_start(day).timestamp())
    return tuple(_make_post(platform, account_id, b, base + sec, rank, p)
                 for rank, sec in enumerate(_day_times(platform, b, day, rate, tz)))


def _make_post(platform: str, account_id: str, b: int, ts: int, rank: int, p: AccountProfile) -> SynthPost:
    fmt = _format_for(platform, b, ts)
    topic = TOPICS[hash_int("topic", platform, b, ts) % len(TOPICS)]
    tag = HASHTAGS[hash_int("tag", platform, b, ts) % len(HASHTAGS)]
    duration = 0
    if fmt in ("video", "live"):
        duration = 60 + hash_int("dur", ts, b) % (1800 if platform == "youtube" else 600)
    elif fmt == "short_video":
        duration = 8 + hash_int("dur", ts, b) % 52
    return SynthPost(
        platform=platform, account_id=account_id or p.platform_id,
        post_id=_encode_id(platform, account_id, b, ts, rank),
        published_at=dt.datetime.fromtimestamp(ts, UTC), format=fmt, title=f"{topic} {tag}",
        language="en", scale=1.0, countries=dict(p.countries), duration_seconds=duration,
    )


def _from_seed(s: SeedPost) -> SynthPost:
    p = profile(s.platform, s.account_id)
    duration = 0
    if s.format in ("video", "live"):
        duration = 180 + hash_int("dur", s.post_id) % 420
    elif s.format == "short_video":
        duration = 30
    return SynthPost(s.platform, s.account_id, s.post_id, s.published_at, s.format, s.title, s.language,
                     s.scale, dict(s.countries or p.countries), duration, s.key)


def posts(platform: str, account_id: str, now: dt.datetime, *, since: dt.datetime | None = None,
          until: dt.datetime | None = None) -> list[SynthPost]:
    """The account's posts published in [since, until] (default: the last ~6 months up to now), newest first."""
    end = min(until, now) if until else now
    start = max(since, now - dt.timedelta(days=HISTORY_DAYS)) if since else now - dt.timedelta(days=HISTORY_DAYS)
    lo, hi = start.timestamp(), end.timestamp()
    out: list[SynthPost] = []
    day = start.date()
    while day <= end.date():
        out.extend(p for p in _day_posts(platform, account_id, day) if lo <= p.published_at.timestamp() <= hi)
        day += dt.timedelta(days=1)
    for s in SEED_POSTS:
        # Seeds are served whatever their age, so the demo's planned posts always get metrics.
        if (s.platform == platform and s.account_id == account_id and s.published_at <= end
                and (since is None or s.published_at >= since)):
            out.append(_from_seed(s))
    out.sort(key=lambda sp: sp.sort_key, reverse=True)
    return out


# --- ids --------------------------------------------------------------------------------------

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _ms_frac(b: int, ts: int) -> int:
    return hash_int("ms", b, ts) % 1000


def _yt_check(ts: int, rank: int, b: int) -> int:
    return hash_int("ytcheck", ts, rank, b) & 0x3FFF


def _encode_id(platform: str, account_id: str, b: int, ts: int, rank: int) -> str:
    if platform == "facebook":
        return f"{account_id}_{ts}{rank:02d}"
    if platform == "instagram":
        return f"18{ts:010d}{rank:02d}{b:05d}"
    if platform == "x":
        ms = ts * 1000 + _ms_frac(b, ts)
        return str(((ms - X_EPOCH_MS) << 22) | (b << 6) | rank)
    # YouTube: 66 bits = 31 seconds | 5 rank | 16 bucket | 14 check.
    n = (ts << 35) | (rank << 30) | (b << 14) | _yt_check(ts, rank, b)
    return "".join(_B64[(n >> (6 * (10 - i))) & 63] for i in range(11))


def facebook_video_id(post: SynthPost) -> str:
    """The video object id of a Facebook video post (what /{video-id}/video_insights takes)."""
    if post.seed_key:
        # Seeded ids do not follow the generator's layout; "8…" keeps them apart from generated ones.
        return "8" + post.post_id.split("_")[1].rjust(14, "0")
    ts = int(post.published_at.timestamp())
    return f"7{ts:010d}{post.post_id[-2:]}{bucket(post.account_id):05d}"


def _decode_id(platform: str, post_id: str) -> tuple[str, int, int, int] | None:
    """(account_id or "", bucket, unix seconds, rank) encoded in a generated id, or None."""
    try:
        if platform == "facebook":
            m = re.fullmatch(r"([0-9]{1,20})_([0-9]{10})([0-9]{2})", post_id)
            if not m:
                return None
            return m.group(1), bucket(m.group(1)), int(m.group(2)), int(m.group(3))
        if platform == "instagram":
            m = re.fullmatch(r"18([0-9]{10})([0-9]{2})([0-9]{5})", post_id)
            if not m or int(m.group(3)) > 0xFFFF:
                return None
            return "", int(m.group(3)), int(m.group(1)), int(m.group(2))
        if platform == "x":
            if not re.fullmatch(r"[0-9]{1,20}", post_id):
                return None
            n = int(post_id)
            ms = (n >> 22) + X_EPOCH_MS
            b, rank = (n >> 6) & 0xFFFF, n & 63
            ts, frac = divmod(ms, 1000)
            if frac != _ms_frac(b, ts):
                return None
            return "", b, ts, rank
        if platform == "youtube":
            if len(post_id) != 11 or any(c not in _B64 for c in post_id):
                return None
            n = 0
            for c in post_id:
                n = (n << 6) | _B64.index(c)
            ts, rank, b, check = n >> 35, (n >> 30) & 31, (n >> 14) & 0xFFFF, n & 0x3FFF
            if check != _yt_check(ts, rank, b):
                return None
            return "", b, ts, rank
    except (ValueError, OverflowError):
        return None
    return None


@functools.lru_cache(maxsize=1)
def _seed_fb_videos() -> dict[str, SeedPost]:
    return {facebook_video_id(_from_seed(s)): s for s in SEED_POSTS
            if s.platform == "facebook" and s.format in ("video", "short_video")}


def _decode_fb_video(video_id: str) -> tuple[int, int, int] | None:
    m = re.fullmatch(r"7([0-9]{10})([0-9]{2})([0-9]{5})", video_id)
    if not m:
        return None
    return int(m.group(3)), int(m.group(1)), int(m.group(2))


def account_of_post(platform: str, post_id: str) -> tuple[str, int] | None:
    """(account id or "" if only its bucket is known, bucket) of a post id, without checking the schedule."""
    seed = SEEDS_BY_ID.get((platform, post_id)) or (_seed_fb_videos().get(post_id) if platform == "facebook" else None)
    if seed:
        return seed.account_id, bucket(seed.account_id)
    if platform == "facebook" and post_id.startswith("7"):
        video = _decode_fb_video(post_id)
        if video:
            b = video[0]
            known = known_by_bucket(platform).get(b)
            return (known.platform_id if known else ""), b
    dec = _decode_id(platform, post_id)
    if not dec:
        return None
    account_id, b, _, _ = dec
    if not account_id:
        known = known_by_bucket(platform).get(b)
        account_id = known.platform_id if known else ""
    return account_id, b


def post_by_id(platform: str, post_id: str, now: dt.datetime, *, account_hint: str = "") -> SynthPost | None:
    """The post with this id if the generator made it (or it is seeded) and it exists at `now`.

    For Instagram, X and YouTube the id carries only the account's bucket; `account_hint` (an
    account id known to the caller, e.g. from an earlier listing) fills in `account_id` when its
    bucket matches. Facebook video ids ("7…") resolve to their video post.
    """
    seed = SEEDS_BY_ID.get((platform, post_id)) or (_seed_fb_videos().get(post_id) if platform == "facebook" else None)
    if seed:
        return _from_seed(seed) if seed.published_at <= now else None
    if platform == "facebook" and re.fullmatch(r"7[0-9]{17}", post_id):
        dec_v = _decode_fb_video(post_id)
        if not dec_v:
            return None
        b, ts, rank = dec_v
        known = known_by_bucket(platform).get(b)
        account = known.platform_id if known else (account_hint if account_hint and bucket(account_hint) == b
                                                     else "")
        if not account:
            return None  # a Facebook post needs its page id to rebuild its id
        post = post_by_id(platform, f"{account}_{ts}{rank:02d}", now)
        return post if post and post.format in ("video", "short_video") else None
    dec = _decode_id(platform, post_id)
    if not dec:
        return None
    account_id, b, ts, rank = dec
    if ts > now.timestamp() or ts < now.timestamp() - (HISTORY_DAYS + 400) * 86400:
        return None
    if not account_id:
        known = known_by_bucket(platform).get(b)
        if known:
            account_id = known.platform_id
        elif account_hint and bucket(account_hint) == b:
            account_id = account_hint
    rate, tz, p = _schedule_params(platform, b)
    if account_id and (platform, account_id) in ACCOUNTS:
        p = ACCOUNTS[(platform, account_id)]
        rate, tz = p.posts_per_day, tz_offset(p.countries)
    published = dt.datetime.fromtimestamp(ts, UTC)
    times = _day_times(platform, b, published.date(), rate, tz)
    sec = ts - int(_day_start(published.date()).timestamp())
    if rank >= len(times) or times[rank] != sec:
        return None
    return _make_post(platform, account_id, b, ts, rank, p)


