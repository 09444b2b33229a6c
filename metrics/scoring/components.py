"""The components of the four principles: each reads a post's facts and its baseline, returns a value and a reason."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from metrics.scoring.definitions import (
    ACTIVE_HOURS,
    AGE_TOLERANCE_MIN_HOURS,
    AGE_TOLERANCE_SHARE,
    BASELINE_POSTS,
    COUNTRY_LANGUAGES,
    COUNTRY_TIMEZONES,
    DEVICE_FORMATS,
    DEVICE_POINTS,
    EARLY_AGE_HOURS,
    FALLBACK_DEFAULTS,
    LEAD_GRACE_HOURS,
    LEAD_HALF_LIFE_HOURS,
    MIN_HISTORY,
    NEWER_FORMAT_POINTS,
    NOVELTY_WINDOW_DAYS,
    PLATFORM_DEFAULTS,
    RARE_FORMAT_SCORE,
    RARE_SHARE,
    REFERENCE_AGE_HOURS,
    TRAIT_POINTS,
    AudienceFacts,
    Curve,
    EventFacts,
    PastPost,
    PlatformDefaults,
    PostFacts,
    Reading,
    Reason,
)
from metrics.vocabulary import gettext_noop, interactions_of, interactions_per_audience


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
    """The reading taken nearest the given age (ties: the earlier one); None outside the tolerance.

    For one question; a post asked again keeps its Curve (PastPost.curve, PostFacts.curve)."""
    return Curve.of(published_at, readings).nearest(age, tolerance)


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
class ScoringContext:
    post: PostFacts
    history: tuple[PastPost, ...]  # the last BASELINE_POSTS posts before this one, newest first
    recent: tuple[PastPost, ...]  # every earlier post in the novelty window
    reference: Reading | None  # the post's reading nearest the reference age
    age: float | None
    # Baseline readings by age, computed once per score (several components ask for the same age).
    cache: dict[float, list[Reading]] = field(default_factory=dict, compare=False)


def scoring_context(post: PostFacts, history: Sequence[PastPost]) -> ScoringContext:
    # Only posts published before this one count, so later history never changes an older score.
    earlier = sorted((h for h in history if h.published_at < post.published_at),
                     key=lambda h: h.published_at, reverse=True)
    window_start = post.published_at - dt.timedelta(days=NOVELTY_WINDOW_DAYS)
    reference = post.curve.nearest(REFERENCE_AGE_HOURS)
    age = age_hours(post.published_at, reference) if reference else None
    recent = tuple(h for h in earlier if h.published_at >= window_start)
    return ScoringContext(post, tuple(earlier[:BASELINE_POSTS]), recent, reference, age)


def baseline_readings(ctx: ScoringContext, age: float) -> list[Reading]:
    if age in ctx.cache:
        return ctx.cache[age]
    tolerance = age_tolerance(age)
    found = []
    for h in ctx.history:
        r = h.curve.nearest(age, tolerance)
        if r is not None:
            found.append(r)
    ctx.cache[age] = found
    return found


# --- Components ------------------------------------------------------------------------------
def lead_time_component(ctx: ScoringContext) -> tuple[float | None, Reason]:
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
    post = PostFacts("", published_at, "", event=EventFacts("", event_starts_at))
    value, _ = lead_time_component(ScoringContext(post, (), (), None, None))
    return value if value is not None else 0.0


def _audience_zone(audience: AudienceFacts) -> str | None:
    if audience.timezone:
        return audience.timezone
    for country in audience.target_countries:
        zone = COUNTRY_TIMEZONES.get(country.upper())
        if zone:
            return zone
    return None


def audience_hours_component(ctx: ScoringContext) -> tuple[float | None, Reason]:
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


def usual_interactions(ctx: ScoringContext, age: float) -> float | None:
    """The median interactions of the account's baseline posts at this age; None with too few of them."""
    base = [b for r in baseline_readings(ctx, age) if (b := interactions_of(r)) is not None]
    return max(float(median(base)), 1.0) if len(base) >= MIN_HISTORY else None


def early_velocity_component(ctx: ScoringContext) -> tuple[float | None, Reason, bool]:
    post = ctx.post
    own = post.curve.nearest(EARLY_AGE_HOURS, age_tolerance(EARLY_AGE_HOURS))
    count = interactions_of(own) if own is not None else None
    if own is None or count is None:
        return None, Reason(gettext_noop("no reading near 24 hours after publication")), False
    usual = usual_interactions(ctx, age_hours(post.published_at, own))
    if usual is not None:
        return ratio_score(count / usual), Reason(
            gettext_noop("%(count)s interactions in the first day, usual first day %(usual)s"),
            {"count": count, "usual": round(usual)}), False
    d = _defaults(post.platform)
    rate = interactions_per_audience(own)
    if rate is None:
        return None, Reason(gettext_noop(
            "too little history, and no reach, impressions or views to compare with the platform default")), True
    usual_rate = d.interaction_rate * d.first_day_share
    return ratio_score(rate[1] / usual_rate), Reason(
        gettext_noop("first-day interaction rate %(rate)s%% against the platform default %(usual)s%%"),
        {"rate": round(100 * rate[1], 2), "usual": round(100 * usual_rate, 2)}), True


