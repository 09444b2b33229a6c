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
    """One data row is unusable; the message says which column and why."""


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


def datetime_parser(*patterns: str, date_only: bool = False) -> Callable[[str], dt.datetime | None]:
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
        raise ValueError(_("is not a date in the expected form"))

    return parse


# --- rows ---------------------------------------------------------------------------------------


class Row:
    """One data row, read by column name; collects every problem so a row error lists them all."""

    def __init__(self, cells: Sequence[str], columns: dict[str, int], labels: dict[str, str]):
        self.cells = cells
        self.columns = columns
        self.labels = labels
        self.problems: list[str] = []
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
                self.problems.append(f"{self.labels[name]}: '{shown}' {exc}")
                self.unreadable.add(name)
                return None
        return None

    def count(self, *names: str) -> int | None:
        return self._parsed(names, parse_count)

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
            self.problems.append(_("%(column)s is empty") % {"column": label})
        return value

    def finish(self, parsed: ParsedRow) -> ParsedRow:
        if self.problems:
            raise RowError("; ".join(self.problems))
        return parsed


def counts_of(row: Row, mapping: Mapping[str, Sequence[str]]) -> dict[str, int | None]:
    return {target: row.count(*names) for target, names in mapping.items() if row.has(*names)}


def extras_of(row: Row, mapping: Mapping[str, Sequence[str]], parse: str = "count") -> dict:
    reader = getattr(row, parse)
    return {target: reader(*names) for target, names in mapping.items() if row.has(*names)}


def post_id_of(row: Row, *names: str, digits_only: bool = False) -> str:
    value = row.require(row.text(*names), *names)
    if not value:
        return ""
    label = next(row.labels[n] for n in names if n in row.labels)
    if len(value) > 100:
        row.problems.append(_("%(column)s is too long to be an id") % {"column": label})
    elif digits_only and not value.isdigit():
        # A spreadsheet that saved the file turns long ids into "1.79E+18": the id is lost.
        row.problems.append(
            _("%(column)s: '%(value)s' is not an id (was the file re-saved by a spreadsheet?)")
            % {"column": label, "value": value[:40]}
        )
    return value


def permalink_of(value: str) -> str:
    # A permalink is only a matching hint: an unusable one is dropped rather than failing the row.
    return value if value.startswith(("http://", "https://")) and len(value) <= 500 else ""

