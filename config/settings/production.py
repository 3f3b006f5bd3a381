"""Production: PostgreSQL, Redis, Celery workers, gunicorn behind a TLS-terminating reverse proxy."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, DEBUG, REDIS_URL, SECRET_KEY, env_bool, require_secret_key

require_secret_key()
# Sessions, password-reset links and signed values are only as strong as the key (Django's own deploy check
# asks for the same: 50 characters, 5 different ones).
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-"):
    raise ImproperlyConfigured(
        f"SECRET_KEY är för svag ({len(SECRET_KEY)} tecken): den måste vara minst 50 slumpmässiga tecken. "
        'Skapa en med: python3 -c "import secrets; print(secrets.token_urlsafe(64))"'
    )
if DEBUG:
    raise ImproperlyConfigured("DEBUG får inte vara påslaget i produktion.")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" and not env_bool("ALLOW_SQLITE"):
    raise ImproperlyConfigured("Produktion kräver PostgreSQL: sätt DATABASE_URL=postgres://…")
if not REDIS_URL and not env_bool("ALLOW_EAGER_TASKS"):
    raise ImproperlyConfigured("Produktion kräver REDIS_URL för Celery.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole domain (often the kommun's own) for years: the domain owner decides, not us.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # whitenoise's compressed manifest storage, each URL worked out once per process (core/static_storage.py).
    "staticfiles": {"BACKEND": "core.static_storage.ManifestStaticStorage"},
}
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
