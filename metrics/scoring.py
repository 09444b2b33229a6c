"""The four-principle scoring: pure functions on frozen dataclasses, no Django.

Every post is scored 0–100 on timeliness, authenticity, format experimentation and interactivity,
each the weighted mean of named components; the overall score is the weighted mean of the four with
the organization's weights. A component whose data is missing is marked unavailable and its weight
goes to the others: missing data is never counted as zero.

All weights and defaults are module constants: the methodology page is generated from them.
Reasons are English templates marked with ``gettext_noop`` (so makemessages extracts them) plus
parameters; the Django side translates them when it shows them.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a string for translation without importing Django (xgettext knows this keyword)."""
    return message


METHOD_VERSION = "2026.11-1"

PRINCIPLES: tuple[str, ...] = ("timeliness", "authenticity", "format", "interactivity")
PRINCIPLE_LABELS = {
    "timeliness": gettext_noop("Timeliness"),
    "authenticity": gettext_noop("Authenticity"),
    "format": gettext_noop("Experimenting with new formats"),
    "interactivity": gettext_noop("Interactivity (building community)"),
}
# Equal unless an organization's admins set their own (metrics.models.ScoreWeights).
DEFAULT_PRINCIPLE_WEIGHTS = {"timeliness": 25, "authenticity": 25, "format": 25, "interactivity": 25}


@dataclass(frozen=True)
class ComponentSpec:
    key: str
    principle: str
    weight: float
    label: str
    formula: str


# Component weights within each principle sum to 1. The formula text is what the methodology shows.
COMPONENTS: tuple[ComponentSpec, ...] = (
    ComponentSpec("lead_time", "timeliness", 0.35, gettext_noop("Lead time to the event"), gettext_noop(
        "100 when published before the event starts or within the grace period after it; after that "
        "100 × 0.5^((lag − grace) / half-life). Unavailable when the post is not tied to an event.")),
    ComponentSpec("audience_hours", "timeliness", 0.25, gettext_noop("Audience's active hours"), gettext_noop(
        "The publication hour in the target audience's own time zone (the series' audience zone, else "
        "the zone of the campaign's first target country), scored by the active-hours table.")),
    ComponentSpec("early_velocity", "timeliness", 0.40, gettext_noop("Early velocity"), gettext_noop(
        "Interactions at about 24 hours divided by the median of the account's baseline posts at the "
        "same age; the ratio r becomes 100 × r / (1 + r), so matching the usual first day gives 50.")),
    ComponentSpec("declared_traits", "authenticity", 0.45, gettext_noop("Declared authenticity traits"),
                  gettext_noop("Sum of the points of the declared traits in the trait table, at most 100.")),
    ComponentSpec("own_language", "authenticity", 0.20, gettext_noop("The audience's own language"), gettext_noop(
        "100 when the post's language is one of the campaign's languages or a language of its target "
        "countries, else 0. Unavailable when the post has no language or the campaign names neither.")),
    ComponentSpec("conversation_depth", "authenticity", 0.35, gettext_noop("Conversation depth"), gettext_noop(
        "(comments + shares) / reactions, divided by the account's usual ratio at the same age; "
        "the ratio r becomes 100 × r / (1 + r).")),
    ComponentSpec("novelty", "format", 0.40, gettext_noop("Novelty on this account"), gettext_noop(
        "100 when the format was not used on the account in the novelty window; the rare-format score when "
        "it is at most the rare share of the last baseline posts; else 0.")),
    ComponentSpec("newer_format", "format", 0.30, gettext_noop("Newer format"),
                  gettext_noop("Points of the format in the newer-formats table; other formats 0.")),
    ComponentSpec("experiment_outcome", "format", 0.30, gettext_noop("Outcome of the experiment"), gettext_noop(
        "For an experiment (a novel or newer format): interactions divided by the account's median at the "
        "same age, the ratio r becoming 100 × r / (1 + r). Not an experiment: 0 (trying earns credit, "
        "trying and succeeding earns more).")),
    ComponentSpec("interaction_rate", "interactivity", 0.65, gettext_noop("Interaction rate"), gettext_noop(
        "(reactions + comments + shares + saves) over reach, else impressions, else views, as a "
        "percentile (mid-rank) among the account's baseline posts at the same age and with the same "
        "denominator.")),
    ComponentSpec("interactive_devices", "interactivity", 0.35, gettext_noop("Interactive devices"),
                  gettext_noop("Sum of the points of the devices used (device table), at most 100.")),
)
COMPONENTS_BY_KEY = {c.key: c for c in COMPONENTS}

