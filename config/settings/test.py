"""Tests: PostgreSQL and Redis when DATABASE_URL / REDIS_URL are set, else SQLite and in-process tasks."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in-process; the worker tests switch this off for themselves.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PUBLIC_CACHE_RECHECK_SECONDS = 0  # tests see every change of a public page at once (core.http_cache)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="paragraf-test-media-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (threads and the live server share it), one per process so that parallel runs never collide.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"paragraf-test-{os.getpid()}.sqlite3")}
AXES_ENABLED = True
# Background imports run synchronously in tests (eager Celery); the browser test switches the thread on.
IMPORT_JOBS_IN_THREAD = False
