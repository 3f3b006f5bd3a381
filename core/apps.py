from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Organisationer och behörigheter"

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in
        from PIL import Image

        from . import (
            converters,
            lookups,
            permissions,  # noqa: F401  registers the core rules
        )
        from .signals import record_last_login

        # Pillow refuses to open anything over twice this (and warns above it): also guards what WeasyPrint decodes.
        Image.MAX_IMAGE_PIXELS = settings.PARAGRAF["MAX_IMAGE_PIXELS"]

        converters.register()  # before any URLconf is loaded
        lookups.register()

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(record_last_login, dispatch_uid="paragraf_record_last_login")
