from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("events", "0001_events")]

    operations = []  # type: ignore[var-annotated]