# --- Baselines -------------------------------------------------------------------------------
BASELINE_POSTS = 30  # the account's last posts before this one
MIN_HISTORY = 5  # fewer comparable baseline posts than this: platform-wide defaults
REFERENCE_AGE_HOURS = 7 * 24  # a post is judged by its snapshot nearest this age
AGE_TOLERANCE_MIN_HOURS = 6.0  # a baseline snapshot counts as "the same age" within this ...
AGE_TOLERANCE_SHARE = 0.25  # ... or within this share of the age, whichever is larger
EARLY_AGE_HOURS = 24.0  # early velocity reads the snapshot nearest this age


@dataclass(frozen=True)
class PlatformDefaults:
    interaction_rate: float  # interactions / denominator of a typical post at the reference age
    first_day_share: float  # share of those interactions a typical post has after 24 hours
    conversation_depth: float  # typical (comments + shares) / reactions


# Used when an account has too little history; deliberately modest, typical public-sector figures.
PLATFORM_DEFAULTS: dict[str, PlatformDefaults] = {
    "facebook": PlatformDefaults(0.035, 0.80, 0.15),
    "instagram": PlatformDefaults(0.045, 0.75, 0.06),
    "x": PlatformDefaults(0.015, 0.90, 0.35),
    "youtube": PlatformDefaults(0.040, 0.50, 0.08),
}
FALLBACK_DEFAULTS = PlatformDefaults(0.03, 0.75, 0.15)

# --- Timeliness ------------------------------------------------------------------------------
LEAD_GRACE_HOURS = 1.0  # "at the moment": up to an hour after the start still scores full
LEAD_HALF_LIFE_HOURS = 12.0
# (first hour, hour after the last, score, label) in the audience's local time; covers 0–24.
ACTIVE_HOURS: tuple[tuple[int, int, float, str], ...] = (
    (0, 6, 10.0, gettext_noop("night")),
    (6, 8, 50.0, gettext_noop("early morning")),
    (8, 12, 70.0, gettext_noop("morning")),
    (12, 14, 90.0, gettext_noop("lunchtime peak")),
    (14, 18, 70.0, gettext_noop("afternoon")),
    (18, 22, 100.0, gettext_noop("evening peak")),
    (22, 24, 50.0, gettext_noop("late evening")),
)
# The zone used for a campaign's first target country when no series names the audience's zone.
COUNTRY_TIMEZONES: dict[str, str] = {
    "TW": "Asia/Taipei", "US": "America/New_York", "JP": "Asia/Tokyo", "VN": "Asia/Ho_Chi_Minh",
    "PH": "Asia/Manila", "KR": "Asia/Seoul", "HK": "Asia/Hong_Kong", "SG": "Asia/Singapore",
    "TH": "Asia/Bangkok", "ID": "Asia/Jakarta", "MY": "Asia/Kuala_Lumpur", "IN": "Asia/Kolkata",
    "AU": "Australia/Sydney", "NZ": "Pacific/Auckland", "GB": "Europe/London", "FR": "Europe/Paris",
    "DE": "Europe/Berlin", "CH": "Europe/Zurich", "NL": "Europe/Amsterdam", "CZ": "Europe/Prague",
    "PL": "Europe/Warsaw", "LT": "Europe/Vilnius", "CA": "America/Toronto", "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo", "PY": "America/Asuncion", "GT": "America/Guatemala", "KW": "Asia/Kuwait",
    "SA": "Asia/Riyadh", "AE": "Asia/Dubai", "EG": "Africa/Cairo", "ZA": "Africa/Johannesburg",
}

# --- Authenticity ----------------------------------------------------------------------------
TRAIT_POINTS: dict[str, float] = {
    "behind_the_scenes": 35.0,
    "real_person": 35.0,
    "original_footage": 30.0,
    "user_generated": 30.0,
}
# Languages of a target country, for "the audience's own language" (primary subtags).
COUNTRY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "TW": ("zh",), "US": ("en", "es"), "JP": ("ja",), "VN": ("vi",), "PH": ("en", "tl", "fil"),
    "KR": ("ko",), "HK": ("zh", "en"), "SG": ("en", "zh", "ms"), "TH": ("th",), "ID": ("id",),
    "MY": ("ms", "en"), "IN": ("hi", "en"), "AU": ("en",), "NZ": ("en",), "GB": ("en",), "FR": ("fr",),
    "DE": ("de",), "CH": ("de", "fr", "it"), "NL": ("nl",), "CZ": ("cs",), "PL": ("pl",), "LT": ("lt",),
    "CA": ("en", "fr"), "MX": ("es",), "BR": ("pt",), "PY": ("es",), "GT": ("es",), "KW": ("ar",),
    "SA": ("ar",), "AE": ("ar",), "EG": ("ar",), "ZA": ("en",),
}

