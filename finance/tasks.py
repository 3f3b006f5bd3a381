"""Celery tasks for finance. They take ids and call one service (docs/decisions/0015-sie-import.md)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from . import import_services

logger = logging.getLogger(__name__)


@shared_task(
    name="finance.ledger_import",
    acks_late=True,
    reject_on_worker_lost=True,
    # Within the broker's visibility timeout, so a running import is never handed to a second worker.
    soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.CELERY_TASK_TIME_LIMIT,
    ignore_result=True,
)
def ledger_import_task(import_id: int) -> None:
    """Run one queued ledger import. Whatever goes wrong, nothing half-written stays and the row says so."""
    try:
        import_services.ledger_import_run(import_id=import_id)
    except Exception:
        logger.exception("Import %s avbröts av ett oväntat fel", import_id)
        import_services.ledger_import_fail(import_id=import_id)


@shared_task(name="finance.sweep_ledger_imports", ignore_result=True)
def sweep_ledger_imports_task() -> None:
    """Celery beat: fail imports whose worker and message are both gone (finance.import_sweep)."""
    from .import_sweep import ledger_imports_sweep

    ledger_imports_sweep()
