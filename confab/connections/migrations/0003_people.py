from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("connections", "0002_conversations")]

    operations = []  # type: ignore[var-annotated]
