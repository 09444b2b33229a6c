"""Re-encrypt every stored platform token with the newest FIELD_ENCRYPTION_KEY key.

Run it after putting a new key first in FIELD_ENCRYPTION_KEY; once it reports nothing unreadable,
the old keys can be removed from the setting.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from campaigns import crypto
from campaigns.models import Account


class Command(BaseCommand):
    help = "Re-encrypt every stored platform token with the newest FIELD_ENCRYPTION_KEY key."

    def handle(self, *args, **options):
        rotated, unreadable = 0, []
        for pk in Account.objects.exclude(access_token_encrypted="").values_list("pk", flat=True).iterator():
            with transaction.atomic():
                account = Account.objects.select_for_update().only("pk", "access_token_encrypted").get(pk=pk)
                try:
                    fresh = crypto.rotate(account.access_token_encrypted)
                except crypto.TokenUnreadable:
                    unreadable.append(pk)
                    continue
                Account.objects.filter(pk=pk).update(access_token_encrypted=fresh)
                rotated += 1
        self.stdout.write(f"Re-encrypted {rotated} token(s) with the newest key.")
        if unreadable:
            # Ids only: the tokens themselves are never printed.
            raise CommandError(f"{len(unreadable)} token(s) no configured key can read (accounts "
                               f"{', '.join(map(str, unreadable))}); keep the old keys until those accounts "
                               "are reconnected.")
