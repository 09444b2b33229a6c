"""Writing snapshots: the one place rows enter PostMetricSnapshot / AccountSnapshot.

Idempotency comes from the data model: a reading is keyed by (post, source, slot), where the slot
is the reading time truncated to the hour, and written with an upsert. A task delivered twice, or
re-run after its worker was killed, rewrites the same rows instead of adding duplicates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from metrics.ingestion import setwrites
from metrics.models import AccountSnapshot, PostMetricSnapshot
from metrics.vocabulary import POST_METRICS

METRIC_FIELDS = POST_METRICS  # a snapshot's metric columns


def slot_for(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


@dataclass
class PostReading:
    """One reading of one post's metrics; None means the platform did not give that metric."""

    post_id: int
    captured_at: dt.datetime
    source: str = "api"
    api_version: str = ""
    metrics: dict[str, int | None] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def post_snapshots_upsert(readings: Iterable[PostReading]) -> int:
    """Write the readings (one row per post, source and hour slot); returns the rows written."""
    rows = []
    for r in sorted(readings, key=lambda x: x.captured_at):
        unknown = set(r.metrics) - set(METRIC_FIELDS)
        if unknown:
            raise ValueError(f"unknown metric fields: {sorted(unknown)}")
        rows.append({"post_id": r.post_id, "source": r.source, "slot": slot_for(r.captured_at),
                     "captured_at": r.captured_at, "api_version": r.api_version, "extra": r.extra,
                     **{name: r.metrics.get(name) for name in METRIC_FIELDS}})
    # The same post may be read twice within one batch (same slot): keep the latest reading.
    latest = {(row["post_id"], row["source"], row["slot"]): row for row in rows}
    return setwrites.upsert(PostMetricSnapshot, list(latest.values()), unique=["post", "source", "slot"],
                            update=["captured_at", "api_version", "extra", *METRIC_FIELDS])


def account_snapshot_upsert(*, account_id: int, captured_at: dt.datetime, followers: int | None,
                            source: str = "api", extra: dict[str, Any] | None = None) -> None:
    AccountSnapshot.objects.update_or_create(
        account_id=account_id, source=source, slot=slot_for(captured_at),
        defaults={"captured_at": captured_at, "followers": followers, "extra": extra or {}},
    )
