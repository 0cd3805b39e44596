from django import forms

from confab.notifications.models import Kind, NotificationSettings


class SettingsForm(forms.Form):
    """One checkbox per kind of notification, labelled as on the settings model."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind.values:
            label = NotificationSettings._meta.get_field(kind).verbose_name
            self.fields[kind] = forms.BooleanField(label=str(label), required=False)
