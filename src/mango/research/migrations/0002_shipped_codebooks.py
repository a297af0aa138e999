from django.db import migrations


def load(apps, schema_editor):
    from mango.research import shipped

    shipped.load(
        apps.get_model("research", "Codebook"),
        apps.get_model("research", "Code"),
        apps.get_model("research", "CodebookVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("research", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
