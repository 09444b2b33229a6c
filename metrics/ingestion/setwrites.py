"""Set-based writes for ingestion: a batch's rows in one statement per table, however many rows.

On PostgreSQL the rows travel as one array per column and `unnest()` turns them back into rows,
so the statement and its parameters stay the same size whatever the batch holds (Django's
bulk_create writes and compiles one placeholder per value: 50 posts × 16 columns). Elsewhere
(SQLite in development) the ORM's bulk_create does the same work row by row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models

from metrics.models import PostTracking

BATCH_SIZE = 500
# Rows per statement on PostgreSQL: a 20,000-row import goes in a few statements, not one huge one.
ARRAY_ROWS = 5000


def _column(model: type[models.Model], name: str) -> tuple[str, str, bool]:
    """(column, SQL array element type, is JSON) of a model field named by attribute or field name."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column, f"{name} is not a column of {model.__name__}"
    if isinstance(field, models.JSONField):
        return field.column, "text", True  # sent as text, cast to jsonb per row
    return field.column, field.db_type(connection) or "text", False


def upsert(model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, unique: Sequence[str],
           update: Sequence[str]) -> int:
    """Insert rows (dicts by field name, all with the same keys); a row whose `unique` fields exist
    already has its `update` fields overwritten. Returns the number of rows sent."""
    if not rows:
        return 0
    names = list(rows[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create([model(**row) for row in rows], batch_size=BATCH_SIZE,
                                           update_conflicts=True, unique_fields=list(unique),
                                           update_fields=list(update))
        return len(rows)
    quote = connection.ops.quote_name
    columns = [_column(model, name) for name in names]
    arrays = [[_json(row[name]) if is_json else row[name] for row in rows]
              for name, (_, _, is_json) in zip(names, columns, strict=True)]
    unnest = ", ".join(f"%s::{db_type}[]" for _, db_type, _ in columns)
    aliases = [f"c{n}" for n in range(len(columns))]
    select = ", ".join(f"u.{alias}::jsonb" if is_json else f"u.{alias}"
                       for alias, (_, _, is_json) in zip(aliases, columns, strict=True))
    target = ", ".join(quote(column) for column, _, _ in columns)
    conflict = ", ".join(quote(_column(model, name)[0]) for name in unique)
    assignments = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in (_column(model, n)[0] for n in update))
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({target}) "  # noqa: S608 -- names from the model
           f"SELECT {select} FROM unnest({unnest}) AS u({', '.join(aliases)}) "
           f"ON CONFLICT ({conflict}) DO UPDATE SET {assignments}")
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ARRAY_ROWS):
            cursor.execute(sql, [values[start:start + ARRAY_ROWS] for values in arrays])
    return len(rows)


def trackings_advance(*, claim_id: str, following: Mapping[int, dt.datetime], read_at: dt.datetime) -> list[int]:
    """Give each tracking (by pk) its next refresh time and release its claim, in one UPDATE on
    PostgreSQL; only rows still holding `claim_id` move. Returns the pks that moved."""
    if not following:
        return []
    table = connection.ops.quote_name(PostTracking._meta.db_table)
    key = connection.ops.quote_name(PostTracking._meta.pk.column or "post_id")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS t SET next_refresh_at = u.due, last_refreshed_at = %s, "  # noqa: S608
            "claim_id = NULL, claimed_until = NULL "
            f"FROM unnest(%s::bigint[], %s::timestamptz[]) AS u(id, due) "
            f"WHERE t.{key} = u.id AND t.claim_id = %s::uuid RETURNING t.{key}",
            [read_at, list(following), list(following.values()), claim_id],
        )
        return [row[0] for row in cursor.fetchall()]


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value)
