"""Best time to post for a target country, from the organization's own history.

Each published post counts once: its interaction rate (interactions per 100 views) at the same age for
every post (its last daily roll-up within `RATE_AGE_DAYS` of publication), placed at the local weekday and
hour it went out in the audience's time zone. A slot's figure is the mean rate of its posts with a 95 %
confidence interval; slots are suggested by the interval's lower bound, so a slot with two lucky posts does
not beat one with twenty good ones.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from babel.core import get_global
from django import forms
from django.db.models import DateField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns import access
from campaigns.models import Account
from campaigns.validators import is_country_code, validate_timezone
from metrics.models import DailyPostRollup
from metrics.vocabulary import interactions_per_100_views

RATE_AGE_DAYS = 7  # the age at which every post's rate is read, so young and old posts compare
HISTORY_DAYS = 365
MIN_AGE_DAYS = 2  # younger posts have not had their audience yet
MIN_SUGGESTED = 3  # posts a slot needs before it can be suggested
SUGGESTIONS = 3

# Countries spanning several zones: the zone most of the population lives in. Others take CLDR's only zone.
PRIMARY_ZONES = {
    "US": "America/New_York", "CA": "America/Toronto", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo",
    "RU": "Europe/Moscow", "MX": "America/Mexico_City", "ID": "Asia/Jakarta", "CN": "Asia/Shanghai",
    "KZ": "Asia/Almaty", "AR": "America/Argentina/Buenos_Aires", "CL": "America/Santiago",
    "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "DE": "Europe/Berlin", "NZ": "Pacific/Auckland",
    "MY": "Asia/Kuala_Lumpur", "EC": "America/Guayaquil", "MN": "Asia/Ulaanbaatar", "UA": "Europe/Kyiv",
    "CD": "Africa/Kinshasa", "PG": "Pacific/Port_Moresby", "FM": "Pacific/Pohnpei", "KI": "Pacific/Tarawa",
    "MH": "Pacific/Majuro", "PF": "Pacific/Tahiti", "GL": "America/Nuuk", "UZ": "Asia/Tashkent",
    "UM": "Pacific/Honolulu",
}

# Two-sided 95 % Student t critical values by degrees of freedom (1.96 beyond the table).
T95 = {1: 12.71, 2: 4.30, 3: 3.18, 4: 2.78, 5: 2.57, 6: 2.45, 7: 2.36, 8: 2.31, 9: 2.26, 10: 2.23, 12: 2.18,
       15: 2.13, 20: 2.09, 25: 2.06, 30: 2.04}


def country_zone(country: str) -> str | None:
    """The audience's time zone for an ISO country code, or None when the code is unknown."""
    code = country.upper()
    if code in PRIMARY_ZONES:
        return PRIMARY_ZONES[code]
    zones = [z for z in get_global("territory_zones").get(code) or [] if not z.startswith("Etc/")]
    return zones[0] if zones else None


def _t95(df: int) -> float:
    usable = [d for d in T95 if d <= df]
    return T95[max(usable)] if usable else T95[1]


@dataclass
class Slot:
    weekday: int | None  # 0 = Monday; None for an hour across the week
    hour: int
    posts: int = 0
    mean_rate: float | None = None
    low: float | None = None
    high: float | None = None

    @property
    def confidence(self) -> str:
        """low under 5 posts, medium under 15, high from 15 (what the heatmap's shading says)."""
        return "high" if self.posts >= 15 else "medium" if self.posts >= 5 else "low"


@dataclass
class BestTimes:
    country: str
    timezone: str
    platform: str
    posts: int  # posts that counted
    mean_rate: float | None  # the account's mean over those posts
    by_hour: list[Slot] = field(default_factory=list)  # 24 slots
    cells: list[Slot] = field(default_factory=list)  # 7 × 24 slots, Monday 00:00 first
    suggestions: list[Slot] = field(default_factory=list)

    def cell(self, weekday: int, hour: int) -> Slot:
        return self.cells[weekday * 24 + hour]


def _slot(weekday: int | None, hour: int, rates: list[float]) -> Slot:
    slot = Slot(weekday=weekday, hour=hour, posts=len(rates))
    if rates:
        slot.mean_rate = statistics.fmean(rates)
        if len(rates) > 1:
            margin = _t95(len(rates) - 1) * statistics.stdev(rates) / math.sqrt(len(rates))
            slot.low, slot.high = max(0.0, slot.mean_rate - margin), slot.mean_rate + margin
    return slot