# --- Format experimentation ------------------------------------------------------------------
NOVELTY_WINDOW_DAYS = 90
RARE_SHARE = 0.10  # at most this share of the last baseline posts: a rare format
RARE_FORMAT_SCORE = 60.0
NEWER_FORMAT_POINTS: dict[str, float] = {
    "short_video": 100.0,
    "live": 100.0,
    "poll": 80.0,
    "carousel": 70.0,
}

# --- Interactivity ---------------------------------------------------------------------------
# Devices come from declared traits, and the live and poll formats count as devices themselves.
DEVICE_POINTS: dict[str, float] = {
    "call_to_action": 50.0,
    "poll": 60.0,
    "live_qa": 70.0,
    "prize_draw": 50.0,
    "live": 70.0,
}
DEVICE_FORMATS = {"live": "live", "poll": "poll"}
DENOMINATORS: tuple[str, ...] = ("reach", "impressions", "views")
# So that the names shown in reasons are in the catalogue.
DENOMINATOR_LABELS = {"reach": gettext_noop("reach"), "impressions": gettext_noop("impressions"),
                      "views": gettext_noop("views")}


# --- Inputs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """One snapshot of a post's metrics; None means the platform did not give that metric."""

    captured_at: dt.datetime
    reactions: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    reach: int | None = None
    impressions: int | None = None
    views: int | None = None


@dataclass(frozen=True)
class EventFacts:
    name: str
    starts_at: dt.datetime


@dataclass(frozen=True)
class AudienceFacts:
    timezone: str = ""  # the audience's own zone when a series names it
    target_countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class PastPost:
    """An earlier post of the same account: the baseline is built from these."""

    published_at: dt.datetime
    format: str
    readings: tuple[Reading, ...] = ()


@dataclass(frozen=True)
class PostFacts:
    platform: str
    published_at: dt.datetime
    format: str
    traits: frozenset[str] = frozenset()
    language: str = ""
    readings: tuple[Reading, ...] = ()
    event: EventFacts | None = None
    audience: AudienceFacts = AudienceFacts()


@dataclass(frozen=True)
class Weights:
    timeliness: float = 25
    authenticity: float = 25
    format: float = 25
    interactivity: float = 25

    def as_dict(self) -> dict[str, float]:
        return {p: float(getattr(self, p)) for p in PRINCIPLES}


EQUAL_WEIGHTS = Weights()


# --- Outputs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reason:
    """A one-line reason: an English template (translated for display) and its parameters."""

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        if not self.params:
            return self.template
        return self.template % {k: _plain(v) for k, v in self.params.items()}

    def as_dict(self) -> dict[str, Any]:
        return {"template": self.template, "params": dict(self.params), "text": self.text}


@dataclass(frozen=True)
class Component:
    key: str
    value: float | None  # 0–100, None when unavailable
    weight: float  # the nominal weight (ComponentSpec.weight)
    effective_weight: float  # after redistributing the weights of unavailable components
    reason: Reason

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def contribution(self) -> float | None:
        return None if self.value is None else self.value * self.effective_weight

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "label": COMPONENTS_BY_KEY[self.key].label, "available": self.available,
            "value": _round(self.value), "weight": self.weight, "effective_weight": round(self.effective_weight, 4),
            "contribution": _round(self.contribution), "reason": self.reason.as_dict(),
        }


@dataclass(frozen=True)
class PrincipleScore:
    key: str
    score: float | None
    components: tuple[Component, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": PRINCIPLE_LABELS[self.key], "score": _round(self.score),
                "components": [c.as_dict() for c in self.components]}


@dataclass(frozen=True)
class Baseline:
    """What the post was compared with."""

    source: str  # "account" or "platform_default"
    posts: int  # comparable earlier posts found
    age_hours: float | None  # the age at which post and baseline were compared
    denominator: str | None  # reach / impressions / views used for the interaction rate
    note: Reason

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "posts": self.posts, "age_hours": _round(self.age_hours),
                "denominator": self.denominator, "note": self.note.as_dict()}


