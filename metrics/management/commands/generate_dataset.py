"""Generate a data set at scale: `manage.py generate_dataset --posts 10000 --snapshots-per-post 100 ...`.

Its last line of output is one JSON object, for scripts (`make bench`, `make load`) to read.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from metrics.dataset import DatasetSize, dataset_generate


class Command(BaseCommand):
    help = (
        "Create organizations, accounts, campaigns (one big one), published posts with readings along the "
        "sandbox's curves, their daily roll-ups and scores, and a user who is admin of every organization."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, default=DatasetSize.organizations)
        parser.add_argument("--accounts-per-org", type=int, default=DatasetSize.accounts_per_org)
        parser.add_argument("--posts", type=int, default=DatasetSize.posts, help="posts in all")
        parser.add_argument("--snapshots-per-post", type=int, default=DatasetSize.snapshots_per_post)
        parser.add_argument("--user", default="bench", help="username (created, or its password reset)")
        parser.add_argument("--password", required=True)
        parser.add_argument("--no-scores", action="store_true", help="leave scoring to a later `rescore`")

    def handle(self, *args, organizations, accounts_per_org, posts, snapshots_per_post, user, password,
               no_scores=False, **options):
        for name, value in (("--organizations", organizations), ("--accounts-per-org", accounts_per_org),
                            ("--posts", posts), ("--snapshots-per-post", snapshots_per_post)):
            if value < 1:
                raise CommandError(f"{name} must be at least 1.")
        size = DatasetSize(organizations=organizations, accounts_per_org=accounts_per_org, posts=posts,
                           snapshots_per_post=snapshots_per_post)
        result = dataset_generate(size, username=user, password=password, score=not no_scores,
                                  log=lambda line: self.stderr.write(line))
        self.stdout.write(json.dumps(result))
