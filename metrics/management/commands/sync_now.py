"""Run an ingestion in the foreground: sync accounts, then refresh their due posts, with a progress bar."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from campaigns.models import Account
from metrics.ingestion import runs, tick
from metrics.models import IngestionRun, PostTracking


class Command(BaseCommand):
    help = "Read metrics from the platforms now, in the foreground (what the beat tick does in the background)."

    def add_arguments(self, parser):
        parser.add_argument("--account", type=int, help="only this account (its id)")
        parser.add_argument("--all-posts", action="store_true",
                            help="refresh every tracked post now, not only those whose cadence says they are due")

    def handle(self, *args, account: int | None = None, all_posts: bool = False, **options):
        now = timezone.now()
        accounts = tick.accounts_ingestable(now)
        if account is not None:
            found = Account.objects.filter(pk=account).first()
            if found is None:
                raise CommandError(f"No account with id {account}.")
            if not accounts.filter(pk=account).exists():
                raise CommandError(
                    f"Account {account} ({found}) cannot be read now: "
                    + ("it has no access token." if not found.has_access_token else
                       "it needs reconnecting." if found.connection_state == Account.Connection.NEEDS_RECONNECT
                       else "it is backing off after failures; see the ingestion health page.")
                )
            accounts = accounts.filter(pk=account)
        ids = list(accounts.order_by("pk").values_list("pk", flat=True))
        if not ids:
            self.stdout.write("No account can be read: none has an access token (or all need reconnecting).")
            return
        failed = 0
        for account_id in tqdm(ids, desc="accounts", unit="account", file=self.stderr):
            run = runs.account_sync(account_id=account_id)
            failed += bool(run and run.status == IngestionRun.Status.FAILED)
        tick.tracking_sync(now=timezone.now())
        if all_posts:
            PostTracking.objects.filter(post__account_id__in=ids).update(next_refresh_at=timezone.now())
        batches = tick.claim_due_batches(now=timezone.now(), account_ids=ids)
        snapshots = 0
        with tqdm(total=sum(b.size for b in batches), desc="posts", unit="post", file=self.stderr) as bar:
            for batch in batches:
                run = runs.batch_refresh(account_id=batch.account_id, claim_id=batch.claim_id)
                if run:
                    snapshots += run.snapshots_written
                    failed += run.status == IngestionRun.Status.FAILED
                bar.update(batch.size)
        self.stdout.write(f"{len(ids)} account(s), {sum(b.size for b in batches)} post(s) due, "
                          f"{snapshots} snapshot(s) written, {failed} failed run(s).")
        if failed:
            self.stdout.write("See the ingestion health page for the errors.")
