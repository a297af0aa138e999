"""``mango codebooks load``: add the shipped codebooks and codes that are missing."""

from django.core.management.base import BaseCommand
from django.db import transaction

from mango.research import shipped
from mango.research.models import Code, Codebook, CodebookVersion


class Command(BaseCommand):
    help = (
        "Add the codebooks Mango ships (screening, dimensions, mangomoment-model) and any of "
        "their codes that are missing; codes edited by researchers are left as they are."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            added = shipped.load(Codebook, Code, CodebookVersion)
        if added:
            self.stdout.write(f"Added {len(added)}: {', '.join(added)}")
        else:
            self.stdout.write("The shipped codebooks are all there; nothing added.")
