"""Which Graph metric (Facebook Pages, Instagram) exists in which API version, and from when until when.

One list, read by the connectors (what to ask), the sandbox (what to refuse), and the snapshot
provenance (which platform metric a stored series came from). Pure: no Django, so anything may
import it. Asking one retired metric fails the whole Graph request with error #100, which is why
the list is dated rather than written into each connector.

Sources (checked 2026-12):
- Page and post metrics retired on 2025-06-15 and 2025-11-15, `impressions` → `media_view` ("views"),
  `page_fans` → `page_follows`; another wave announced for 2026-06-15:
  https://developers.facebook.com/documentation/pages-api/platforminsights/page/deprecated-metrics ,
  https://developers.facebook.com/blog/post/2025/08/15/page-insights-api-updates/ ,
  https://developers.facebook.com/docs/graph-api/reference/v19.0/insights
- Instagram `impressions`, `plays`, `clips_replays_count`, `ig_reels_aggregated_all_plays_count`
  refused from v22.0, and on every version from 2025-04-21 (`views` replaces them):
  https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# Post formats (campaigns.models.PostFormat values) as Instagram's media product types.
IG_FEED = frozenset({"image", "carousel", "video", "text", "link", "live"})
IG_REELS = frozenset({"short_video"})
IG_STORY = frozenset({"story"})
FB_VIDEO = frozenset({"video", "short_video", "live"})


@dataclass(frozen=True)
class GraphMetric:
    platform: str  # "facebook" | "instagram"
    edge: str  # "insights" on a post/media, "video_insights" on a Facebook video, "page_insights" on a Page
    name: str  # the platform's metric name
    series: str  # the snapshot column it fills ("" when we do not store it); views and impressions stay apart
    retired_on: dt.date | None = None  # refused on every API version from this day
    retired_from_version: int | None = None  # refused on this major version and later, even before retired_on
    formats: frozenset[str] = frozenset()  # post formats it applies to; empty: all
    replaced_by: str = ""
    # Values in milliseconds where our column is in seconds.
    milliseconds: bool = False

    def live(self, *, on: dt.date, version: str) -> bool:
        if self.retired_on is not None and on >= self.retired_on:
            return False
        major = version_major(version)
        return not (self.retired_from_version is not None and major is not None
                    and major >= self.retired_from_version)

    def fits(self, post_format: str) -> bool:
        return not self.formats or post_format in self.formats


NOV_2025 = dt.date(2025, 11, 15)
JUN_2025 = dt.date(2025, 6, 15)
MAR_2024 = dt.date(2024, 3, 14)
# "A number of Page Insights metrics" by this day; the names are from third parties (PLATFORMS.md §1.2).
JUN_2026 = dt.date(2026, 6, 15)
IG_APR_2025 = dt.date(2025, 4, 21)
IG_DEC_2023 = dt.date(2023, 12, 11)

METRICS: tuple[GraphMetric, ...] = (
    # --- Facebook post insights (/{post-id}/insights, lifetime) ---
    GraphMetric("facebook", "insights", "post_impressions", "impressions", retired_on=NOV_2025,
                replaced_by="post_media_view"),
    GraphMetric("facebook", "insights", "post_impressions_unique", "reach", retired_on=JUN_2025,
                replaced_by="post_total_media_view_unique"),
    GraphMetric("facebook", "insights", "post_engaged_users", "", retired_on=JUN_2026),
    GraphMetric("facebook", "insights", "post_views", "", retired_on=JUN_2026),
    GraphMetric("facebook", "insights", "post_media_view", "views"),
    GraphMetric("facebook", "insights", "post_total_media_view_unique", "reach"),
    # Valid but fragile (PLATFORMS.md §1.2): the registry is what keeps it out once Meta refuses it.
    GraphMetric("facebook", "insights", "post_clicks", "clicks"),
    # --- Facebook video insights (/{video-id}/video_insights, lifetime): videos and Reels ---
    GraphMetric("facebook", "video_insights", "total_video_views", "video_views", formats=FB_VIDEO),
    GraphMetric("facebook", "video_insights", "total_video_view_total_time", "watch_time_seconds",
                formats=FB_VIDEO, milliseconds=True),
    GraphMetric("facebook", "video_insights", "total_video_impressions", "impressions", formats=FB_VIDEO),
    GraphMetric("facebook", "video_insights", "total_video_impressions_unique", "reach", formats=FB_VIDEO),
    # --- Facebook Page insights (/{page-id}/insights) ---
    GraphMetric("facebook", "page_insights", "page_impressions", "impressions", retired_on=NOV_2025,
                replaced_by="page_media_view"),
    GraphMetric("facebook", "page_insights", "page_impressions_unique", "reach", retired_on=JUN_2025,
                replaced_by="page_total_media_view_unique"),
    GraphMetric("facebook", "page_insights", "page_fans", "followers", retired_on=NOV_2025,
                replaced_by="page_follows"),
    GraphMetric("facebook", "page_insights", "page_fans_country", "", retired_on=NOV_2025),
    GraphMetric("facebook", "page_insights", "page_engaged_users", "", retired_on=MAR_2024),
    GraphMetric("facebook", "page_insights", "page_follows_country", "", retired_on=MAR_2024),
    GraphMetric("facebook", "page_insights", "page_media_view", "views"),
    GraphMetric("facebook", "page_insights", "page_total_media_view_unique", "reach"),
    GraphMetric("facebook", "page_insights", "page_follows", "followers"),
    GraphMetric("facebook", "page_insights", "page_daily_follows", ""),
    GraphMetric("facebook", "page_insights", "page_daily_follows_unique", ""),
    GraphMetric("facebook", "page_insights", "page_post_engagements", ""),
    GraphMetric("facebook", "page_insights", "page_views_total", ""),
    GraphMetric("facebook", "page_insights", "page_video_views", ""),
    # --- Instagram media insights (/{ig-media-id}/insights) ---
    GraphMetric("instagram", "insights", "impressions", "impressions", retired_on=IG_APR_2025,
                retired_from_version=22, replaced_by="views", formats=IG_FEED | IG_STORY),
    GraphMetric("instagram", "insights", "plays", "video_views", retired_on=IG_APR_2025,
                retired_from_version=22, replaced_by="views", formats=IG_REELS),
    GraphMetric("instagram", "insights", "clips_replays_count", "", retired_on=IG_APR_2025,
                retired_from_version=22, replaced_by="views", formats=IG_REELS),
    GraphMetric("instagram", "insights", "ig_reels_aggregated_all_plays_count", "", retired_on=IG_APR_2025,
                retired_from_version=22, replaced_by="views", formats=IG_REELS),
    GraphMetric("instagram", "insights", "engagement", "", retired_on=IG_DEC_2023, retired_from_version=18,
                replaced_by="total_interactions"),
    # Documented as deprecated without a date; refused here with the 2025 wave.
    GraphMetric("instagram", "insights", "video_views", "", retired_on=IG_APR_2025, replaced_by="views"),
    GraphMetric("instagram", "insights", "views", "views"),
    GraphMetric("instagram", "insights", "reach", "reach"),
    GraphMetric("instagram", "insights", "saved", "saves", formats=IG_FEED | IG_REELS),
    GraphMetric("instagram", "insights", "shares", "shares"),
    GraphMetric("instagram", "insights", "ig_reels_video_view_total_time", "watch_time_seconds",
                formats=IG_REELS, milliseconds=True),
)

_BY_NAME = {(m.platform, m.edge, m.name): m for m in METRICS}


def version_major(version: str) -> int | None:
    """25 from 'v25.0' (or 'facebook v25.0'); None when there is no version."""
    found = re.search(r"v([0-9]+)\.[0-9]+", version or "")
    return int(found.group(1)) if found else None


def metric_get(platform: str, edge: str, name: str) -> GraphMetric | None:
    return _BY_NAME.get((platform, edge, name))


def metrics_to_ask(platform: str, edge: str, *, on: dt.date, version: str, post_format: str = "",
                   stored_only: bool = True) -> tuple[GraphMetric, ...]:
    """The metrics a connector asks on this edge today, for a post of this format."""
    return tuple(
        m for m in METRICS
        if m.platform == platform and m.edge == edge and m.live(on=on, version=version)
        # A post of unknown format is asked only what every format offers.
        and (m.fits(post_format) if post_format else not m.formats) and (m.series or not stored_only)
    )


def metric_refused(platform: str, edge: str, name: str, *, on: dt.date, version: str) -> GraphMetric | None:
    """The registry's entry when Graph refuses this known metric on that day and version (for the sandbox)."""
    metric = metric_get(platform, edge, name)
    return metric if metric is not None and not metric.live(on=on, version=version) else None


@dataclass(frozen=True)
class SeriesBreak:
    """A day on which a platform's series moved from one metric to its replacement (marked on charts)."""

    platform: str
    day: dt.date
    old_series: str
    new_series: str
    old_metric: str
    new_metric: str


def series_breaks(platform: str, edge: str = "insights") -> tuple[SeriesBreak, ...]:
    """Retirements whose replacement is stored in another series (impressions → views)."""
    found = []
    for m in METRICS:
        if m.platform != platform or m.edge != edge or not m.replaced_by or m.retired_on is None:
            continue
        new = metric_get(platform, edge, m.replaced_by)
        if new is not None and m.series and new.series and new.series != m.series:
            found.append(SeriesBreak(platform, m.retired_on, m.series, new.series, m.name, new.name))
    return tuple(sorted(found, key=lambda b: b.day))
