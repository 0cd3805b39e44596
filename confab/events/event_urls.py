from django.urls import path

from confab.events import views

E = "events/<int:event_id>"

urlpatterns = [
    path("events", views.directory, name="directory"),
    path("events/new", views.new_event, name="new"),
    path("events/mine", views.mine, name="mine"),
    path(E, views.event, name="event"),
    path(f"{E}.ics", views.event_ics, name="ics"),
    path(f"{E}/edit", views.edit_event, name="edit"),
    path(f"{E}/cancel", views.cancel_event, name="cancel"),
    path(f"{E}/rsvp", views.rsvp, name="rsvp"),
    path(f"{E}/cohosts", views.add_cohost, name="add_cohost"),
    path(f"{E}/cohosts/<str:acct>/remove", views.remove_cohost, name="remove_cohost"),
]
