from django.urls import path

from confab.notifications import views

urlpatterns = [
    path("notifications", views.notifications, name="notifications"),
    path("notifications/read", views.mark_all_read, name="mark_all_notifications_read"),
    path(
        "notifications/<int:notification_id>/read",
        views.mark_read,
        name="mark_notification_read",
    ),
    path("settings/notifications", views.settings, name="notification_settings"),
]