@dataclass(frozen=True)
class ScoreResult:
    method_version: str
    principles: tuple[PrincipleScore, ...]
    overall: float | None
    weights: Weights
    effective_weights: Mapping[str, float]
    baseline: Baseline
    notes: tuple[Reason, ...] = ()

    def principle(self, key: str) -> PrincipleScore:
        return next(p for p in self.principles if p.key == key)

    def as_dict(self) -> dict[str, Any]:
        """The explanation stored with the score (JSON-safe)."""
        return {
            "method_version": self.method_version,
            "overall": _round(self.overall),
            "weights": self.weights.as_dict(),
            "effective_weights": {k: round(v, 4) for k, v in self.effective_weights.items()},
            "baseline": self.baseline.as_dict(),
            "principles": [p.as_dict() for p in self.principles],
            "notes": [n.as_dict() for n in self.notes],
        }


def _plain(value: Any) -> Any:
    # List parameters hold codes (traits, formats, devices); the display layer shows their labels.
    if isinstance(value, list | tuple):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return value


def _clamp(value: float) -> float:
    # Weights that sum to 1 can still leave a float a hair above 100.
    return min(100.0, max(0.0, value))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- Small helpers ---------------------------------------------------------------------------
def ratio_score(ratio: float) -> float:
    """Maps a ratio to a baseline onto 0–100: 0 → 0, 1 (as usual) → 50, 3 → 75, never above 100."""
    ratio = max(0.0, ratio)
    if math.isinf(ratio):
        return 100.0
    return 100.0 * ratio / (1.0 + ratio)


def percentile_rank(value: float, population: Sequence[float]) -> float:
    """Mid-rank percentile: the share of the population below the value, plus half of the ties."""
    below = sum(1 for p in population if p < value)
    ties = sum(1 for p in population if p == value)
    return 100.0 * (below + 0.5 * ties) / len(population)


def age_hours(published_at: dt.datetime, reading: Reading) -> float:
    return (reading.captured_at - published_at).total_seconds() / 3600.0


def age_tolerance(age: float) -> float:
    return max(AGE_TOLERANCE_MIN_HOURS, AGE_TOLERANCE_SHARE * age)


def reading_nearest(published_at: dt.datetime, readings: Sequence[Reading], age: float,
                    tolerance: float | None = None) -> Reading | None:
    """The reading taken nearest the given age (ties: the earlier one); None outside the tolerance."""
    best, best_key = None, None
    for r in readings:
        own_age = (r.captured_at - published_at).total_seconds() / 3600.0
        if own_age < 0:
            continue
        key = (abs(own_age - age), r.captured_at)
        if best_key is None or key < best_key:
            best, best_key = r, key
    if best_key is None or (tolerance is not None and best_key[0] > tolerance):
        return None
    return best


def interactions(r: Reading) -> int | None:
    parts = [r.reactions, r.comments, r.shares, r.saves]
    known = [p for p in parts if p is not None]
    return sum(known) if known else None


def denominator_of(r: Reading) -> tuple[str, int] | None:
    """The first of reach, impressions, views the platform gave (and that is positive)."""
    for name in DENOMINATORS:
        value = getattr(r, name)
        if value is not None and value > 0:
            return name, value
    return None


def interaction_rate(r: Reading, denominator: str | None = None) -> tuple[str, float] | None:
    count = interactions(r)
    if count is None:
        return None
    if denominator is None:
        found = denominator_of(r)
    else:
        value = getattr(r, denominator)
        found = (denominator, value) if value is not None and value > 0 else None
    if found is None:
        return None
    return found[0], count / found[1]


def conversation_depth(r: Reading) -> float | None:
    if r.reactions is None or (r.comments is None and r.shares is None):
        return None
    talk = (r.comments or 0) + (r.shares or 0)
    return talk / max(r.reactions, 1)


def _hours_text(hours: float) -> tuple[str, dict[str, Any]]:
    """A duration as a template fragment key and params: under two days in hours, else in days."""
    if hours < 48:
        return "h", {"hours": round(hours)}
    return "d", {"days": round(hours / 24)}


def _primary(lang: str) -> str:
    return lang.strip().lower().replace("_", "-").split("-")[0]


def _defaults(platform: str) -> PlatformDefaults:
    return PLATFORM_DEFAULTS.get(platform, FALLBACK_DEFAULTS)


# --- Baseline --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Context:
    post: PostFacts
    history: tuple[PastPost, ...]  # the last BASELINE_POSTS posts before this one, newest first
    recent: tuple[PastPost, ...]  # every earlier post in the novelty window
    reference: Reading | None  # the post's reading nearest the reference age
    age: float | None
    # Baseline readings by age, computed once per score (several components ask for the same age).
    cache: dict[float, list[Reading]] = field(default_factory=dict, compare=False)


