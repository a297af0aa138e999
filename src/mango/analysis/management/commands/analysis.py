"""``mango analysis rebuild``: recompute the analysis tables (facts and tallies) from scratch."""

import time

from django.core.management.base import BaseCommand, CommandError

from mango.analysis import facts


class Command(BaseCommand):
    help = "Maintain the analysis tables the reports and dashboards read."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"], help="rebuild: recompute from scratch")

    def handle(self, *args, action, **options):
        started = time.perf_counter()
        try:
            result = facts.rebuild()
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Rebuilt the analysis tables: {result['stories']} stories, "
            f"{result['analysable']} analysable, {result['tallies']} tallies "
            f"in {time.perf_counter() - started:.1f} s."
        )
