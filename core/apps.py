from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Organisationer och behörigheter"

    def ready(self):
        from . import permissions  # noqa: F401  registers the core rules
