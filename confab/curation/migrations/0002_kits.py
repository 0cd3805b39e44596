import django.db.models.deletion
from django.db import migrations, models

import confab.core.models


def _fk(to: str, related_name: str, *, null: bool = False) -> models.ForeignKey:
    return models.ForeignKey(
        on_delete=django.db.models.deletion.SET_NULL if null else django.db.models.deletion.CASCADE,
        null=null,
        related_name=related_name,
        to=to,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("curation", "0001_curation"),
        ("accounts", "0002_initial"),
        ("chats", "0001_chats"),
        ("posts", "0002_post_indexes_for_feeds"),
    ]

    operations = [
        migrations.CreateModel(
            name="StarterKit",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("title", models.CharField(max_length=100)),
                ("description", models.TextField(blank=True, max_length=500)),
                ("featured", models.BooleanField(default=False)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("owner", _fk("accounts.account", "starter_kits")),
            ],
            options={
                "indexes": [
                    models.Index(fields=["owner", "-id"], name="kit_owner_idx"),
                    models.Index(
                        condition=models.Q(("featured", True)),
                        fields=["-id"],
                        name="kit_featured_idx",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="KitPerson",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("account", _fk("accounts.account", "+")),
                ("kit", _fk("curation.starterkit", "people")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kit", "account"), name="kit_person_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="KitHashtag",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("hashtag", _fk("posts.hashtag", "+")),
                ("kit", _fk("curation.starterkit", "hashtags")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kit", "hashtag"), name="kit_hashtag_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="KitChat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("chat", _fk("chats.chat", "+")),
                ("kit", _fk("curation.starterkit", "chats")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kit", "chat"), name="kit_chat_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="KitList",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("list", _fk("curation.list", "+")),
                ("kit", _fk("curation.starterkit", "lists")),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kit", "list"), name="kit_list_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="HiddenTrend",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "hashtag",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="posts.hashtag",
                    ),
                ),
                ("hidden_by", _fk("accounts.account", "+", null=True)),
            ],
        ),
    ]
