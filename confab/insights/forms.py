from django import forms
from django.conf import settings
from django.utils import timezone

from confab.posts.actions import MAX_SPOILER
from confab.posts.forms import ComposeForm
from confab.posts.models import Visibility

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time, kept naive: the action reads it in the author's zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT)
    input_formats = [LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and timezone.is_aware(result):
            # The field made it aware in the server's zone; undo that, keep the wall clock.
            result = timezone.make_naive(result, timezone.get_current_timezone())
        return result


def _schedule_field(required: bool) -> LocalDateTimeField:
    return LocalDateTimeField(
        label="Schedule for",
        required=required,
        help_text="Optional: the date and time to publish it, in your time zone.",
        error_messages={"invalid": "Enter a date and time, such as 2026-03-05 18:00."},
    )


class ScheduleForm(ComposeForm):
    """The composer with a "Schedule for" time: the post waits for it instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheduled_for"] = _schedule_field(required=False)

    def clean(self):
        data = super().clean()
        has_images = any(data.get(f"image_{n}") for n in range(1, settings.POST_MAX_MEDIA + 1))
        if has_images and data.get("scheduled_for"):
            self.add_error(
                "scheduled_for",
                "Scheduled posts can't carry images yet: remove the images, or post now.",
            )
        return data


class ScheduledEditForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "data-count-limit": settings.POST_MAX_CHARS}),
    )
    spoiler_text = forms.CharField(label="Content warning", required=False, max_length=MAX_SPOILER)
    visibility = forms.ChoiceField(label="Who can see it", choices=Visibility.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheduled_for"] = _schedule_field(required=True)
        self.fields["scheduled_for"].help_text = "In your time zone."
