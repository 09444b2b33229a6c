"""The metrics vocabulary: metric names and labels, what "interactions" sums, the two rates, the principles.

Snapshots, roll-ups, time series, scoring, selectors, exports and templates take their names from
here, so a metric means the same thing on every page. No Django: the pure scoring modules import
it. Labels are marked with a local gettext_noop and translated where they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a string for translation without importing Django (xgettext knows this keyword)."""
    return message


# --- Metric names ------------------------------------------------------------------------------------

# What a post snapshot stores (PostMetricSnapshot's columns), as the platforms give them.
POST_METRICS: tuple[str, ...] = (
    "views", "impressions", "reach", "reactions", "comments", "shares", "quotes", "saves", "clicks",
    "video_views", "watch_time_seconds",
)
# What a daily post roll-up copies from the day's last snapshot (interactions are summed besides):
# every metric, so the API's time series can be read from roll-ups too.
ROLLUP_METRICS: tuple[str, ...] = POST_METRICS
# What the dashboards add up over posts from the roll-ups (selectors' Figures).
FIGURES: tuple[str, ...] = (
    "views", "reach", "interactions", "reactions", "comments", "shares", "saves", "impressions",
)

METRIC_LABELS: dict[str, str] = {
    "views": gettext_noop("Views"),
    "impressions": gettext_noop("Impressions"),
    "reach": gettext_noop("Reach"),
    "reactions": gettext_noop("Reactions"),
    "comments": gettext_noop("Comments"),
    "shares": gettext_noop("Shares"),
    "quotes": gettext_noop("Quotes"),
    "saves": gettext_noop("Saves"),
    "clicks": gettext_noop("Clicks"),
    "video_views": gettext_noop("Video views"),
    "watch_time_seconds": gettext_noop("Watch time (s)"),
    "interactions": gettext_noop("Interactions"),
    "interaction_rate": gettext_noop("Interaction rate"),
}


# --- Interactions ------------------------------------------------------------------------------------

# What people did with a post. A quote on X is a share with a comment, so it counts too.
INTERACTION_PARTS: tuple[str, ...] = ("reactions", "comments", "shares", "quotes", "saves")


def interactions_of(source: Mapping[str, Any] | object) -> int | None:
    """The sum of the interaction parts the platform gave (a mapping or an object with those names).

    None when it gave none of them: a missing metric is never counted as zero.
    """
    get: Callable[[str], Any]
    if isinstance(source, Mapping):
        get = source.get
    else:
        def get(name: str) -> Any:
            return getattr(source, name, None)
    known = [value for value in map(get, INTERACTION_PARTS) if value is not None]
    return sum(known) if known else None


# --- The two rates -----------------------------------------------------------------------------------
# "Interaction rate" on the dashboards, exports, the digest and KPI targets: a percentage of views.
# The scoring's interactivity divides by the audience instead (reach where the platform gives it),
# and works with fractions. Named for their denominators so that they are not mistaken for each other.


def interactions_per_100_views(interactions: float | None, views: float | None) -> float | None:
    """Interactions per 100 views (the pages' "Interaction rate"); None without views."""
    if interactions is None or not views:
        return None
    return 100 * interactions / views


# The audience an interaction rate divides by, in order of preference: the first the platform gives.
AUDIENCE_MEASURES: tuple[str, ...] = ("reach", "impressions", "views")
# So that the names shown in the scoring's reasons are in the catalogue.
AUDIENCE_MEASURE_LABELS: dict[str, str] = {
    "reach": gettext_noop("reach"), "impressions": gettext_noop("impressions"), "views": gettext_noop("views"),
}


def audience_of(source: object, measure: str | None = None) -> tuple[str, int] | None:
    """(measure, value): the given measure, else the first of AUDIENCE_MEASURES that is positive."""
    for name in (measure,) if measure is not None else AUDIENCE_MEASURES:
        value = getattr(source, name)
        if value is not None and value > 0:
            return name, value
    return None


def interactions_per_audience(source: object, measure: str | None = None) -> tuple[str, float] | None:
    """(measure, fraction): interactions divided by the audience (the scoring's interaction rate)."""
    count = interactions_of(source)
    if count is None:
        return None
    found = audience_of(source, measure)
    if found is None:
        return None
    return found[0], count / found[1]


# --- The scoring's four principles -------------------------------------------------------------------

PRINCIPLES: tuple[str, ...] = ("timeliness", "authenticity", "format", "interactivity")
PRINCIPLE_LABELS: dict[str, str] = {
    "timeliness": gettext_noop("Timeliness"),
    "authenticity": gettext_noop("Authenticity"),
    "format": gettext_noop("Experimenting with new formats"),
    "interactivity": gettext_noop("Interactivity (building community)"),
}
# Where space is short (dashboard tables, exports, the PDF), with the overall score beside them.
PRINCIPLE_SHORT_LABELS: dict[str, str] = {
    "timeliness": gettext_noop("Timeliness"),
    "authenticity": gettext_noop("Authenticity"),
    "format": gettext_noop("New formats"),
    "interactivity": gettext_noop("Interactivity"),
    "overall": gettext_noop("Overall"),
}
