"""Country, language and time-zone codes shown as names in the UI language ("TW" → 台灣, "zh-Hant" → 繁體中文,
"Asia/Taipei" → 台灣時間).

The codes are what the models store and the API speaks; people read names. An unknown code shows as itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import get_language
from django_countries import countries

from campaigns.validators import language_name as _language_name
from campaigns.validators import zone_name as _zone_name

register = template.Library()


def _join(names: Iterable[str]) -> str:
    # Chinese lists take the enumeration comma (、), not ", ".
    return ("、" if (get_language() or "").startswith("zh") else ", ").join(names)


@register.filter
def country_name(code: str | None) -> str:
    upper = (code or "").upper()
    return str(countries.name(upper)) if upper in countries else (code or "")


@register.filter
def country_names(codes: Iterable[str] | None) -> str:
    return _join(map(country_name, codes or []))


@register.filter
def language_name(tag: str | None) -> str:
    return _language_name(tag) if tag else ""


@register.filter
def language_names(tags: Iterable[str] | None) -> str:
    return _join(map(language_name, tags or []))


@register.filter
def zone_name(zone) -> str:
    return _zone_name(str(getattr(zone, "key", zone) or ""))
