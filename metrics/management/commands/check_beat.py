"""`manage.py check_beat`: exit 0 while beat's heartbeat is fresh, 1 otherwise (the beat container's healthcheck)."""

from django.core.management.base import BaseCommand, CommandError

from config.health import check_beat


class Command(BaseCommand):
    help = "Exit with status 1 unless Celery beat has ticked recently (the same rule as /healthz)."

    def handle(self, *args, **options):
        beat = check_beat()
        if not beat["ok"]:
            raise CommandError(f"beat is not ticking: {beat.get('error') or beat.get('seconds_ago')} ")
        self.stdout.write(f"beat ticked {beat['seconds_ago']} s ago")
