"""The health page's budget form: an organization's limit for one platform, in that platform's unit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.choices import Platform
from campaigns.models import Organization


class BudgetForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Organization"))
    platform = forms.ChoiceField(choices=Platform.choices, label=_("Platform"))
    limit = forms.DecimalField(
        label=_("Limit"), required=False, min_value=Decimal(0), max_digits=14, decimal_places=2,
        help_text=_("X: US dollars a month; YouTube: Data API units a day; Facebook and Instagram: Graph calls "
                    "an hour. Leave empty to remove the budget."),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            cast("forms.ModelChoiceField[Organization]", self.fields["organization"]).queryset = organizations
        for name, field in self.fields.items():
            field.widget.attrs["class"] = ("form-control form-control-sm" if name == "limit"
                                           else "form-select form-select-sm")
