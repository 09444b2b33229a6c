"""What happens after new snapshots are stored (by an ingestion run or a CSV import).

Called once per run with every post it touched, so downstream work is debounced: one rescore and
one roll-up per post per run, not one per snapshot.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction


def after_snapshots(*, post_ids: Collection[int]) -> None:
    """Enqueue the work that follows new snapshots (scores, daily roll-ups), after commit."""
    if not post_ids:
        return
    # Each downstream step adds its own enqueue here (scoring: rescore; dashboards: roll-ups).
    ids = sorted({int(i) for i in post_ids})
    from metrics.tasks import rollup_posts  # tasks import services; importing here avoids a cycle

    transaction.on_commit(lambda: rollup_posts.delay(ids))
