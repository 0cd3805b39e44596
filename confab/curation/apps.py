from django.apps import AppConfig


class CurationConfig(AppConfig):
    name = "confab.curation"
    label = "curation"
    verbose_name = "Curation"
