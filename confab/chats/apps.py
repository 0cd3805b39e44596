from django.apps import AppConfig


class ChatsConfig(AppConfig):
    name = "confab.chats"
    label = "chats"
    verbose_name = "Chats"
