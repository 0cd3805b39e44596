from django import forms

from confab.connections.people.actions import NOTE_MAX


class IntroductionForm(forms.Form):
    first = forms.CharField(
        label="Introduce", max_length=300, help_text="Someone you're connected to: @username."
    )
    second = forms.CharField(label="to", max_length=300, help_text="Another of your connections.")
    note = forms.CharField(
        label="Why they should meet",
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Both of them read it, e.g. “you both run maker spaces”.",
    )

    def clean_first(self) -> str:
        return self.cleaned_data["first"].strip().lstrip("@")

    def clean_second(self) -> str:
        return self.cleaned_data["second"].strip().lstrip("@")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Not now")])
