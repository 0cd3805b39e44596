from django.db import models

from confab.core.ids import next_id


class SnowflakeIdField(models.BigIntegerField):
    """A primary key filled with a time-ordered 64-bit id when the row is created."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("primary_key", True)
        kwargs.setdefault("default", next_id)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("primary_key", True), ("default", next_id), ("editable", False)):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        return name, path, args, kwargs


class SnowflakeModel(models.Model):
    """Base for every row a client can page through: its id orders it in time."""

    id = SnowflakeIdField()

    class Meta:
        abstract = True


class InstanceSettings(models.Model):
    """The one row of instance-wide settings an admin changes at run time."""

    class SignupPolicy(models.TextChoices):
        OPEN = "open", "Anyone can sign up"
        APPROVAL = "approval", "Sign-ups wait for an admin's approval"
        CLOSED = "closed", "Sign-ups are closed"

    signup_policy = models.CharField(
        max_length=10, choices=SignupPolicy.choices, default=SignupPolicy.OPEN
    )
    description = models.TextField(blank=True, default="A community for professional connections.")

    class Meta:
        verbose_name = "instance settings"
        verbose_name_plural = "instance settings"

    def __str__(self) -> str:
        return "Instance settings"

    @classmethod
    def get(cls) -> "InstanceSettings":
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row
