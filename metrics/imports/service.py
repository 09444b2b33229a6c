"""Importing an uploaded platform export: create the MetricImport, then run it (in a Celery task).

The file is read twice as a stream, never loaded whole: a survey pass finds the format, counts the
rows and catches file-level problems (encoding, delimiter, wrong platform) before anything is
written; the import pass writes posts and snapshots in batches and records progress.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Account, Post
from metrics import jobs
from metrics.connectors.base import RemotePost
from metrics.imports.cells import FileError, ParsedRow, Row, RowError, normalize_header
from metrics.imports.formats import ExportFormat, detect
from metrics.ingestion import pipeline
from metrics.ingestion.discovery import posts_match_or_create
from metrics.ingestion.snapshots import PostReading, post_snapshots_upsert
from metrics.models import MetricImport, Source

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # a 100,000-post Meta export with captions is ~40 MB
BATCH_ROWS = 500  # rows per write batch and per progress update
# One export of an account's own posts has a few thousand; a file making more new posts than this is
# someone else's data or a generated file, and would fill the calendar with a million posts.
MAX_NEW_POSTS = 20_000

# A long caption is legal; the csv module's default field limit (128 KiB) is not always enough.
csv.field_size_limit(16 * 1024 * 1024)

PLATFORM_LABELS = {"facebook": "Facebook", "instagram": "Instagram", "x": "X", "youtube": "YouTube"}


def upload_size_check(size: int) -> None:
    """The one size limit for an export, on the upload page and in the API; FileError over it."""
    limit: int = getattr(settings, "METRIC_IMPORT_MAX_BYTES", MAX_UPLOAD_BYTES)
    if size > limit:
        raise FileError(_("The file is too large (%(size)s); the limit is %(limit)s. Export a shorter period.")
                        % {"size": filesizeformat(size), "limit": filesizeformat(limit)})


def upload_check(upload: File, *, platform: str) -> ExportFormat:
    """Every check an upload passes before it is stored and queued, the same on the upload page and in
    the API: a .csv, not empty, within the size limit, text, with a header of this platform's export.
    FileError (its message is shown as is) when it fails."""
    if not (upload.name or "").lower().endswith((".csv", ".txt")):
        raise FileError(_("Upload the export as a .csv file."))
    if not upload.size:
        raise FileError(_("The file is empty."))
    upload_size_check(upload.size)
    head = upload.read(8192)
    upload.seek(0)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(_("This is not a CSV text file."))
    return check_header(upload.file, platform=platform)


def import_create(*, account: Account, uploaded_file: File, by=None, original_name: str = "") -> MetricImport:
    """Store the upload and its MetricImport (pending). The stored file name is ours; the client's
    name is kept, cleaned, for display only."""
    name = original_name or PurePath(uploaded_file.name or "export.csv").name
    name = "".join(ch for ch in name if ch.isprintable())
    imp = MetricImport(account=account, uploaded_by=by, original_name=name[:255])
    imp.file.save(f"{uuid.uuid4().hex}.csv", uploaded_file, save=False)
    imp.save()
    return imp


def import_start(*, account: Account, uploaded_file: File, by=None, original_name: str = "") -> MetricImport:
    """Store an upload and import it in the worker once committed (the pages' and the API's way)."""
    imp = import_create(account=account, uploaded_file=uploaded_file, by=by, original_name=original_name)
    jobs.enqueue_after_commit("metrics.run_import", [imp.pk])
    return imp


# --- reading ------------------------------------------------------------------------------------


@dataclass
class Survey:
    fmt: ExportFormat
    header: list[str]
    total_rows: int
    newest_post_day: dt.date | None


def _open_text(binary) -> io.TextIOWrapper:
    head = binary.read(4)
    binary.seek(0)
    if head.startswith(b"PK\x03\x04"):
        raise FileError(_("This is a zip archive. Unzip the export and upload the CSV inside it "
                          "(YouTube Studio: 'Table data.csv')."))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        # utf-8-sig drops the BOM Meta puts at the start of its exports.
        encoding = "utf-8-sig"
    # newline="" lets the csv module see the newlines inside quoted captions as part of the field.
    return io.TextIOWrapper(binary, encoding=encoding, newline="", errors="strict")


def _records(text: io.TextIOWrapper) -> Iterator[tuple[int, list[str]]]:
    """(first physical line of the record, cells) for every record; blank lines are skipped."""
    reader = csv.reader(text)
    next_line = 1
    try:
        for cells in reader:
            line = next_line
            next_line = reader.line_num + 1
            if not cells or all(not c.strip() for c in cells):
                continue
            yield line, cells
    except UnicodeDecodeError as exc:
        raise FileError(_("The file is not UTF-8 text (near line %(line)s). Export it again from the platform, "
                          "or save it as 'CSV UTF-8'.") % {"line": next_line}) from exc
    except csv.Error as exc:
        raise FileError(_("The file is not valid CSV near line %(line)s: %(reason)s")
                        % {"line": next_line, "reason": exc}) from exc


class _Columns:
    def __init__(self, header: list[str]):
        self.width = len(header)
        self.index: dict[str, int] = {}
        self.labels: dict[str, str] = {}
        for i, cell in enumerate(header):
            key = normalize_header(cell)
            if key and key not in self.index:
                self.index[key] = i
                self.labels[key] = " ".join(cell.replace("\ufeff", "").split())

    def row(self, cells: list[str]) -> Row:
        return Row(cells, self.index, self.labels)


def _shape_problem(cells: list[str], width: int) -> str | None:
    # A row cut short or spilling over usually means an unquoted newline or comma in a caption.
    if len(cells) < width:
        return _("has %(n)s cells where the header has %(width)s (a caption with an unquoted line break?)") % {
            "n": len(cells), "width": width}
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        return _("has %(n)s cells where the header has %(width)s (an unquoted comma?)") % {
            "n": len(cells), "width": width}
    return None


def survey(binary, *, platform: str) -> Survey:
    """Read the whole file once: format, row count, newest post day. Raises FileError."""
    text = _open_text(binary)
    try:
        records = _records(text)
        first = next(records, None)
        if first is None:
            raise FileError(_("The file is empty."))
        _line, header = first
        fmt = detect(header, platform=platform)
        if fmt.platform != platform:
            raise FileError(
                _("This is a %(format)s export, but the account is on %(platform)s. Choose the %(wanted)s account "
                  "it belongs to.") % {"format": _(fmt.label), "platform": PLATFORM_LABELS.get(platform, platform),
                                       "wanted": PLATFORM_LABELS.get(fmt.platform, fmt.platform)}
            )
        columns = _Columns(header)
        total = 0
        newest: dt.date | None = None
        date_index = next((columns.index[c] for c in fmt.date_columns if c in columns.index), None)
        for _line, cells in records:
            total += 1
            if date_index is not None and fmt.date_parser and date_index < len(cells):
                try:
                    moment = fmt.date_parser(cells[date_index])
                except ValueError:
                    moment = None
                if moment and (newest is None or moment.date() > newest):
                    newest = moment.date()
        return Survey(fmt=fmt, header=header, total_rows=total, newest_post_day=newest)
    finally:
        text.detach()  # leave the underlying file open for the caller


def check_header(binary, *, platform: str) -> ExportFormat:
    """Just the header: for the upload form, so a wrong file is refused before it is queued."""
    text = _open_text(binary)
    try:
        first = next(_records(text), None)
        if first is None:
            raise FileError(_("The file is empty."))
        fmt = detect(first[1], platform=platform)
        if fmt.platform != platform:
            raise FileError(
                _("This is a %(format)s export, but the account is on %(platform)s.")
                % {"format": _(fmt.label), "platform": PLATFORM_LABELS.get(platform, platform)}
            )
        return fmt
    finally:
        text.detach()
        binary.seek(0)


# Export file names that carry the period they cover: X's
# account_analytics_content_2026-09-01_2026-09-30.csv, tweet_activity_metrics_h_20260901_20260930_en.csv,
# and Meta's Sep-01-2026_Sep-30-2026_<id>.csv.
PERIOD_PATTERNS = (
    (re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})"), "%Y-%m-%d"),
    (re.compile(r"_(\d{8})_(\d{8})_"), "%Y%m%d"),
    (re.compile(r"([A-Z][a-z]{2}-\d{2}-\d{4})_([A-Z][a-z]{2}-\d{2}-\d{4})"), "%b-%d-%Y"),
)


def period_end_from_name(name: str) -> dt.date | None:
    for pattern, fmt in PERIOD_PATTERNS:
        match = pattern.search(name)
        if match:
            try:
                return dt.datetime.strptime(match.group(2), fmt).date()  # noqa: DTZ007 - a date
            except ValueError:
                continue
    return None


def as_of(*, original_name: str, newest_post_day: dt.date | None, fallback: dt.datetime) -> dt.datetime:
    """The moment the export's figures are recorded at: the snapshot slot of every row.

    The exports hold lifetime totals but do not say when they were taken, and the upload time
    would make a re-import of the same file a second snapshot. So the slot is read from the file
    itself: the end of the period its name covers, or of the day of its newest post, whichever is
    later. The same file therefore always lands in the same slot (re-imports overwrite, never
    duplicate), while an export of a later period becomes a new snapshot.
    """
    days = [d for d in (period_end_from_name(original_name), newest_post_day) if d]
    if not days:
        return fallback
    return dt.datetime.combine(max(days), dt.time(23, 59), tzinfo=dt.UTC)


# --- running ------------------------------------------------------------------------------------


def _fail(imp: MetricImport, message: str) -> MetricImport:
    imp.status = MetricImport.Status.FAILED
    imp.error = message
    imp.finished_at = timezone.now()
    imp.save(update_fields=["status", "error", "finished_at"])
    return imp


def max_new_posts() -> int:
    return int(getattr(settings, "METRIC_IMPORT_MAX_NEW_POSTS", MAX_NEW_POSTS))


@dataclass
class _Written:
    post_ids: list[int]
    created: int  # posts this batch created
    over_cap: list[int]  # lines of rows about posts the cap kept from being created


def _write_batch(imp: MetricImport, fmt: ExportFormat, batch: list[tuple[int, ParsedRow]],
                 captured_at: dt.datetime, *, may_create: int) -> _Written:
    found = [
        RemotePost(platform_post_id=p.platform_post_id, published_at=p.published_at, permalink=p.permalink,
                   format=p.format, title=p.title, body=p.body)
        for _line, p in batch
    ]
    with transaction.atomic():
        before = Post.objects.filter(account=imp.account).count()
        posts = posts_match_or_create(account=imp.account, found=found, by=imp.uploaded_by, max_new=may_create)
        created = Post.objects.filter(account=imp.account).count() - before
        readings = [
            PostReading(
                post_id=posts[p.platform_post_id].id, captured_at=captured_at, source=Source.CSV,
                metrics=p.metrics, extra={**p.extra, "format": fmt.key, "import_id": imp.id, "line": line},
            )
            for line, p in batch if p.platform_post_id in posts
        ]
        post_snapshots_upsert(readings)
        # With the snapshots: an import that dies before its end still leaves these posts' roll-ups owed.
        pipeline.followup_owed_record(post_ids=[r.post_id for r in readings])
    over_cap = [line for line, p in batch if p.platform_post_id not in posts]
    return _Written(post_ids=[r.post_id for r in readings], created=created, over_cap=over_cap)


def import_run(import_id: int, *, batch_rows: int = BATCH_ROWS,
               progress: Callable[[int, int], None] | None = None) -> MetricImport | None:
    """Import one uploaded export; safe to run again (a redelivered task rewrites the same rows)."""
    # Claim: a finished import is never re-run; a "running" one is, since that is what a task
    # redelivered after its worker died looks like, and the upserts make the re-run harmless.
    claimed = MetricImport.objects.filter(
        id=import_id, status__in=[MetricImport.Status.PENDING, MetricImport.Status.RUNNING]
    ).update(status=MetricImport.Status.RUNNING, processed_rows=0, imported_rows=0, row_errors=[], error="")
    imp = MetricImport.objects.select_related("account").filter(id=import_id).first()
    if imp is None or not claimed:
        return imp
    account = imp.account
    try:
        imp.file.open("rb")
    except OSError:
        return _fail(imp, _("The uploaded file is no longer on the server. Upload it again."))
    with imp.file:
        binary = imp.file.file
        try:
            found = survey(binary, platform=account.platform)
        except FileError as exc:
            return _fail(imp, str(exc))
        binary.seek(0)
        imp.detected_format = found.fmt.key
        imp.total_rows = found.total_rows
        imp.save(update_fields=["detected_format", "total_rows"])
        captured_at = as_of(original_name=imp.original_name, newest_post_day=found.newest_post_day,
                            fallback=imp.created_at)
        try:
            return _import_rows(imp, found, binary, captured_at, batch_rows, progress)
        except (OperationalError, InterfaceError):
            raise  # the database went away: the task retries, and the re-run rewrites the same rows
        except Exception:
            # Anything else (a bug, the time limit) must not leave the page polling "running" forever.
            logger.exception("import %s stopped", imp.id)
            done = MetricImport.objects.filter(id=imp.id).values_list("processed_rows", flat=True).first()
            return _fail(imp, _("The import stopped on an unexpected error after %(n)s rows. The rows before "
                                "it are kept; importing the file again is safe.") % {"n": done})


def _import_rows(imp: MetricImport, found: Survey, binary, captured_at: dt.datetime, batch_rows: int,
                 progress: Callable[[int, int], None] | None) -> MetricImport:
    fmt, account = found.fmt, imp.account
    text = _open_text(binary)
    records = _records(text)
    _header_line, header = next(records)
    columns = _Columns(header)
    errors: list[dict] = []
    kinds: set[tuple[str, ...]] = set()  # what went wrong, without the rows' values (RowError.kinds)
    seen: dict[str, int] = {}  # platform id → line of its first row, to catch duplicates
    batch: list[tuple[int, ParsedRow]] = []
    touched: set[int] = set()
    processed = imported = created = 0
    cap = max_new_posts()
    over_cap: list[int] = []

    def flush() -> None:
        nonlocal imported, created
        if batch:
            written = _write_batch(imp, fmt, batch, captured_at, may_create=max(cap - created, 0))
            touched.update(written.post_ids)
            imported += len(written.post_ids)
            created += written.created
            over_cap.extend(written.over_cap)
            batch.clear()
        MetricImport.objects.filter(id=imp.id).update(processed_rows=processed, imported_rows=imported)
        if progress:
            progress(processed, found.total_rows)

    try:
        for index, (line, cells) in enumerate(records):
            processed += 1
            row = columns.row(cells)
            if fmt.is_filler(row, index):
                pass
            elif problem := _shape_problem(cells, columns.width):
                errors.append({"line": line, "reason": _("The row %(problem)s") % {"problem": problem}})
                kinds.add(("shape",))
            else:
                try:
                    parsed = fmt.parse(row)
                except RowError as exc:
                    errors.append({"line": line, "reason": str(exc)})
                    kinds.add(exc.kinds)
                else:
                    if parsed.owner_id and account.platform_id and parsed.owner_id != account.platform_id:
                        errors.append({"line": line, "reason": _(
                            "This post belongs to %(owner)s, not to this account (%(account)s)."
                        ) % {"owner": parsed.owner_id, "account": account.platform_id}})
                        kinds.add(("owner", parsed.owner_id))
                    elif parsed.platform_post_id in seen:
                        errors.append({"line": line, "reason": _(
                            "The same post (%(id)s) as on line %(first)s; only the first is imported."
                        ) % {"id": parsed.platform_post_id, "first": seen[parsed.platform_post_id]}})
                        kinds.add(("duplicate",))
                    else:
                        seen[parsed.platform_post_id] = line
                        batch.append((line, parsed))
            if processed % batch_rows == 0:
                flush()
        flush()
    except FileError as exc:  # the survey read the same bytes, so this is a file changed under us
        return _fail(imp, str(exc))
    finally:
        text.detach()

    if imported == 0 and len(errors) > 1 and len(kinds) == 1:
        # Every row failed the same way: that is the file's problem, said once rather than per row.
        imp.processed_rows = processed
        imp.save(update_fields=["processed_rows"])
        return _fail(imp, _("No row was imported: all %(n)s rows have the same problem. Line %(line)s: %(reason)s")
                     % {"n": len(errors), "line": errors[0]["line"], "reason": errors[0]["reason"]})
    if over_cap:
        # One entry for all of them: a million rows over the cap must not become a million errors.
        errors.append({"line": over_cap[0], "reason": _(
            "This row and %(more)s more (up to line %(last)s) are about posts not yet in Softpower and were not "
            "imported: one import creates at most %(cap)s new posts. Rows about posts already here were "
            "imported. Import the rest from a shorter export."
        ) % {"more": len(over_cap) - 1, "last": over_cap[-1], "cap": f"{cap:,}"}})
        errors.sort(key=lambda e: e["line"])
    pipeline.after_snapshots(post_ids=sorted(touched))
    imp.processed_rows = processed
    imp.imported_rows = imported
    imp.row_errors = errors
    imp.status = MetricImport.Status.DONE
    imp.finished_at = timezone.now()
    imp.save(update_fields=["processed_rows", "imported_rows", "row_errors", "status", "finished_at"])
    return imp
