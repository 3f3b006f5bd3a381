"""Settings of the worker the fault tests start (tests/reporting/test_faults.py): the test settings, with the
fault-test document kinds and tasks really sent to the broker."""

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_IMPORTS = ["tests.reporting.fault_documents"]
