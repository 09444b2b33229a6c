"""The series planner: describe a run of posts, preview its dates (htmx), create the planned posts."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from campaigns import access, services
from campaigns.calendar import STATUS_COLOURS
from campaigns.models import TIMEZONE_CHOICES, Account, Campaign, Series
from campaigns.views.common import needs

# A series is a run of posts, not a year-round schedule: refuse plans that would flood the calendar.
MAX_DATES = 366
MAX_POSTS = 1000
# Far-off years would overflow the date arithmetic (9999-12-31 + 1 day) instead of meaning anything.
EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2200, 12, 31)


def parse_listed_dates(text: str) -> list[dt.date]:
    """ISO dates separated by commas, spaces or new lines; raises ValidationError naming the bad ones."""
    days, bad = set(), []
    for token in re.split(r"[\s,;]+", text.strip()):
        if not token:
            continue
        try:
            days.add(dt.date.fromisoformat(token))
        except ValueError:
            bad.append(token)
    if bad:
        raise ValidationError(
            _("Not a date (use YYYY-MM-DD): %(values)s") % {"values": ", ".join(bad[:5])}
        )
    return sorted(days)


class SeriesForm(forms.ModelForm):
    listed_dates_text = forms.CharField(
        label=gettext_lazy("Listed dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-04-10, 2026-04-17"}),
        help_text=gettext_lazy("For the “listed dates” cadence: dates as YYYY-MM-DD, separated by commas or lines."),
    )
    timezone = forms.ChoiceField(label=gettext_lazy("Audience time zone"), choices=TIMEZONE_CHOICES)

    class Meta:
        model = Series
        fields = [
            "name", "description", "cadence", "start_date", "end_date", "listed_dates_text", "time_of_day",
            "timezone", "accounts", "format", "title_template",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "time_of_day": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "accounts": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, campaign: Campaign, **kwargs):
        kwargs.setdefault("instance", Series(campaign=campaign))
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        # The organization's own accounts; influencers' accounts carry collaborations, not series.
        self.fields["accounts"].queryset = Account.objects.filter(
            organization_id=campaign.organization_id, influencer__isnull=True
        )
        self.fields["accounts"].widget.attrs["class"] = "form-check-input"
        self.fields["accounts"].label_from_instance = lambda a: f"{a.get_platform_display()} · {a.handle}"
        self.fields["start_date"].required = False
        self.fields["end_date"].required = False
        for name, field in self.fields.items():
            if name == "accounts":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        cadence = data.get("cadence")
        if cadence == Series.Cadence.DATES:
            try:
                days = parse_listed_dates(data.get("listed_dates_text") or "")
            except ValidationError as error:
                self.add_error("listed_dates_text", error)
                return data
            if not days:
                self.add_error("listed_dates_text", _("List at least one date."))
                return data
            data["start_date"], data["end_date"] = days[0], days[-1]
            self.instance.listed_dates = [d.isoformat() for d in days]
            if len(days) > MAX_DATES:
                self.add_error("listed_dates_text", _("At most %(n)d dates in one series.") % {"n": MAX_DATES})
        elif cadence:
            start, end = data.get("start_date"), data.get("end_date")
            if not start:
                self.add_error("start_date", _("Choose the first day."))
            if not end:
                self.add_error("end_date", _("Choose the last day."))
            if start and end:
                if end < start:
                    self.add_error("end_date", _("The last day must not be before the first day."))
                elif (end - start).days + 1 > MAX_DATES:
                    self.add_error("end_date", _("A series can span at most %(n)d days.") % {"n": MAX_DATES})
            self.instance.listed_dates = []
        for name in ("start_date", "end_date"):
            value = data.get(name)
            if value and not EARLIEST <= value <= LATEST:
                field = "listed_dates_text" if cadence == Series.Cadence.DATES else name
                self.add_error(field, _("Choose dates between 1970 and 2200."))
                data[name] = None
        # The model's own check (end ≥ start) runs on these values.
        self.instance.start_date = data.get("start_date")
        self.instance.end_date = data.get("end_date")
        return data

    def preview_dates(self) -> list[dt.datetime] | None:
        """The UTC times the series would produce, or None while the date fields are incomplete."""
        date_fields = {"cadence", "start_date", "end_date", "listed_dates_text", "time_of_day", "timezone"}
        if set(self.errors) & (date_fields | {"__all__"}):
            return None
        data = self.cleaned_data
        if not (data.get("start_date") and data.get("time_of_day") and data.get("timezone")):
            return None
        return services.series_dates(
            cadence=data["cadence"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            time_of_day=data["time_of_day"],
            tz_name=data["timezone"],
            listed_dates=self.instance.listed_dates,
        )

    def _post_clean(self):
        super()._post_clean()
        accounts = self.cleaned_data.get("accounts")
        dates = self.preview_dates() if not self.errors else None
        if accounts and dates and len(accounts) * len(dates) > MAX_POSTS:
            self.add_error(
                "accounts",
                _("This plan would create %(count)d posts; at most %(max)d at once.")
                % {"count": len(accounts) * len(dates), "max": MAX_POSTS},
            )


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
    return render(request, "campaigns/series_form.html", {"campaign": campaign, "form": form})


@require_safe
@needs("plan", model=PLANNER_CAMPAIGNS)
def series_preview(request: HttpRequest, campaign: Campaign) -> HttpResponse:
    """htmx fragment: the dates the form would produce, in the audience's zone and the user's."""
    form = SeriesForm(request.GET or None, campaign=campaign)
    dates = None
    if form.is_bound:
        form.is_valid()
        dates = form.preview_dates()
    context = {"campaign": campaign, "form": form, "dates": dates}
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
