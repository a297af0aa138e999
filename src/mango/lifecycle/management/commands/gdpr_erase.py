"""``mango gdpr erase RECEIPT``: erase a story's text and personal data, keep a tombstone."""

from django.core.management.base import BaseCommand, CommandError

from mango.lib.receipts import normalise_receipt
from mango.lifecycle import actions
from mango.stories.models import Story


def story_by_receipt(raw: str) -> Story:
    try:
        receipt = normalise_receipt(raw)
    except ValueError as err:
        raise CommandError(str(err)) from None
    story = Story.objects.filter(receipt=receipt).first()
    if story is None:
        raise CommandError(f"No story has the receipt code {receipt}.")
    return story


class Command(BaseCommand):
    help = "Erase a story (right to erasure): text and contact details go; counts stay."

    def add_arguments(self, parser):
        parser.add_argument("receipt")

    def handle(self, *args, receipt, **options):
        story = story_by_receipt(receipt)
        if story.is_erased:
            self.stdout.write(f"{story.receipt} was already erased on {story.erased_at:%Y-%m-%d}.")
            return
        actions.erase_story(story, by="system")
        self.stdout.write(f"{story.receipt} erased; an anonymous record remains for counts.")
