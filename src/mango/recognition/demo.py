"""This app's part of ``mango demo_load`` (illustrative data only)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mango.culture import visible

from .models import DigestPreference, ThankYouNote

REPLIES = [
    "Dank u om dit te vertellen. Het deed ons hele team deugd.",
    "Wat fijn om te lezen. Zulke momenten zijn waarom ik dit werk doe.",
    "Merci! We hebben uw verhaal samen gelezen bij de overdracht.",
]


def load(stdout) -> None:
    """Called by demo_load after the stories are loaded and moderated: thank-you notes with
    replies for a few shared AZ Zonnebloem stories (marked sent, so the demo mails nobody),
    and digest preferences. Prints no links or secrets."""
    users = get_user_model().objects
    nurse = users.filter(username="nurse").first()
    manager = users.filter(username="manager").first()
    stories = list(
        visible.shared_stories()
        .filter(organisation__slug="az-zonnebloem", illustrative=True)
        .select_related("unit")
        .order_by("pk")[: len(REPLIES)]
    )
    made = 0
    now = timezone.now()
    with transaction.atomic():
        for story, reply in zip(stories, REPLIES, strict=False):
            if ThankYouNote.objects.filter(story=story).exists():
                continue
            ThankYouNote.objects.create(
                story=story,
                unit=story.unit,
                recipient=nurse if made == 0 else None,
                recipient_email="" if made == 0 else f"collega{made}@demo.invalid",
                recipient_name="" if made == 0 else ("Samira", "Jonas")[made - 1],
                profession=("nurse", "cleaner", "porter")[made],
                language="nl",
                created_by=manager,
                sent_at=now,
                reply_text=reply,
                replied_at=now,
            )
            made += 1
        for user, frequency in ((nurse, "weekly"), (manager, "monthly")):
            if user is not None:
                DigestPreference.objects.get_or_create(user=user, defaults={"frequency": frequency})
    stdout.write(
        f"Recognition: {made} thank-you notes with replies; digest preferences for the demo "
        "nurse (weekly) and manager (monthly)."
    )
