import zoneinfo

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from confab.accounts.actions import MAX_PROFILE_LINKS


class SignupForm(forms.Form):
    username = forms.CharField(
        max_length=30,
        help_text="Letters, digits and underscores; this is your @name.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common password.",
    )
    reason = forms.CharField(
        label="Why do you want to join?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LoginForm(AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.approved:
            raise forms.ValidationError(
                "Your sign-up is waiting for an admin's approval. You can log in once it is approved.",
                code="not_approved",
            )


def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [("", "Use my city's time zone")] + [(z, z.replace("_", " ")) for z in zones]


class ProfileForm(forms.Form):
    display_name = forms.CharField(label="Name", max_length=30, required=False)
    note = forms.CharField(
        label="Bio",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "data-count-limit": "500"}),
        help_text="Up to 500 characters. Links, @mentions and #hashtags work.",
    )
    city = forms.CharField(
        label="City",
        max_length=200,
        required=False,
        help_text="The nearest city; only the city is ever shown.",
        widget=forms.TextInput(attrs={"list": "city-options", "autocomplete": "off"}),
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        choices=time_zone_choices,
        error_messages={"invalid_choice": "“%(value)s” is not a time zone we know."},
    )
    interests = forms.CharField(
        label="Interests",
        max_length=1000,
        required=False,
        help_text="Hashtags you care about, separated by spaces: #STEM #EdTech #Libraries",
    )
    locked = forms.BooleanField(label="Approve followers yourself", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_PROFILE_LINKS + 1):
            self.fields[f"link_label_{n}"] = forms.CharField(
                label=f"Link {n} label", max_length=60, required=False
            )
            self.fields[f"link_url_{n}"] = forms.CharField(
                label=f"Link {n} address", max_length=500, required=False
            )

    def link_pairs(self):
        return [
            (self[f"link_label_{n}"], self[f"link_url_{n}"])
            for n in range(1, MAX_PROFILE_LINKS + 1)
        ]


class ImageForm(forms.Form):
    image = forms.FileField(label="Image", required=False)
    remove = forms.BooleanField(label="Remove the current image", required=False)
