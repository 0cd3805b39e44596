from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "confab.accounts"
    label = "accounts"
