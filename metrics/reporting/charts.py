"""Chart specifications for the dashboards: plain dicts rendered with json_script and drawn by
metrics/static/metrics/charts.js. Each spec also carries the rows of the accessible table shown
behind the chart, so the chart and its table can never disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from metrics.connectors.metric_registry import series_breaks
from metrics.reporting.formatting import compact, metric_label, percent

PALETTE = ["#1f4e79", "#c0504d", "#4f9a6b", "#e3a21a", "#7f5fa8", "#3a9fbf", "#8c6d46", "#d16ba5"]


def _day(d) -> str:
    return formats.date_format(d, "M j")


def chart(*, chart_id: str, title: str, kind: str, labels: list[str], datasets: list[dict],
          value_format: str = "compact", stacked: bool = False, horizontal: bool = False) -> dict:
    for i, ds in enumerate(datasets):
        color = ds.pop("color", PALETTE[i % len(PALETTE)])
        ds.setdefault("borderColor", color)
        ds.setdefault("backgroundColor", color if kind == "bar" or kind == "doughnut" else color + "22")
    fmt = percent if value_format == "percent" else compact
    table = [[label, *[fmt(ds["data"][i]) if ds["data"][i] is not None else "—" for ds in datasets]]
             for i, label in enumerate(labels)]
    return {
        "id": f"chart-{chart_id}", "title": title, "rows": table,
        "columns": [_("Item"), *[ds["label"] for ds in datasets]],
        "config": {"type": kind, "data": {"labels": labels, "datasets": datasets},
                   "format": value_format, "stacked": stacked, "horizontal": horizontal},
    }


def cumulative_chart(series: Sequence[tuple], chart_id: str = "cumulative") -> dict:
    return chart(
        chart_id=chart_id, title=_("Cumulative views and interactions"), kind="line",
        labels=[_day(d) for d, _v, _i in series],
        datasets=[
            {"label": metric_label("views"), "data": [v for _d, v, _i in series], "yAxisID": "y", "fill": True,
             "tension": 0.25},
            {"label": metric_label("interactions"), "data": [i for _d, _v, i in series], "yAxisID": "y2",
             "tension": 0.25},
        ],
    )


def breakdown_chart(rows, *, chart_id: str, title: str) -> dict:
    return chart(
        chart_id=chart_id, title=title, kind="bar", labels=[r.label for r in rows], horizontal=True,
        datasets=[{"label": metric_label("views"), "data": [r.figures.views for r in rows]},
                  {"label": metric_label("interactions"), "data": [r.figures.interactions for r in rows]}],
    )


def geography_chart(geo, *, chart_id: str = "geography", limit: int = 10) -> dict:
    top = geo.countries[:limit]
    measure = metric_label("views") if geo.measure == "views" else _("Followers")
    return chart(
        chart_id=chart_id, title=_("Audience by country"), kind="bar", horizontal=True,
        labels=[c.name for c in top],
        datasets=[{"label": measure, "data": [c.value for c in top],
                   "backgroundColor": [PALETTE[1] if c.targeted else PALETTE[0] for c in top]}],
    )


def follower_chart(growth: list[dict], *, chart_id: str = "followers") -> dict:
    days = sorted({d for g in growth for d, _f in g["points"]})
    datasets = []
    for g in growth:
        by_day = dict(g["points"])
        datasets.append({"label": str(g["account"]), "data": [by_day.get(d) for d in days], "tension": 0.2,
                         "spanGaps": True})
    return chart(chart_id=chart_id, title=_("Followers per account"), kind="line",
                 labels=[_day(d) for d in days], datasets=datasets)


def scores_chart(summary, *, chart_id: str = "scores") -> dict:
    labels, camp, org = [], [], []
    for _key, label, c, o in summary.rows:
        labels.append(label)
        camp.append(round(c, 1) if c is not None else None)
        org.append(round(o, 1) if o is not None else None)
    return chart(chart_id=chart_id, title=_("Four-principle scores"), kind="bar", labels=labels,
                 datasets=[{"label": _("This campaign"), "data": camp},
                           {"label": _("Organization average"), "data": org, "color": "#9aa5b1"}],
                 value_format="number")


def compare_chart(comparisons, *, chart_id: str = "compare") -> dict:
    length = max((len(c.series) for c in comparisons), default=0)
    datasets = []
    for c in comparisons:
        values = [v for _n, v in c.series]
        datasets.append({"label": c.campaign.name, "data": values + [None] * (length - len(values)),
                         "tension": 0.25})
    return chart(chart_id=chart_id, title=_("Cumulative views by campaign day"), kind="line",
                 labels=[_("Day %(n)s") % {"n": n + 1} for n in range(length)], datasets=datasets)


def snapshot_chart(snapshots, *, chart_id: str, platform: str = "") -> dict:
    """A post's readings; impressions and views are distinct series, and where the platform replaced
    one with the other (metric registry) a vertical line and a note mark the break."""
    datasets = [{"label": metric_label("views"), "data": [s.views for s in snapshots], "yAxisID": "y",
                 "tension": 0.2}]
    if any(s.impressions is not None for s in snapshots):
        datasets.append({"label": metric_label("impressions"), "data": [s.impressions for s in snapshots],
                         "yAxisID": "y", "tension": 0.2, "borderDash": [4, 3]})
    datasets.append({"label": metric_label("interactions"), "data": [s.interactions for s in snapshots],
                     "yAxisID": "y2", "tension": 0.2})
    spec = chart(
        chart_id=chart_id, title=_("Metrics over time"), kind="line",
        labels=[formats.date_format(timezone.localtime(s.captured_at), "M j H:i") for s in snapshots],
        datasets=datasets,
    )
    breaks = series_breaks_within(platform, [s.captured_at.date() for s in snapshots])
    spec["notes"] = [note for _, note in breaks]
    spec["config"]["breaks"] = [{"index": index, "label": _("Metric change")} for index, _note in breaks]
    return spec


def series_breaks_within(platform: str, days: Sequence[dt.date]) -> list[tuple[int, str]]:
    """(index of the first reading after the break, note) for each registry break inside these readings."""
    found = []
    for brk in series_breaks(platform):
        index = next((i for i, day in enumerate(days) if day >= brk.day), None)
        if index is None or index == 0:
            continue
        found.append((index, _("From %(day)s the platform reports %(new)s (%(new_metric)s) in place of %(old)s "
                               "(%(old_metric)s): the two are kept as separate series.") % {
            "day": formats.date_format(brk.day, "DATE_FORMAT"), "new": metric_label(brk.new_series),
            "new_metric": brk.new_metric, "old": metric_label(brk.old_series), "old_metric": brk.old_metric}))
    return found


def family_chart(rows, *, chart_id: str) -> dict:
    """One bar per language (selectors.language_totals), not one per version."""
    return chart(chart_id=chart_id, title=_("Views by language"), kind="bar",
                 labels=[r.language for r in rows],
                 datasets=[{"label": metric_label("views"), "data": [r.figures.views for r in rows]},
                           {"label": metric_label("interactions"), "data": [r.figures.interactions for r in rows]}])
