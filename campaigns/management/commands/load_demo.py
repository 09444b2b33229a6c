from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Placeholder until the demo loader lands."

    def handle(self, *args, **options):
        self.stdout.write("demo data: nothing yet")
