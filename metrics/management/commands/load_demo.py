from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaigns.models import Post
from metrics.demo import DEMO_PASSWORD, demo_history_backfill, load_demo


class Command(BaseCommand):
    help = "Load the demo organizations, users, campaigns and posts (idempotent; never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--no-history", action="store_true",
                            help="skip the backfilled metric history (the posts' earlier readings)")
        parser.add_argument("--force", action="store_true", help="load even with DEBUG off (never in production)")

    def handle(self, *args, **options):
        if not (settings.DEBUG or options["force"]):
            # The demo users have a published password: refuse outside development.
            raise CommandError("Refusing to create demo users with DEBUG off; pass --force for a throwaway database.")
        counts = load_demo()
        if not options["no_history"]:
            today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
            counts |= demo_history_backfill(until=today)
            counts["posts"] = Post.objects.count()
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {summary}."))
        self.stdout.write(f"Demo logins: admin, editor, approver, manager (password {DEMO_PASSWORD}).")
