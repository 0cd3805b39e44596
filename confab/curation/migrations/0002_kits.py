from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("curation", "0001_curation")]

    operations = []  # type: ignore[var-annotated]
