"""Forms for trips and meetups. They check shapes; the actions check meaning."""

import re
from datetime import datetime

from django import forms

from confab.accounts.models import Account
from confab.events.models.travel import Meetup, Trip
from confab.events.travel.actions import DURATIONS, MeetupDetails, TripDetails
from confab.events.travel.queries import audience_lists

OPTION_SLOTS = 5  # blank time fields the meetup form offers


class TripForm(forms.Form):
    city = forms.CharField(
        max_length=200,
        help_text="Type a few letters, then pick, e.g. “Austin, Texas, United States”.",
        widget=forms.TextInput(attrs={"list": "city-options", "autocomplete": "off"}),
    )
    starts_on = forms.DateField(label="First day", widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label="Last day", widget=forms.DateInput(attrs={"type": "date"}))
    audience = forms.ChoiceField(
        label="Who may see this trip",
        choices=Trip.Audience.choices,
        initial=Trip.Audience.MUTUALS,
        widget=forms.RadioSelect,
    )
    audience_list = forms.TypedChoiceField(
        label="Which list", required=False, coerce=int, empty_value=None, choices=()
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. “Here for the conference; free in the evenings.”",
    )

    def __init__(self, *args, traveller: Account, **kwargs):
        super().__init__(*args, **kwargs)
        lists = [(lst.pk, lst.title) for lst in audience_lists(traveller)]
        field = self.fields["audience_list"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "— choose a list —"), *lists]
        if not lists:
            field.help_text = "You have no lists yet; make one under Lists."

    def details(self) -> TripDetails:
        data = self.cleaned_data
        return TripDetails(
            city=data["city"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            audience=data["audience"],
            audience_list_id=data.get("audience_list"),
            note=data["note"],
        )

    @staticmethod
    def initial_for(trip: Trip) -> dict:
        return {
            "city": trip.city_label,
            "starts_on": trip.starts_on,
            "ends_on": trip.ends_on,
            "audience": trip.audience,
            "audience_list": trip.audience_list_id or "",
            "note": trip.note,
        }


class MeetupForm(forms.Form):
    """The proposal; its times come as several `option` fields (see `option_values`)."""

    title = forms.CharField(max_length=100, help_text="e.g. “Coffee during SXSW”.")
    invitees = forms.CharField(
        label="Whom to invite",
        max_length=500,
        help_text="Usernames, separated by spaces or commas: people you follow who follow you back.",
    )
    place = forms.CharField(
        label="Where", max_length=200, help_text="A café, a venue, “the conference lobby”…"
    )
    city = forms.CharField(
        label="City (optional)",
        max_length=200,
        required=False,
        help_text="Times are in this city's time zone; without a city, in yours.",
        widget=forms.TextInput(attrs={"list": "city-options", "autocomplete": "off"}),
    )
    duration_minutes = forms.TypedChoiceField(
        label="How long",
        coerce=int,
        choices=[(m, f"{m // 60} h {m % 60} min" if m % 60 else f"{m // 60} h") for m in DURATIONS],
        initial=60,
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The times arrive as several `option` inputs, read in `details`; this field is where
    # their errors are shown, beside them.
    options = forms.Field(label="Times to suggest", required=False)

    def _typed_options(self) -> list[str]:
        getlist = getattr(self.data, "getlist", None)
        if getlist is None:  # a plain dict, as tests may pass
            raw = self.data.get("option") or []
            return [raw] if isinstance(raw, str) else list(raw)
        return list(getlist("option"))

    def option_values(self) -> list[str]:
        """The time fields as typed (for showing the form again), padded to OPTION_SLOTS."""
        typed = self._typed_options() if self.is_bound else self.initial.get("option", [])
        values = [v for v in typed if v.strip()]
        return values + [""] * max(0, OPTION_SLOTS - len(values))

    def details(self) -> MeetupDetails:
        data = self.cleaned_data
        errors: dict[str, list[str]] = {}
        options: list[datetime] = []
        for raw in self._typed_options():
            raw = raw.strip()
            if not raw:
                continue
            try:
                options.append(datetime.fromisoformat(raw).replace(second=0, microsecond=0))
            except ValueError:
                errors["options"] = [f"“{raw[:40]}” is not a date and time, e.g. 2027-03-04 18:30."]
                break
        return MeetupDetails(
            title=data["title"],
            place=data["place"],
            options=options,
            invitees=[n for n in re.split(r"[\s,;]+", data["invitees"]) if n],
            city=data["city"],
            duration_minutes=data["duration_minutes"],
            note=data["note"],
            errors=errors,
        )


class RespondForm(forms.Form):
    response = forms.ChoiceField(choices=[("accepted", "I'm coming"), ("declined", "I can't come")])
    votes = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args, meetup: Meetup, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["votes"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(o.pk, str(o.pk)) for o in meetup.options.all()]


class ConfirmForm(forms.Form):
    option = forms.IntegerField()
