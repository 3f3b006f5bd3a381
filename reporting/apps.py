import logging
import os
import sys
import threading

from django.apps import AppConfig

logger = logging.getLogger(__name__)


def _in_process_sweeper_wanted() -> bool:
    """Only `manage.py runserver` with tasks in-process (`make run`), and only in the process that serves."""
    from django.conf import settings

    if not settings.CELERY_TASK_ALWAYS_EAGER or len(sys.argv) < 2 or sys.argv[1] != "runserver":
        return False
    return os.environ.get("RUN_MAIN") == "true" or "--noreload" in sys.argv


def _sweep_forever(interval: float) -> None:
    """What Celery beat does elsewhere: the same sweep, in a daemon thread of the development server."""
    import time

    from django.db import connections

    from meetings import minutes_services

    from . import sweep_services

    while True:
        time.sleep(interval)
        try:
            minutes_services.minutes_archive_missing()
            sweep_services.jobs_sweep(broker=False)
        except Exception:  # the next sweep tries again
            logger.exception("Svepet av dokumentjobb misslyckades")
        finally:
            connections.close_all()


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Dokument"

    def ready(self):
        from django.conf import settings
        from django.utils.module_loading import autodiscover_modules

        from . import permissions  # noqa: F401  registers the app's rules

        # Every installed app's documents.py registers its PdfDocument classes (reporting.documents explains).
        # A documents module that fails to import raises here, at start-up, not when a user asks for it.
        autodiscover_modules("documents")

        if _in_process_sweeper_wanted():
            threading.Thread(
                target=_sweep_forever, args=(settings.RENDER_JOB_SWEEP_SECONDS,), name="job-sweeper", daemon=True
            ).start()
