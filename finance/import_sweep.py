"""The safety net for background ledger imports whose worker and message are both gone.

A killed worker's import comes back by itself (acks_late with reject_on_worker_lost: the broker hands the message
out again and `ledger_import_run` runs the import anew, in one transaction). What cannot come back is an import
whose message is lost too (a broker restarted without persistence): it would show "Pågår" for ever and, as an
active import, keep the same file from being uploaded again. This sweep fails such imports with a message that
says what to do; nothing of them was written, since an import writes in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .import_services import ledger_import_fail
from .models import LedgerImport

STALE_MESSAGE = (
    "Importen avbröts: bakgrundsarbetet som skulle köra den svarar inte. Inget från filen har sparats. "
    "Ladda upp filen igen."
)


def ledger_imports_sweep(*, now: dt.datetime | None = None) -> int:
    """Fail every import still queued or running long after any worker would have finished it. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.FINANCE_IMPORT_STALE_SECONDS)
    stale = list(
        LedgerImport.objects.filter(status__in=LedgerImport.ACTIVE_STATUSES, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    for import_id in stale:
        ledger_import_fail(import_id=import_id, message=STALE_MESSAGE)
    return len(stale)
