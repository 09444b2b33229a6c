"""Country names for the audience-geography tables, in the active UI language; unknown codes show as the code.

Names come from django-countries (with COUNTRIES_OVERRIDE in the settings), the same list the
planning models validate against.
"""

from __future__ import annotations

from django_countries import countries


def country_name(code: str) -> str:
    upper = (code or "").upper()
    return str(countries.name(upper)) if upper in countries else (code or "?")
