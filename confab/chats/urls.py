from django.urls import path

from confab.chats import transcript_views, views

app_name = "chats"
ROOM = "chats/<str:name>/sessions/<int:session_id>"

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
    # After a session (confab.chats.transcript_views).
    path(
        "chats/<str:name>/sessions/<int:session_id>/transcript",
        transcript_views.transcript_page,
        name="transcript",
    ),
    path(
        "chats/<str:name>/sessions/<int:session_id>/transcript.<str:extension>",
        transcript_views.transcript_export,
        name="transcript_export",
    ),
    path(
        "chats/<str:name>/sessions/<int:session_id>/people",
        transcript_views.people,
        name="people_met",
    ),
    path("chats/<str:name>/trend", transcript_views.trend, name="trend"),
    path("chats/<str:name>/sessions/<int:session_id>", views.session_room, name="room"),
    path(f"{ROOM}/reply", views.room_reply, name="room_reply"),
    path(f"{ROOM}/posts/<int:post_id>/hide", views.room_hide, name="room_hide"),
    path(f"{ROOM}/posts/<int:post_id>/unhide", views.room_unhide, name="room_unhide"),
    path(f"{ROOM}/people/<str:acct>/mute", views.room_mute, name="room_mute"),
    path(f"{ROOM}/people/<str:acct>/unmute", views.room_unmute, name="room_unmute"),
    path(f"{ROOM}/lock", views.room_lock, {"state": "lock"}, name="room_lock"),
    path(f"{ROOM}/unlock", views.room_lock, {"state": "unlock"}, name="room_unlock"),
    path(f"{ROOM}/questions/next", views.question_next, name="question_next"),
    path(f"{ROOM}/questions/add", views.question_add, name="question_add"),
    path(f"{ROOM}/questions/<int:number>", views.question_edit, name="question_edit"),
]
