"""`manage.py import_metrics FILE --account ID`: import a platform export in the foreground."""

from __future__ import annotations

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from campaigns.models import Account
from metrics.imports.formats import FORMATS_BY_KEY
from metrics.imports.service import import_create, import_run


class Command(BaseCommand):
    help = "Import a platform's CSV export (Meta Business Suite, X analytics, YouTube Studio) for one account."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV export")
        parser.add_argument("--account", type=int, required=True, help="id of the account the export belongs to")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        account = Account.objects.filter(pk=options["account"]).first()
        if account is None:
            raise CommandError(f"No account with id {options['account']}")
        with path.open("rb") as fh:
            imp = import_create(account=account, uploaded_file=File(fh, name=path.name))

        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if options["no_progress"]:
                return
            if bar is None:
                bar = tqdm(total=total, unit="row", file=self.stderr._out)
            bar.update(done - bar.n)

        imp = import_run(imp.id, progress=progress)
        if bar is not None:
            bar.close()
        if imp.status == imp.Status.FAILED:
            raise CommandError(f"{path.name}: nothing imported. {imp.error}")

        fmt = FORMATS_BY_KEY[imp.detected_format]
        errors = imp.row_errors
        self.stdout.write(
            f"{path.name} ({fmt.label}) → {account}: {imp.processed_rows} rows read, "
            f"{imp.imported_rows} imported, {len(errors)} bad (import #{imp.id})."
        )
        if errors:
            self.stdout.write("Rows not imported:")
            for error in errors:
                self.stdout.write(f"  line {error['line']}: {error['reason']}")
