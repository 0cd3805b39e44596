"""Scheduled posts and insights, mounted at the site root."""

from django.urls import path

from confab.insights import views

app_name = "insights"

urlpatterns = [
    path("scheduled", views.scheduled, name="scheduled"),
    path("scheduled/new", views.new_scheduled, name="new"),
    path("scheduled/<int:scheduled_id>/edit", views.edit_scheduled, name="edit"),
    path("scheduled/<int:scheduled_id>/cancel", views.cancel_scheduled, name="cancel"),
    path("insights", views.insights, name="insights"),
    path("chats/<str:name>/insights", views.chat_insights, name="chat"),
]
