from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Dokument"

    def ready(self):
        from . import permissions  # noqa: F401  registers the app's rules
