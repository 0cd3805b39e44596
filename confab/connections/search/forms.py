"""The search form: one box, a tab, and optional post filters.

The box itself accepts anything (it is parsed, never rejected); the filter fields are
checked like any form field and come back with a message when they cannot be read.
"""

import dataclasses

from django import forms

from confab.accounts.models import username_validator
from confab.connections.search.parse import SearchQuery, parse
from confab.core.text import is_valid_hashtag, normalize_hashtag

TABS = (
    ("posts", "Posts"),
    ("people", "People"),
    ("hashtags", "Hashtags"),
    ("chats", "Chats"),
)


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, strip=True)
    type = forms.ChoiceField(choices=TABS, required=False, widget=forms.HiddenInput)
    author = forms.CharField(
        label="From",
        required=False,
        max_length=31,
        help_text="A username, e.g. ann (or type from:ann in the box).",
    )
    hashtag = forms.CharField(
        label="Hashtag", required=False, max_length=101, help_text="Or type #tag in the box."
    )
    since = forms.DateField(
        label="From date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="To date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_type(self) -> str:
        return self.cleaned_data.get("type") or "posts"

    def clean_author(self) -> str:
        author = self.cleaned_data["author"].strip().lstrip("@")
        if author:
            try:
                username_validator(author)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Enter a username: letters, digits or underscores, like ann_lee."
                ) from None
        return author.lower()

    def clean_hashtag(self) -> str:
        tag = self.cleaned_data["hashtag"].strip().lstrip("#")
        if tag and not is_valid_hashtag(tag):
            raise forms.ValidationError("That is not a hashtag: use letters, digits or _.")
        return normalize_hashtag(tag) if tag else ""

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return data

    def search_query(self) -> SearchQuery:
        """The box's query with the filter fields added to what it says."""
        data = self.cleaned_data
        query = parse(data.get("q") or "")
        changes: dict = {}
        if data.get("author") and data["author"] not in query.authors:
            changes["authors"] = (*query.authors, data["author"])
        if data.get("hashtag") and data["hashtag"] not in query.tags:
            changes["tags"] = (*query.tags, data["hashtag"])
        if data.get("since"):
            changes["since"] = data["since"]
        if data.get("until"):
            changes["until"] = data["until"]
        return dataclasses.replace(query, **changes) if changes else query
