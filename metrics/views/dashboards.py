"""Managers' pages: organization overview, campaign dashboard, comparisons, performance fragments,
exports and the PDF report. Thin: scope, parse, call a selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from campaigns import access
from campaigns.models import Campaign, Influencer, Post
from campaigns.views.common import needs
from metrics.reporting import charts, exports, reports, selectors
from metrics.reporting.best_times import BestTimesForm, account_best_times
from metrics.reporting.formatting import metric_label
from metrics.reporting.ranges import CampaignRangeForm
from metrics.reporting.selectors.amplification import campaign_amplifications
from metrics.reporting.selectors.outcomes import campaign_outcomes

SORTS = {
    "views": lambda r: r.figures.views,
    "interactions": lambda r: r.figures.interactions,
    "rate": lambda r: r.figures.interaction_rate or 0,
    "score": lambda r: r.overall if r.overall is not None else -1,
    "published": lambda r: r.post.published_at or timezone.now(),
}
TOP_N = 10
CAMPAIGNS = Campaign.objects.select_related("organization")


@needs(None)
@require_GET
def org_overview(request):
    org_ids = access.organization_ids_for(request.user)
    orgs = list(access.organizations_for(request.user))
    chosen = request.GET.get("org")
    if chosen:
        if not chosen.isdigit() or int(chosen) not in org_ids:
            raise Http404
        org_ids = [int(chosen)]
    days = 28 if request.GET.get("days") == "28" else 7
    overview = selectors.org_overview(organization_ids=org_ids, days=days)
    return render(request, "metrics/overview.html", {
        "overview": overview, "organizations": orgs, "chosen_org": chosen or "", "days": days,
        "follower_chart": charts.follower_chart(overview.follower_growth, chart_id="overview-followers"),
    })


def _chosen_range(request, campaign: Campaign) -> tuple[CampaignRangeForm, dict]:
    """The dashboard's date range (?start=&end=), shared by the page, its exports and its PDF: a range that
    cannot be shown falls back to the whole campaign, with a message on the page."""
    range_form = CampaignRangeForm(request.GET, campaign=campaign)
    days = range_form.cleaned_data if range_form.is_valid() else {}
    return range_form, {"start": days.get("start"), "end": days.get("end")}


@needs(None, model=CAMPAIGNS)
@require_GET
def campaign_dashboard(request, campaign: Campaign):
    range_form, days = _chosen_range(request, campaign)
    if range_form.errors:
        messages.error(request, _("That date range cannot be shown; showing the whole campaign instead."))
    board = selectors.campaign_dashboard(campaign=campaign, **days)
    sort = request.GET.get("sort", "views")
    if sort not in SORTS:
        sort = "views"
    # Planned posts not yet read have no figures: they are neither top nor bottom.
    ranked = sorted((r for r in board.posts if r.figures.posts), key=SORTS[sort], reverse=True)
    context = {
        "board": board, "campaign": campaign, "range_form": range_form, "sort": sort, "sorts": _sort_labels(),
        "top_posts": ranked[:TOP_N], "bottom_posts": list(reversed(ranked[max(TOP_N, len(ranked) - TOP_N):])),
        "charts": {
            "cumulative": charts.cumulative_chart(board.series),
            "platform": charts.breakdown_chart(board.breakdowns["platform"], chart_id="by-platform",
                                               title=_("By platform")),
            "format": charts.breakdown_chart(board.breakdowns["format"], chart_id="by-format", title=_("By format")),
            "geography": charts.geography_chart(board.geography),
            "scores": charts.scores_chart(board.scores),
        },
        "breakdown_titles": {"platform": _("Platform"), "account": _("Account"), "format": _("Format"),
                             "language": _("Language"), "series": _("Series")},
        "can_export": True,
        "amplified": campaign_amplifications(campaign=campaign),
        # The exports and the PDF follow the range shown (the whole campaign when none was chosen).
        "range_query": urlencode({k: v.isoformat() for k, v in days.items() if v and not range_form.errors}),
    }
    return render(request, "metrics/dashboard.html", context)


def _sort_labels() -> dict[str, str]:
    return {"views": metric_label("views"), "interactions": metric_label("interactions"),
            "rate": metric_label("interaction_rate"), "score": _("Overall score"), "published": _("Newest")}


@needs(None)
@require_GET
def compare_campaigns(request):
    available = list(access.scope(Campaign.objects.all(), request.user).order_by("-start_date", "name"))
    wanted = [int(i) for i in request.GET.getlist("ids") if i.isdigit()]
    chosen = [c for c in available if c.id in wanted]
    comparisons = selectors.compare_campaigns(campaigns=chosen) if len(chosen) >= 2 else []
    if request.GET.getlist("ids") and len(chosen) < 2:
        messages.info(request, _("Pick two or more campaigns to compare."))
    return render(request, "metrics/compare.html", {
        "available": available, "chosen_ids": [c.id for c in chosen], "comparisons": comparisons,
        "chart": charts.compare_chart(comparisons) if comparisons else None,
    })


@needs(None, model=Post.objects.select_related("account"), path="account__organization")
@require_GET
def compare_languages(request, post: Post):
    rows = selectors.post_family(post=post)
    return render(request, "metrics/compare_languages.html", {
        "post": post, "rows": rows, "headline": selectors.family_headline(rows),
        "chart": charts.family_chart(selectors.language_totals(rows), chart_id=f"family-{post.id}"),
    })


@needs(None, model=Post.objects.select_related("account", "campaign"), path="account__organization")
@require_GET
def post_performance(request, post: Post):
    perf = selectors.post_performance(post=post)
    return render(request, "metrics/post_performance.html", {
        "perf": perf,
        "chart": charts.snapshot_chart(perf.snapshots, chart_id=f"post-{post.id}-curve",
                                       platform=post.account.platform) if perf.snapshots else None,
        "family_chart": (charts.family_chart(selectors.language_totals(perf.family), chart_id=f"post-{post.id}-family")
                         if perf.family else None),
    })


@needs(None, model=Influencer)
@require_GET
def influencer_performance(request, influencer: Influencer):
    lines = selectors.influencer_performance(influencer_id=influencer.id)
    return render(request, "metrics/influencer_performance.html", {"influencer": influencer, "lines": lines})


@needs(None, model=CAMPAIGNS)
@require_GET
def campaign_outcome_chain(request, campaign: Campaign):
    """The campaign page's results chain (htmx fragment): outputs → out-takes → outcomes → impact."""
    return render(request, "metrics/outcome_chain.html", {
        "chain": campaign_outcomes(campaign=campaign),
        "can_plan": access.can(request.user, "plan", campaign.organization_id),
    })