def best_times_from(records: Iterable[tuple[dt.datetime, float]], *, country: str, zone: str,
                    platform: str) -> BestTimes:
    """The heatmap and suggestions from (published at, rate) pairs; times aware, rates per 100 views."""
    tz = zoneinfo.ZoneInfo(zone)
    cells: dict[tuple[int, int], list[float]] = defaultdict(list)
    hours: dict[int, list[float]] = defaultdict(list)
    every: list[float] = []
    for published_at, rate in records:
        local = published_at.astimezone(tz)
        cells[(local.weekday(), local.hour)].append(rate)
        hours[local.hour].append(rate)
        every.append(rate)
    result = BestTimes(country=country.upper(), timezone=zone, platform=platform, posts=len(every),
                       mean_rate=statistics.fmean(every) if every else None)
    result.by_hour = [_slot(None, hour, hours[hour]) for hour in range(24)]
    result.cells = [_slot(day, hour, cells[(day, hour)]) for day in range(7) for hour in range(24)]
    # Weekday and hour where slots have enough posts, then hours across the week to fill the list.
    def ranked(slots: list[Slot]) -> list[Slot]:
        usable = [s for s in slots if s.posts >= MIN_SUGGESTED and s.low is not None]
        return sorted(usable, key=lambda s: (s.low or 0.0, s.posts), reverse=True)

    suggestions = ranked(result.cells)[:SUGGESTIONS]
    covered = {s.hour for s in suggestions}
    suggestions += [s for s in ranked(result.by_hour) if s.hour not in covered][:SUGGESTIONS - len(suggestions)]
    result.suggestions = suggestions
    return result


def post_rates(account: Account) -> list[tuple[dt.datetime, float]]:
    """(published at, rate at RATE_AGE_DAYS or the latest day before) of the account's posts of the last
    year, in one query reading at most RATE_AGE_DAYS + 1 roll-up rows a post."""
    now = timezone.now()
    age_limit = ExpressionWrapper(F("post__published_at__date") + dt.timedelta(days=RATE_AGE_DAYS),
                                  output_field=DateField())
    rows = (
        DailyPostRollup.objects
        .filter(post__account=account, post__published_at__gte=now - dt.timedelta(days=HISTORY_DAYS),
                post__published_at__lte=now - dt.timedelta(days=MIN_AGE_DAYS))
        .filter(day__lte=age_limit)
        .order_by("post_id", "day")
        .values_list("post_id", "post__published_at", "views", "interactions")
    )
    at_age: dict[int, tuple[dt.datetime | None, int | None, int | None]] = {}
    for post_id, published_at, views, interactions in rows:
        at_age[post_id] = (published_at, views, interactions)  # the last row (oldest age) wins
    records = []
    for published_at, views, interactions in at_age.values():
        if published_at is None:
            continue
        rate = interactions_per_100_views(interactions or 0, views or 0)
        if rate is not None and views:
            records.append((published_at, rate))
    return records


def account_best_times(account: Account, *, country: str, zone: str | None = None) -> BestTimes:
    zone = zone or country_zone(country) or "UTC"
    return best_times_from(post_rates(account), country=country, zone=zone, platform=account.platform)


class BestTimesForm(forms.Form):
    """account (one of the user's organizations'), country (ISO code), timezone (optional, else the
    country's). Shared by the planner's fragment and the API, so both say the same in the user's language."""

    account = forms.ModelChoiceField(queryset=Account.objects.none(), label=_("Account"))
    # Without one, the organization's own country (its home audience).
    country = forms.CharField(max_length=2, required=False, label=_("Audience country"))
    timezone = forms.CharField(required=False, max_length=64, validators=[validate_timezone])

    def __init__(self, data, *, user, account: Account | None = None) -> None:
        super().__init__(data)
        field = self.fields["account"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = access.scope(Account.objects.order_by("platform", "handle"), user)
        if account is not None:  # the API names the account in its path
            field.required = False
            self.named_account = account

    def clean_account(self) -> Account:
        return getattr(self, "named_account", None) or self.cleaned_data["account"]

    def clean_country(self) -> str:
        code = self.cleaned_data["country"].upper()
        account = getattr(self, "named_account", None) or self.cleaned_data.get("account")
        if not code and account is not None:
            code = account.organization.country
        if not code:
            raise forms.ValidationError(_("Say which country's audience, e.g. VN."))
        if not is_country_code(code) or country_zone(code) is None:
            raise forms.ValidationError(_("Use a two-letter ISO country code, e.g. VN; not understood: %(value)s")
                                        % {"value": code})
        return code

