"""Trips and meetups, mounted at the site root in the `events` namespace."""

from django.urls import path

from confab.events.travel import views

TRIP = "trips/<int:trip_id>"
MEETUP = "meetups/<int:meetup_id>"

urlpatterns = [
    path("trips", views.trips, name="trips"),
    path("trips/new", views.new_trip, name="new_trip"),
    path(TRIP, views.trip, name="trip"),
    path(f"{TRIP}/edit", views.edit_trip, name="edit_trip"),
    path(f"{TRIP}/delete", views.delete_trip, name="delete_trip"),
    path("meetups", views.meetups, name="meetups"),
    path("meetups/new", views.new_meetup, name="new_meetup"),
    path(MEETUP, views.meetup, name="meetup"),
    path(f"{MEETUP}.ics", views.meetup_ics, name="meetup_ics"),
    path(f"{MEETUP}/respond", views.respond, name="respond_meetup"),
    path(f"{MEETUP}/confirm", views.confirm, name="confirm_meetup"),
    path(f"{MEETUP}/cancel", views.cancel, name="cancel_meetup"),
]
