"""``mango gdpr export RECEIPT``: everything held about a story, as JSON (right of access)."""

import json

from django.core.management.base import BaseCommand

from mango.stories import privacy

from .gdpr_erase import story_by_receipt


class Command(BaseCommand):
    help = "Print everything Mango holds about the story with this receipt code, as JSON."

    def add_arguments(self, parser):
        parser.add_argument("receipt")

    def handle(self, *args, receipt, **options):
        story = story_by_receipt(receipt)
        data = privacy.export_story(story, by="system")
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
