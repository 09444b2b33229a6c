"""Fault knobs: SandboxFault rows make the sandbox misbehave for one platform account.

A fault applies to every request that touches the account: its listing, its profile, or any of its
posts (post ids are resolved to their account, or to the account's bucket where the id carries
only that). `remaining` counts down atomically per affected request; at 0 the fault is over.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F

from metrics.sandbox import synthetic
from metrics.sandbox.models import SandboxFault

KINDS = [k.value for k in SandboxFault.Kind]


def sandbox_fault_set(platform: str, account_platform_id: str, kind: str, *, remaining: int | None = None,
                      delay_seconds: float = 0, **options: Any) -> SandboxFault:
    """Turn a fault on for an account (replacing that account's faults of the same kind).

    options go to SandboxFault.options, e.g. code=613 (Graph rate limit), style="v1" (X 429 body),
    status=503 (server_error), reset_seconds=60 (X), reason="rateLimitExceeded" (YouTube).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; one of {KINDS}")
    SandboxFault.objects.filter(platform=platform, account_platform_id=account_platform_id, kind=kind).delete()
    return SandboxFault.objects.create(platform=platform, account_platform_id=account_platform_id, kind=kind,
                                       remaining=remaining, delay_seconds=delay_seconds, options=options)


def sandbox_fault_clear(platform: str | None = None, account_platform_id: str | None = None,
                        kind: str | None = None) -> int:
    """Remove faults (all of them with no arguments); returns how many were removed."""
    qs = SandboxFault.objects.all()
    if platform:
        qs = qs.filter(platform=platform)
    if account_platform_id:
        qs = qs.filter(account_platform_id=account_platform_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.delete()[0]


def any_live() -> bool:
    """Whether any fault could apply to a request at all."""
    return SandboxFault.objects.filter(enabled=True).exclude(remaining=0).exists()


def claim_fault(platform: str, account_ids: Iterable[str], buckets: Iterable[int] = ()) -> SandboxFault | None:
    """The first live fault for these accounts (or buckets), with one of its `remaining` used up.

    The countdown is a conditional UPDATE, so concurrent requests never use one unit twice.
    """
    ids = {a for a in account_ids if a}
    bks = set(buckets) | {synthetic.bucket(a) for a in ids}
    if not bks:
        return None
    candidates = SandboxFault.objects.filter(platform=platform, enabled=True).exclude(remaining=0).order_by("id")
    for fault in candidates:
        if fault.account_platform_id not in ids and synthetic.bucket(fault.account_platform_id) not in bks:
            continue
        if fault.remaining is None:
            return fault
        used = SandboxFault.objects.filter(pk=fault.pk, remaining__gt=0).update(remaining=F("remaining") - 1)
        if used:
            fault.remaining -= 1
            return fault
    return None
