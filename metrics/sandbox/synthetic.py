"""Deterministic synthetic posts, metrics, followers and audiences for any platform account.

Pure functions, no database: the same account id (or post id) and the same `now` always give the
same answer. Everything a lookup needs is recomputable from the post id alone:

- Each account posts on a per-UTC-day schedule derived from a hash of (platform, account bucket,
  day), about `posts_per_day` a day at daytime hours of its audience.
- The *bucket* is a 16-bit hash of the account id. Post ids carry the publication time, the
  post's rank that day and the bucket, so a lookup recomputes the day's schedule and checks the
  post is really on it (random ids are not found). Facebook ids carry the whole page id.
  Id layouts: Facebook "{page}_{unixseconds}{rank:02}", Facebook video "7{unixseconds}{rank:02}
  {bucket:05}", Instagram media "18{unixseconds}{rank:02}{bucket:05}", X snowflake
  ((ms - epoch) << 22 | bucket << 6 | rank), YouTube 11 url-safe base64 characters packing
  seconds, rank, bucket and a check value.
- Metrics are a post's final total times a saturating curve of its age (fast first day, long
  tail), with time warped by a day-night rhythm so counts rise faster during the audience's day;
  a few posts "take off" with a large multiplier. The curve never decreases.
- Accounts in profiles.ACCOUNTS use their profile; SEED_POSTS appear among their account's posts.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import math
import re
from dataclasses import dataclass, field

from metrics.sandbox.profiles import ACCOUNTS, SEED_POSTS, SEEDS_BY_ID, AccountProfile, SeedPost

UTC = dt.UTC
PLATFORMS = ("facebook", "instagram", "x", "youtube")
HISTORY_DAYS = 183  # how far back the synthetic schedule reaches (~6 months)
REFERENCE_DATE = dt.datetime(2026, 11, 1, tzinfo=UTC)  # profiles' follower counts hold here
X_EPOCH_MS = 1288834974657  # Twitter snowflake epoch
MAX_PER_DAY = 30

# Rough UTC offsets of audiences, to put posts and the day-night rhythm at their daytime.
_TZ = {"TW": 8, "JP": 9, "KR": 9, "VN": 7, "PH": 8, "HK": 8, "US": -5, "GB": 0, "AU": 10, "FR": 1,
       "DE": 1, "KW": 3, "SA": 3, "AE": 4, "EG": 2, "PT": 0, "BR": -3, "IN": 5}
_OTHER_COUNTRIES = ["US", "GB", "DE", "FR", "JP", "CA", "AU", "IN", "BR", "ID", "MY", "TH", "SG", "NL", "ES"]
_DEFAULT_RATE = {"facebook": 2.0, "instagram": 1.2, "x": 2.5, "youtube": 0.4}

# Share of each format in an account's output, per platform (values are PostFormat values).
_FORMAT_MIX = {
    "facebook": [("image", 0.42), ("video", 0.15), ("link", 0.2), ("text", 0.1), ("short_video", 0.13)],
    "instagram": [("image", 0.3), ("carousel", 0.22), ("short_video", 0.33), ("story", 0.15)],
    "x": [("text", 0.45), ("image", 0.3), ("video", 0.15), ("link", 0.1)],
    "youtube": [("video", 0.62), ("short_video", 0.33), ("live", 0.05)],
}
# Expected lifetime views as a share of followers, per platform and format.
_REACH = {
    "facebook": {"image": 0.06, "video": 0.12, "link": 0.04, "text": 0.03, "short_video": 0.2},
    "instagram": {"image": 0.22, "carousel": 0.28, "short_video": 0.6, "story": 0.08},
    "x": {"text": 0.05, "image": 0.08, "video": 0.12, "link": 0.04},
    "youtube": {"video": 0.08, "short_video": 0.25, "live": 0.05},
}
# Hours of the fast and the slow component of the growth curve.
_TAU = {"facebook": (6.0, 200.0), "instagram": (8.0, 240.0), "x": (2.5, 120.0), "youtube": (20.0, 600.0)}

_TOPICS = [
    "Ambassador meets youth delegates", "Cultural week opens", "Scholarship applications now open",
    "Trade mission visits partner city", "Humanitarian aid arrives", "Film night at the embassy",
    "Open day this Saturday", "Minister's remarks at the forum", "Sister-city anniversary",
    "Tech innovation showcase", "Food festival highlights", "Climate partnership signed",
    "Visa services update", "Behind the scenes at the consulate", "Q&A with our consul",
    "Language exchange meetup", "Health cooperation briefing", "Music across borders",
]
_HASHTAGS = ["#DiplomacyWeek", "#PublicDiplomacy", "#CultureConnects", "#TaiwanCanHelp", "#SDGs", "#OpenDay"]


# --- hashing helpers --------------------------------------------------------------------------

def _h(*parts: object) -> int:
    data = "|".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def _u(*parts: object) -> float:
    """A uniform number in [0, 1) from the parts."""
    return _h(*parts) / 2**64


def _lognormal(sigma: float, *parts: object) -> float:
    # Box-Muller from two hashed uniforms; mean-one-ish multiplier.
    u1 = max(_u("ln1", *parts), 1e-12)
    u2 = _u("ln2", *parts)
    z = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
    return math.exp(sigma * z - sigma * sigma / 2)


def bucket(account_id: str) -> int:
    """The 16-bit hash of an account id that post ids carry."""
    return _h("bucket", account_id) & 0xFFFF


# --- accounts ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _known_by_bucket(platform: str) -> dict[int, AccountProfile]:
    return {bucket(p.platform_id): p for (plat, _), p in ACCOUNTS.items() if plat == platform}


def profile(platform: str, account_id: str) -> AccountProfile:
    """The account's profile: from profiles.ACCOUNTS, else synthesized from the id."""
    known = ACCOUNTS.get((platform, account_id))
    if known:
        return known
    return _default_profile(platform, account_id, bucket(account_id))


