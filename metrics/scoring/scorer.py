"""Putting the components together: principle scores, the overall score and the methodology."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from metrics.scoring.components import (
    audience_hours_component,
    baseline_readings,
    conversation_depth_component,
    declared_traits_component,
    early_velocity_component,
    experiment_outcome_component,
    interaction_rate_component,
    interactive_devices_component,
    lead_time_component,
    newer_format_component,
    novelty_component,
    own_language_component,
    scoring_context,
)
from metrics.scoring.definitions import (
    ACTIVE_HOURS,
    AGE_TOLERANCE_MIN_HOURS,
    AGE_TOLERANCE_SHARE,
    BASELINE_POSTS,
    COMPONENTS,
    COUNTRY_LANGUAGES,
    COUNTRY_TIMEZONES,
    DEFAULT_PRINCIPLE_WEIGHTS,
    DENOMINATORS,
    DEVICE_FORMATS,
    DEVICE_POINTS,
    EARLY_AGE_HOURS,
    EQUAL_WEIGHTS,
    LEAD_GRACE_HOURS,
    LEAD_HALF_LIFE_HOURS,
    METHOD_VERSION,
    MIN_HISTORY,
    NEWER_FORMAT_POINTS,
    NOVELTY_WINDOW_DAYS,
    PLATFORM_DEFAULTS,
    RARE_FORMAT_SCORE,
    RARE_SHARE,
    REFERENCE_AGE_HOURS,
    TRAIT_POINTS,
    Baseline,
    Component,
    PastPost,
    PostFacts,
    PrincipleScore,
    Reason,
    ScoreResult,
    Weights,
    clamp,
)
from metrics.vocabulary import PRINCIPLE_LABELS, PRINCIPLES, gettext_noop


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
    return PrincipleScore(principle, clamp(total) if available else None, tuple(components))


def overall_score(principle_scores: Mapping[str, float | None], weights: Weights = EQUAL_WEIGHTS
                  ) -> tuple[float | None, dict[str, float]]:
    """Weighted mean of the available principle scores; returns it and the effective weights."""
    raw = weights.as_dict()
    present = {p: score for p in PRINCIPLES if (score := principle_scores.get(p)) is not None}
    available = sum(raw[p] for p in present)
    if available <= 0:
        return None, {p: 0.0 for p in PRINCIPLES}
    effective = {p: (raw[p] / available if p in present else 0.0) for p in PRINCIPLES}
    return clamp(sum(present[p] * effective[p] for p in present if effective[p])), effective


def score_post(post: PostFacts, history: Sequence[PastPost] = (), weights: Weights = EQUAL_WEIGHTS) -> ScoreResult:
    """Scores one post against the account's earlier posts (any order; later ones are ignored)."""
    ctx = scoring_context(post, history)
    velocity, velocity_reason, velocity_cold = early_velocity_component(ctx)
    depth, depth_reason, depth_cold = conversation_depth_component(ctx)
    novelty = novelty_component(ctx)
    newer = newer_format_component(ctx)
    outcome, outcome_reason, outcome_cold = experiment_outcome_component(ctx, novelty[0], newer[0] or 0.0)
    rate, rate_reason, rate_cold, denominator = interaction_rate_component(ctx)
    principles = (
        combine("timeliness", {"lead_time": lead_time_component(ctx), "audience_hours": audience_hours_component(ctx),
                               "early_velocity": (velocity, velocity_reason)}),
        combine("authenticity", {"declared_traits": declared_traits_component(ctx),
                                 "own_language": own_language_component(ctx),
                                 "conversation_depth": (depth, depth_reason)}),
        combine("format", {"novelty": novelty, "newer_format": newer, "experiment_outcome": (outcome, outcome_reason)}),
        combine("interactivity", {"interaction_rate": (rate, rate_reason),
                                  "interactive_devices": interactive_devices_component(ctx)}),
    )
    overall, effective = overall_score({p.key: p.score for p in principles}, weights)
    cold = [key for key, is_cold in (("early_velocity", velocity_cold), ("conversation_depth", depth_cold),
                                     ("experiment_outcome", outcome_cold), ("interaction_rate", rate_cold)) if is_cold]
    comparable = len(baseline_readings(ctx, ctx.age)) if ctx.age is not None else 0
    if ctx.reference is None or ctx.age is None:
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
