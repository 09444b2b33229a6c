"""Follow-up work (roll-ups, scores) is recorded with the snapshots and done even when its task is lost."""

import datetime as dt
import uuid

import pytest
from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from metrics import tasks
from metrics.ingestion.pipeline import after_snapshots, followup_owed_record
from metrics.ingestion.snapshots import PostReading, post_snapshots_upsert
from metrics.models import DailyPostRollup, PostWorkOwed
from metrics.reporting.followup import followup_sweep
from tests.factories import PostFactory


def _owed() -> set[tuple[int, str]]:
    return set(PostWorkOwed.objects.values_list("post_id", "kind"))


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_refuses_the_tasks_loses_nothing_the_sweep_does_it(monkeypatch):
    post = PostFactory()

    def broker_down(name, args=None, **options):
        raise BrokerError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(current_app, "send_task", broker_down)
    with transaction.atomic():
        post_snapshots_upsert([PostReading(post.id, timezone.now(), metrics={"views": 42})])
        after_snapshots(post_ids=[post.id])
    # The snapshots committed, and the need with them.
    assert _owed() == {(post.id, "rollup"), (post.id, "rescore")}
    assert not DailyPostRollup.objects.exists()
    assert followup_sweep(grace=dt.timedelta(0)) == 2
    assert DailyPostRollup.objects.get(post=post).views == 42
    assert _owed() == set()


@pytest.mark.django_db(transaction=True)
def test_the_tasks_do_the_work_and_clear_what_they_did(jobs_inline):
    post, other = PostFactory(), PostFactory()
    with transaction.atomic():
        post_snapshots_upsert([PostReading(p.id, timezone.now(), metrics={"views": 7}) for p in (post, other)])
        followup_owed_record(post_ids=[other.id])  # owed by another run, whose tasks were lost
        after_snapshots(post_ids=[post.id])
    assert {name for name, _ in jobs_inline} == {"metrics.rollup_posts", "metrics.rescore_posts"}
    assert _owed() == {(other.id, "rollup"), (other.id, "rescore")}
    assert DailyPostRollup.objects.get(post=post).views == 7


@pytest.mark.django_db
def test_the_sweep_leaves_young_rows_and_live_claims_and_takes_lapsed_ones():
    young, held, lapsed = PostFactory(), PostFactory(), PostFactory()
    now = timezone.now()
    followup_owed_record(post_ids=[young.id, held.id, lapsed.id])
    PostWorkOwed.objects.exclude(post=young).update(owed_since=now - dt.timedelta(minutes=5))
    PostWorkOwed.objects.filter(post=held).update(claim_id=uuid.uuid4(), claimed_until=now + dt.timedelta(minutes=1))
    PostWorkOwed.objects.filter(post=lapsed).update(claim_id=uuid.uuid4(), claimed_until=now - dt.timedelta(seconds=1))
    assert followup_sweep(now=now) == 2
    assert _owed() == {(young.id, "rollup"), (young.id, "rescore"), (held.id, "rollup"), (held.id, "rescore")}


@pytest.mark.django_db
def test_a_need_recorded_while_a_worker_holds_the_claim_is_not_cleared_by_it():
    post = PostFactory()
    followup_owed_record(post_ids=[post.id])
    working = uuid.uuid4()
    PostWorkOwed.objects.update(claim_id=working, claimed_until=timezone.now() + dt.timedelta(minutes=5))
    followup_owed_record(post_ids=[post.id])  # new snapshots arrived meanwhile
    # What the worker deletes when it finishes is what still carries its claim: nothing.
    assert PostWorkOwed.objects.filter(claim_id=working).count() == 0
    assert PostWorkOwed.objects.filter(post=post, claim_id__isnull=True).count() == 2


def test_every_task_but_the_digest_retries_infrastructure_errors():
    from django.db import OperationalError

    for name, task in current_app.tasks.items():
        if name.startswith("metrics.") and name != "metrics.send_weekly_digests":
            assert OperationalError in task.autoretry_for and BrokerError in task.autoretry_for, name
    assert tasks.followup_sweep.name in current_app.conf.beat_schedule["followup-sweep"]["task"]
