"""manage.py create_api_token USERNAME [--name NAME] [--days N]: print a new personal API token."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from campaigns import tokens


class Command(BaseCommand):
    help = "Create a personal API token for a user and print its key (shown only this once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What the token is for.")
        parser.add_argument(
            "--days", type=int, default=90, help=f"Lifetime in days (1-{tokens.MAX_DAYS}); default 90."
        )

    def handle(self, *args, username, name, days, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        try:
            token, key = tokens.token_create(user=user, name=name, days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"Token {token.name!r} for {username}, expires {token.expires_at:%Y-%m-%d %H:%M} UTC:")
        self.stdout.write(key)
