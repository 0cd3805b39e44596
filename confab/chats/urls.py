from django.urls import path

from confab.chats import views

app_name = "chats"

# Fixed words before <name>: create_chat refuses them as hashtags (RESERVED_NAMES).
urlpatterns = [
    path("chats", views.directory, name="directory"),
    path("chats/new", views.new_chat, name="new"),
    path("chats/calendar", views.calendar, name="calendar"),
    path("chats/calendar/<str:token>.ics", views.my_feed, name="my_feed"),
    path("chats/<str:name>.ics", views.chat_feed, name="feed"),
    path("chats/<str:name>", views.chat, name="chat"),
    path("chats/<str:name>/edit", views.edit_chat, name="edit"),
    path("chats/<str:name>/follow", views.follow, name="follow"),
    path("chats/<str:name>/unfollow", views.unfollow, name="unfollow"),
    path("chats/<str:name>/plan", views.plan, name="plan"),
    path("chats/<str:name>/cohosts", views.add_cohost, name="add_cohost"),
    path("chats/<str:name>/cohosts/<str:acct>/remove", views.remove_cohost, name="remove_cohost"),
]
