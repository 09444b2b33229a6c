"""The metric-history chart keeps views and impressions apart and marks where the platform switched."""

import datetime as dt

from metrics.models import PostMetricSnapshot
from metrics.reporting.charts import snapshot_chart


def readings(*days_and_values):
    return [PostMetricSnapshot(captured_at=dt.datetime(*day, 12, tzinfo=dt.UTC), views=views, impressions=impressions)
            for day, views, impressions in days_and_values]


def test_the_switch_from_impressions_to_views_is_a_marked_break_between_two_series():
    snaps = readings(((2025, 11, 13), None, 900), ((2025, 11, 14), None, 1000), ((2025, 11, 16), 1200, None))
    spec = snapshot_chart(snaps, chart_id="t", platform="facebook")
    labels = [d["label"] for d in spec["config"]["data"]["datasets"]]
    assert labels == ["Views", "Impressions", "Interactions"]
    assert spec["config"]["breaks"] == [{"index": 2, "label": "Metric change"}]
    assert len(spec["notes"]) == 1 and "post_media_view" in spec["notes"][0] and "post_impressions" in spec["notes"][0]


def test_no_break_outside_the_readings_and_no_impressions_series_without_impressions():
    snaps = readings(((2026, 1, 1), 10, None), ((2026, 1, 2), 20, None))
    spec = snapshot_chart(snaps, chart_id="t", platform="facebook")
    assert spec["config"]["breaks"] == [] and spec["notes"] == []
    assert [d["label"] for d in spec["config"]["data"]["datasets"]] == ["Views", "Interactions"]
    assert snapshot_chart(snaps, chart_id="t", platform="x")["notes"] == []
