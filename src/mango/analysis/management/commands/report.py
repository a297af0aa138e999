"""``mango report --campaign SLUG [--organisation SLUG] --format html|pdf|xlsx --language nl|fr|en
--out FILE``: a campaign's analysis report, ready to publish.

Methods text (collection, screening, coding with the coders' agreement), the tables of
``mango.lib.analysis`` and figures, from the stories whose tellers consented to research.
The file is written whole or not at all (a temporary file renamed into place).
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mango.analysis import data
from mango.lib import reports
from mango.organisations.models import Campaign, Organisation

FORMATS = ("html", "pdf", "xlsx")
GROUPS = ("respondent_group", "teller_role", "setting", "oncological", "organisation", "unit")


class Command(BaseCommand):
    help = (
        "Write a campaign's analysis report (methods, tables, figures) as HTML, PDF or XLSX, "
        "in Dutch, French or English, from the stories whose tellers consented to research."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", required=True, metavar="SLUG")
        parser.add_argument(
            "--organisation", metavar="SLUG", help="Limit the report to one organisation."
        )
        parser.add_argument("--format", choices=FORMATS, help="Default: the --out file's suffix.")
        parser.add_argument("--language", choices=reports.wording.LANGUAGES, default="nl")
        parser.add_argument(
            "--group",
            choices=GROUPS,
            default="respondent_group",
            help="Compare the dimensions between these groups (default: healthcare "
            "professionals, oncological and non-oncological patients & family).",
        )
        parser.add_argument("--out", required=True, metavar="FILE")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(slug=options["campaign"]).first()
        if campaign is None:
            known = ", ".join(Campaign.objects.values_list("slug", flat=True)[:20]) or "none"
            raise CommandError(f"No campaign {options['campaign']!r}. Campaigns: {known}.")
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}.")
        out = Path(options["out"])
        fmt = options["format"] or out.suffix.lstrip(".").lower()
        if fmt not in FORMATS:
            raise CommandError(f"Say --format html, pdf or xlsx (the file ends in {out.suffix!r}).")
        if not out.parent.is_dir():
            raise CommandError(f"The folder {out.parent} does not exist.")
        source = data.report_input(
            campaign, organisation, language=options["language"], group=options["group"]
        )
        try:
            report = reports.build_report(source)
        except ValueError as err:
            raise CommandError(str(err)) from None
        content = reports.render(report, fmt)
        write_atomically(out, content)
        analysed = len(source.stories)
        self.stdout.write(
            f"Wrote {out} ({fmt}, {len(content):,} bytes): {analysed:,} stories analysed, "
            f"{source.collection.received:,} received."
        )


def write_atomically(path: Path, content: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
