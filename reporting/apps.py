from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Dokument"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import permissions  # noqa: F401  registers the app's rules

        # Every installed app's documents.py registers its PdfDocument classes (reporting.documents explains).
        # A documents module that fails to import raises here, at start-up, not when a user asks for it.
        autodiscover_modules("documents")
