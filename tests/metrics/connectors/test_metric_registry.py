"""The dated, versioned registry of Graph metrics: what is asked, what is refused, where series break."""

import datetime as dt

from metrics.connectors.metric_registry import metric_refused, metrics_to_ask, series_breaks, version_major

NOW = dt.date(2026, 12, 2)


def names(platform, edge, *, on=NOW, version="v25.0", post_format="image"):
    return {m.name for m in metrics_to_ask(platform, edge, on=on, version=version, post_format=post_format)}


def test_facebook_posts_are_asked_views_not_impressions_after_15_november_2025():
    assert names("facebook", "insights") == {"post_media_view", "post_total_media_view_unique", "post_clicks"}
    before = names("facebook", "insights", on=dt.date(2025, 11, 14))
    assert "post_impressions" in before and "post_impressions_unique" not in before  # gone since 15 June 2025
    assert metric_refused("facebook", "page_insights", "page_fans", on=dt.date(2025, 11, 15), version="v19.0")
    assert not metric_refused("facebook", "page_insights", "page_fans", on=dt.date(2025, 11, 14), version="v19.0")


def test_instagram_impressions_refused_from_v22_and_on_every_version_from_21_april_2025():
    march = dt.date(2025, 3, 1)
    assert metric_refused("instagram", "insights", "impressions", on=march, version="v22.0")
    assert not metric_refused("instagram", "insights", "impressions", on=march, version="v21.0")
    assert metric_refused("instagram", "insights", "impressions", on=dt.date(2025, 4, 21), version="v21.0")
    assert metric_refused("instagram", "insights", "plays", on=NOW, version="v25.0").replaced_by == "views"


def test_metrics_fit_the_media_type_and_an_unknown_type_gets_only_common_ones():
    assert "ig_reels_video_view_total_time" in names("instagram", "insights", post_format="short_video")
    assert "saved" not in names("instagram", "insights", post_format="story")
    assert names("instagram", "insights", post_format="") == {"views", "reach", "shares"}


def test_views_and_impressions_are_distinct_series_with_a_dated_break():
    (fb,) = series_breaks("facebook")
    assert (fb.day, fb.old_series, fb.new_series) == (dt.date(2025, 11, 15), "impressions", "views")
    ig = series_breaks("instagram")
    assert [(b.day, b.old_metric, b.new_metric) for b in ig] == [(dt.date(2025, 4, 21), "impressions", "views"),
                                                                  (dt.date(2025, 4, 21), "plays", "views")]
    assert version_major("facebook v25.0") == 25 and version_major("") is None