def _profile_for_bucket(platform: str, b: int) -> AccountProfile:
    known = _known_by_bucket(platform).get(b)
    return known or _default_profile(platform, "", b)


def _default_profile(platform: str, account_id: str, b: int) -> AccountProfile:
    # Everything depends on the bucket only, so a post id (which carries the bucket) suffices.
    followers = int(math.exp(math.log(800) + _u("followers", platform, b) * (math.log(250_000) - math.log(800))))
    rate = _DEFAULT_RATE[platform] * (0.5 + _u("rate", platform, b))
    picks = sorted(_OTHER_COUNTRIES, key=lambda c: _h("ctry", platform, b, c))[:4]
    weights = [0.4, 0.2, 0.1, 0.05]
    return AccountProfile(platform, account_id, f"account{b}", followers, round(rate, 2),
                          dict(zip(picks, weights, strict=True)))


def _tz_offset(countries: dict[str, float]) -> int:
    if not countries:
        return 0
    top = max(countries.items(), key=lambda kv: kv[1])[0]
    return _TZ.get(top, 0)


def followers(platform: str, account_id: str, now: dt.datetime) -> int:
    """Follower (subscriber) count at `now`: the profile's figure growing slowly, never shrinking."""
    p = profile(platform, account_id)
    growth = 0.0002 + 0.0008 * _u("growth", platform, account_id)  # per day
    days = (now - REFERENCE_DATE).total_seconds() / 86400
    return max(1, int(p.followers * math.exp(growth * days)))


def audience_countries(platform: str, account_id: str, now: dt.datetime) -> dict[str, int]:
    """Followers by ISO country code: the profile's mix, the rest over other countries."""
    p = profile(platform, account_id)
    return _split(followers(platform, account_id, now), p.countries, (platform, account_id))


def _split(total: int, shares: dict[str, float], salt: object) -> dict[str, int]:
    mix = dict(shares)
    rest = max(0.0, 1.0 - sum(mix.values()))
    others = [c for c in _OTHER_COUNTRIES if c not in mix]
    others.sort(key=lambda c: _h("other", salt, c))
    # The remainder decays over the other countries (largest first), like a real long tail.
    tail = [0.5 ** (i + 1) for i in range(6)]
    for c, w in zip(others, tail, strict=False):
        mix[c] = rest * w / sum(tail)
    return {c: int(total * s) for c, s in sorted(mix.items(), key=lambda kv: -kv[1]) if int(total * s) > 0}


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
    n = int(rate * (0.4 + 1.2 * _u("n", platform, b, day)) + _u("n2", platform, b, day))
    n = min(n, MAX_PER_DAY)
    secs = set()
    for i in range(n):
        # Daytime in the audience's zone: 07:00–22:00 local, mapped to UTC within this UTC day.
        local = 7 * 3600 + int(_u("t", platform, b, day, i) * 15 * 3600)
        s = (local - tz * 3600) % 86400
        while s in secs:
            s = (s + 1) % 86400
        secs.add(s)
    return tuple(sorted(secs))


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=UTC)


def _schedule_params(platform: str, b: int) -> tuple[float, int, AccountProfile]:
    p = _profile_for_bucket(platform, b)
    return p.posts_per_day, _tz_offset(p.countries), p


def _format_for(platform: str, b: int, ts: int) -> str:
    u = _u("fmt", platform, b, ts)
    acc = 0.0
    for fmt, share in _FORMAT_MIX[platform]:
        acc += share
        if u < acc:
            return fmt
    return _FORMAT_MIX[platform][-1][0]


@functools.lru_cache(maxsize=131072)
def _day_posts(platform: str, account_id: str, day: dt.date) -> tuple[SynthPost, ...]:
    """All generated posts of the account on that UTC day (cached: listings reuse them)."""
    b = bucket(account_id)
    rate, tz, p = _schedule_params(platform, b)
    if (platform, account_id) in ACCOUNTS:
        p = ACCOUNTS[(platform, account_id)]
        rate, tz = p.posts_per_day, _tz_offset(p.countries)
    base = int(_day_start(day).timestamp())
    return tuple(_make_post(platform, account_id, b, base + sec, rank, p)
                 for rank, sec in enumerate(_day_times(platform, b, day, rate, tz)))


