from django import forms
from django.conf import settings


class MessageForm(forms.Form):
    """A direct post: to the people it @mentions, seen by nobody else."""

    text = forms.CharField(
        label="Message",
        max_length=5000,
        error_messages={"required": "Write a message first."},
        help_text="Only the people you @mention can read it.",
        widget=forms.Textarea(attrs={"rows": 3, "data-count-limit": settings.POST_MAX_CHARS}),
    )
    in_reply_to_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
