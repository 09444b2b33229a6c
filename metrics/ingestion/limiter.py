"""One batch per account at a time, for every worker at once: a lease row in the database.

Two batches of one account running side by side spend the account's rate limit twice as fast and,
in a rate-limit storm, both send calls that are refused (and counted). So a batch first takes the
account's hold (a conditional UPDATE on AccountIngestionState, like the posts' claims); a batch that
finds the hold taken leaves its claim in place and returns, and the holder reads that claim after
its own. A rate-limit reply backs the account off (runs._finish_failure, until the reset the
platform names), and the holder's next claims then see the account backing off and send nothing.
A holder that dies stops renewing: its hold lapses with the claims' lease.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.db.models import Q
from django.utils import timezone

from metrics.ingestion.tick import CLAIM_LEASE
from metrics.models import AccountIngestionState, PostTracking


def account_hold(*, account_id: int, holder: str, lease: dt.timedelta = CLAIM_LEASE) -> bool:
    """Take (or renew) the account's hold for `holder`; False when another live batch holds it."""
    now = timezone.now()
    AccountIngestionState.objects.bulk_create([AccountIngestionState(account_id=account_id)], ignore_conflicts=True)
    free = Q(batch_held_until__isnull=True) | Q(batch_held_until__lt=now) | Q(batch_holder=holder)
    return AccountIngestionState.objects.filter(free, account_id=account_id).update(
        batch_holder=holder, batch_held_until=now + lease) == 1


def account_let_go(*, account_id: int, holder: str) -> None:
    AccountIngestionState.objects.filter(account_id=account_id, batch_holder=holder).update(
        batch_holder="", batch_held_until=None)


def claim_waiting(*, account_id: int, done: Collection[str]) -> str | None:
    """A live claim on the account's posts that no batch is reading: the holder reads it next."""
    waiting = (PostTracking.objects.filter(post__account_id=account_id, claimed_until__gte=timezone.now())
               .exclude(claim_id__isnull=True).exclude(claim_id__in=list(done))
               .order_by("claimed_until").values_list("claim_id", flat=True).first())
    return str(waiting) if waiting else None
