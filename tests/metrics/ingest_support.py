"""Fixtures and helpers shared by the connector and ingestion tests (real HTTP to the sandbox)."""

from __future__ import annotations

import pytest
import requests

from metrics.connectors.registry import connector_for
from metrics.sandbox.faults import sandbox_fault_set
from tests.factories import AccountFactory

# Demo-profile accounts the sandbox knows (metrics/sandbox/profiles.py).
FB_PAGE = "104857600000001"
IG_USER = "17841400000000001"
X_USER = "1300000000000000001"
YT_CHANNEL = "UCtrendingTaiwanDemo00001"
TOKEN = "sandbox-user-token"  # noqa: S105 -- the sandbox accepts any token


class Recorder:
    """Counts the HTTP requests a Session actually sends, through requests' own response hook."""

    def __init__(self, session: requests.Session):
        self.urls: list[str] = []
        session.hooks["response"].append(self._hook)

    def _hook(self, response, *args, **kwargs):
        self.urls.append(response.request.method + " " + response.url)

    def __len__(self) -> int:
        return len(self.urls)

    def to(self, fragment: str) -> int:
        return sum(1 for u in self.urls if fragment in u)


@pytest.fixture
def sandbox(live_server, settings):
    settings.PLATFORM_API_BASE = live_server.url + "/sandbox"
    return live_server


def connector(platform: str, account_id: str, **kwargs):
    """A connector whose waits are recorded instead of slept, so retries cost no test time."""
    waits: list[float] = []
    conn = connector_for(platform, account_platform_id=account_id, access_token=TOKEN, sleep=waits.append, **kwargs)
    conn.waits = waits
    conn.recorder = Recorder(conn.session)
    return conn


def fault(platform: str, account_id: str, kind: str, **kwargs):
    return sandbox_fault_set(platform, account_id, kind, **kwargs)


def account(platform: str, platform_id: str, **kwargs):
    acc = AccountFactory.build(platform=platform, platform_id=platform_id, **kwargs)
    if "organization" not in kwargs:
        from tests.factories import OrganizationFactory

        acc.organization = OrganizationFactory()
    acc.set_access_token(TOKEN)
    acc.save()
    return acc


class Outbox(list):
    """Stands in for the broker: what the tick would send, as (task name, args)."""

    def __call__(self, name, args):
        self.append((name, args))

    def batches(self):
        return [args for name, args in self if name == "metrics.refresh_batch"]
