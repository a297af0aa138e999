"""``mango import stories FILE --campaign SLUG``: load stories from a CSV or XLSX file.

Every row is checked first; unless ``--skip-invalid`` is given, one bad row means nothing is
imported. The columns are described in docs/import.md.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import translation

from mango.lib import importing
from mango.lifecycle import actions
from mango.stories import importer


class Command(BaseCommand):
    help = (
        "Import stories from a CSV or XLSX file into a campaign. All rows are checked first; "
        "nothing is imported if one is invalid, unless --skip-invalid is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .csv or .xlsx file with a header row.")
        parser.add_argument(
            "--campaign", required=True, metavar="SLUG", help="The campaign to import into."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows and write the invalid ones to the rejected file.",
        )
        parser.add_argument(
            "--rejected",
            metavar="PATH",
            help="Where --skip-invalid writes the invalid rows (default: FILE.rejected.csv "
            "next to FILE).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def handle(self, *args, **options):
        with translation.override("en"):
            self._import(Path(options["file"]), options)

    def _import(self, path: Path, options):
        try:
            campaign = importer.get_campaign(options["campaign"])
            if path.is_file():  # else prepare says why it cannot be read
                with open(path, "rb") as source:
                    importer.check_limits(source, path.name)
            prepared = importer.prepare(path, path.name, campaign)
        except importer.ImportFailed as err:
            raise CommandError(str(err)) from None

        self.stdout.write(importer.summary(prepared))
        for problem, row in importer.problem_lines(prepared):
            self.stdout.write(importer.problem_line(problem, row))
        if prepared.invalid and not options["skip_invalid"]:
            raise CommandError(
                f"Nothing imported: fix the {len(prepared.invalid)} invalid row(s), "
                "or import the valid rows with --skip-invalid."
            )
        if options["dry_run"]:
            self.stdout.write(
                f"Dry run: {len(prepared.valid)} stories would be imported into "
                f"{campaign.slug}; nothing written."
            )
            return

        # The rejected rows are written first: if that fails, nothing has been imported yet.
        if prepared.invalid:
            rejected = Path(options["rejected"] or path.with_name(f"{path.stem}.rejected.csv"))
            if rejected.resolve() == path.resolve():
                raise CommandError("The rejected file cannot be the file being imported.")
            try:
                written = importing.write_rejected(prepared.result, rejected, importer.describe)
            except OSError as err:
                raise CommandError(f"Cannot write {rejected}: {err.strerror}") from None
            self.stdout.write(
                f"{written} invalid row(s) written to {rejected} (it holds story text and "
                "contact details: delete it when done)."
            )
        try:
            count = actions.import_stories(prepared, skip_invalid=options["skip_invalid"])
        except importer.ImportFailed as err:
            raise CommandError(str(err)) from None
        except DatabaseError as err:
            # Not the database's message: it may quote the row's values.
            raise CommandError(
                f"The database refused the import ({type(err).__name__}); nothing was imported."
            ) from None
        self.stdout.write(self.style.SUCCESS(f"{count} stories imported into {campaign.slug}."))