@needs(None, model=CAMPAIGNS)
@require_GET
def campaign_amplification_list(request, campaign: Campaign):
    """The campaign page's "Reshared by" panel (htmx fragment)."""
    return render(request, "metrics/amplifications.html", {"amplified": campaign_amplifications(campaign=campaign)})


@needs(None, model=CAMPAIGNS)
@require_GET
def campaign_export(request, campaign: Campaign, table: str, fmt: str):
    if table not in exports.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    headers, rows = exports.TABLES[table](campaign=campaign, **_chosen_range(request, campaign)[1])
    name = f"{slugify(campaign.name) or 'campaign'}-{table}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        exports.write_csv(response, headers, rows)
    else:
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        exports.write_xlsx(response, headers, rows, title=str(exports.TABLE_TITLES[table]))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@needs(None, model=CAMPAIGNS)
@require_GET
def campaign_report(request, campaign: Campaign):
    pdf = reports.campaign_report_pdf(campaign=campaign, **_chosen_range(request, campaign)[1])
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{slugify(campaign.name) or 'campaign'}-report-{timezone.localdate():%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@needs(None)
@require_GET
def best_times(request):
    """The series planner's heatmap (htmx fragment): when the account's posts did best in the country's
    zone. Any member reads it; another organization's account is a 404."""
    form = BestTimesForm(request.GET, user=request.user)
    if not form.is_valid():
        return render(request, "metrics/best_times.html", {"form": form})
    data = form.cleaned_data
    result = account_best_times(data["account"], country=data["country"], zone=data["timezone"] or None)
    top = max((s.mean_rate or 0 for s in result.cells), default=0) or 1
    weekdays = [WEEKDAYS_ABBR[day] for day in range(7)]
    rows = [(weekdays[day], [(cell, round(100 * (cell.mean_rate or 0) / top)) for cell in result.cells[day * 24:
                                                                                                   day * 24 + 24]])
            for day in range(7)]
    return render(request, "metrics/best_times.html", {
        "form": form, "result": result, "rows": rows, "hours": range(24), "weekdays": weekdays,
    })
