"""metrics.jobs: the one way to enqueue, by task name, after commit, with ids only."""

from __future__ import annotations

import pytest
from django.db import transaction

from metrics import jobs
from tests.metrics.ingest_support import Outbox


@pytest.mark.django_db(transaction=True)
def test_a_job_is_sent_only_once_the_transaction_commits():
    outbox = Outbox()
    with transaction.atomic():
        jobs.enqueue_after_commit("metrics.rescore_posts", [[3, 1, 2]], send=outbox)
        assert outbox == []
    assert outbox == [("metrics.rescore_posts", [[3, 1, 2]])]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_sends_nothing():
    outbox = Outbox()
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue_after_commit("metrics.sync_account", [7], send=outbox)
        raise RuntimeError("rolled back")
    assert outbox == []


@pytest.mark.parametrize("bad", [{"token": "EAAB..."}, 1.5, True, [1, "2"], None, object()])
def test_anything_but_ids_is_refused_before_it_reaches_the_broker(bad):
    with pytest.raises(TypeError, match="ids only"):
        jobs.enqueue_after_commit("metrics.sync_account", [bad], send=Outbox())


@pytest.mark.django_db
def test_the_default_sends_by_name_through_celery(monkeypatch, django_capture_on_commit_callbacks):
    from celery import current_app

    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args=None, **kw: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue_after_commit("metrics.refresh_batch", [4, "claim-id"])
    assert sent == [("metrics.refresh_batch", [4, "claim-id"])]


def test_every_task_enqueued_by_name_is_a_registered_task():
    # By name means a typo would only show in a worker's log: check every name the code sends.
    import re
    from pathlib import Path

    from celery import current_app

    import metrics.tasks  # noqa: F401  (registers the tasks)

    source = "\n".join(p.read_text() for p in Path(jobs.__file__).parent.rglob("*.py"))
    names = set(re.findall(r"enqueue_after_commit\(\s*\"([\w.]+)\"", source))
    assert {"metrics.run_import", "metrics.rescore_posts", "metrics.rollup_posts", "metrics.sync_account",
            "metrics.refresh_batch"} <= names
    assert names <= set(current_app.tasks), names - set(current_app.tasks)
