from django.urls import path

from confab.connections.conversations import views

CONVERSATION = "conversations/<int:conversation_id>"

urlpatterns = [
    path("conversations", views.inbox, name="inbox"),
    path("conversations/new", views.new_message, name="new_message"),
    path(CONVERSATION, views.conversation, name="conversation"),
    path(f"{CONVERSATION}/reply", views.reply, name="conversation_reply"),
    path(f"{CONVERSATION}/read", views.mark_read, name="conversation_read"),
    path(f"{CONVERSATION}/mute", views.mute, name="conversation_mute"),
    path(f"{CONVERSATION}/unmute", views.unmute, name="conversation_unmute"),
]
