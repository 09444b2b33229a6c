"""`make bench`: the figures of ../shared/BENCH.md, each against a floor measured in the same run.

Prints one table and writes bench/results.json. Runs in a database of its own, dropped afterwards.
Not a test: nothing asserts, and `make test` never runs it.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from metrics.benchmark import STAGES, results_table, results_write, run_bench, stages_chosen


class Command(BaseCommand):
    help = "Measure pages, queries, rescoring, storage, ingestion, imports and API cost against same-run floors."

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=10_000)
        parser.add_argument("--snapshots", type=int, default=1_000_000, help="snapshots in all")
        parser.add_argument("--accounts", type=int, default=40)
        parser.add_argument("--only", metavar="STAGE[,STAGE]",
                            help=f"run only these stages ({', '.join(STAGES)}); the other figures are null")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "bench" / "results.json"))

    def handle(self, *args, posts, snapshots, accounts, output, only=None, **options):
        if min(posts, snapshots, accounts) < 1:
            raise CommandError("--posts, --snapshots and --accounts must be at least 1.")
        try:
            stages = stages_chosen(only)
        except ValueError as exc:
            raise CommandError(f"--only: {exc}") from None
        results = run_bench(posts=posts, snapshots=snapshots, accounts=accounts, stages=stages,
                            log=lambda line: self.stderr.write(line))
        self.stdout.write(results_table(results))
        results_write(results, Path(output))
        self.stdout.write(f"written to {output}")
