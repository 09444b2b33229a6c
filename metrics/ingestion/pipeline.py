"""What happens after new snapshots are stored (by an ingestion run or a CSV import).

Called once per run with every post it touched, so downstream work is debounced: one rescore and
one roll-up per post per run, not one per snapshot.

The need is written to the database (PostWorkOwed) in the snapshots' transaction, and the tasks
are only the fast path: a broker that loses them, or a database that fails them, leaves the rows
for the beat sweep (metrics.reporting.followup).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.utils import timezone

from metrics import jobs
from metrics.ingestion import setwrites
from metrics.models import PostWorkOwed

# Posts per rescoring task: one run's posts are split so no single task runs for minutes.
RESCORE_CHUNK = 500
OWED_BATCH = 1000


def followup_owed_record(*, post_ids: Collection[int]) -> list[int]:
    """Record that these posts are owed roll-ups and a score (upsert); returns the sorted ids."""
    ids = sorted({int(i) for i in post_ids})
    now = timezone.now()
    rows = [{"post_id": pk, "kind": kind, "owed_since": now, "claim_id": None, "claimed_until": None}
            for pk in ids for kind in PostWorkOwed.Kind.values]
    # On conflict the claim is reset too: whoever is working on the older need must not clear this one.
    for start in range(0, len(rows), OWED_BATCH):
        setwrites.upsert(PostWorkOwed, rows[start:start + OWED_BATCH], unique=["post", "kind"],
                         update=["owed_since", "claim_id", "claimed_until"])
    return ids


def after_snapshots(*, post_ids: Collection[int], since: dt.datetime | None = None) -> None:
    """Record the work that follows new snapshots (scores, daily roll-ups) and enqueue it after commit.

    Call it inside the transaction that wrote the snapshots, so the need is stored with them.
    `since`: the earliest reading written, when the caller knows it (an ingestion run reads "now"), so the
    roll-ups rewrite only the days from then on; without it they rewrite every day of the posts.
    """
    if not post_ids:
        return
    ids = followup_owed_record(post_ids=post_ids)
    day = since.astimezone(dt.UTC).date().isoformat() if since is not None else ""
    jobs.enqueue_after_commit("metrics.rollup_posts", [ids, day], robust=True)
    for start in range(0, len(ids), RESCORE_CHUNK):
        jobs.enqueue_after_commit("metrics.rescore_posts", [ids[start:start + RESCORE_CHUNK]], robust=True)
