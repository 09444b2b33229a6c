"""Reading an export's cells and rows: numbers, durations and dates as the platforms write them.

Pure parsing, no database; a bad cell becomes a RowError naming the column and the value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

UTC = dt.UTC


class FileError(ValueError):
    """The whole file is unusable (unknown columns, wrong delimiter, wrong platform, not text)."""


class RowError(ValueError):
    """One data row is unusable; the message says which column and why.

    `kinds` says what went wrong without the row's own values ("Video publish time: is not a date ..."),
    so that a file whose every row fails the same way can be told so once.
    """

    def __init__(self, message: str, kinds: tuple[str, ...] = ()):
        super().__init__(message)
        self.kinds = kinds or (message,)


def normalize_header(name: str) -> str:
    """Header cell → matching key: BOM and surrounding whitespace dropped, case folded, spaces collapsed."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


@dataclass
class ParsedRow:
    platform_post_id: str
    published_at: dt.datetime | None
    permalink: str = ""
    format: str = "text"  # campaigns.models.PostFormat value
    title: str = ""
    body: str = ""
    metrics: dict[str, int | None] = field(default_factory=dict)
    extra: dict[str, int | float | str | None] = field(default_factory=dict)
    owner_id: str = ""  # the page/account id the export says the post belongs to, when it says


# --- cell parsers -------------------------------------------------------------------------------

EMPTY = {"", "-", "--", "—", "n/a"}
# Either plain digits or digits grouped by thousands with commas; "12,5" (a decimal comma) is refused
# rather than silently read as 125.
NUMBER_RE = re.compile(r"^-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$")


def parse_decimal(raw: str) -> Decimal | None:
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if text.casefold() in EMPTY:
        return None
    text = text.removesuffix("%")
    if not NUMBER_RE.match(text):
        raise ValueError(_("is not a number"))
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex already refuses these
        raise ValueError(_("is not a number")) from exc


def parse_count(raw: str) -> int | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    if value < 0:
        raise ValueError(_("is negative"))
    if value != value.to_integral_value():
        raise ValueError(_("is not a whole number"))
    return int(value)


