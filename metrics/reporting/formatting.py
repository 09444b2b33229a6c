"""Numbers for people: 12.3 K, 1.4 M, 4.2 %, signed changes, and the names of metrics and principles."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from metrics.vocabulary import METRIC_LABELS, PRINCIPLE_SHORT_LABELS

_STEPS = ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "K"))


def compact(value: float | int | None, *, empty: str = "—") -> str:
    """12345 → "12.3 K", 1440000 → "1.44 M" (three significant digits), None → "—"."""
    if value is None:
        return empty
    sign = "-" if value < 0 else ""
    n = abs(float(value))
    for size, suffix in _STEPS:
        if n >= size * 0.9995:
            scaled = n / size
            digits = 2 if scaled < 10 else 1 if scaled < 100 else 0
            text = f"{scaled:.{digits}f}".rstrip("0").rstrip(".") if digits else f"{scaled:.0f}"
            return f"{sign}{number_format(text)} {suffix}"
    if n == int(n):
        return f"{sign}{int(n)}"
    return f"{sign}{number_format(round(n, 1), 1)}"


def percent(value: float | None, *, digits: int = 1, empty: str = "—") -> str:
    """4.234 → "4.2 %" (the value is already a percentage)."""
    if value is None:
        return empty
    return f"{number_format(round(value, digits), digits)} %"


def change(value: float | None, *, empty: str = "—") -> str:
    """A relative change in %, signed: 12.5 → "+12.5 %", -3 → "−3.0 %"."""
    if value is None:
        return empty
    arrow = "+" if value >= 0 else "−"
    return f"{arrow}{number_format(round(abs(value), 1), 1)} %"


def share_in_words(share: float | None) -> str:
    """A share (0–1) as people say it: 0.1 → "one tenth", 0.5 → "half", 0.27 → "27 %"."""
    if share is None:
        return "—"
    words = (
        (1 / 2, _("half")), (1 / 3, _("one third")), (1 / 4, _("one quarter")), (1 / 5, _("one fifth")),
        (1 / 10, _("one tenth")),
    )
    for fraction, word in words:
        if abs(share - fraction) <= 0.01:
            return word
    return percent(share * 100, digits=0)


def metric_label(name: str) -> str:
    """A metric's label (metrics.vocabulary) in the active language: "interactions" → "Interactions"."""
    return _(METRIC_LABELS[name])


def principle_label(name: str) -> str:
    """A principle's short label, or "Overall", in the active language."""
    return _(PRINCIPLE_SHORT_LABELS[name])
