"""The series planner's form: a run of posts, its dates checked before any is created."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import services
from campaigns.forms.base import ModelRulesMixin, model_choice_field, set_choice_label
from campaigns.models import Account, Campaign, Series
from campaigns.validators import timezone_choices

# A series is a run of posts, not a year-round schedule: refuse plans that would flood the calendar.
MAX_DATES = Series.MAX_DAYS
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


class SeriesForm(ModelRulesMixin, forms.ModelForm):
    listed_dates_text = forms.CharField(
        label=gettext_lazy("Listed dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-04-10, 2026-04-17"}),
        help_text=gettext_lazy("For the “listed dates” cadence: dates as YYYY-MM-DD, separated by commas or lines."),
    )
    timezone = forms.ChoiceField(label=gettext_lazy("Audience time zone"), choices=timezone_choices)
    model_error_fields = {"listed_dates": "listed_dates_text"}

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
        accounts = model_choice_field(self, "accounts")
        accounts.queryset = Account.objects.filter(organization_id=campaign.organization_id, influencer__isnull=True)
        accounts.widget.attrs["class"] = "form-check-input"
        set_choice_label(accounts, lambda a: f"{a.get_platform_display()} · {a.handle}")
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
            self.instance.listed_dates = [d.isoformat() for d in days]
            if not days:  # the model says so (Series.clean)
                return data
            data["start_date"], data["end_date"] = days[0], days[-1]
            if len(days) > MAX_DATES:
                self.add_error("listed_dates_text", _("At most %(n)d dates in one series.") % {"n": MAX_DATES})
        elif cadence:
            start, end = data.get("start_date"), data.get("end_date")
            if not start:
                self.add_error("start_date", _("Choose the first day."))
            if not end:
                self.add_error("end_date", _("Choose the last day."))
            # Order and length of the run: Series.clean().
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
