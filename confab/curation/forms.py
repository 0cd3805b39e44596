from django import forms

from confab.curation.actions import ListDetails
from confab.curation.models import List


class ListForm(forms.Form):
    title = forms.CharField(max_length=100)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=500, required=False
    )
    visibility = forms.ChoiceField(
        choices=List.Visibility.choices, initial=List.Visibility.PRIVATE, widget=forms.RadioSelect
    )
    replies_policy = forms.ChoiceField(
        label="Replies", choices=List.RepliesPolicy.choices, initial=List.RepliesPolicy.MEMBERS
    )
    exclusive = forms.BooleanField(
        label="Exclusive: members' posts leave my home timeline", required=False
    )

    def details(self) -> ListDetails:
        data = self.cleaned_data
        return ListDetails(
            title=data["title"],
            description=data["description"],
            visibility=data["visibility"],
            exclusive=data["exclusive"],
            replies_policy=data["replies_policy"],
        )

    @staticmethod
    def initial_for(lst: List) -> dict:
        return {
            "title": lst.title,
            "description": lst.description,
            "visibility": lst.visibility,
            "replies_policy": lst.replies_policy,
            "exclusive": lst.exclusive,
        }


class MemberForm(forms.Form):
    acct = forms.CharField(label="Username", max_length=300)


class HashtagForm(forms.Form):
    hashtag = forms.CharField(max_length=101)


class KitForm(forms.Form):
    title = forms.CharField(max_length=100)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        required=False,
        help_text="Who is it for? Newcomers read this before following.",
    )


class InterestsForm(forms.Form):
    interests = forms.CharField(
        label="Other interests",
        required=False,
        max_length=500,
        help_text="Hashtags, separated by spaces or commas: #STEM, #EduMatch.",
    )
    time_zone = forms.CharField(
        label="Your time zone",
        required=False,
        max_length=64,
        help_text="So chat times are shown in your time, e.g. Europe/Paris.",
        # confab.js fills in the browser's zone when this still says UTC.
        widget=forms.TextInput(attrs={"data-guess-time-zone": "", "autocomplete": "off"}),
    )
