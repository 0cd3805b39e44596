from django.db import migrations, models

ORIGINS = [
    ("chat", "A chat"),
    ("introduction", "An introduction"),
    ("event", "An event"),
    ("list", "A list"),
    ("search", "Search"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="follow",
            name="origin",
            field=models.CharField(blank=True, choices=ORIGINS, default="", max_length=20),
        ),
        migrations.AddField(
            model_name="followrequest",
            name="origin",
            field=models.CharField(blank=True, choices=ORIGINS, default="", max_length=20),
        ),
    ]
