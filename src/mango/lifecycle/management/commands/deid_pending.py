"""``mango deid pending``: de-identify the stories still waiting, now, in this process."""

from django.core.management.base import BaseCommand

from mango.lifecycle.actions import deidentify_waiting


class Command(BaseCommand):
    help = "De-identify every story that has not been de-identified yet."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="at most this many")

    def handle(self, *args, limit=None, **options):
        done = deidentify_waiting(limit)
        self.stdout.write(f"{done} stories de-identified.")