def parse_signed_count(raw: str) -> int | None:
    """A net change, such as YouTube's Subscribers (gained minus lost), which is below zero when more left."""
    value = parse_decimal(raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise ValueError(_("is not a whole number"))
    return int(value)


def parse_duration(raw: str) -> int | None:
    """`H:MM:SS`, `M:SS` or plain seconds → seconds."""
    text = raw.strip()
    if text.casefold() in EMPTY:
        return None
    if ":" not in text:
        return parse_count(text)
    parts = text.split(":")
    if len(parts) > 3 or not all(p.isdigit() for p in parts):
        raise ValueError(_("is not a duration (H:MM:SS)"))
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return seconds


# The day every expected form is shown with in a message ("Jun 03, 2026" rather than "%b %d, %Y").
EXAMPLE_MOMENT = dt.datetime(2026, 6, 3, 14, 5, 9, tzinfo=UTC)


def datetime_parser(*patterns: str, date_only: bool = False) -> Callable[[str], dt.datetime | None]:
    shown_forms = "; ".join(dict.fromkeys(EXAMPLE_MOMENT.strftime(p) for p in patterns))

    def parse(raw: str) -> dt.datetime | None:
        text = " ".join(raw.split())
        if not text:
            return None
        for pattern in patterns:
            try:
                value = dt.datetime.strptime(text, pattern)  # noqa: DTZ007 - zone handled below
            except ValueError:
                continue
            if date_only:
                value = value.replace(hour=0, minute=0)
            # The exports carry no zone except X's `+0000`; the others are read as UTC.
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        raise ValueError(_("is not a date in a form this export uses (for example %(forms)s)") % {"forms": shown_forms})

    return parse


# --- rows ---------------------------------------------------------------------------------------


class Row:
    """One data row, read by column name; collects every problem so a row error lists them all."""

    def __init__(self, cells: Sequence[str], columns: dict[str, int], labels: dict[str, str]):
        self.cells = cells
        self.columns = columns
        self.labels = labels
        self.problems: list[str] = []
        self.kinds: list[str] = []  # each problem without the cell's value (see RowError)
        self.unreadable: set[str] = set()  # columns already reported, so "is empty" is not added too

    def has(self, *names: str) -> bool:
        return any(n in self.columns for n in names)

    def text(self, *names: str) -> str:
        for name in names:
            index = self.columns.get(name)
            if index is not None:
                return self.cells[index].strip() if index < len(self.cells) else ""
        return ""

    def _parsed(self, names: Sequence[str], parser: Callable[[str], object]):
        for name in names:
            index = self.columns.get(name)
            if index is None:
                continue
            raw = self.cells[index] if index < len(self.cells) else ""
            try:
                return parser(raw)
            except ValueError as exc:
                shown = raw.strip()
                shown = shown if len(shown) <= 40 else shown[:37] + "…"
                self.problem(f"{self.labels[name]}: '{shown}' {exc}", kind=f"{self.labels[name]}: {exc}")
                self.unreadable.add(name)
                return None
        return None

    def problem(self, message: str, *, kind: str = "") -> None:
        self.problems.append(message)
        self.kinds.append(kind or message)

    def count(self, *names: str) -> int | None:
        return self._parsed(names, parse_count)

    def signed_count(self, *names: str) -> int | None:
        return self._parsed(names, parse_signed_count)

    def decimal(self, *names: str) -> float | None:
        value = self._parsed(names, parse_decimal)
        return float(value) if value is not None else None

    def duration(self, *names: str) -> int | None:
        return self._parsed(names, parse_duration)

    def moment(self, parser: Callable[[str], dt.datetime | None], *names: str) -> dt.datetime | None:
        return self._parsed(names, parser)

    def require(self, value, *names: str):
        if value in (None, "") and not self.unreadable.intersection(names):
            label = next((self.labels[n] for n in names if n in self.labels), names[0])
            self.problem(_("%(column)s is empty") % {"column": label})
        return value

    def finish(self, parsed: ParsedRow) -> ParsedRow:
        if self.problems:
            raise RowError("; ".join(self.problems), tuple(self.kinds))
        return parsed


def counts_of(row: Row, mapping: Mapping[str, Sequence[str]]) -> dict[str, int | None]:
    return {target: row.count(*names) for target, names in mapping.items() if row.has(*names)}


def extras_of(row: Row, mapping: Mapping[str, Sequence[str]], parse: str = "count") -> dict:
    reader = getattr(row, parse)
    return {target: reader(*names) for target, names in mapping.items() if row.has(*names)}


# What a spreadsheet leaves in an id cell it has "helped" with: an error value (#NAME? when it took
# a YouTube id starting with '-' or '=' for a formula), a formula, or a long numeric id rounded to
# scientific notation (1.23457E+18: the last digits are gone). None of these can be matched to a post.
SPREADSHEET_ERRORS = {"#name?", "#value!", "#ref!", "#n/a", "#div/0!", "#num!", "#null!", "#spill!", "#calc!"}
SCIENTIFIC_RE = re.compile(r"^-?\d+(\.\d+)?e[+-]\d+$", re.IGNORECASE)


def spreadsheet_damage(value: str) -> bool:
    return value.casefold() in SPREADSHEET_ERRORS or value.startswith("=") or bool(SCIENTIFIC_RE.match(value))


def post_id_of(row: Row, *names: str, digits_only: bool = False) -> str:
    value = row.require(row.text(*names), *names)
    if not value:
        return ""
    label = next(row.labels[n] for n in names if n in row.labels)
    if spreadsheet_damage(value):
        row.problem(
            _("%(column)s: '%(value)s' is not an id: a spreadsheet program changed it when the file was opened "
              "and saved. Upload the file as the platform exported it, without re-saving it.")
            % {"column": label, "value": value[:40]},
            kind=_("%(column)s was changed by a spreadsheet program") % {"column": label},
        )
    elif len(value) > 100:
        row.problem(_("%(column)s is too long to be an id") % {"column": label})
    elif digits_only and not value.isdigit():
        row.problem(
            _("%(column)s: '%(value)s' is not an id (was the file re-saved by a spreadsheet?)")
            % {"column": label, "value": value[:40]},
            kind=_("%(column)s is not an id") % {"column": label},
        )
    return value


def permalink_of(value: str) -> str:
    # A permalink is only a matching hint: an unusable one is dropped rather than failing the row.
    return value if value.startswith(("http://", "https://")) and len(value) <= 500 else ""

