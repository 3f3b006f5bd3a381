from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Insatser"

    def ready(self):
        from . import permissions  # noqa: F401  registers the app's rules
