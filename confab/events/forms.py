from datetime import datetime

from django import forms
from django.urls import reverse_lazy

from confab.events.actions import EventDetails
from confab.events.models import EventVisibility, RSVPState

KIND_CHOICES = [("live", "In person, at a venue"), ("virtual", "Online, at a link")]
WHERE_CHOICES = [("", "Anywhere"), ("live", "In person"), ("virtual", "Online")]


class EventForm(forms.Form):
    """An event's details. Dates and times are on the clock of the zone given beside them."""

    title = forms.CharField(max_length=120)
    hashtag = forms.CharField(
        max_length=101,
        help_text="The event's hashtag, e.g. PyDataAustin: its posts show on its page.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False)
    kind = forms.ChoiceField(
        label="Where", choices=KIND_CHOICES, initial="live", widget=forms.RadioSelect
    )
    venue = forms.CharField(
        max_length=200, required=False, help_text="For events in person: the venue or address."
    )
    city = forms.CharField(
        max_length=200,
        required=False,
        help_text="For events in person, e.g. Austin, TX or Zurich.",
        widget=forms.TextInput(
            attrs={
                "list": "city-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("city_search"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#city-suggestions",
                "hx-sync": "this:replace",
            }
        ),
    )
    online_url = forms.CharField(
        label="Link",
        max_length=500,
        required=False,
        help_text="For online events, where people join (https://…); optional for others.",
    )
    time_zone = forms.CharField(max_length=64, help_text="An IANA zone, e.g. America/Chicago.")
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label="Starts at (in the zone above)",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    end_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end_time = forms.TimeField(
        label="Ends at (in the zone above)",
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    visibility = forms.ChoiceField(
        label="Who can find it",
        choices=EventVisibility.choices,
        initial=EventVisibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    interests = forms.CharField(
        required=False, help_text="Hashtags the event is about, separated by spaces."
    )
    chat = forms.CharField(
        label="Pre-event chat",
        max_length=101,
        required=False,
        help_text="The hashtag of a chat on this server to meet in before the event (optional).",
    )

    def details(self) -> EventDetails:
        data = self.cleaned_data
        return EventDetails(
            title=data["title"],
            hashtag=data["hashtag"],
            time_zone=data["time_zone"].strip(),
            starts_local=datetime.combine(data["start_date"], data["start_time"]),
            ends_local=datetime.combine(data["end_date"], data["end_time"]),
            is_virtual=data["kind"] == "virtual",
            venue=data["venue"],
            city=data["city"],
            online_url=data["online_url"],
            description=data["description"],
            visibility=data["visibility"],
            interests=data["interests"].replace(",", " ").split(),
            chat=data["chat"],
        )


# Errors the action reports on its own names, shown by the field a person filled in.
ACTION_FIELDS = {"starts_at": "start_date", "ends_at": "end_date"}


class RSVPForm(forms.Form):
    state = forms.ChoiceField(
        label="Your answer", choices=RSVPState.choices, widget=forms.RadioSelect
    )
    listed = forms.BooleanField(
        label="Show my name on the attendee list",
        required=False,
        initial=True,
        help_text="The count includes you either way; the event's hosts always see who answered.",
    )


class CohostForm(forms.Form):
    username = forms.CharField(label="Username of the new co-host", max_length=31)


class DirectoryFilter(forms.Form):
    city = forms.CharField(max_length=200, required=False)
    where = forms.ChoiceField(choices=WHERE_CHOICES, required=False)
    interest = forms.CharField(label="About (a hashtag)", max_length=101, required=False)
