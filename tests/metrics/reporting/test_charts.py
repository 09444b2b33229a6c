"""The metric-history chart keeps views and impressions apart and marks where the platform switched; time
charts place points by their instant, break the line over days not read, and index followers to 100."""

import datetime as dt

from metrics.models import PostMetricSnapshot
from metrics.reporting.charts import cumulative_chart, follower_chart, follower_index, snapshot_chart


def readings(*days_and_values):
    return [PostMetricSnapshot(captured_at=dt.datetime(*day, 12, tzinfo=dt.UTC), views=views, impressions=impressions)
            for day, views, impressions in days_and_values]


def test_the_switch_from_impressions_to_views_is_a_marked_break_between_two_series():
    snaps = readings(((2025, 11, 13), None, 900), ((2025, 11, 14), None, 1000), ((2025, 11, 16), 1200, None))
    spec = snapshot_chart(snaps, chart_id="t", platform="facebook")
    labels = [d["label"] for d in spec["config"]["data"]["datasets"]]
    assert labels == ["Views", "Impressions", "Interactions"]
    assert spec["config"]["breaks"] == [{"index": 2, "at": "2025-11-16T12:00:00+00:00", "label": "Metric change"}]
    assert len(spec["notes"]) == 1 and "post_media_view" in spec["notes"][0] and "post_impressions" in spec["notes"][0]


def test_no_break_outside_the_readings_and_no_impressions_series_without_impressions():
    snaps = readings(((2026, 1, 1), 10, None), ((2026, 1, 2), 20, None))
    spec = snapshot_chart(snaps, chart_id="t", platform="facebook")
    assert spec["config"]["breaks"] == [] and spec["notes"] == []
    assert [d["label"] for d in spec["config"]["data"]["datasets"]] == ["Views", "Interactions"]
    assert snapshot_chart(snaps, chart_id="t", platform="x")["notes"] == []


def test_readings_are_points_at_their_instant_for_a_time_axis_in_the_users_zone(settings):
    snaps = readings(((2026, 1, 1), 10, None), ((2026, 1, 2), 20, None), ((2026, 1, 30), 90, None))
    spec = snapshot_chart(snaps, chart_id="t", platform="x")
    views = spec["config"]["data"]["datasets"][0]["data"]
    assert [p["x"] for p in views] == ["2026-01-01T12:00:00+00:00", "2026-01-02T12:00:00+00:00",
                                       "2026-01-30T12:00:00+00:00"]
    assert [p["y"] for p in views] == [10, 20, 90]
    assert spec["config"]["time"] == {"zone": settings.TIME_ZONE, "daily": False}
    assert "labels" not in spec["config"]["data"]


def test_a_missing_day_breaks_the_daily_line_instead_of_bridging_it():
    series = [(dt.date(2026, 3, 1), 10, 1), (dt.date(2026, 3, 2), 12, 2), (dt.date(2026, 3, 5), 30, 4)]
    views = cumulative_chart(series)["config"]["data"]["datasets"][0]["data"]
    assert views == [{"x": "2026-03-01", "y": 10}, {"x": "2026-03-02", "y": 12}, {"x": "2026-03-03", "y": None},
                     {"x": "2026-03-05", "y": 30}]


def test_followers_are_indexed_to_100_on_the_first_day_with_the_absolute_figure_kept():
    small = [(dt.date(2026, 3, 1), 22_000), (dt.date(2026, 3, 2), 22_440), (dt.date(2026, 3, 4), 23_100)]
    large = [(dt.date(2026, 3, 1), 424_000), (dt.date(2026, 3, 2), 424_424)]
    assert follower_index(small) == [(dt.date(2026, 3, 1), 100.0, 22_000), (dt.date(2026, 3, 2), 102.0, 22_440),
                                     (dt.date(2026, 3, 3), None, None), (dt.date(2026, 3, 4), 105.0, 23_100)]
    spec = follower_chart([{"account": "small", "points": small}, {"account": "large", "points": large}])
    first, second = spec["config"]["data"]["datasets"]
    assert first["data"][1] == {"x": "2026-03-02", "y": 102.0, "absolute": "22,440"}
    assert second["data"][1]["y"] == 100.1
    assert spec["config"]["fromZero"] is False and spec["config"]["absoluteInTooltip"] is True
    assert spec["rows"][1] == ["Mar 2", "102.0 (22.4 K)", "100.1 (424 K)"]
