"""``mango refiqda import FILE --project NAME``: a REFI-QDA ``.qdpx`` archive as a new
transcript project, in one transaction, audited.

Each source's positions are read the way the exporting tool counted them (Unicode characters
as the standard has it, or UTF-16 code units as NVivo writes them); the summary says which.
When a source's positions fit neither reading, nothing is imported unless
``--accept-positions`` is given.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils.text import slugify

from mango.lib import refiqda
from mango.organisations.models import Organisation
from mango.qualitative import actions
from mango.qualitative.forms import MAX_UPLOAD_BYTES
from mango.qualitative.models import Project
from mango.research.models import Codebook

from .refiqda_export import acting_user


class Command(BaseCommand):
    help = (
        "Import a REFI-QDA .qdpx archive (NVivo, ATLAS.ti, MAXQDA, QualCoder, Mango) as a new "
        "transcript project. Nothing is written if anything fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The .qdpx archive (or a project.qde with inline text).")
        parser.add_argument(
            "--project",
            required=True,
            metavar="SLUG",
            help="Name of the new project; refused when a project of that slug exists.",
        )
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Its organisation (default: network-wide)."
        )
        parser.add_argument(
            "--codebook",
            metavar="SLUG",
            help="Match the file's codes by name to this codebook (default: a new codebook "
            "from the file).",
        )
        parser.add_argument(
            "--positions",
            choices=(refiqda.AUTO, *refiqda.READINGS),
            default=refiqda.AUTO,
            help="What the file's selection positions count: auto (decide per source; "
            "default), codepoints (Unicode characters, the standard) or utf16 (UTF-16 code "
            "units, as NVivo writes them).",
        )
        parser.add_argument(
            "--accept-positions",
            action="store_true",
            help="Import even sources whose positions fit neither reading (selections past "
            "the end are cut at the end).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read the file and report; write nothing."
        )
        parser.add_argument(
            "--as", dest="username", metavar="USER", help="Record the import as this user."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError(f"The file is larger than {MAX_UPLOAD_BYTES // 2**20} MB.")
        name = options["project"].strip()
        if not slugify(name):
            raise CommandError("Give the new project a name with letters or digits.")
        if any(slugify(p.name) == slugify(name) for p in Project.objects.all()):
            raise CommandError(f"A project {slugify(name)!r} exists already; choose another name.")
        organisation = codebook = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
        if options["codebook"]:
            codebook = Codebook.objects.filter(slug=options["codebook"]).first()
            if codebook is None:
                raise CommandError(f"No codebook {options['codebook']!r}.")
        actor = acting_user(options["username"])
        data = path.read_bytes()
        reading = {"positions": options["positions"]}
        accept = options["accept_positions"]
        try:
            if options["dry_run"]:
                project = actions.read_file(data, **reading, accept_positions=accept)
                self.stdout.write(f"Dry run: {project.name!r} from {project.origin or '?'}.")
                self.stdout.write("Positions per source:")
                for source in project.readings:
                    self.stdout.write(f"  {source.describe()}")
                return
            imported = actions.import_project(
                actor,
                data,
                organisation=organisation,
                codebook=codebook,
                name=name,
                accept_positions=accept,
                by="command line",
                **reading,
            )
        except actions.PositionsUnclear as err:
            raise CommandError(
                f"Nothing imported. {err} Check the file, or import it anyway with "
                "--accept-positions (or impose a reading with --positions)."
            ) from None
        except actions.ImportFailed as err:
            raise CommandError(f"Nothing imported. {err}") from None
        except DatabaseError as err:
            raise CommandError(
                f"The database refused the import ({type(err).__name__}); nothing was imported."
            ) from None
        for line in imported.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS(f"Imported as project {imported.project.pk}."))
