"""CSV and Excel exports of the dashboard tables, safe against formula injection.

A spreadsheet treats a cell starting with = + - @ (or a tab / carriage return before one) as a
formula; post titles and bodies come from outside, so such text cells get a leading apostrophe.
Times are written in the reader's time zone (the active one).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from campaigns.models import Campaign
from metrics.reporting import selectors
from metrics.reporting.formatting import metric_label, principle_label
from metrics.vocabulary import POST_METRICS, PRINCIPLES

DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """A cell value safe to open in a spreadsheet: text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(DANGEROUS_FIRST):
        return "'" + value
    return value


def _local(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, Decimal):
        return float(value)
    return value


def _in_zone(label) -> str:
    """A time column's header names the zone its times are in (the reader's)."""
    return str(_("%(label)s (%(zone)s)") % {"label": label, "zone": timezone.get_current_timezone_name()})


def _score(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _rate_header() -> str:
    """The interaction rate's column: a percentage (interactions per 100 views)."""
    return _("%(label)s %%") % {"label": metric_label("interaction_rate")}


def posts_table(*, campaign: Campaign, start: dt.date | None = None,
                end: dt.date | None = None) -> tuple[list[str], Iterable[list]]:
    board = selectors.campaign_dashboard(campaign=campaign, start=start, end=end)
    figures = ("views", "reach", "interactions", "reactions", "comments", "shares", "saves")
    headers = [str(h) for h in (
        _("Post id"), _("Title"), _("Platform"), _("Account"), _("Format"), _("Language"), _("Status"),
        _in_zone(_("Published")), _("Series"), _("Collaboration"), *map(metric_label, figures), _rate_header(),
        *map(principle_label, PRINCIPLES), _("Overall score"), _("Permalink"),
    )]

    def rows():
        for r in board.posts:
            p, f, s = r.post, r.figures, r.score
            rate = f.interaction_rate
            yield [
                p.id, p.title or p.body[:80], p.account.get_platform_display(), p.account.handle,
                p.get_format_display(), p.language, p.get_status_display(), p.published_at,
                p.series.name if p.series else "", r.collaboration, *(getattr(f, name) for name in figures),
                round(rate, 2) if rate is not None else None,
                *(_score(getattr(s, name)) if s else None for name in (*PRINCIPLES, "overall")),
                p.permalink,
            ]

    return headers, rows()


def snapshots_table(*, campaign: Campaign, start: dt.date | None = None,
                    end: dt.date | None = None) -> tuple[list[str], Iterable[list]]:
    headers = [str(h) for h in (
        _("Post id"), _("Title"), _("Account"), _("Source"), _in_zone(_("Read at")), *map(metric_label, POST_METRICS),
        _("API version"), _("Platform metrics"),
    )]

    def rows():
        for s in selectors.campaign_snapshot_rows(campaign=campaign, start=start, end=end).iterator(chunk_size=2000):
            # Provenance: views and impressions are different platform metrics (metric registry).
            sources = (s.extra or {}).get("metric_sources") or {}
            yield [s.post_id, s.post.title, s.post.account.handle, s.get_source_display(), s.captured_at,
                   *(getattr(s, name) for name in POST_METRICS), s.api_version,
                   "; ".join(f"{series}={metric}" for series, metric in sorted(sources.items()))]

    return headers, rows()


def kpis_table(*, campaign: Campaign, **_range) -> tuple[list[str], Iterable[list]]:
    """KPIs are about the whole campaign up to today, whatever range the dashboard shows (as on the page)."""
    headers = [str(h) for h in (_("KPI"), _("Country"), _("Target"), _("Actual"), _("Target reached (%)"),
                                _("Projected at end date"), _("Status"), _("Note"))]
    kpis = selectors.campaign_kpis(campaign=campaign, today=selectors.rollup_today())
    rows = [
        [str(k.target.get_metric_display()), k.target.country, k.target_value,
         round(k.actual, 2) if k.actual is not None else None,
         round(k.pct_of_target, 1) if k.pct_of_target is not None else None,
         round(k.projected, 2) if k.projected is not None else None, k.status_label, k.target.note]
        for k in kpis
    ]
    return headers, rows


def geography_table(*, campaign: Campaign, **_range) -> tuple[list[str], Iterable[list]]:
    """The platforms report audience geography as lifetime figures: there is no range to apply (as on the page)."""
    geo = selectors.campaign_geography(campaign=campaign)
    measure = str(metric_label("views") if geo.measure == "views" else _("Followers"))
    headers = [str(h) for h in (_("Country code"), _("Country"), _("Measure"), _("Audience"), _("Share %"),
                                _("Target country"))]
    rows = [[c.code, c.name, measure, c.value, round(100 * c.share, 2), str(_("yes")) if c.targeted else ""]
            for c in geo.countries]
    return headers, rows


def breakdowns_table(*, campaign: Campaign, start: dt.date | None = None,
                     end: dt.date | None = None) -> tuple[list[str], Iterable[list]]:
    board = selectors.campaign_dashboard(campaign=campaign, start=start, end=end)
    dimensions = {"platform": _("Platform"), "account": _("Account"), "format": _("Format"),
                  "language": _("Language"), "series": _("Series")}
    headers = [str(h) for h in (_("Breakdown"), _("Group"), _("Posts with figures"), metric_label("views"),
                                metric_label("reach"), metric_label("interactions"), _rate_header())]
    rows = [
        [str(dimensions[name]), b.label, b.figures.posts, b.figures.views, b.figures.reach, b.figures.interactions,
         round(b.figures.interaction_rate, 2) if b.figures.interaction_rate is not None else None]
        for name, groups in board.breakdowns.items() for b in groups
    ]
    return headers, rows


TABLES: dict[str, Callable] = {"posts": posts_table, "snapshots": snapshots_table, "kpis": kpis_table,
                               "geography": geography_table, "breakdowns": breakdowns_table}
TABLE_TITLES = {"posts": _("Posts"), "snapshots": _("Snapshots"), "kpis": _("KPI progress"),
                "geography": _("Audience geography"), "breakdowns": _("Breakdowns")}


def write_csv(stream, headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    stream.write("\ufeff")  # Excel reads UTF-8 CSV correctly only with a byte-order mark
    writer = csv.writer(stream)
    writer.writerow([neutralize(h) for h in headers])
    for row in rows:
        writer.writerow([neutralize(_csv_value(v)) for v in row])


def _csv_value(value):
    value = _local(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return "" if value is None else value


def write_xlsx(stream, headers: Sequence[str], rows: Iterable[Sequence], *, title: str) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(ws, value=neutralize(h))
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_xlsx_cell(ws, neutralize(_local(v))) for v in row])
    wb.save(stream)


# Numbers shown as numbers (thousands separated, decimals kept), times as times: not Excel's "General".
XLSX_FORMATS = ((bool, "General"), (int, "#,##0"), (float, "#,##0.0#"), (dt.datetime, "yyyy-mm-dd hh:mm"))


def _xlsx_cell(ws, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    for kind, number_format in XLSX_FORMATS:
        if isinstance(value, kind):
            cell.number_format = number_format
            break
    return cell