def _context(post: PostFacts, history: Sequence[PastPost]) -> _Context:
    # Only posts published before this one count, so later history never changes an older score.
    earlier = sorted((h for h in history if h.published_at < post.published_at),
                     key=lambda h: h.published_at, reverse=True)
    window_start = post.published_at - dt.timedelta(days=NOVELTY_WINDOW_DAYS)
    reference = reading_nearest(post.published_at, post.readings, REFERENCE_AGE_HOURS)
    age = age_hours(post.published_at, reference) if reference else None
    return _Context(post, tuple(earlier[:BASELINE_POSTS]), tuple(h for h in earlier if h.published_at >= window_start),
                    reference, age)


def _baseline_readings(ctx: _Context, age: float) -> list[Reading]:
    if age in ctx.cache:
        return ctx.cache[age]
    tolerance = age_tolerance(age)
    found = []
    for h in ctx.history:
        r = reading_nearest(h.published_at, h.readings, age, tolerance)
        if r is not None:
            found.append(r)
    ctx.cache[age] = found
    return found


# --- Components ------------------------------------------------------------------------------
def _lead_time(ctx: _Context) -> tuple[float | None, Reason]:
    event = ctx.post.event
    if event is None:
        return None, Reason(gettext_noop("not tied to an event"))
    lag = (ctx.post.published_at - event.starts_at).total_seconds() / 3600.0
    unit, params = _hours_text(abs(lag))
    params = {**params, "event": event.name}
    if lag <= 0:
        template = (gettext_noop("published %(hours)s h before %(event)s") if unit == "h"
                    else gettext_noop("published %(days)s days before %(event)s"))
        if abs(lag) < 0.5:
            return 100.0, Reason(gettext_noop("published as %(event)s began"), {"event": event.name})
        return 100.0, Reason(template, params)
    value = 100.0 if lag <= LEAD_GRACE_HOURS else 100.0 * 0.5 ** ((lag - LEAD_GRACE_HOURS) / LEAD_HALF_LIFE_HOURS)
    template = (gettext_noop("published %(hours)s h after %(event)s began") if unit == "h"
                else gettext_noop("published %(days)s days after %(event)s began"))
    return value, Reason(template, params)


def lead_time_score(published_at: dt.datetime, event_starts_at: dt.datetime) -> float:
    """The lead-time value alone (used by tests and the methodology's worked examples)."""
    value, _ = _lead_time(_Context(PostFacts("", published_at, "", event=EventFacts("", event_starts_at)),
                                   (), (), None, None))
    return value if value is not None else 0.0


def _audience_zone(audience: AudienceFacts) -> str | None:
    if audience.timezone:
        return audience.timezone
    for country in audience.target_countries:
        zone = COUNTRY_TIMEZONES.get(country.upper())
        if zone:
            return zone
    return None


