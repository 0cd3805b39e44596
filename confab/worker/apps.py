from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WorkerConfig(AppConfig):
    name = "confab.worker"
    label = "worker"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        # Handlers live in each app's jobs.py; importing them fills the registry, so a
        # worker knows every kind before it claims its first job.
        autodiscover_modules("jobs")
