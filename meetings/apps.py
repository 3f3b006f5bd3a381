from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Sammanträden"

    def ready(self):
        from . import permissions  # noqa: F401  registers the app's rules
