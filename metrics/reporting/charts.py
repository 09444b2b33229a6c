"""Chart specifications for the dashboards: plain dicts rendered with json_script and drawn by
metrics/static/metrics/charts.js. Each spec also carries the rows of the accessible table shown
behind the chart, so the chart and its table can never disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from metrics.connectors.metric_registry import series_breaks
from metrics.reporting.formatting import compact, metric_label, percent

PALETTE = ["#1f4e79", "#c0504d", "#4f9a6b", "#e3a21a", "#7f5fa8", "#3a9fbf", "#8c6d46", "#d16ba5"]


def _day(d) -> str:
    return formats.date_format(d, "M j")


def _with_gaps(points: Sequence[tuple[dt.date, float | None]]) -> list[tuple[dt.date, float | None]]:
    """Daily points with a None on the day after each run of missing days, so that the line stops there
    rather than drawing across days nobody read (a line across the gap would invent the figures between)."""
    out: list[tuple[dt.date, float | None]] = []
    for day, value in points:
        if out and (day - out[-1][0]).days > 1:
            out.append((out[-1][0] + dt.timedelta(days=1), None))
        out.append((day, value))
    return out


def time_chart(*, chart_id: str, title: str, rows: list[tuple[str, list[str]]], datasets: list[dict],
               daily: bool, value_format: str = "compact", from_zero: bool = True) -> dict:
    """A line chart on a time axis: each dataset's data are {"x": ISO date or instant, "y": value} points,
    drawn in the user's zone; `rows` (label, cells) are the accessible table behind it."""
    for i, ds in enumerate(datasets):
        color = ds.pop("color", PALETTE[i % len(PALETTE)])
        ds.setdefault("borderColor", color)
        ds.setdefault("backgroundColor", color + "22")
    return {
        "id": f"chart-{chart_id}", "title": title, "rows": [[label, *cells] for label, cells in rows],
        "columns": [_("Day") if daily else _("Read at"), *[ds["label"] for ds in datasets]],
        "config": {"type": "line", "data": {"datasets": datasets}, "format": value_format, "stacked": False,
                   "horizontal": False, "fromZero": from_zero,
                   "time": {"zone": timezone.get_current_timezone_name(), "daily": daily}},
    }


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
    views = _with_gaps([(d, v) for d, v, _i in series])
    interactions = _with_gaps([(d, i) for d, _v, i in series])
    return time_chart(
        chart_id=chart_id, title=_("Cumulative views and interactions"), daily=True,
        rows=[(_day(d), [compact(v), compact(i)]) for d, v, i in series],
        datasets=[
            {"label": metric_label("views"), "data": [{"x": d.isoformat(), "y": v} for d, v in views],
             "yAxisID": "y", "fill": True, "tension": 0.25},
            {"label": metric_label("interactions"), "data": [{"x": d.isoformat(), "y": i} for d, i in interactions],
             "yAxisID": "y2", "tension": 0.25},
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


def follower_index(points: Sequence[tuple[dt.date, int]]) -> list[tuple[dt.date, float | None, int | None]]:
    """(day, followers indexed to 100 on the first day read, followers) with the gaps of _with_gaps: accounts
    of 22 K and 424 K followers grow on one comparable scale."""
    if not points or not points[0][1]:
        return []
    base = points[0][1]
    by_day = dict(points)
    return [(d, None if f is None else round(100 * f / base, 2), by_day.get(d))
            for d, f in _with_gaps(list(points))]


def _grouped(value: int | None) -> str | None:
    return None if value is None else formats.number_format(value, force_grouping=True)


def follower_chart(growth: list[dict], *, chart_id: str = "followers") -> dict:
    days = sorted({d for g in growth for d, _f in g["points"]})
    datasets, indexed = [], []
    for g in growth:
        series = follower_index(g["points"])
        indexed.append({d: (i, f) for d, i, f in series})
        # The absolute figure rides along with each point for the tooltip.
        datasets.append({"label": str(g["account"]), "tension": 0.2,
                         "data": [{"x": d.isoformat(), "y": i, "absolute": _grouped(f)} for d, i, f in series]})

    def cell(by_day: dict, day: dt.date) -> str:
        index, followers = by_day.get(day, (None, None))
        return "—" if index is None else f"{index:.1f} ({compact(followers)})"

    spec = time_chart(chart_id=chart_id, title=_("Follower growth, indexed to 100 on the first day"), daily=True,
                      rows=[(_day(d), [cell(by_day, d) for by_day in indexed]) for d in days],
                      datasets=datasets, value_format="number", from_zero=False)
    spec["config"]["absoluteInTooltip"] = True
    return spec


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
    datasets: list[dict[str, Any]] = [{"label": metric_label("views"), "data": [s.views for s in snapshots],
                                       "yAxisID": "y", "tension": 0.2}]
    if any(s.impressions is not None for s in snapshots):
        datasets.append({"label": metric_label("impressions"), "data": [s.impressions for s in snapshots],
                         "yAxisID": "y", "tension": 0.2, "borderDash": [4, 3]})
    datasets.append({"label": metric_label("interactions"), "data": [s.interactions for s in snapshots],
                     "yAxisID": "y2", "tension": 0.2})
    # Readings hours apart and weeks apart: each at its instant on a time axis.
    instants = [s.captured_at.isoformat() for s in snapshots]
    rows = [(formats.date_format(timezone.localtime(s.captured_at), "M j H:i"),
             [compact(ds["data"][i]) for ds in datasets]) for i, s in enumerate(snapshots)]
    for ds in datasets:
        ds["data"] = [{"x": at, "y": value} for at, value in zip(instants, ds["data"], strict=True)]
    spec = time_chart(chart_id=chart_id, title=_("Metrics over time"), rows=rows, datasets=datasets, daily=False)
    breaks = series_breaks_within(platform, [s.captured_at.date() for s in snapshots])
    spec["notes"] = [note for _, note in breaks]
    spec["config"]["breaks"] = [{"index": index, "at": instants[index], "label": _("Metric change")}
                                for index, _note in breaks]
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
