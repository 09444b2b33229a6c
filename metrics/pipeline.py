"""What happens after new snapshots are stored (by an ingestion run or a CSV import).

Called once per run with every post it touched, so downstream work is debounced: one rescore and
one roll-up per post per run, not one per snapshot.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction

from metrics import tasks

# Posts per rescoring task: one run's posts are split so no single task runs for minutes.
RESCORE_CHUNK = 500


def after_snapshots(*, post_ids: Collection[int]) -> None:
    """Enqueue the work that follows new snapshots (scores, daily roll-ups), after commit."""
    if not post_ids:
        return
    # Each downstream step adds its own enqueue here (scoring: rescore; dashboards: roll-ups).
    _enqueue_rescore(sorted(set(post_ids)))


def _enqueue_rescore(ids: list[int]) -> None:
    for start in range(0, len(ids), RESCORE_CHUNK):
        chunk = ids[start:start + RESCORE_CHUNK]
        transaction.on_commit(lambda chunk=chunk: tasks.rescore_posts.delay(chunk))
