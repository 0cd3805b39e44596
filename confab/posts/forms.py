from django import forms
from django.conf import settings

from confab.posts.actions import MAX_ALT_TEXT, MAX_SPOILER
from confab.posts.models import Visibility


class ComposeForm(forms.Form):
    text = forms.CharField(
        label="What's on your mind?",
        required=False,
        # The character limit counts links as 23, so the browser's maxlength can't enforce it;
        # the server does, and the composer's counter shows it.
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "data-count-limit": settings.POST_MAX_CHARS}),
    )
    spoiler_text = forms.CharField(
        label="Content warning",
        required=False,
        max_length=MAX_SPOILER,
        help_text="Optional: readers see this first and open the post to read it.",
    )
    visibility = forms.ChoiceField(
        label="Who can see it", choices=Visibility.choices, initial=Visibility.PUBLIC
    )
    in_reply_to_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, settings.POST_MAX_MEDIA + 1):
            self.fields[f"image_{n}"] = forms.FileField(label=f"Image {n}", required=False)
            self.fields[f"alt_{n}"] = forms.CharField(
                label=f"Image {n} description (alt text)",
                required=False,
                max_length=MAX_ALT_TEXT,
            )

    def image_fields(self):
        return [
            (self[f"image_{n}"], self[f"alt_{n}"]) for n in range(1, settings.POST_MAX_MEDIA + 1)
        ]


class EditForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "data-count-limit": settings.POST_MAX_CHARS}),
    )
    spoiler_text = forms.CharField(label="Content warning", required=False, max_length=MAX_SPOILER)
