from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "confab.posts"
    label = "posts"
