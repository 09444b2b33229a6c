"""Synthetic accounts: the tables, the hashing every answer derives from, followers and audiences."""


from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math

from metrics.sandbox.profiles import ACCOUNTS, AccountProfile

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
FORMAT_MIX = {
    "facebook": [("image", 0.42), ("video", 0.15), ("link", 0.2), ("text", 0.1), ("short_video", 0.13)],
    "instagram": [("image", 0.3), ("carousel", 0.22), ("short_video", 0.33), ("story", 0.15)],
    "x": [("text", 0.45), ("image", 0.3), ("video", 0.15), ("link", 0.1)],
    "youtube": [("video", 0.62), ("short_video", 0.33), ("live", 0.05)],
}
# Expected lifetime views as a share of followers, per platform and format.
REACH = {
    "facebook": {"image": 0.06, "video": 0.12, "link": 0.04, "text": 0.03, "short_video": 0.2},
    "instagram": {"image": 0.22, "carousel": 0.28, "short_video": 0.6, "story": 0.08},
    "x": {"text": 0.05, "image": 0.08, "video": 0.12, "link": 0.04},
    "youtube": {"video": 0.08, "short_video": 0.25, "live": 0.05},
}
# Hours of the fast and the slow component of the growth curve.
TAU = {"facebook": (6.0, 200.0), "instagram": (8.0, 240.0), "x": (2.5, 120.0), "youtube": (20.0, 600.0)}

TOPICS = [
    "Ambassador meets youth delegates", "Cultural week opens", "Scholarship applications now open",
    "Trade mission visits partner city", "Humanitarian aid arrives", "Film night at the embassy",
    "Open day this Saturday", "Minister's remarks at the forum", "Sister-city anniversary",
    "Tech innovation showcase", "Food festival highlights", "Climate partnership signed",
    "Visa services update", "Behind the scenes at the consulate", "Q&A with our consul",
    "Language exchange meetup", "Health cooperation briefing", "Music across borders",
]
HASHTAGS = ["#DiplomacyWeek", "#PublicDiplomacy", "#CultureConnects", "#TaiwanCanHelp", "#SDGs", "#OpenDay"]


# --- hashing helpers --------------------------------------------------------------------------

def hash_int(*parts: object) -> int:
    data = "|".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def hash_unit(*parts: object) -> float:
    """A uniform number in [0, 1) from the parts."""
    return hash_int(*parts) / 2**64


def lognormal(sigma: float, *parts: object) -> float:
    # Box-Muller from two hashed uniforms; mean-one-ish multiplier.
    u1 = max(hash_unit("ln1", *parts), 1e-12)
    u2 = hash_unit("ln2", *parts)
    z = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
    return math.exp(sigma * z - sigma * sigma / 2)


def bucket(account_id: str) -> int:
    """The 16-bit hash of an account id that post ids carry."""
    return hash_int("bucket", account_id) & 0xFFFF


# --- accounts ---------------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def known_by_bucket(platform: str) -> dict[int, AccountProfile]:
    return {bucket(p.platform_id): p for (plat, _), p in ACCOUNTS.items() if plat == platform}


def profile(platform: str, account_id: str) -> AccountProfile:
    """The account's profile: from profiles.ACCOUNTS, else synthesized from the id."""
    known = ACCOUNTS.get((platform, account_id))
    if known:
        return known
    return _default_profile(platform, account_id, bucket(account_id))


def profile_for_bucket(platform: str, b: int) -> AccountProfile:
    known = known_by_bucket(platform).get(b)
    return known or _default_profile(platform, "", b)


def _default_profile(platform: str, account_id: str, b: int) -> AccountProfile:
    # Everything depends on the bucket only, so a post id (which carries the bucket) suffices.
    followers = int(math.exp(math.log(800) + hash_unit("followers", platform, b) * (math.log(250_000) - math.log(800))))
    rate = _DEFAULT_RATE[platform] * (0.5 + hash_unit("rate", platform, b))
    picks = sorted(_OTHER_COUNTRIES, key=lambda c: hash_int("ctry", platform, b, c))[:4]
    weights = [0.4, 0.2, 0.1, 0.05]
    return AccountProfile(platform, account_id, f"account{b}", followers, round(rate, 2),
                          dict(zip(picks, weights, strict=True)))


def tz_offset(countries: dict[str, float]) -> int:
    if not countries:
        return 0
    top = max(countries.items(), key=lambda kv: kv[1])[0]
    return _TZ.get(top, 0)


def followers(platform: str, account_id: str, now: dt.datetime) -> int:
    """Follower (subscriber) count at `now`: the profile's figure growing slowly, never shrinking."""
    p = profile(platform, account_id)
    growth = 0.0002 + 0.0008 * hash_unit("growth", platform, account_id)  # per day
    days = (now - REFERENCE_DATE).total_seconds() / 86400
    return max(1, int(p.followers * math.exp(growth * days)))


def audience_countries(platform: str, account_id: str, now: dt.datetime) -> dict[str, int]:
    """Followers by ISO country code: the profile's mix, the rest over other countries."""
    p = profile(platform, account_id)
    return split_by_shares(followers(platform, account_id, now), p.countries, (platform, account_id))


def split_by_shares(total: int, shares: dict[str, float], salt: object) -> dict[str, int]:
    mix = dict(shares)
    rest = max(0.0, 1.0 - sum(mix.values()))
    others = [c for c in _OTHER_COUNTRIES if c not in mix]
    others.sort(key=lambda c: hash_int("other", salt, c))
    # The remainder decays over the other countries (largest first), like a real long tail.
    tail = [0.5 ** (i + 1) for i in range(6)]
    for c, w in zip(others, tail, strict=False):
        mix[c] = rest * w / sum(tail)
    return {c: int(total * s) for c, s in sorted(mix.items(), key=lambda kv: -kv[1]) if int(total * s) > 0}


