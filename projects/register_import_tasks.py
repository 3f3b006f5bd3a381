"""The Celery task of the register import (a module of its own; the worker loads it through CELERY_IMPORTS)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from . import register_import_services

logger = logging.getLogger(__name__)


@shared_task(
    name="projects.register_import",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    ignore_result=True,
)
def register_import_task(import_id: int) -> None:
    """Run one queued register import. Whatever goes wrong, nothing half-written stays and the row says so."""
    try:
        register_import_services.register_import_run(import_id=import_id)
    except Exception:
        logger.exception("Registerimport %s avbröts av ett oväntat fel", import_id)
        register_import_services.register_import_fail(import_id=import_id)