def declared_traits_component(ctx: ScoringContext) -> tuple[float | None, Reason]:
    found = sorted(t for t in ctx.post.traits if t in TRAIT_POINTS)
    if not found:
        return 0.0, Reason(gettext_noop("no authenticity traits declared"))
    value = min(100.0, sum(TRAIT_POINTS[t] for t in found))
    return value, Reason(gettext_noop("declared: %(traits)s"), {"traits": found})


def own_language_component(ctx: ScoringContext) -> tuple[float | None, Reason]:
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


def conversation_depth_component(ctx: ScoringContext) -> tuple[float | None, Reason, bool]:
    if ctx.reference is None or ctx.age is None:
        return None, Reason(gettext_noop("no metrics yet")), False
    depth = conversation_depth(ctx.reference)
    if depth is None:
        return None, Reason(gettext_noop("the platform gives no reactions, comments or shares for this post")), False
    base = [b for r in baseline_readings(ctx, ctx.age) if (b := conversation_depth(r)) is not None]
    if len(base) >= MIN_HISTORY:
        usual, cold = median(base), False
        template = gettext_noop("%(depth)s comments and shares per reaction, usual for the account %(usual)s")
    else:
        usual, cold = _defaults(ctx.post.platform).conversation_depth, True
        template = gettext_noop("%(depth)s comments and shares per reaction, platform default %(usual)s")
    value = ratio_score(depth / max(usual, 0.01))
    return value, Reason(template, {"depth": round(depth, 2), "usual": round(usual, 2)}), cold


def novelty_component(ctx: ScoringContext) -> tuple[float | None, Reason]:
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


def newer_format_component(ctx: ScoringContext) -> tuple[float | None, Reason]:
    fmt = ctx.post.format
    if fmt in NEWER_FORMAT_POINTS:
        return NEWER_FORMAT_POINTS[fmt], Reason(gettext_noop("%(format)s is a newer format"),
                                                {"format": [fmt]})
    return 0.0, Reason(gettext_noop("%(format)s is an established format"), {"format": [fmt]})


def experiment_outcome_component(ctx: ScoringContext, novelty: float | None,
                                 newer: float) -> tuple[float | None, Reason, bool]:
    if novelty is None and newer == 0:
        return None, Reason(gettext_noop("cannot tell whether this was an experiment")), False
    if not (novelty or newer):
        return 0.0, Reason(gettext_noop("no experiment: a routine format")), False
    count = interactions_of(ctx.reference) if ctx.reference is not None else None
    if ctx.reference is None or ctx.age is None or count is None:
        return None, Reason(gettext_noop("no metrics yet to judge the experiment")), False
    usual = usual_interactions(ctx, ctx.age)
    if usual is not None:
        return ratio_score(count / usual), Reason(
            gettext_noop("experiment drew %(count)s interactions, usual for the account %(usual)s"),
            {"count": count, "usual": round(usual)}), False
    rate = interactions_per_audience(ctx.reference)
    if rate is None:
        return None, Reason(gettext_noop(
            "too little history, and no reach, impressions or views to compare with the platform default")), True
    usual_rate = _defaults(ctx.post.platform).interaction_rate
    return ratio_score(rate[1] / usual_rate), Reason(
        gettext_noop("experiment's interaction rate %(rate)s%% against the platform default %(usual)s%%"),
        {"rate": round(100 * rate[1], 2), "usual": round(100 * usual_rate, 2)}), True


def interaction_rate_component(ctx: ScoringContext) -> tuple[float | None, Reason, bool, str | None]:
    if ctx.reference is None or ctx.age is None:
        return None, Reason(gettext_noop("no metrics yet")), False, None
    rate = interactions_per_audience(ctx.reference)
    if rate is None:
        if interactions_of(ctx.reference) is None:
            return None, Reason(gettext_noop("the platform gives no interactions for this post")), False, None
        missing = Reason(gettext_noop("the platform gives no reach, impressions or views for this post"))
        return None, missing, False, None
    denominator, value = rate
    base = []
    for r in baseline_readings(ctx, ctx.age):
        other = interactions_per_audience(r, denominator)
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


def interactive_devices_component(ctx: ScoringContext) -> tuple[float | None, Reason]:
    devices = devices_of(ctx.post)
    if not devices:
        return 0.0, Reason(gettext_noop("no interactive device (question, poll, Q&A, prize draw, live)"))
    return min(100.0, sum(DEVICE_POINTS[d] for d in devices)), Reason(
        gettext_noop("uses: %(devices)s"), {"devices": devices})

