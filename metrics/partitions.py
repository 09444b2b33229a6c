"""Monthly partitions of the snapshot table on PostgreSQL (declarative partitioning, by `slot`).

Readings arrive at "now", so only the current and the next months take rows; creating a few months
ahead (a daily beat entry) means a reading never lands in the DEFAULT partition, which is only a
safety net (a partition cannot be created for a range the DEFAULT partition already holds rows of).
Old months can later be detached or dropped whole instead of deleting row by row. SQLite keeps
one plain table: these functions do nothing there.
"""

from __future__ import annotations

import datetime as dt

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "metrics_postmetricsnapshot"
MONTHS_AHEAD = 3


def _month(day: dt.date, offset: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 1)


def partition_name(month: dt.date) -> str:
    return f"{TABLE}_y{month.year}m{month.month:02d}"


def is_partitioned(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cursor.fetchone() is not None


def partitions_ensure(connection: BaseDatabaseWrapper, *, since: dt.date, until: dt.date) -> list[str]:
    """Create the monthly partitions covering since … until (whole months) and the DEFAULT one; returns
    the names created. Idempotent."""
    if not is_partitioned(connection):
        return []
    created = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                       "WHERE i.inhparent = %s::regclass", [TABLE])
        existing = {row[0] for row in cursor.fetchall()}
        month = _month(since)
        while month <= until:
            name = partition_name(month)
            if name not in existing:
                cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} "
                               f"FOR VALUES FROM ('{month.isoformat()}') TO ('{_month(month, 1).isoformat()}')")
                created.append(name)
            month = _month(month, 1)
        if f"{TABLE}_default" not in existing:
            cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
            created.append(f"{TABLE}_default")
    return created


def partitions_ahead(connection: BaseDatabaseWrapper, *, today: dt.date) -> list[str]:
    """This month's and the next MONTHS_AHEAD months' partitions (the daily beat entry)."""
    return partitions_ensure(connection, since=today, until=_month(today, MONTHS_AHEAD))
