from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from confab.chats import recurrence
from confab.chats.actions import MAX_REMIND_MINUTES, ChatDetails
from confab.chats.recurrence import ORDINALS, Pattern
from confab.posts.models import Post

PATTERN_CHOICES = [
    (Pattern.WEEKLY.value, "Every week"),
    (Pattern.BIWEEKLY.value, "Every other week"),
    (Pattern.MONTHLY.value, "Once a month, on the nth weekday"),
    (Pattern.ONCE.value, "Once only"),
    ("custom", "A custom rule (RFC 5545 RRULE)"),
]
NTH_CHOICES = [(str(n), label) for n, label in ORDINALS.items()]


class ChatForm(forms.Form):
    """A chat's details; the weekday of a repeating chat is that of its first date."""

    hashtag = forms.CharField(
        max_length=101, help_text="The chat's hashtag, e.g. EduMatch. It cannot be changed later."
    )
    title = forms.CharField(max_length=100)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    code_of_conduct = forms.CharField(
        label="Code of conduct", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    interests = forms.CharField(
        required=False, help_text="Hashtags the chat is about, separated by spaces."
    )
    time_zone = forms.CharField(max_length=64, help_text="An IANA zone, e.g. America/New_York.")
    first_date = forms.DateField(
        label="Date of the first session", widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label="Start time (in the zone above)",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    # The range is checked by the action, so it is reported with the other schedule errors.
    duration = forms.IntegerField(
        label="Length in minutes",
        initial=60,
        help_text=f"From {recurrence.MIN_DURATION} to {recurrence.MAX_DURATION} minutes.",
    )
    pattern = forms.ChoiceField(label="Repeats", choices=PATTERN_CHOICES, initial="weekly")
    nth = forms.ChoiceField(
        label="Which weekday of the month (for monthly chats)",
        choices=NTH_CHOICES,
        required=False,
    )
    rrule = forms.CharField(
        label="Custom rule",
        required=False,
        max_length=300,
        help_text="Only for a custom rule, e.g. FREQ=MONTHLY;BYDAY=1MO,3MO.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["hashtag"]

    def clean(self):
        data = super().clean()
        pattern = data.get("pattern")
        first_date = data.get("first_date")
        if pattern == "custom":
            if not data.get("rrule", "").strip():
                self.add_error("rrule", "Write the rule, or choose another way to repeat.")
            data["rule"] = data.get("rrule", "").strip()
        elif pattern and first_date:
            try:
                data["rule"] = recurrence.build_rrule(
                    pattern, first_date.weekday(), int(data.get("nth") or 1)
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(name if name in self.fields else None, message)
        return data

    def details(self) -> ChatDetails:
        data = self.cleaned_data
        return ChatDetails(
            title=data["title"],
            time_zone=data["time_zone"].strip(),
            starts_at_local=datetime.combine(data["first_date"], data["start_time"]),
            duration=data["duration"],
            rrule=data.get("rule", ""),
            description=data["description"],
            code_of_conduct=data["code_of_conduct"],
            interests=data["interests"].replace(",", " ").split(),
        )


class FollowForm(forms.Form):
    remind_minutes = forms.IntegerField(
        label="Remind me this many minutes before each session (0 for no reminder)",
        initial=15,
        min_value=0,
        max_value=MAX_REMIND_MINUTES,
    )


class PlanForm(forms.Form):
    """A session: its start in the chat's zone, topic, guests and question plan."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}))
    topic = forms.CharField(max_length=200, required=False)
    guests = forms.CharField(
        required=False, help_text="Usernames of guests, separated by spaces (e.g. @bob @cat)."
    )
    questions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "One question a line: the minute after the start, a bar, the question. "
            "For example “8 | What is your favourite lab?”."
        ),
    )

    def clean_questions(self) -> list[tuple[str, int]]:
        plan: list[tuple[str, int]] = []
        problems = []
        for number, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1):
            if not line.strip():
                continue
            minute, bar, text = line.partition("|")
            if not bar or not minute.strip().lstrip("-").isdigit():
                problems.append(
                    f"Line {number} needs a minute, a bar and the question: “8 | Your question”."
                )
                continue
            plan.append((text.strip(), int(minute.strip())))
        if problems:
            raise ValidationError(problems)
        return plan

    def clean_guests(self) -> list[str]:
        return [name.lstrip("@") for name in self.cleaned_data["guests"].split() if name]


class CohostForm(forms.Form):
    username = forms.CharField(label="Username of the new co-host", max_length=31)


class RoomReplyForm(forms.Form):
    """A reply written in the room: public, to a post in the room (the view checks which)."""

    text = forms.CharField(
        label="Your reply",
        max_length=5000,  # the post limit (links count 23) is checked by the post action
        widget=forms.Textarea(attrs={"rows": 3, "data-count-limit": settings.POST_MAX_CHARS}),
        error_messages={"required": "Write something to reply with."},
    )
    in_reply_to_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    parent: Post | None = None  # set by the view once it has checked the post may be replied to
