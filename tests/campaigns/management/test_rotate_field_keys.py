"""Key rotation: every token re-encrypted with the newest key, and a dropped key handled, not a 500."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from campaigns.models import Account
from metrics.ingestion import runs
from tests.factories import AccountFactory

OLD, NEW, LOST = (Fernet.generate_key().decode() for _ in range(3))


@pytest.mark.django_db
def test_rotation_lets_the_old_key_go(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    account = AccountFactory()
    account.set_access_token("EAAJ-rotate-Zx81Qm")
    account.save()
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    call_command("rotate_field_keys")
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    assert Account.objects.get(pk=account.pk).get_access_token() == "EAAJ-rotate-Zx81Qm"


@pytest.mark.django_db
def test_a_token_whose_key_was_dropped_marks_the_account_for_reconnecting(settings, caplog):
    settings.FIELD_ENCRYPTION_KEYS = [LOST]
    account = AccountFactory()
    account.set_access_token("EAAJ-lost-Zx81Qm")
    account.save()
    settings.FIELD_ENCRYPTION_KEYS = [NEW]

    with pytest.raises(CommandError, match=f"accounts {account.pk}"):
        call_command("rotate_field_keys")
    assert runs.account_sync(account_id=account.pk) is None

    account.refresh_from_db()
    assert account.connection_state == Account.Connection.NEEDS_RECONNECT
    assert "Enter the token again" in account.connection_error
    assert "cannot be decrypted" in caplog.text and "Zx81Qm" not in caplog.text
