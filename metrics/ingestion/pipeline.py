"""What happens after new snapshots are stored (by an ingestion run or a CSV import).

Called once per run with every post it touched, so downstream work is debounced: one rescore and
one roll-up per post per run, not one per snapshot.
"""

from __future__ import annotations

from collections.abc import Collection

from metrics import jobs

# Posts per rescoring task: one run's posts are split so no single task runs for minutes.
RESCORE_CHUNK = 500


def after_snapshots(*, post_ids: Collection[int]) -> None:
    """Enqueue the work that follows new snapshots (scores, daily roll-ups), after commit."""
    if not post_ids:
        return
    ids = sorted({int(i) for i in post_ids})
    jobs.enqueue_after_commit("metrics.rollup_posts", [ids])
    for start in range(0, len(ids), RESCORE_CHUNK):
        jobs.enqueue_after_commit("metrics.rescore_posts", [ids[start:start + RESCORE_CHUNK]])
