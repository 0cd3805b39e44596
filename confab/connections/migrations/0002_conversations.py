from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("connections", "0001_search")]

    operations = []  # type: ignore[var-annotated]
