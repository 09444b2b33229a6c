"""No platform token reaches a log line, a stored error, an API answer or a page when a platform fails.

For each platform: a real sync against the sandbox, then the network breaks (the platforms' base URL
on a closed port, and replies slower than the timeout) while a sync and a refresh run; then every
place an error is shown or kept is searched for the token.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from campaigns.models import Account
from metrics.connectors.base import Connector
from metrics.connectors.registry import connector_class
from metrics.ingestion import runs, tick
from metrics.models import AccountIngestionState, IngestionRun
from tests.conftest import client_for
from tests.metrics.ingest_support import (  # noqa: F401 (sandbox is a fixture)
    FB_PAGE,
    IG_USER,
    X_USER,
    YT_CHANNEL,
    Outbox,
    account,
    fault,
    sandbox,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sandbox")]

ACCOUNTS = {"facebook": FB_PAGE, "instagram": IG_USER, "x": X_USER, "youtube": YT_CHANNEL}


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TokenInUrl(Connector):
    """Mixed into a platform's connector: the token goes as `access_token=` too, as the Graph connectors
    sent it before they moved it to a header. The redaction must hold for a connector that does this."""

    def auth(self) -> tuple[dict[str, Any], dict[str, str]]:
        params, headers = super().auth()
        return {**params, "access_token": self.access_token}, headers


def fails_fast(acc: Account, token_in_url: bool = False) -> Connector:
    """The account's own connector with its stored token, the retry waits skipped."""
    cls = connector_class(acc.platform)
    if token_in_url:
        cls = type(f"TokenInUrl{cls.__name__}", (TokenInUrl, cls), {})
    return cls(account_platform_id=acc.platform_id, access_token=acc.get_access_token(), sleep=lambda s: None)


def broken_runs(acc: Account, outbox: Outbox, token_in_url: bool) -> list[IngestionRun]:
    """A sync and a refresh of the claimed batch while the network is broken; both must fail."""
    sync = runs.account_sync(account_id=acc.pk, connector=fails_fast(acc, token_in_url))
    # The failed sync backed the account off; clear it so the refresh is tried rather than put back.
    AccountIngestionState.objects.filter(account=acc).update(backoff_until=None)
    account_id, claim_id = outbox.batches()[0]
    refresh = runs.batch_refresh(account_id=account_id, claim_id=claim_id,
                                   connector=fails_fast(acc, token_in_url))
    assert sync is not None and refresh is not None
    assert sync.status == refresh.status == IngestionRun.Status.FAILED, (sync.errors, refresh.errors)
    return [sync, refresh]


def where_the_token_shows(token: str, acc: Account, run_ids: list[int], caplog, people, admin_client) -> list[str]:
    """Every place that shows or keeps an error, searched for the token (raw and URL-encoded)."""
    forms = {token, quote(token, safe=""), quote(token)}
    places = {
        "log": caplog.text + "".join(r.getMessage() for r in caplog.records),
        "ingestion runs (database)": repr(list(IngestionRun.objects.filter(pk__in=run_ids).values())),
        "account state (database)": repr(list(AccountIngestionState.objects.filter(account=acc).values())),
        "account error (database)": Account.objects.get(pk=acc.pk).connection_error,
    }
    viewer = client_for(people.viewer)
    for run_id in run_ids:
        places[f"API run {run_id}"] = viewer.get(f"/api/v1/ingestion-runs/{run_id}/").content.decode()
    places["API runs"] = viewer.get("/api/v1/ingestion-runs/", {"account": acc.pk}).content.decode()
    places["API account"] = viewer.get(f"/api/v1/accounts/{acc.pk}/").content.decode()
    page = Client()
    page.force_login(people.viewer)
    places["ingestion page"] = page.get(reverse("ingestion_health")).content.decode()
    for name, obj_id in [("metrics_ingestionrun", run_ids[0]), ("metrics_ingestionrun", run_ids[1]),
                         ("campaigns_account", acc.pk),
                         ("metrics_accountingestionstate", AccountIngestionState.objects.get(account=acc).pk)]:
        places[f"admin list {name}"] = admin_client.get(reverse(f"admin:{name}_changelist")).content.decode()
        places[f"admin change {name} {obj_id}"] = admin_client.get(
            reverse(f"admin:{name}_change", args=[obj_id])).content.decode()
    return sorted(place for place, text in places.items() if any(form in text for form in forms))


@pytest.mark.parametrize("broken", ["refused", "refused, token in the URL", "timeout"])
@pytest.mark.parametrize("platform", sorted(ACCOUNTS))
def test_a_broken_network_shows_the_token_nowhere(platform, broken, settings, monkeypatch, caplog, people,
                                                   admin_client, org):
    token = f"EAAJ-leak-canary-{platform}-Zx81Qm"  # noqa: S105 -- a canary, not a credential
    monkeypatch.setattr(runs, "INITIAL_LOOKBACK", dt.timedelta(days=3))  # a few posts are enough
    acc = account(platform, ACCOUNTS[platform], organization=org)
    acc.set_access_token(token)
    acc.save()
    # Partial is fine here (a slow reply on a loaded machine, retried): the posts are found either way.
    assert runs.account_sync(account_id=acc.pk, connector=fails_fast(acc)).status != IngestionRun.Status.FAILED
    outbox = Outbox()
    tick.ingestion_tick(enqueue=outbox)
    assert outbox.batches()
    caplog.set_level(logging.DEBUG)  # urllib3 logs every URL it requests at DEBUG

    if broken.startswith("refused"):
        settings.PLATFORM_API_BASE = f"http://127.0.0.1:{closed_port()}/sandbox"
    else:
        settings.PLATFORM_HTTP_TIMEOUT = 0.2
        fault(platform, ACCOUNTS[platform], "slow", delay_seconds=0.5)
    failed = broken_runs(acc, outbox, token_in_url=broken.endswith("URL"))
    assert {e["code"] for run in failed for e in run.errors} == {"timeout" if broken == "timeout" else "network"}

    shown = where_the_token_shows(token, acc, [run.pk for run in failed], caplog, people, admin_client)
    assert not shown, f"the {platform} token shows in: {', '.join(shown)}"
