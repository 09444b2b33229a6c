"""The PDF campaign report, generated on the server with reportlab: cover, KPI table, charts,
top posts, geography and scores. It reads the same selector as the dashboard, so the two agree."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from campaigns.models import Campaign
from metrics.reporting import pdf_text, selectors
from metrics.reporting.formatting import compact, metric_label, percent
from metrics.reporting.selectors.amplification import campaign_amplifications
from metrics.reporting.selectors.outcomes import campaign_outcomes

NAVY = colors.HexColor("#1f4e79")
RED = colors.HexColor("#c0504d")
GREY = colors.HexColor("#9aa5b1")
LIGHT = colors.HexColor("#eef2f6")


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def _fonts() -> tuple[str, str]:
    fonts = pdf_text.report_fonts()
    return fonts.regular, fonts.bold


def _styles():
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=bold, fontSize=26, leading=32,
                                textColor=NAVY, alignment=0),
        "subtitle": ParagraphStyle("subtitle", parent=base["Normal"], fontName=regular, fontSize=13, leading=18,
                                   textColor=colors.HexColor("#44546a")),
        # keepWithNext: a heading never ends a page with its table on the next.
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=bold, fontSize=15, textColor=NAVY,
                             spaceBefore=10, spaceAfter=6, keepWithNext=1),
        "body": ParagraphStyle("body", parent=base["Normal"], fontName=regular, fontSize=10, leading=14),
        "small": ParagraphStyle("small", parent=base["Normal"], fontName=regular, fontSize=8, leading=10,
                                textColor=colors.HexColor("#5b6770")),
        "h3": ParagraphStyle("h3", parent=base["Heading3"], fontName=bold, fontSize=11.5, textColor=NAVY,
                             spaceBefore=4, spaceAfter=3, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=base["Normal"], fontName=regular, fontSize=8.5, leading=10.5),
    }


def _text(value: object, style: ParagraphStyle) -> Paragraph:
    """Every paragraph of the report goes through here. ReportLab reads a Paragraph's text as markup
    (<a href>, <img>, <font>), so names, objectives and titles are escaped: printed as typed, never a
    link or an image. A line break typed in an objective stays one. Chinese and Arabic runs get fonts
    with their glyphs, Arabic is shaped right to left, and text with CJK wraps between characters."""
    text = str(value).replace("\r\n", "\n")
    markup = "<br/>".join(pdf_text.markup(line) for line in text.split("\n"))
    if pdf_text.has_cjk(text):
        style = ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
    return Paragraph(markup, style)


def _table(rows: list[list], widths: list[float], *, numeric_from: int = 1) -> Table:
    regular, bold = _fonts()
    t = Table(rows, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular), ("FONTNAME", (0, 0), (-1, 0), bold),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("BACKGROUND", (0, 0), (-1, 0), NAVY), ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]),
        ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#d0d7de")),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def _line_chart(series, title: str) -> Drawing:
    regular, bold = _fonts()
    d = Drawing(170 * mm, 70 * mm)
    d.add(String(0, 66 * mm, title, fontName=bold, fontSize=10, fillColor=NAVY))
    if not series:
        return d
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 18 * mm, 12 * mm, 145 * mm, 48 * mm
    plot.data = [[(n, v) for n, (_d, v, _i) in enumerate(series)]]
    plot.lines[0].strokeColor = NAVY
    plot.lines[0].strokeWidth = 1.8
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.labelTextFormat = compact
    plot.yValueAxis.labels.fontName = regular
    plot.xValueAxis.labels.fontName = regular
    plot.yValueAxis.labels.fontSize = plot.xValueAxis.labels.fontSize = 7.5
    plot.xValueAxis.labelTextFormat = lambda n: (
        formats.date_format(series[int(n)][0], "M j") if 0 <= int(n) < len(series) else "")
    plot.xValueAxis.valueSteps = list(range(0, len(series), max(1, -(-len(series) // 6))))
    d.add(plot)
    legend = Legend()
    legend.x, legend.y = 120 * mm, 66 * mm
    legend.fontName = regular
    legend.fontSize = 8
    legend.alignment = "right"
    legend.colorNamePairs = [(NAVY, _("Cumulative views"))]
    d.add(legend)
    return d


def _bar_chart(labels: list[str], values: Sequence[Sequence[float]], names: list[str], title: str, *,
               horizontal: bool = False, fmt=compact, highlight: list[bool] | None = None) -> Drawing:
    regular, bold = _fonts()
    height = (max(60, 9 * len(labels) + 20) if horizontal else 70) * mm
    d = Drawing(170 * mm, height)
    d.add(String(0, height - 4 * mm, title, fontName=bold, fontSize=10, fillColor=NAVY))
    if not labels:
        return d
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x, chart.y = (40 * mm, 8 * mm) if horizontal else (18 * mm, 14 * mm)
    chart.width, chart.height = (120 * mm, height - 18 * mm) if horizontal else (145 * mm, height - 26 * mm)
    chart.data = values
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    # Leave headroom above the tallest bar, so it never touches the frame.
    chart.valueAxis.valueMax = max([max(v) for v in values if v] + [0]) * 1.12 or 1
    chart.valueAxis.labelTextFormat = fmt
    palette = [NAVY, GREY, RED]
    chart.bars.strokeColor = None
    for i in range(len(values)):
        chart.bars[i].fillColor = palette[i % len(palette)]
    if highlight:
        for j, on in enumerate(highlight):
            if on:
                chart.bars[(0, j)].fillColor = RED
    d.add(chart)
    if len(names) > 1:
        legend = Legend()
        legend.x, legend.y = 120 * mm, height - 4 * mm
        legend.fontName = regular
        legend.fontSize = 8
        legend.alignment = "right"
        legend.colorNamePairs = [(palette[i], n) for i, n in enumerate(names)]
        legend.columnMaximum = 1
        d.add(legend)
    return d


def campaign_report_pdf(*, campaign: Campaign, start: dt.date | None = None, end: dt.date | None = None) -> bytes:
    """The dashboard as a PDF, for the range the dashboard shows (the whole campaign without one)."""
    board = selectors.campaign_dashboard(campaign=campaign, start=start, end=end)
    s = _styles()
    buffer = io.BytesIO()
    regular, _bold = _fonts()

    def footer(canvas, doc):
        canvas.saveState()
        footer_text = pdf_text.visual_order(f"{campaign.name} · {campaign.organization.name}")
        canvas.setFont(pdf_text.drawing_font([footer_text], pdf_text.report_fonts()), 8)
        canvas.setFillColor(colors.HexColor("#5b6770"))
        canvas.drawString(18 * mm, 10 * mm, footer_text)
        canvas.drawRightString(192 * mm, 10 * mm, _("Page %(n)s") % {"n": doc.page})
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=campaign.name, author=campaign.organization.name,
                            subject=_("Campaign report"))
    story: list = []
    date = lambda d: formats.date_format(d, "DATE_FORMAT")  # noqa: E731
    # Cover
    story += [Spacer(1, 40 * mm), _text(_("Campaign report"), s["subtitle"]), Spacer(1, 4 * mm),
              _text(campaign.name, s["title"]), Spacer(1, 4 * mm),
              _text(campaign.organization.name, s["subtitle"]),
              _text(_("%(start)s – %(end)s") % {"start": date(campaign.start_date), "end": date(campaign.end_date)},
                        s["subtitle"]), Spacer(1, 10 * mm)]
    if campaign.objective:
        story.append(_text(campaign.objective, s["body"]))
    t = board.totals
    headline = [
        [*map(metric_label, ("views", "reach", "interactions", "interaction_rate")), _("Posts")],
        [compact(t.views), compact(t.reach), compact(t.interactions), percent(t.interaction_rate), str(t.posts)],
    ]
    story += [Spacer(1, 10 * mm), _table(headline, [34 * mm] * 5, numeric_from=0), Spacer(1, 6 * mm),
              _text(_("Generated on %(when)s; figures gained from %(start)s to %(end)s (UTC days).") % {
                  "when": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"), "start": date(board.start),
                  "end": date(board.end)}, s["small"]), PageBreak()]

    # KPIs
    story.append(_text(_("Targets"), s["h2"]))
    if board.kpis:
        rows = [[_("KPI"), _("Target"), _("Actual"), _("Target reached (%)"), _("Projected"), _("Status")]]
        for k in board.kpis:
            fmt = percent if k.unit == "pct" else compact
            rows.append([_text(k.label, s["cell"]), fmt(k.target_value), fmt(k.actual),
                         percent(k.pct_of_target, digits=0), fmt(k.projected), k.status_label])
        story.append(_table(rows, [52 * mm, 22 * mm, 22 * mm, 22 * mm, 22 * mm, 34 * mm]))
    else:
        story.append(_text(_("This campaign has no KPI targets."), s["body"]))
    story += [Spacer(1, 6 * mm), _line_chart(board.series, _("Cumulative views"))]
    platforms = board.breakdowns["platform"]
    story.append(_bar_chart([b.label for b in platforms], [[b.figures.views for b in platforms],
                                                          [b.figures.interactions for b in platforms]],
                            [metric_label("views"), metric_label("interactions")],
                            _("Views and interactions by platform")))

    # Top posts
    story += [PageBreak(), _text(_("Top posts"), s["h2"])]
    ranked = sorted((r for r in board.posts if r.figures.posts), key=lambda r: r.figures.views, reverse=True)[:10]
    rows = [[_("Post"), _("Platform"), metric_label("views"), metric_label("interactions"), _("Rate"), _("Score")]]
    for r in ranked:
        rows.append([_text(str(r.post), s["cell"]), r.post.account.get_platform_display(),
                     compact(r.figures.views), compact(r.figures.interactions),
                     percent(r.figures.interaction_rate), _score(r.overall)])
    story.append(_table(rows, [70 * mm, 22 * mm, 20 * mm, 22 * mm, 18 * mm, 18 * mm]))

    # Geography
    geo = board.geography
    story.append(_text(_("Audience geography"), s["h2"]))
    if geo.countries:
        source = (_("Views by country, as the platforms report them per post.") if geo.measure == "views"
                  else _("Followers of the campaign's own accounts by country (the platforms give no per-post "
                         "country figures for these posts)."))
        story.append(_text(source, s["small"]))
        if geo.headline:
            story.append(_text(geo.headline[:1].upper() + geo.headline[1:] + ".", s["body"]))
        top = geo.countries[:10]
        story.append(_bar_chart([c.name for c in top][::-1], [[c.value for c in top][::-1]], [_("Audience")],
                                _("Audience by country (target countries in red)"), horizontal=True,
                                highlight=[c.targeted for c in top][::-1]))
        rows = [[_("Country"), _("Audience"), _("Share"), _("Target country")]]
        rows += [[c.name, compact(c.value), percent(100 * c.share), _("yes") if c.targeted else ""] for c in top]
        story.append(_table(rows, [60 * mm, 30 * mm, 30 * mm, 30 * mm]))
    else:
        story.append(_text(_("No audience geography has been reported for this campaign yet."), s["body"]))

    # Influencers
    inf = board.influence
    story.append(_text(_("Influencer contribution"), s["h2"]))
    rows = [[_("Source"), _("Posts"), metric_label("views"), metric_label("reach"), metric_label("interactions")],
            [_("Own accounts"), str(inf.own.posts), compact(inf.own.views), compact(inf.own.reach),
             compact(inf.own.interactions)],
            [_("Influencers"), str(inf.influencers.posts), compact(inf.influencers.views),
             compact(inf.influencers.reach), compact(inf.influencers.interactions)]]
    story.append(_table(rows, [50 * mm, 20 * mm, 30 * mm, 30 * mm, 30 * mm]))

    # Scores
    story += [PageBreak(), _text(_("Four-principle scores"), s["h2"])]
    sc = board.scores
    if sc.scored_posts:
        rows = [[_("Principle"), _("This campaign"), _("Organization")]]
        rows += [[label, _score(c), _score(o)] for _k, label, c, o in sc.rows]
        story.append(_table(rows, [60 * mm, 40 * mm, 40 * mm]))
        if sc.weakest:
            story.append(Spacer(1, 3 * mm))
            story.append(_text(_("Weakest principle: %(p)s.") % {"p": selectors.principle_labels()[sc.weakest]},
                                   s["body"]))
        labels = [label for _k, label, _c, _o in sc.rows]
        story.append(_bar_chart(labels, [[c or 0 for _k, _l, c, _o in sc.rows], [o or 0 for _k, _l, _c, o in sc.rows]],
                                [_("This campaign"), _("Organization")], _("Scores (0–100)"),
                                fmt=lambda v: f"{v:.0f}"))
    else:
        story.append(_text(_("No post of this campaign has been scored yet."), s["body"]))

    story += _amplifications(campaign, s, date)
    story += _outcome_chain(campaign, s, date)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _amplifications(campaign: Campaign, s: dict, date) -> list:
    """"Reshared by …": the notable accounts that amplified the campaign's posts."""
    amplified = campaign_amplifications(campaign=campaign)
    story: list = [Spacer(1, 6 * mm), _text(_("Reshared by notable accounts"), s["h2"])]
    if not amplified.items:
        return [*story, _text(_("No notable account has amplified this campaign yet."), s["body"])]
    kinds = ", ".join(f"{label} {n}" for label, n in amplified.by_kind)
    story.append(_text(_("%(total)s amplifications by %(accounts)s notable accounts (%(kinds)s).") % {
        "total": amplified.count, "accounts": amplified.accounts, "kinds": kinds}, s["body"]))
    rows: list[list] = [[_("Date"), _("Notable account"), _("Kind"), _("Post")]]
    for item in amplified.items:
        notable = item.notable
        who = f"{notable.name} (@{notable.handle})\n{notable.get_kind_display()}"
        if notable.country:
            who += f" · {notable.country_name}"
        rows.append([date(timezone.localtime(item.occurred_at or item.created_at).date()), _text(who, s["cell"]),
                     _text(item.get_kind_display(), s["cell"]), _text(item.post.title or str(item.post), s["cell"])])
    story.append(_table(rows, [24 * mm, 70 * mm, 22 * mm, 58 * mm], numeric_from=4))
    return story


