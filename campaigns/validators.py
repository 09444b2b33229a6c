"""The one place that says what a time zone, a country, a language and a currency code are.

Time zones are IANA names; countries are ISO 3166-1 alpha-2 codes as django-countries lists them
(with names in both UI languages); languages are BCP 47 tags ("en", "zh-Hant", "ar") whose
language is one of CLDR's (Babel's list: about 650 ISO 639 languages, Tagalog, Marshallese,
Palauan and Guarani among them, where Django's own list knows only the ~100 it is translated into);
currencies are ISO 4217 codes. Models use these as field validators, and
forms and the API reach them through ``full_clean`` (the API's fields also list the same codes).
"""

from __future__ import annotations

import functools
import re
import zoneinfo

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone_location
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _
from django_countries import countries

# The shape of a BCP 47 tag: a language, then up to three subtags (script, region, variant).
LANGUAGE_TAG_RE = re.compile(r"[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}")
LANGUAGE_TAG_MAX_LENGTH = 16
CURRENCY_RE = re.compile(r"[A-Z]{3}")  # ISO 4217, e.g. TWD, USD
TIMEZONE_CHOICES = sorted((tz, tz) for tz in zoneinfo.available_timezones())
# Old names of zones (US/Eastern, Asia/Saigon) stay valid; the lists offer each place once, by its current name.
ZONE_ALIASES = frozenset(get_global("zone_aliases"))
# Primary language subtags CLDR names ("en", "zh", "tl", "mh"); scripts and regions are shape-checked.
LANGUAGES = frozenset(code.lower() for code in map(str, Locale("en").languages) if "_" not in code)


# The tags offered in a language list: every CLDR language, plus the script and regional variants CLDR names
# (zh-Hant, zh-Hans, en-GB, pt-BR...), as BCP 47 tags.
LANGUAGE_TAGS = tuple(sorted(code.replace("_", "-") for code in map(str, Locale("en").languages)))


def language_choices(current: str = "") -> list[tuple[str, str]]:
    """(tag, name) for every CLDR language, named and sorted in the active UI language, e.g. ("zh-Hant", "繁體中文").

    A stored tag outside the list (an older free-text entry such as "xx-foo") is kept as a choice, so that
    editing a post never changes its language silently; one in another case ("zh-hant") is the listed tag.
    """
    ui = _ui_locale()
    choices = [(tag, f"{_tag_name(tag, ui) or tag} ({tag})") for tag in LANGUAGE_TAGS]
    if current and canonical_language_tag(current) not in LANGUAGE_TAGS:
        choices.append((current, current))
    return sorted(choices, key=lambda choice: choice[1].casefold())


def canonical_language_tag(tag: str) -> str:
    """BCP 47's conventional case ("zh-hant" → "zh-Hant", "en-gb" → "en-GB"); tags compare case-insensitively."""
    parts = (tag or "").split("-")
    return "-".join([parts[0].lower()] + [
        p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p.lower() for p in parts[1:]
    ]) if tag else ""


def language_name(tag: str) -> str:
    """A language tag's name in the active UI language ("zh-Hant" → "繁體中文", "pt-BR" → "葡萄牙文（巴西）");
    the tag itself when CLDR has none."""
    return _tag_name(tag, _ui_locale()) or tag


def _ui_locale() -> str:
    return to_locale(get_language() or "en")


@functools.cache
def _tag_name(tag: str, ui: str) -> str | None:
    """CLDR's name of a tag in the locale `ui`: its own entry, else built from its language, script and region."""
    try:
        names = Locale.parse(ui).languages
    except (UnknownLocaleError, ValueError):
        names = Locale("en").languages
    key = canonical_language_tag(tag).replace("-", "_")
    if key in names:
        return names[key]
    try:
        return Locale.parse(key).get_display_name(ui)
    except (UnknownLocaleError, ValueError):
        return names.get(key.split("_")[0])


def zone_name(zone: str) -> str:
    """An IANA zone named by the place it keeps time for, in the active UI language ("Asia/Taipei" → 台灣時間,
    "America/New_York" → 美國（紐約）時間); UTC and the Etc/ zones have no place and keep their name."""
    return _zone_name(zone, to_locale(get_language() or "en"))


@functools.cache
def _zone_name(zone: str, locale: str) -> str:
    if not zone or zone == "UTC" or zone.startswith("Etc/") or "/" not in zone:
        return zone
    try:
        return get_timezone_location(zone, locale=locale)
    except (LookupError, UnknownLocaleError, ValueError):
        return zone


def timezone_choices() -> list[tuple[str, str]]:
    """(zone, place) for the lists people pick a zone from, named and sorted in the active UI language:
    ("Asia/Taipei", "台灣時間"). UTC first; aliases and the Etc/ zones are left out (no two places share a name)."""
    return list(_timezone_choices(to_locale(get_language() or "en")))


@functools.cache
def _timezone_choices(locale: str) -> tuple[tuple[str, str], ...]:
    zones = [zone for zone in zoneinfo.available_timezones() if "/" in zone and zone not in ZONE_ALIASES
             and not zone.startswith(("Etc/", "SystemV/", "posix/", "right/"))]
    named = sorted(((zone, _zone_name(zone, locale)) for zone in zones), key=lambda choice: choice[1].casefold())
    return (("UTC", "UTC"), *named)


def country_codes() -> list[str]:
    """Every code a country field accepts, sorted (django-countries plus COUNTRIES_OVERRIDE)."""
    return sorted(countries.countries)  # the keys: no names, so no translation is needed


def is_country_code(value: str) -> bool:
    return isinstance(value, str) and len(value) == 2 and value.isupper() and value in countries


def is_language_tag(value: str) -> bool:
    if not isinstance(value, str) or len(value) > LANGUAGE_TAG_MAX_LENGTH or not LANGUAGE_TAG_RE.fullmatch(value):
        return False
    return value.split("-")[0].lower() in LANGUAGES


def validate_country(value: str) -> None:
    if value and not is_country_code(value):
        raise ValidationError(
            _("Use a two-letter ISO country code, e.g. KW; not understood: %(value)s"),
            code="country", params={"value": value},
        )


def validate_language(value: str) -> None:
    if value and not is_language_tag(value):
        raise ValidationError(
            _("Enter a language code such as “en”, “zh-Hant” or “ar”; not understood: %(value)s"),
            code="language", params={"value": value},
        )


def _bad_items(values, is_valid) -> list[str]:
    if not isinstance(values, list | tuple):
        raise ValidationError(_("Enter a list of codes."), code="not_a_list")
    return [str(item) for item in values if not is_valid(item)]


def validate_country_list(values) -> None:
    bad = _bad_items(values, is_country_code)
    if bad:
        raise ValidationError(
            _("Use two-letter ISO country codes (e.g. US, VN); not understood: %(values)s"),
            code="country", params={"values": ", ".join(bad)},
        )


def validate_language_list(values) -> None:
    bad = _bad_items(values, is_language_tag)
    if bad:
        raise ValidationError(
            _("Use language codes (e.g. en, zh-Hant, ar); not understood: %(values)s"),
            code="language", params={"values": ", ".join(bad)},
        )


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def is_currency_code(value: str) -> bool:
    return isinstance(value, str) and bool(CURRENCY_RE.fullmatch(value))


def validate_currency(value: str) -> None:
    if value and not is_currency_code(value):
        raise ValidationError(_("Use a three-letter currency code, e.g. TWD or USD."), code="currency")
