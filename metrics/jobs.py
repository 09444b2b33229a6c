"""One way to start background work: a Celery task by name, after the transaction commits, ids only.

By name, so no service imports `metrics.tasks` (the tasks import the services, never the reverse),
and after commit, so a worker never looks for a row that is not visible yet. The arguments are ids
(or a claim id), never objects or tokens: a message sits in the broker, readable by whoever reads it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from celery import current_app
from django.db import transaction

JobArg = int | str | list[int]
# What the services accept for enqueueing; tests pass an outbox with the same shape.
Enqueue = Callable[[str, list[JobArg]], None]


def send(task_name: str, args: list[JobArg]) -> None:
    current_app.send_task(task_name, args=args)


def _check_args(args: Sequence[JobArg]) -> list[JobArg]:
    for arg in args:
        ok = isinstance(arg, int | str) or (isinstance(arg, list) and all(isinstance(i, int) for i in arg))
        if not ok or isinstance(arg, bool):
            raise TypeError(f"job arguments are ids only, not {type(arg).__name__}")
    return list(args)


def enqueue_after_commit(task_name: str, args: Sequence[JobArg], *, send: Enqueue = send,
                         robust: bool = False) -> None:
    """Send `task_name(*args)` once the current transaction commits (at once outside one).

    `robust` when the database already records the work (a sweep does it if the send fails): a broker
    error is then logged instead of failing the caller after its transaction committed.
    """
    checked = _check_args(args)
    transaction.on_commit(lambda: send(task_name, checked), robust=robust)
