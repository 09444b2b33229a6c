"""The four-principle scoring: pure functions on frozen dataclasses, no Django.

Every post is scored 0–100 on timeliness, authenticity, format experimentation and interactivity,
each the weighted mean of named components; the overall score is the weighted mean of the four with
the organization's weights. A component whose data is missing is marked unavailable and its weight
goes to the others: missing data is never counted as zero.

All weights and defaults are module constants: the methodology page is generated from them.
Reasons are English templates marked with ``gettext_noop`` (so makemessages extracts them) plus
parameters; the Django side translates them when it shows them.

This module holds the method's constants and the input and output types.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

# The principles, and what interactions and the interaction rate are, belong to the metrics vocabulary.
from metrics.vocabulary import AUDIENCE_MEASURE_LABELS, AUDIENCE_MEASURES, PRINCIPLE_LABELS, PRINCIPLES, gettext_noop

METHOD_VERSION = "2026.11-1"

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
# The interaction rate's denominator: the first of these the platform gives (the methodology lists them).
DENOMINATORS = AUDIENCE_MEASURES
DENOMINATOR_LABELS = AUDIENCE_MEASURE_LABELS


# --- Inputs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reading:
    """One snapshot of a post's metrics; None means the platform did not give that metric.

    A quote on X is counted in `shares` (scoring.service), so interactions_of() sums the same parts here
    as on every page.
    """

    captured_at: dt.datetime
    reactions: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    reach: int | None = None
    impressions: int | None = None
    views: int | None = None


@dataclass(frozen=True)
class Curve:
    """A post's readings from publication on, sorted by time, with their ages in hours: the reading
    nearest an age is a binary search, not a scan (a baseline asks dozens of posts for several ages)."""

    readings: tuple[Reading, ...]
    ages: tuple[float, ...]

    @classmethod
    def of(cls, published_at: dt.datetime, readings: Iterable[Reading]) -> Curve:
        readings = tuple(readings)
        ages = tuple((r.captured_at - published_at).total_seconds() / 3600.0 for r in readings)
        if all(0 <= a <= b for a, b in zip(ages, ages[1:], strict=False)) and (not ages or ages[-1] >= 0):
            return cls(readings, ages)  # as the service gives them: in time order, none before publication
        # A stable sort: of readings taken at the same moment, the first given stays first.
        timed = sorted((r for r in readings if (r.captured_at - published_at).total_seconds() >= 0),
                       key=lambda r: r.captured_at)
        return cls(tuple(timed), tuple((r.captured_at - published_at).total_seconds() / 3600.0 for r in timed))

    def nearest(self, age: float, tolerance: float | None = None) -> Reading | None:
        """The reading taken nearest the age (ties: the earlier one); None outside the tolerance."""
        ages = self.ages
        after = bisect.bisect_left(ages, age)  # the first reading at or past the age
        best: tuple[float, int] | None = None
        if after < len(ages):
            best = (ages[after] - age, after)
        if after > 0:
            # The first of the readings at the last age before: the earliest wins a tie.
            before = bisect.bisect_left(ages, ages[after - 1])
            gap = age - ages[before]
            if best is None or gap <= best[0]:
                best = (gap, before)
        if best is None or (tolerance is not None and best[0] > tolerance):
            return None
        return self.readings[best[1]]


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

    @cached_property
    def curve(self) -> Curve:
        # Built once per post and kept with it: one PastPost serves every later post of its account.
        return Curve.of(self.published_at, self.readings)


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

    @cached_property
    def curve(self) -> Curve:
        return Curve.of(self.published_at, self.readings)


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
        return self.template % {k: plain_value(v) for k, v in self.params.items()}

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
            "value": round2(self.value), "weight": self.weight, "effective_weight": round(self.effective_weight, 4),
            "contribution": round2(self.contribution), "reason": self.reason.as_dict(),
        }


@dataclass(frozen=True)
class PrincipleScore:
    key: str
    score: float | None
    components: tuple[Component, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": PRINCIPLE_LABELS[self.key], "score": round2(self.score),
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
        return {"source": self.source, "posts": self.posts, "age_hours": round2(self.age_hours),
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
            "overall": round2(self.overall),
            "weights": self.weights.as_dict(),
            "effective_weights": {k: round(v, 4) for k, v in self.effective_weights.items()},
            "baseline": self.baseline.as_dict(),
            "principles": [p.as_dict() for p in self.principles],
            "notes": [n.as_dict() for n in self.notes],
        }


def plain_value(value: Any) -> Any:
    # List parameters hold codes (traits, formats, devices); the display layer shows their labels.
    if isinstance(value, list | tuple):
        return ", ".join(str(v).replace("_", " ") for v in value)
    return value


def clamp(value: float) -> float:
    # Weights that sum to 1 can still leave a float a hair above 100.
    return min(100.0, max(0.0, value))


def round2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)