def _make_post(platform: str, account_id: str, b: int, ts: int, rank: int, p: AccountProfile) -> SynthPost:
    fmt = _format_for(platform, b, ts)
    topic = _TOPICS[_h("topic", platform, b, ts) % len(_TOPICS)]
    tag = _HASHTAGS[_h("tag", platform, b, ts) % len(_HASHTAGS)]
    duration = 0
    if fmt in ("video", "live"):
        duration = 60 + _h("dur", ts, b) % (1800 if platform == "youtube" else 600)
    elif fmt == "short_video":
        duration = 8 + _h("dur", ts, b) % 52
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
        duration = 180 + _h("dur", s.post_id) % 420
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
    return _h("ms", b, ts) % 1000


def _yt_check(ts: int, rank: int, b: int) -> int:
    return _h("ytcheck", ts, rank, b) & 0x3FFF


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
            known = _known_by_bucket(platform).get(b)
            return (known.platform_id if known else ""), b
    dec = _decode_id(platform, post_id)
    if not dec:
        return None
    account_id, b, _, _ = dec
    if not account_id:
        known = _known_by_bucket(platform).get(b)
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
        known = _known_by_bucket(platform).get(b)
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
        known = _known_by_bucket(platform).get(b)
        if known:
            account_id = known.platform_id
        elif account_hint and bucket(account_hint) == b:
            account_id = account_hint
    rate, tz, p = _schedule_params(platform, b)
    if account_id and (platform, account_id) in ACCOUNTS:
        p = ACCOUNTS[(platform, account_id)]
        rate, tz = p.posts_per_day, _tz_offset(p.countries)
    published = dt.datetime.fromtimestamp(ts, UTC)
    times = _day_times(platform, b, published.date(), rate, tz)
    sec = ts - int(_day_start(published.date()).timestamp())
    if rank >= len(times) or times[rank] != sec:
        return None
    return _make_post(platform, account_id, b, ts, rank, p)


# --- metrics ----------------------------------------------------------------------------------

def _curve(post: SynthPost, now: dt.datetime) -> float:
    """Share of the post's lifetime total reached at `now`: 0 at publication, →1, never decreasing."""
    age_h = (now - post.published_at).total_seconds() / 3600
    if age_h <= 0:
        return 0.0
    # Day-night rhythm: warp time so it runs faster in the audience's daytime (derivative ≥ 0.45).
    tz = _tz_offset(post.countries)
    omega = 2 * math.pi / 24

    def phase(t: dt.datetime) -> float:
        hours = t.timestamp() / 3600 + tz
        return math.sin(omega * hours - math.pi / 2 - omega * 9)  # peaks mid-afternoon local

    amp = 0.55 / omega
    warped = age_h + amp * (phase(now) - phase(post.published_at))
    warped = max(warped, 0.0)
    fast, slow = _TAU[post.platform]
    return 0.72 * (1 - math.exp(-warped / fast)) + 0.28 * (1 - math.exp(-warped / slow))


def _lifetime_views(post: SynthPost) -> float:
    if post.account_id:
        p = profile(post.platform, post.account_id)
    else:  # a bucket-only lookup: the default profile depends on the bucket alone
        owner = account_of_post(post.platform, post.post_id)
        p = _profile_for_bucket(post.platform, owner[1] if owner else 0)
    reach = _REACH[post.platform].get(post.format, 0.05)
    mult = _lognormal(0.6, "views", post.platform, post.post_id)
    if _u("takeoff", post.platform, post.post_id) < 0.04:  # some posts take off
        mult *= 5 + 20 * _u("takeoff-size", post.post_id)
    return p.followers * reach * mult * post.scale


def _rate(name: str, post: SynthPost, lo: float, hi: float) -> float:
    return lo + (hi - lo) * _u("rate", name, post.platform, post.post_id)


def post_metrics(post: SynthPost, now: dt.datetime) -> dict[str, int]:
    """Cumulative metrics of the post at `now` (platform-neutral names; absent = not applicable).

    Keys: views, reach, likes, comments, shares, quotes, saves, clicks, profile_clicks,
    video_views, watch_seconds, follows, replies (X replies are `comments`).
    """
    f = _curve(post, now)
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
    return _split(post_metrics(post, now)["views"], post.countries, post.post_id)


def country_shares(post: SynthPost) -> dict[str, float]:
    """Share of the post's viewers by country (sums to about 1)."""
    parts = _split(1_000_000, post.countries, post.post_id)
    total = sum(parts.values()) or 1
    return {c: n / total for c, n in parts.items()}


def youtube_hidden_counts(post: SynthPost) -> list[str]:
    """statistics keys YouTube leaves out for this video (likes hidden, comments off); never for seeds."""
    if post.seed_key:
        return []
    hidden = []
    if _u("hide-likes", post.post_id) < 0.04:
        hidden.append("likeCount")
    if _u("no-comments", post.post_id) < 0.03:
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
