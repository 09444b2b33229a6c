"""Errors stored before the redaction existed lose their tokens when the migration runs."""

import importlib

import pytest
from django.apps import apps

from campaigns.models import Account
from metrics.models import AccountIngestionState, IngestionRun
from tests.factories import AccountFactory

migration = importlib.import_module("metrics.migrations.0003_redact_stored_errors")

LEAKED = ("facebook: connection failed: Max retries exceeded with url: /v25.0/1/published_posts"
          "?fields=id&access_token=EAAJZx81QmLeaked (Caused by NewConnectionError(...))")


@pytest.mark.django_db
def test_stored_errors_lose_their_tokens_and_keep_the_rest():
    account = AccountFactory(connection_error=LEAKED)
    clean = IngestionRun.objects.create(platform="x", account=account, errors=[{"code": "429", "message": "slow"}])
    leaked = IngestionRun.objects.create(platform="facebook", account=account,
                                         errors=[{"code": "network", "message": LEAKED, "permanent": False}])
    AccountIngestionState.objects.create(account=account, last_error=f"[network] {LEAKED}")

    migration.redact_stored_errors(apps, None)

    leaked.refresh_from_db()
    (error,) = leaked.errors
    assert "Zx81Qm" not in error["message"] and "published_posts" in error["message"]
    assert error["code"] == "network" and error["permanent"] is False
    clean.refresh_from_db()
    assert clean.errors == [{"code": "429", "message": "slow"}]
    assert "Zx81Qm" not in AccountIngestionState.objects.get(account=account).last_error
    assert "Zx81Qm" not in Account.objects.get(pk=account.pk).connection_error
