"""Score posts in bulk: `manage.py rescore [--organization ID] [--all]`, batched, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from campaigns.models import Organization
from metrics import scoring
from metrics.scoring import service as scoring_service


class Command(BaseCommand):
    help = (
        "Compute and store the four-principle scores of published posts. By default only posts with no "
        "score for the current method version; --all checks every one. Either "
        "way a post is scored again only when its readings, its facts, its baseline or the weights changed since "
        "its stored score."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organization", type=int, help="only this organization's posts (its id)")
        parser.add_argument("--all", action="store_true", dest="everything",
                            help="rescore every published post, not only those missing a current score")
        parser.add_argument("--batch-size", type=int, default=scoring_service.BATCH_SIZE)
        parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    def handle(self, *args, organization=None, everything=False, batch_size=500, no_progress=False, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if organization is not None and not Organization.objects.filter(pk=organization).exists():
            raise CommandError(f"No organization with id {organization}.")
        ids = scoring_service.posts_to_rescore(organization_id=organization, everything=everything)
        stored = 0
        with tqdm(total=len(ids), unit="post", disable=no_progress, file=self.stderr._out) as bar:
            for start in range(0, len(ids), batch_size):
                chunk = ids[start:start + batch_size]
                stored += scoring_service.posts_rescore(post_ids=chunk, batch_size=batch_size)
                bar.update(len(chunk))
        self.stdout.write(self.style.SUCCESS(
            f"Checked {len(ids)} posts; scored {stored} whose inputs changed, with method {scoring.METHOD_VERSION}."
        ))
