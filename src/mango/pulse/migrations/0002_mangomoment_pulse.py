from django.db import migrations


def ship(apps, schema_editor):
    from mango.pulse.shipped import load

    load(apps.get_model("pulse", "Instrument"), apps.get_model("pulse", "Item"))


class Migration(migrations.Migration):
    dependencies = [("pulse", "0001_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
