"""Stories told through a unit's QR link before this app existed belong to that unit's team."""

from django.db import migrations


def link(apps, schema_editor):
    Story = apps.get_model("stories", "Story")
    StoryUnit = apps.get_model("culture", "StoryUnit")
    linked = set(StoryUnit.objects.values_list("story_id", flat=True))
    rows = [
        StoryUnit(story_id=story_id, unit_id=unit_id)
        for story_id, unit_id in Story.objects.filter(unit__isnull=False).values_list(
            "pk", "unit_id"
        )
        if story_id not in linked
    ]
    StoryUnit.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("culture", "0002_touch_wall_link")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
