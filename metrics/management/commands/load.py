"""`make load`: concurrent users against gunicorn on a generated data set (issue 13). Not a test."""

from django.core.management.base import BaseCommand

from metrics.benchmark import load_report, run_load


class Command(BaseCommand):
    help = "Managers on dashboards, editors on the calendar, API clients: requests/s, p50/p95/p99, errors."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--posts", type=int, default=10_000)
        parser.add_argument("--snapshots", type=int, default=1_000_000)
        parser.add_argument("--accounts", type=int, default=40)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (one a core)")

    def handle(self, *args, users, seconds, posts, snapshots, accounts, workers, **options):
        result = run_load(users=users, seconds=seconds, posts=posts, snapshots=snapshots, accounts=accounts,
                          workers=workers, log=lambda line: self.stderr.write(line))
        self.stdout.write(load_report(result, users))
