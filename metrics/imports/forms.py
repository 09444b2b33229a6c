"""The upload form: which account, which file. A file that cannot be imported is refused here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from campaigns.models import Account
from metrics.imports.cells import FileError
from metrics.imports.service import upload_check


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Account) -> str:
        return f"{obj} · {obj.organization.name}"


class ImportForm(forms.Form):
    account = AccountChoiceField(queryset=Account.objects.none(), label=_("Account"))
    file = forms.FileField(
        label=_("Export file (CSV)"),
        error_messages={"empty": _("The file is empty.")},
        help_text=_("Meta Business Suite (Facebook, Instagram), Facebook Page Insights post data, "
                    "X analytics (tweet activity or account_analytics_content), YouTube Studio 'Table data.csv'."),
    )

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is not None:
            self.fields["account"].queryset = accounts
            if len(accounts) == 1 and not self.is_bound:
                self.initial.setdefault("account", accounts[0].pk)

    def clean(self):
        cleaned = super().clean()
        account, upload = cleaned.get("account"), cleaned.get("file")
        if account and upload:
            try:
                fmt = upload_check(upload, platform=account.platform)
            except FileError as exc:
                self.add_error("file", str(exc))
            else:
                cleaned["format"] = fmt
        return cleaned
