"""One batch per account at a time, and a rate-limit reply ends the account's burst.

Real concurrency: the tick's batches of one account run in threads released together (as workers
taking the messages at once would), against the sandbox answering every request with the platform's
rate-limit error. Every call of such a burst is refused and counts against the limit.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from metrics.connectors.registry import connector_class
from metrics.ingestion import runs, tick
from metrics.models import AccountIngestionState, IngestionRun, PostTracking
from tests.metrics.ingest_support import (  # noqa: F401 (sandbox is a fixture)
    FB_PAGE,
    IG_USER,
    Outbox,
    account,
    fault,
    sandbox,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]


def _batches_of_one_account(platform, platform_id, monkeypatch, *, batches):
    monkeypatch.setattr(runs, "INITIAL_LOOKBACK", dt.timedelta(days=60))
    acc = account(platform, platform_id)
    assert runs.account_sync(account_id=acc.pk).status == IngestionRun.Status.SUCCESS
    posts = PostTracking.objects.filter(post__account=acc).count()
    assert posts >= batches
    # Small batches stand in for an account with several hundred posts due at once.
    monkeypatch.setattr(connector_class(platform), "batch_size", posts // batches)
    PostTracking.objects.update(next_refresh_at=timezone.now())
    outbox = Outbox()
    tick.ingestion_tick(enqueue=outbox)
    assert len(outbox.batches()) >= batches
    return acc, outbox.batches()


def _run_at_once(batches):
    barrier = threading.Barrier(len(batches))

    def work(account_id, claim_id):
        try:
            barrier.wait(timeout=30)
            runs.batch_refresh(account_id=account_id, claim_id=claim_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=batch) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return IngestionRun.objects.filter(kind="refresh").aggregate(n=Sum("requests_made"))["n"] or 0


@pytest.mark.parametrize(("platform", "platform_id", "batches"), [("facebook", FB_PAGE, 8), ("instagram", IG_USER, 3)])
def test_a_rate_limit_storm_costs_one_call_per_account(platform, platform_id, batches, monkeypatch):
    acc, sent = _batches_of_one_account(platform, platform_id, monkeypatch, batches=batches)
    fault(platform, platform_id, "rate_limit", code=80001 if platform == "facebook" else 80002)
    calls = _run_at_once(sent)
    print(f"storm {platform}: {len(sent)} batches, {calls} calls in the first burst")  # noqa: T201
    assert calls == 1
    state = AccountIngestionState.objects.get(account=acc)
    assert state.backoff_until and state.backoff_until > timezone.now() + dt.timedelta(minutes=1)
    # Nothing was dropped: every post is still tracked, unclaimed or due after the backoff.
    assert PostTracking.objects.filter(post__account=acc, claim_id__isnull=True).count() == \
        PostTracking.objects.filter(post__account=acc).count()
