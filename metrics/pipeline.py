"""What happens after new snapshots are stored (by an ingestion run or a CSV import).

Called once per run with every post it touched, so downstream work is debounced: one rescore and
one roll-up per post per run, not one per snapshot.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction

# Posts per rescoring task: one run's posts are split so no single task runs for minutes.
RESCORE_CHUNK = 500


def after_snapshots(*, post_ids: Collection[int]) -> None:
    """Enqueue the work that follows new snapshots (scores, daily roll-ups), after commit."""
    if not post_ids:
        return
    ids = sorted({int(i) for i in post_ids})
    transaction.on_commit(lambda: _enqueue(ids))


def _enqueue(ids: list[int]) -> None:
    # tasks import the services that call after_snapshots; importing here avoids the cycle.
    from metrics.tasks import rescore_posts, rollup_posts

    rollup_posts.delay(ids)
    for start in range(0, len(ids), RESCORE_CHUNK):
        rescore_posts.delay(ids[start:start + RESCORE_CHUNK])
