"""What the sandbox's platform views share: JSON replies, tokens, usage counters, fault replies."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import time
from typing import Any, TypeGuard

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from metrics.sandbox.models import SandboxCallCount, SandboxFault

X_WINDOW_SECONDS = 15 * 60
X_WINDOW_LIMIT = 900
GRAPH_WINDOW_SECONDS = 3600
GRAPH_WINDOW_LIMIT = 2000  # calls an hour that count as 100 % in the usage headers


def now() -> dt.datetime:
    """The sandbox's clock: settings.SANDBOX_NOW when a test pins it, else the real time."""
    return getattr(settings, "SANDBOX_NOW", None) or timezone.now()


def json_response(body: Any, status: int = 200, content_type: str = "application/json; charset=UTF-8",
                  headers: dict[str, str] | None = None) -> HttpResponse:
    resp = HttpResponse(json.dumps(body, ensure_ascii=False, separators=(",", ":")), status=status,
                        content_type=content_type)
    for k, v in (headers or {}).items():
        resp[k] = v
    return resp


def bearer(request: HttpRequest) -> str:
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer ") or auth.lower().startswith("oauth "):
        return auth.split(" ", 1)[1].strip()
    return ""


def count_request(platform: str, account_id: str, window: int) -> tuple[int, int]:
    """Count one request against the account's current window: (calls so far, window end epoch).

    One row per window in the database, incremented in place, so every process counts together.
    """
    start = int(time.time()) // window * window
    key = f"{platform}:{account_id}:{start}"[:300]
    rows = SandboxCallCount.objects.filter(key=key)
    if not rows.update(calls=F("calls") + 1):
        ends = dt.datetime.fromtimestamp(start + window, dt.UTC)
        try:
            with transaction.atomic():
                SandboxCallCount.objects.create(key=key, calls=1, window_ends_at=ends)
        except IntegrityError:  # another process opened the window first
            rows.update(calls=F("calls") + 1)
        else:
            # A new window: forget those that ended a day ago.
            SandboxCallCount.objects.filter(window_ends_at__lt=ends - dt.timedelta(days=1)).delete()
    return rows.values_list("calls", flat=True).get(), start + window


def malformed(resp: HttpResponse) -> HttpResponse:
    """The same reply with its JSON body cut short (a proxy dropping the connection mid-body)."""
    body = resp.content
    resp.content = body[: max(1, len(body) // 2)] if len(body) > 2 else b'{"data":['
    resp.status_code = 200
    return resp


def opt_int(options: dict | None, key: str, default: int) -> int:
    """An integer fault option, the default if it is missing or not a number (a knob typo never 500s)."""
    try:
        return int((options or {}).get(key, default))
    except (TypeError, ValueError):
        return default


def is_number(raw: str | None) -> TypeGuard[str]:
    """ASCII digits only (str.isdigit also accepts e.g. '²', which int() refuses)."""
    return bool(raw and raw.isascii() and raw.isdigit())


def fbtrace_id() -> str:
    return "A" + secrets.token_urlsafe(8)


def apply_slow(fault: SandboxFault | None) -> None:
    if fault and fault.kind == SandboxFault.Kind.SLOW and fault.delay_seconds:
        time.sleep(min(fault.delay_seconds, 120))
