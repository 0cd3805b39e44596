from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "confab.events"
    label = "events"
    verbose_name = "Events, trips and meetups"
