"""``mango refiqda export --project SLUG --out FILE [--positions utf16]``: a transcript
project as a REFI-QDA ``.qdpx`` archive.

Positions count Unicode characters (code points) as REFI-QDA 1.5 has it; ``--positions
utf16`` counts UTF-16 code units instead, for tools that read them so (NVivo).
"""

import os
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from mango.lib import refiqda
from mango.qualitative import actions
from mango.qualitative.models import Project


def project_by_slug(ref: str) -> Project:
    """The project whose name slugifies to ``ref`` (or whose id it is)."""
    if ref.isdigit():
        found = list(Project.objects.filter(pk=int(ref)))
    else:
        found = [p for p in Project.objects.all() if slugify(p.name) == slugify(ref)]
    if not found:
        raise CommandError(f"No transcript project {ref!r} (give its id or its name as a slug).")
    if len(found) > 1:
        ids = ", ".join(str(p.pk) for p in found)
        raise CommandError(f"Several projects are called {ref!r}; give the id instead ({ids}).")
    return found[0]


def acting_user(username: str | None):
    """The Mango user a command acts as (for the audit trail), or None: "command line"."""
    if not username:
        return None
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        raise CommandError(f"No user {username!r}.")
    return user


class Command(BaseCommand):
    help = (
        "Export a transcript project as a REFI-QDA .qdpx archive (positions in Unicode "
        "characters as the standard counts them, or with --positions utf16 in UTF-16 code "
        "units, for tools such as NVivo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--project",
            required=True,
            metavar="SLUG",
            help="The project (slug of its name, or id).",
        )
        parser.add_argument("--out", required=True, metavar="FILE", help="The .qdpx to write.")
        parser.add_argument(
            "--positions",
            choices=refiqda.READINGS,
            default=refiqda.CODE_POINTS,
            help="What selection positions count: codepoints (Unicode characters, the REFI-QDA "
            "standard; default) or utf16 (UTF-16 code units, as NVivo counts them).",
        )
        parser.add_argument(
            "--as", dest="username", metavar="USER", help="Record the export as this user."
        )

    def handle(self, *args, **options):
        project = project_by_slug(options["project"])
        actor = acting_user(options["username"])
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"The folder {out.parent} does not exist.")
        try:
            exported = actions.export_project(
                actor, project, positions=options["positions"], by="command line"
            )
        except refiqda.RefiQdaError as err:
            raise CommandError(f"The project cannot be exported: {err}") from None
        # Written beside the target and renamed: a failure leaves no half-written archive.
        handle, temporary = tempfile.mkstemp(dir=out.parent, suffix=".qdpx.part")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(exported.data)
            os.replace(temporary, out)
        except OSError as err:
            Path(temporary).unlink(missing_ok=True)
            raise CommandError(f"Cannot write {out}: {err.strerror}") from None
        self.stdout.write(f"Exported {project.name!r} to {out}: {exported.line()}")