def _audience_hours(ctx: _Context) -> tuple[float | None, Reason]:
    zone = _audience_zone(ctx.post.audience)
    if zone is None:
        return None, Reason(gettext_noop("the target audience's time zone is unknown"))
    try:
        local = ctx.post.published_at.astimezone(zoneinfo.ZoneInfo(zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None, Reason(gettext_noop("unknown time zone %(zone)s"), {"zone": zone})
    for start, end, value, label in ACTIVE_HOURS:
        if start <= local.hour < end:
            return value, Reason(gettext_noop("published at %(time)s in %(zone)s (%(band)s)"),
                                 {"time": local.strftime("%H:%M"), "zone": zone, "band": label})
    raise AssertionError("ACTIVE_HOURS must cover every hour")  # pragma: no cover


def _early_velocity(ctx: _Context) -> tuple[float | None, Reason, bool]:
    post = ctx.post
    own = reading_nearest(post.published_at, post.readings, EARLY_AGE_HOURS, age_tolerance(EARLY_AGE_HOURS))
    if own is None or interactions(own) is None:
        return None, Reason(gettext_noop("no reading near 24 hours after publication")), False
    count = interactions(own)
    base = [interactions(r) for r in _baseline_readings(ctx, age_hours(post.published_at, own))]
    base = [b for b in base if b is not None]
    if len(base) >= MIN_HISTORY:
        usual = max(median(base), 1.0)
        return ratio_score(count / usual), Reason(
            gettext_noop("%(count)s interactions in the first day, usual first day %(usual)s"),
            {"count": count, "usual": round(usual)}), False
    d = _defaults(post.platform)
    rate = interaction_rate(own)
    if rate is None:
        return None, Reason(gettext_noop(
            "too little history, and no reach, impressions or views to compare with the platform default")), True
    usual_rate = d.interaction_rate * d.first_day_share
    return ratio_score(rate[1] / usual_rate), Reason(
        gettext_noop("first-day interaction rate %(rate)s%% against the platform default %(usual)s%%"),
        {"rate": round(100 * rate[1], 2), "usual": round(100 * usual_rate, 2)}), True


def _declared_traits(ctx: _Context) -> tuple[float | None, Reason]:
    found = sorted(t for t in ctx.post.traits if t in TRAIT_POINTS)
    if not found:
        return 0.0, Reason(gettext_noop("no authenticity traits declared"))
    value = min(100.0, sum(TRAIT_POINTS[t] for t in found))
    return value, Reason(gettext_noop("declared: %(traits)s"), {"traits": found})


def _own_language(ctx: _Context) -> tuple[float | None, Reason]:
    post, audience = ctx.post, ctx.post.audience
    if not post.language:
        return None, Reason(gettext_noop("the post's language is not set"))
    wanted = {_primary(x) for x in audience.languages}
    for country in audience.target_countries:
        wanted.update(COUNTRY_LANGUAGES.get(country.upper(), ()))
    if not wanted:
        return None, Reason(gettext_noop("the campaign names no languages or target countries"))
    lang = _primary(post.language)
    if lang in wanted:
        return 100.0, Reason(gettext_noop("written in %(language)s, a language of the target audience"),
                             {"language": post.language})
    return 0.0, Reason(gettext_noop("written in %(language)s, not a language of the target audience (%(wanted)s)"),
                       {"language": post.language, "wanted": ", ".join(sorted(wanted))})


def _conversation_depth(ctx: _Context) -> tuple[float | None, Reason, bool]:
    if ctx.reference is None:
        return None, Reason(gettext_noop("no metrics yet")), False
    depth = conversation_depth(ctx.reference)
    if depth is None:
        return None, Reason(gettext_noop("the platform gives no reactions, comments or shares for this post")), False
    base = [conversation_depth(r) for r in _baseline_readings(ctx, ctx.age)]
    base = [b for b in base if b is not None]
    if len(base) >= MIN_HISTORY:
        usual, cold = median(base), False
        template = gettext_noop("%(depth)s comments and shares per reaction, usual for the account %(usual)s")
    else:
        usual, cold = _defaults(ctx.post.platform).conversation_depth, True
        template = gettext_noop("%(depth)s comments and shares per reaction, platform default %(usual)s")
    value = ratio_score(depth / max(usual, 0.01))
    return value, Reason(template, {"depth": round(depth, 2), "usual": round(usual, 2)}), cold


def _novelty(ctx: _Context) -> tuple[float | None, Reason]:
    fmt = [ctx.post.format]
    if len(ctx.history) < MIN_HISTORY:
        return None, Reason(gettext_noop("too little history on this account to tell whether the format is new"))
    if all(h.format != ctx.post.format for h in ctx.recent):
        return 100.0, Reason(gettext_noop("first %(format)s on this account in %(days)s days"),
                             {"format": fmt, "days": NOVELTY_WINDOW_DAYS})
    used = sum(1 for h in ctx.history if h.format == ctx.post.format)
    params = {"format": fmt, "used": used, "of": len(ctx.history)}
    if used / len(ctx.history) <= RARE_SHARE:
        return RARE_FORMAT_SCORE, Reason(gettext_noop("rare format: %(format)s in %(used)s of the last %(of)s posts"),
                                         params)
    return 0.0, Reason(gettext_noop("routine format: %(format)s in %(used)s of the last %(of)s posts"), params)


def _newer_format(ctx: _Context) -> tuple[float | None, Reason]:
    fmt = ctx.post.format
    if fmt in NEWER_FORMAT_POINTS:
        return NEWER_FORMAT_POINTS[fmt], Reason(gettext_noop("%(format)s is a newer format"),
                                                {"format": [fmt]})
    return 0.0, Reason(gettext_noop("%(format)s is an established format"), {"format": [fmt]})


def _experiment_outcome(ctx: _Context, novelty: float | None, newer: float) -> tuple[float | None, Reason, bool]:
    if novelty is None and newer == 0:
        return None, Reason(gettext_noop("cannot tell whether this was an experiment")), False
    if not (novelty or newer):
        return 0.0, Reason(gettext_noop("no experiment: a routine format")), False
    if ctx.reference is None or interactions(ctx.reference) is None:
        return None, Reason(gettext_noop("no metrics yet to judge the experiment")), False
    count = interactions(ctx.reference)
    base = [interactions(r) for r in _baseline_readings(ctx, ctx.age)]
    base = [b for b in base if b is not None]
    if len(base) >= MIN_HISTORY:
        usual = max(median(base), 1.0)
        return ratio_score(count / usual), Reason(
            gettext_noop("experiment drew %(count)s interactions, usual for the account %(usual)s"),
            {"count": count, "usual": round(usual)}), False
    rate = interaction_rate(ctx.reference)
    if rate is None:
        return None, Reason(gettext_noop(
            "too little history, and no reach, impressions or views to compare with the platform default")), True
    usual_rate = _defaults(ctx.post.platform).interaction_rate
    return ratio_score(rate[1] / usual_rate), Reason(
        gettext_noop("experiment's interaction rate %(rate)s%% against the platform default %(usual)s%%"),
        {"rate": round(100 * rate[1], 2), "usual": round(100 * usual_rate, 2)}), True


def _interaction_rate(ctx: _Context) -> tuple[float | None, Reason, bool, str | None]:
    if ctx.reference is None:
        return None, Reason(gettext_noop("no metrics yet")), False, None
    rate = interaction_rate(ctx.reference)
    if rate is None:
        if interactions(ctx.reference) is None:
            return None, Reason(gettext_noop("the platform gives no interactions for this post")), False, None
        missing = Reason(gettext_noop("the platform gives no reach, impressions or views for this post"))
        return None, missing, False, None
    denominator, value = rate
    base = []
    for r in _baseline_readings(ctx, ctx.age):
        other = interaction_rate(r, denominator)
        if other is not None:
            base.append(other[1])
    params = {"rate": round(100 * value, 2), "denominator": denominator}
    if len(base) >= MIN_HISTORY:
        pct = percentile_rank(value, base)
        params.update({"percentile": round(pct), "of": len(base)})
        return pct, Reason(gettext_noop(
            "%(rate)s%% of %(denominator)s interacted: percentile %(percentile)s among %(of)s recent posts"),
            params), False, denominator
    usual = _defaults(ctx.post.platform).interaction_rate
    params["usual"] = round(100 * usual, 2)
    return ratio_score(value / usual), Reason(gettext_noop(
        "%(rate)s%% of %(denominator)s interacted, platform default %(usual)s%%"), params), True, denominator


def devices_of(post: PostFacts) -> list[str]:
    found = {t for t in post.traits if t in DEVICE_POINTS}
    if post.format in DEVICE_FORMATS:
        found.add(DEVICE_FORMATS[post.format])
    return sorted(found)


def _interactive_devices(ctx: _Context) -> tuple[float | None, Reason]:
    devices = devices_of(ctx.post)
    if not devices:
        return 0.0, Reason(gettext_noop("no interactive device (question, poll, Q&A, prize draw, live)"))
    return min(100.0, sum(DEVICE_POINTS[d] for d in devices)), Reason(
        gettext_noop("uses: %(devices)s"), {"devices": devices})


# --- Putting it together ---------------------------------------------------------------------
def combine(principle: str, values: Mapping[str, tuple[float | None, Reason]]) -> PrincipleScore:
    """Weighted mean of the available components; unavailable ones give their weight to the others."""
    specs = [c for c in COMPONENTS if c.principle == principle]
    available = sum(c.weight for c in specs if values[c.key][0] is not None)
    components = []
    total = 0.0
    for spec in specs:
        value, reason = values[spec.key]
        if value is not None:
            value = min(100.0, max(0.0, value))
        effective = spec.weight / available if value is not None and available else 0.0
        components.append(Component(spec.key, value, spec.weight, effective, reason))
        if value is not None:
            total += value * effective
    return PrincipleScore(principle, _clamp(total) if available else None, tuple(components))


def overall_score(principle_scores: Mapping[str, float | None], weights: Weights = EQUAL_WEIGHTS
                  ) -> tuple[float | None, dict[str, float]]:
    """Weighted mean of the available principle scores; returns it and the effective weights."""
    raw = weights.as_dict()
    available = sum(raw[p] for p in PRINCIPLES if principle_scores.get(p) is not None)
    if available <= 0:
        return None, {p: 0.0 for p in PRINCIPLES}
    effective = {p: (raw[p] / available if principle_scores.get(p) is not None else 0.0) for p in PRINCIPLES}
    return _clamp(sum(principle_scores[p] * effective[p] for p in PRINCIPLES if effective[p])), effective


def score_post(post: PostFacts, history: Sequence[PastPost] = (), weights: Weights = EQUAL_WEIGHTS) -> ScoreResult:
    """Scores one post against the account's earlier posts (any order; later ones are ignored)."""
    ctx = _context(post, history)
    velocity, velocity_reason, velocity_cold = _early_velocity(ctx)
    depth, depth_reason, depth_cold = _conversation_depth(ctx)
    novelty = _novelty(ctx)
    newer = _newer_format(ctx)
    outcome, outcome_reason, outcome_cold = _experiment_outcome(ctx, novelty[0], newer[0] or 0.0)
    rate, rate_reason, rate_cold, denominator = _interaction_rate(ctx)
    principles = (
        combine("timeliness", {"lead_time": _lead_time(ctx), "audience_hours": _audience_hours(ctx),
                               "early_velocity": (velocity, velocity_reason)}),
        combine("authenticity", {"declared_traits": _declared_traits(ctx), "own_language": _own_language(ctx),
                                 "conversation_depth": (depth, depth_reason)}),
        combine("format", {"novelty": novelty, "newer_format": newer, "experiment_outcome": (outcome, outcome_reason)}),
        combine("interactivity", {"interaction_rate": (rate, rate_reason),
                                  "interactive_devices": _interactive_devices(ctx)}),
    )
    overall, effective = overall_score({p.key: p.score for p in principles}, weights)
    cold = [key for key, is_cold in (("early_velocity", velocity_cold), ("conversation_depth", depth_cold),
                                     ("experiment_outcome", outcome_cold), ("interaction_rate", rate_cold)) if is_cold]
    comparable = len(_baseline_readings(ctx, ctx.age)) if ctx.age is not None else 0
    if ctx.reference is None:
        note = Reason(gettext_noop("no metrics yet: only the planned facts (event, time, format, traits) are scored"))
    elif cold:
        note = Reason(gettext_noop(
            "too little comparable history (%(needed)s earlier posts of this account at the same age needed) "
            "for %(components)s: platform-wide defaults for %(platform)s used"),
            {"needed": MIN_HISTORY, "components": cold, "platform": post.platform})
    else:
        note = Reason(gettext_noop("compared with %(posts)s earlier posts of this account at the same age (%(age)s h)"),
                      {"posts": comparable, "age": round(ctx.age)})
    baseline = Baseline("platform_default" if cold else "account", comparable, ctx.age, denominator, note)
    notes = tuple(Reason(gettext_noop("%(principle)s: no component could be scored; left out of the overall"),
                         {"principle": PRINCIPLE_LABELS[p.key]}) for p in principles if p.score is None)
    return ScoreResult(METHOD_VERSION, principles, overall, weights, effective, baseline, notes)


def methodology() -> dict[str, Any]:
    """Every constant the method uses, for the methodology page (so the page cannot drift)."""
    return {
        "method_version": METHOD_VERSION,
        "principles": [
            {"key": p, "label": PRINCIPLE_LABELS[p], "default_weight": DEFAULT_PRINCIPLE_WEIGHTS[p],
             "components": [c for c in COMPONENTS if c.principle == p]}
            for p in PRINCIPLES
        ],
        "baseline": {
            "posts": BASELINE_POSTS, "min_history": MIN_HISTORY, "reference_age_hours": REFERENCE_AGE_HOURS,
            "tolerance_min_hours": AGE_TOLERANCE_MIN_HOURS, "tolerance_share": AGE_TOLERANCE_SHARE,
            "early_age_hours": EARLY_AGE_HOURS,
        },
        "platform_defaults": PLATFORM_DEFAULTS,
        "lead": {"grace_hours": LEAD_GRACE_HOURS, "half_life_hours": LEAD_HALF_LIFE_HOURS},
        "active_hours": ACTIVE_HOURS,
        "country_timezones": COUNTRY_TIMEZONES,
        "trait_points": TRAIT_POINTS,
        "country_languages": COUNTRY_LANGUAGES,
        "novelty": {"window_days": NOVELTY_WINDOW_DAYS, "rare_share": RARE_SHARE, "rare_score": RARE_FORMAT_SCORE},
        "newer_format_points": NEWER_FORMAT_POINTS,
        "device_points": DEVICE_POINTS,
        "device_formats": DEVICE_FORMATS,
        "denominators": DENOMINATORS,
    }
