"""What happens after new snapshots are stored (by an ingestion run or a CSV import).

Called once per run with every post it touched, so downstream work is debounced: one rescore and
one roll-up per post per run, not one per snapshot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from metrics import jobs

# Posts per rescoring task: one run's posts are split so no single task runs for minutes.
RESCORE_CHUNK = 500


def after_snapshots(*, post_ids: Collection[int], since: dt.datetime | None = None) -> None:
    """Enqueue the work that follows new snapshots (scores, daily roll-ups), after commit.

    `since`: the earliest reading written, when the caller knows it (an ingestion run reads "now"),
    so the roll-ups rewrite only the days from then on; without it they rewrite every day of the posts.
    """
    if not post_ids:
        return
    ids = sorted({int(i) for i in post_ids})
    day = since.astimezone(dt.UTC).date().isoformat() if since is not None else ""
    jobs.enqueue_after_commit("metrics.rollup_posts", [ids, day])
    for start in range(0, len(ids), RESCORE_CHUNK):
        jobs.enqueue_after_commit("metrics.rescore_posts", [ids[start:start + RESCORE_CHUNK]])
