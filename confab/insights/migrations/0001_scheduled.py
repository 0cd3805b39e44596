from django.db import migrations


class Migration(migrations.Migration):
    dependencies = []

    operations = []  # type: ignore[var-annotated]
