"""Country names for the audience-geography tables (ISO 3166 alpha-2); unknown codes show as the code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAMES = {
    "AE": _("United Arab Emirates"), "AR": _("Argentina"), "AU": _("Australia"), "BE": _("Belgium"),
    "BR": _("Brazil"), "CA": _("Canada"), "CH": _("Switzerland"), "CL": _("Chile"), "CN": _("China"),
    "CZ": _("Czechia"), "DE": _("Germany"), "EG": _("Egypt"), "ES": _("Spain"), "FR": _("France"),
    "GB": _("United Kingdom"), "GT": _("Guatemala"), "HK": _("Hong Kong"), "ID": _("Indonesia"),
    "IN": _("India"), "IT": _("Italy"), "JP": _("Japan"), "KR": _("South Korea"), "KW": _("Kuwait"),
    "LT": _("Lithuania"), "MX": _("Mexico"), "MY": _("Malaysia"), "NL": _("Netherlands"),
    "NZ": _("New Zealand"), "PH": _("Philippines"), "PL": _("Poland"), "PY": _("Paraguay"),
    "SA": _("Saudi Arabia"), "SE": _("Sweden"), "SG": _("Singapore"), "TH": _("Thailand"),
    "TR": _("Türkiye"), "TW": _("Taiwan"), "UA": _("Ukraine"), "US": _("United States"),
    "VN": _("Vietnam"), "ZA": _("South Africa"),
}


def country_name(code: str) -> str:
    return str(NAMES.get((code or "").upper(), code or "?"))