def _outcome_chain(campaign: Campaign, s: dict, date) -> list:
    """Outputs → out-takes → outcomes → impact, then each objective with its evidence (AMEC, GCS OASIS)."""
    chain = campaign_outcomes(campaign=campaign)
    level_names = {"outtake": _("Out-take"), "outcome": _("Outcome"), "impact": _("Impact")}
    story: list = [PageBreak(), _text(_("Objectives and outcomes"), s["h2"])]
    counts = chain.counts
    story.append(_table([
        [_("Outputs"), _("Out-takes"), _("Outcomes"), _("Impact")],
        [_text(_("%(posts)s posts published, %(views)s views, %(interactions)s interactions") % {
            "posts": chain.posts_published, "views": compact(chain.outputs.views),
            "interactions": compact(chain.outputs.interactions)}, s["cell"]),
         str(counts["outtake"]), str(counts["outcome"]), str(counts["impact"])],
    ], [70 * mm, 34 * mm, 34 * mm, 34 * mm]))
    if not chain.objectives:
        story.append(_text(_("No objectives have been recorded for this campaign."), s["body"]))
    for result in chain.objectives:
        objective = result.objective
        story.append(Spacer(1, 5 * mm))
        story.append(_text(f"{objective.get_kind_display()}: {objective.statement}", s["h3"]))
        line = _("Indicator: %(indicator)s") % {"indicator": objective.indicator}
        if objective.target:
            line += " · " + _("Target: %(target)s") % {"target": objective.target}
        if result.target_reached is not None:
            line += " · " + (_("Target reached") if result.target_reached else _("Not reached yet"))
        story.append(_text(line, s["body"]))
        items = [item for level in result.evidence_by_level.values() for item in level]
        if not items:
            story.append(_text(_("No evidence recorded yet."), s["small"]))
            continue
        rows: list[list] = [[_("Date"), _("Level"), _("Evidence"), _("Source"), _("Value")]]
        for item in sorted(items, key=lambda i: (i.observed_on, i.pk)):
            summary = f"{item.get_kind_display()}: {item.summary}" + (f"\n{item.link}" if item.link else "")
            rows.append([date(item.observed_on), level_names[item.level], _text(summary, s["cell"]),
                         _text(item.source, s["cell"]),
                         "" if item.value is None else floatformat(item.value, "-2g")])
        story.append(_table(rows, [24 * mm, 20 * mm, 78 * mm, 32 * mm, 20 * mm], numeric_from=4))
    return story

