"""The series planner: describe a run of posts, preview its dates (htmx), create the planned posts."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_countries import countries

from campaigns import access, services
from campaigns.calendar import STATUS_COLOURS
from campaigns.forms import SeriesForm
from campaigns.models import Campaign, Series
from campaigns.views.common import needs, route_exists


def _default_timezone(campaign: Campaign) -> str:
    """The audience is usually where the campaign's event happens, else the organization's zone."""
    event = campaign.events.order_by("starts_at").first()
    return event.timezone if event else campaign.organization.timezone


def _preview_rows(dates: list[dt.datetime], *, time_of_day: dt.time, audience_tz: str) -> list[dict]:
    zone = zoneinfo.ZoneInfo(audience_tz)
    rows = []
    first_offset = dates[0].astimezone(zone).utcoffset() if dates else None
    for n, when in enumerate(dates, start=1):
        local = when.astimezone(zone)
        rows.append(
            {
                "n": n,
                "when": when,
                # Spring-forward nights have no such wall time; the service moves it an hour later.
                "shifted": local.time().replace(second=0, microsecond=0) != time_of_day.replace(second=0),
                "offset_changed": local.utcoffset() != first_offset,
            }
        )
    return rows


PLANNER_CAMPAIGNS = Campaign.objects.select_related("organization")


@needs("plan", model=PLANNER_CAMPAIGNS)
def series_create(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    if request.method == "POST":
        form = SeriesForm(request.POST, campaign=campaign)
        if form.is_valid():
            with transaction.atomic():
                series = form.save()
                created = services.series_generate_posts(series=series, by=request.user)
            messages.success(
                request,
                _("Series “%(name)s” planned: %(count)d posts created as drafts.")
                % {"name": series.name, "count": len(created)},
            )
            return redirect("series_detail", pk=series.pk)
    else:
        start = max(campaign.start_date, timezone.localdate())
        form = SeriesForm(
            campaign=campaign,
            initial={
                "start_date": start,
                "end_date": max(start, min(campaign.end_date, start + dt.timedelta(days=6))),
                "time_of_day": dt.time(9, 0),
                "timezone": _default_timezone(campaign),
            },
        )
    return render(request, "campaigns/series_form.html", {
        "campaign": campaign, "form": form,
        "accounts": campaign.organization.accounts.order_by("platform", "handle"),
        "countries": [(code, countries.name(code)) for code in campaign.target_countries or ["TW"]],
        "has_best_times": route_exists("best_times"),
    })


@require_safe
@needs("plan", model=PLANNER_CAMPAIGNS)
def series_preview(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    """htmx fragment: the dates the form would produce, in the audience's zone and the user's."""
    form = SeriesForm(request.GET or None, campaign=campaign)
    dates = None
    if form.is_bound:
        form.is_valid()
        dates = form.preview_dates()
    context: dict[str, Any] = {"campaign": campaign, "form": form, "dates": dates}
    if dates is not None:
        data = form.cleaned_data
        accounts = data.get("accounts") or []
        zone = zoneinfo.ZoneInfo(data["timezone"])
        outside = [d for d in dates if not campaign.start_date <= d.astimezone(zone).date() <= campaign.end_date]
        rows = _preview_rows(dates, time_of_day=data["time_of_day"], audience_tz=data["timezone"])
        context.update(
            rows=rows,
            any_shifted=any(r["shifted"] for r in rows),
            any_offset_change=any(r["offset_changed"] for r in rows),
            audience_tz=data["timezone"],
            account_count=len(accounts),
            post_count=len(dates) * len(accounts),
            outside_campaign=len(outside),
        )
    return render(request, "campaigns/series_preview.html", context)


@require_safe
@needs(None, model=Series.objects.select_related("campaign__organization"), path="campaign__organization")
def series_detail(request: HttpRequest, series: Series) -> HttpResponse:
    posts = list(series.posts.select_related("account").order_by("planned_at", "account__platform", "id"))
    for post in posts:
        post.colour = STATUS_COLOURS.get(post.status, "secondary")
    accounts = list(series.accounts.all())
    try:
        expected = len(services.series_preview(series=series)) * len(accounts)
    except (ValueError, OverflowError):  # listed dates mistyped in the admin; the page still shows
        expected = 0
    return render(
        request,
        "campaigns/series_detail.html",
        {
            "series": series,
            "campaign": series.campaign,
            "posts": posts,
            "accounts": accounts,
            "expected": expected,
            "missing": max(expected - sum(1 for p in posts if p.account in accounts), 0),
            "can_plan": access.can(request.user, "plan", series.campaign.organization_id),
        },
    )


@require_POST
@needs("plan", model=Series.objects.select_related("campaign"), path="campaign__organization")
def series_generate(request: HttpRequest, series: Series) -> HttpResponse:
    """Create the series' missing posts; running it again creates nothing (the service is idempotent)."""
    try:
        created = services.series_generate_posts(series=series, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (ValueError, OverflowError):
        messages.error(request, _("The series' listed dates are not valid dates; correct them first."))
    else:
        if created:
            messages.success(request, _("%(count)d missing posts created.") % {"count": len(created)})
        else:
            messages.info(request, _("Every post of this series already exists; nothing was created."))
    return redirect("series_detail", pk=series.pk)
