"""Who the sandbox knows: account profiles and seeded posts, shared with the demo loader.

The sandbox synthesizes posts and metrics for *any* account id deterministically. Accounts listed
here get a profile (audience size, country mix), and the seeded posts are served among the
synthetic ones with the publication time, format and scale given here, so the demo's planned posts
(created by `manage.py load_demo` with these very ids) receive their metrics through the real
ingestion path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

UTC = dt.UTC


@dataclass(frozen=True)
class AccountProfile:
    platform: str  # facebook | instagram | x | youtube
    platform_id: str
    handle: str
    followers: int  # at the profile's reference date; the sandbox grows it slowly over time
    posts_per_day: float  # average synthetic posts a day
    # Share of the audience by ISO country code; the rest is spread over other countries.
    countries: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SeedPost:
    key: str  # the demo loader's handle for this post
    platform: str
    account_id: str
    post_id: str
    published_at: dt.datetime
    format: str  # campaigns.models.PostFormat value
    title: str
    language: str
    scale: float = 1.0  # multiplies the synthetic curve: 1.0 is a typical post of this account
    countries: dict[str, float] = field(default_factory=dict)  # overrides the account's mix


ACCOUNTS: dict[tuple[str, str], AccountProfile] = {
    (a.platform, a.platform_id): a
    for a in [
        # Ministry (Department of Information Services)
        AccountProfile("facebook", "104857600000001", "MOFA.Taiwan.demo", 420_000, 3.0,
                       {"TW": 0.55, "US": 0.12, "JP": 0.06, "VN": 0.04, "PH": 0.04}),
        AccountProfile("instagram", "17841400000000001", "taiwan.stories.demo", 180_000, 1.2,
                       {"TW": 0.40, "US": 0.15, "JP": 0.10, "KW": 0.03, "FR": 0.04}),
        AccountProfile("x", "1300000000000000001", "MOFA_Taiwan_demo", 260_000, 4.0,
                       {"US": 0.35, "TW": 0.20, "GB": 0.08, "JP": 0.07, "AU": 0.05}),
        AccountProfile("youtube", "UCtrendingTaiwanDemo00001", "TrendingTaiwanDemo", 310_000, 0.4,
                       {"TW": 0.30, "US": 0.15, "VN": 0.10, "JP": 0.08, "PH": 0.06}),
        # A foreign mission's press section in Taipei
        AccountProfile("facebook", "104857600000002", "mission.press.taipei.demo", 95_000, 1.5,
                       {"TW": 0.78, "US": 0.10, "HK": 0.03}),
        AccountProfile("x", "1300000000000000002", "MissionTaipei_demo", 41_000, 2.0,
                       {"TW": 0.55, "US": 0.30}),
        # City government: international-affairs office
        AccountProfile("facebook", "104857600000003", "city.intl.office.demo", 38_000, 1.0,
                       {"TW": 0.70, "US": 0.08, "JP": 0.08, "KR": 0.03}),
        AccountProfile("instagram", "17841400000000003", "city.sister.cities.demo", 22_000, 0.6,
                       {"TW": 0.62, "JP": 0.12, "US": 0.09}),
        # Influencer: a Kuwaiti food-and-travel creator
        AccountProfile("instagram", "17841400000000009", "noura.tastes.demo", 640_000, 0.8,
                       {"KW": 0.38, "SA": 0.20, "AE": 0.12, "EG": 0.08}),
        AccountProfile("youtube", "UCnouraTastesDemo0000009", "NouraTastesDemo", 520_000, 0.2,
                       {"KW": 0.30, "SA": 0.25, "AE": 0.10, "EG": 0.10}),
    ]
}


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


SEED_POSTS: list[SeedPost] = [
    # WHA 2026: "Health for all — Taiwan can help", the short film and its variants.
    SeedPost("wha_film", "youtube", "UCtrendingTaiwanDemo00001", "tcHperfPair", _at(2026, 5, 12, 10, 0),
             "video", "A Perfect Pair — Health for all, Taiwan can help", "en", scale=60.0,
             countries={"VN": 0.10, "TW": 0.22, "US": 0.14, "JP": 0.07, "PH": 0.06}),
    SeedPost("wha_film_fb", "facebook", "104857600000001", "104857600000001_5001", _at(2026, 5, 12, 11, 0),
             "video", "A Perfect Pair (Facebook cut)", "en", scale=8.0),
    SeedPost("wha_film_x", "x", "1300000000000000001", "1790000000000005001", _at(2026, 5, 12, 12, 0),
             "video", "#TaiwanCanHelp — A Perfect Pair", "en", scale=5.0),
    SeedPost("wha_reel", "instagram", "17841400000000001", "17950000000005001", _at(2026, 5, 13, 9, 0),
             "short_video", "A Perfect Pair — 30-second reel", "en", scale=6.0),
    SeedPost("wha_film_vi", "facebook", "104857600000001", "104857600000001_5002", _at(2026, 5, 14, 11, 0),
             "video", "Cặp đôi hoàn hảo (Vietnamese subtitles)", "vi", scale=4.0,
             countries={"VN": 0.62, "TW": 0.20}),
    # An SDG a Day, translated into Arabic by the influencer.
    SeedPost("sdg_en", "youtube", "UCtrendingTaiwanDemo00001", "sdgAday0001", _at(2026, 9, 1, 8, 0),
             "video", "An SDG a Day", "en", scale=3.0),
    SeedPost("sdg_ar", "youtube", "UCnouraTastesDemo0000009", "sdgAdayAr01", _at(2026, 9, 20, 16, 0),
             "video", "هدف في اليوم — An SDG a Day (Arabic)", "ar", scale=14.0,
             countries={"KW": 0.35, "SA": 0.25, "AE": 0.12, "EG": 0.10}),
    SeedPost("sdg_national_day", "facebook", "104857600000001", "104857600000001_6010", _at(2026, 10, 10, 2, 0),
             "image", "國慶日 SDG 特輯", "zh-Hant", scale=1.5),
    SeedPost("custard_apple", "instagram", "17841400000000009", "17950000000009001", _at(2026, 8, 30, 17, 0),
             "short_video", "Taiwanese custard apples in Kuwait City", "ar", scale=3.0),
    # The mission's weekly "Relations Act stories" series, already published this autumn.
    *[
        SeedPost(f"tra_story_{n}", "facebook", "104857600000002", f"104857600000002_70{n:02d}",
                 _at(2026, 10, 1, 1, 0) + dt.timedelta(weeks=n - 1), "image" if n % 3 else "video",
                 f"Relations Act stories, week {n}", "zh-Hant" if n % 2 else "en",
                 scale=1.0 + (2.5 if n == 3 else 0.0))
        for n in range(1, 9)
    ],
    SeedPost("tra_x_thread", "x", "1300000000000000002", "1790000000000007001", _at(2026, 10, 10, 2, 0),
             "text", "Why the Relations Act still matters, in 5 posts", "en", scale=1.5),
    # The city office's sister-city campaign.
    SeedPost("sister_welcome", "facebook", "104857600000003", "104857600000003_8001", _at(2026, 9, 15, 4, 0),
             "image", "Welcoming the mayor of our sister city", "zh-Hant", scale=1.2),
    SeedPost("sister_reel", "instagram", "17841400000000003", "17950000000008001", _at(2026, 10, 20, 10, 0),
             "short_video", "Students from both cities cook together", "en", scale=2.5,
             countries={"TW": 0.5, "JP": 0.2, "US": 0.15}),
    SeedPost("sister_live", "facebook", "104857600000003", "104857600000003_8002", _at(2026, 11, 12, 11, 0),
             "live", "Live Q&A with exchange students", "en", scale=1.8),
]

SEEDS_BY_ID: dict[tuple[str, str], SeedPost] = {(s.platform, s.post_id): s for s in SEED_POSTS}


def seed(key: str) -> SeedPost:
    return next(s for s in SEED_POSTS if s.key == key)


# --- Notable accounts (invented) that amplify the demo's posts ------------------------------------------------


@dataclass(frozen=True)
class NotableUser:
    platform: str
    user_id: str
    username: str
    name: str
    kind: str  # campaigns.models.NotableAccount.Kind value
    country: str


@dataclass(frozen=True)
class SeedAmplification:
    post_key: str  # a SeedPost key; X only: the sandbox answers retweeted_by and quote_tweets with these
    user_id: str
    kind: str  # "reshare" | "quote"
    at: dt.datetime
    quote_id: str = ""  # the quote's own post id


NOTABLE_USERS: list[NotableUser] = [
    NotableUser("x", "1400000000000000101", "EAP_Bureau_demo", "Bureau of East Asian and Pacific Affairs (demo)",
                "ministry", "US"),
    NotableUser("x", "1400000000000000102", "HealthNewsJP_demo", "Japan Health News Desk (demo)", "media", "JP"),
    NotableUser("x", "1400000000000000103", "GlobalHealthNGO_demo", "Global Health Access Coalition (demo)",
                "ngo", "CH"),
]
NOTABLE_BY_ID: dict[tuple[str, str], NotableUser] = {(n.platform, n.user_id): n for n in NOTABLE_USERS}

SEED_AMPLIFICATIONS: list[SeedAmplification] = [
    # The story the source article tells: a foreign ministry's bureau reshared the WHA film.
    SeedAmplification("wha_film_x", "1400000000000000101", "reshare", _at(2026, 5, 12, 15, 40)),
    SeedAmplification("wha_film_x", "1400000000000000102", "quote", _at(2026, 5, 13, 1, 5),
                      quote_id="1790000000000905101"),
    SeedAmplification("tra_x_thread", "1400000000000000101", "reshare", _at(2026, 10, 10, 14, 20)),
]
