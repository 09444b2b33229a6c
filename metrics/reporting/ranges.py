"""The date range a campaign's figures are asked for: one check for the dashboard page and the API.

Without it a far-away date overflowed (`0001-01-01` minus a day) or made the page walk a cumulative
series over centuries of days; a reversed range was quietly swapped. The window is the campaign's
dates widened by two years on each side: room for build-up and long tails, nothing beyond.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign

WINDOW = dt.timedelta(days=2 * 365 + 1)
MAX_RANGE_DAYS = 3 * 366  # a chosen range, first to last day inclusive

ISO_DAY = ["%Y-%m-%d"]


class CampaignRangeForm(forms.Form):
    """start / end (optional, ISO dates). Valid means: each within the campaign's window, start ≤ end,
    and at most MAX_RANGE_DAYS days; cleaned_data then holds the days given (None where not)."""

    start = forms.DateField(required=False, input_formats=ISO_DAY,
                            error_messages={"invalid": _("Dates must look like 2026-05-21.")})
    end = forms.DateField(required=False, input_formats=ISO_DAY,
                          error_messages={"invalid": _("Dates must look like 2026-05-21.")})

    def __init__(self, data, *, campaign: Campaign) -> None:
        super().__init__(data)
        self.campaign = campaign

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        return self.campaign.start_date - WINDOW, self.campaign.end_date + WINDOW

    def _in_window(self, name: str) -> dt.date | None:
        day = self.cleaned_data.get(name)
        first, last = self.window
        if day is not None and not first <= day <= last:
            raise forms.ValidationError(
                _("Choose a day between %(first)s and %(last)s (the campaign's dates and two years either side).")
                % {"first": date_format(first), "last": date_format(last)},
                code="out_of_window",
            )
        return day

    def clean_start(self) -> dt.date | None:
        return self._in_window("start")

    def clean_end(self) -> dt.date | None:
        return self._in_window("end")

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", forms.ValidationError(_("The range must not end before it starts."),
                                                            code="reversed"))
            elif (end - start).days + 1 > MAX_RANGE_DAYS:
                self.add_error("end", forms.ValidationError(
                    _("A range can span at most %(n)d days.") % {"n": MAX_RANGE_DAYS}, code="too_long"))
        return data
