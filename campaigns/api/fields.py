"""Serializer fields that validate what the models store as free JSON or plain text."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from campaigns import validators

# What the models accept (campaigns.validators): the API lists the same codes in its schema.
COUNTRY_CODES = validators.country_codes()
TIMEZONES = [name for name, _label in validators.TIMEZONE_CHOICES]

# Plans outside this window are typos; it also keeps date arithmetic (time zones, series) in range.
MIN_DATE = dt.date(1970, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
MAX_LIST_ITEMS = 100


def CountryField(**kwargs) -> serializers.ChoiceField:  # noqa: N802 -- reads like a field class
    return serializers.ChoiceField(choices=COUNTRY_CODES, **kwargs)


def TimezoneField(**kwargs) -> serializers.ChoiceField:  # noqa: N802
    return serializers.ChoiceField(choices=TIMEZONES, **kwargs)


@extend_schema_field({"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$", "maxLength": 16})
class LanguageField(serializers.CharField):
    """A BCP 47 language tag such as "en", "zh-Hant" or "ar"."""

    default_error_messages = {"language": _("Enter a language code such as “en”, “zh-Hant” or “ar”.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", validators.LANGUAGE_TAG_MAX_LENGTH)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and not validators.is_language_tag(value):
            self.fail("language")
        return value


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "09:30"})
class TimeOfDayField(serializers.TimeField):
    """A wall-clock time without a zone (OpenAPI's "time" format would demand an offset)."""


@extend_schema_field({"type": "string", "pattern": "^[A-Z]{3}$"})
class CurrencyField(serializers.CharField):
    default_error_messages = {"currency": _("Enter an ISO 4217 currency code such as “USD”.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and not validators.is_currency_code(value):
            self.fail("currency")
        return value


def StringList(*, child: serializers.Field | None = None, **kwargs) -> serializers.ListField:  # noqa: N802
    """A JSON list of strings (not a string, not a dict, not nested), at most MAX_LIST_ITEMS long."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("max_length", MAX_LIST_ITEMS)
    return serializers.ListField(child=child or serializers.CharField(max_length=100), **kwargs)


class SafeDateField(serializers.DateField):
    default_error_messages = {
        "range": _("Enter a date between %(min)s and %(max)s.") % {"min": MIN_DATE, "max": MAX_DATE},
    }

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not MIN_DATE <= parsed <= MAX_DATE:
            self.fail("range")
        return parsed


class SafeDateTimeField(serializers.DateTimeField):
    default_error_messages = {
        "range": _("Enter a time between %(min)s and %(max)s.") % {"min": MIN_DATE, "max": MAX_DATE},
    }

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not MIN_DATE <= parsed.date() <= MAX_DATE:
            self.fail("range")
        return parsed
