"""The content calendar's filters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns import access
from campaigns.calendar import MONTH, WEEK
from campaigns.models import Account, Campaign, Platform, Post

# Far-away anchors are refused rather than overflowing date arithmetic.
EARLIEST = dt.date(1970, 1, 1)
LATEST = dt.date(2200, 12, 31)


class CalendarFilterForm(forms.Form):
    view = forms.ChoiceField(
        label=_("View"), choices=[(MONTH, _("Month")), (WEEK, _("Week"))], required=False
    )
    date = forms.DateField(label=_("Date"), required=False)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.none(), required=False,
                                      empty_label=_("All campaigns"))
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none(), required=False,
                                     empty_label=_("All accounts"))
    platform = forms.ChoiceField(label=_("Platform"), required=False,
                                 choices=[("", _("All platforms")), *Platform.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("All statuses")), *Post.Status.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = access.scope(Campaign.objects.all(), user)
        self.fields["account"].queryset = access.scope(Account.objects.all(), user)
        for name in ("campaign", "account", "platform", "status"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def clean_date(self):
        value = self.cleaned_data.get("date")
        if value and not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(_("Choose a date between 1970 and 2200."))
        return value


