"""The content calendar page (month / week), with filters that htmx swaps without a full reload."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from campaigns import access
from campaigns.calendar import MONTH, STATUS_COLOURS, WEEK, CalendarFilters, calendar_grid
from campaigns.forms import CalendarFilterForm
from campaigns.models import Post
from campaigns.views.common import is_htmx, needs


@require_safe
@needs(None)
def calendar_view(request: HttpRequest) -> HttpResponse:
    form = CalendarFilterForm(request.GET or None, user=request.user)
    # Each valid filter applies even when another one is bad: a stale link still shows something.
    if form.is_bound:
        form.is_valid()
    data = getattr(form, "cleaned_data", {})
    today = timezone.localdate()
    view = data.get("view") or MONTH
    campaign = data.get("campaign")
    anchor = data.get("date") or today
    if campaign and not data.get("date") and not campaign.start_date <= today <= campaign.end_date:
        # Opened from a campaign page: show the campaign's own month rather than an empty one.
        anchor = campaign.start_date
    account = data.get("account")
    filters = CalendarFilters(
        campaign_id=campaign.pk if campaign else None,
        account_id=account.pk if account else None,
        platform=data.get("platform") or "",
        status=data.get("status") or "",
    )
    grid = calendar_grid(
        user=request.user, view=view, anchor=anchor, today=today, tz=timezone.get_current_timezone(), filters=filters
    )
    kept = {
        "view": view,
        "campaign": filters.campaign_id or "",
        "account": filters.account_id or "",
        "platform": filters.platform,
        "status": filters.status,
    }
    kept = {k: v for k, v in kept.items() if v}

    def link(**changes) -> str:
        params = {**kept, **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v})

    context = {
        "form": form,
        "grid": grid,
        "view": view,
        "campaign": campaign,
        "can_plan_campaign": campaign is not None and access.can(request.user, "plan", campaign.organization_id),
        "links": {
            "previous": link(date=grid.previous.isoformat()),
            "next": link(date=grid.next.isoformat()),
            "today": link(date=today.isoformat()),
            "month": link(view=MONTH, date=anchor.isoformat()),
            "week": link(view=WEEK, date=anchor.isoformat()),
        },
        # The week view of a crowded month cell, keeping the filters; the template adds the day.
        "week_query": urlencode({**kept, "view": WEEK}),
        "legend": [(value, label, STATUS_COLOURS[value]) for value, label in Post.Status.choices],
        "weekday_names": [grid.weeks[0][i].date for i in range(7)],
    }
    template = "campaigns/calendar_grid.html" if is_htmx(request) else "campaigns/calendar.html"
    return render(request, template, context)
