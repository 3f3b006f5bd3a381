"""Document kinds for the fault tests only, never registered in production.

Imported by the worker the fault tests start (tests/reporting/fault_settings.py, CELERY_IMPORTS) and, for the
duration of those tests, by the tests themselves (`registered()`), so that no other test meets them.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from contextlib import contextmanager

from django import forms

from reporting.documents import _REGISTRY, DocumentInputError, OrganisationFactSheet, register_document

# Set only in the environment of the fault tests' own worker: nowhere else does the poison document kill.
FAULT_WORKER_ENV = "PARAGRAF_FAULT_WORKER"


class SlowParamsForm(forms.Form):
    seconds = forms.FloatField(label="Sekunder", min_value=0, max_value=60)
    tag = forms.CharField(label="Märke", required=False)  # different tags: no reuse of an identical PDF


class SlowDocument(OrganisationFactSheet):
    """The organisation fact sheet after a pause: long enough to kill or freeze something mid-render."""

    kind = "tests.slow"
    title = "Långsamt testdokument"
    params_form = SlowParamsForm
    accepts_uploads = False

    @property
    def on(self) -> dt.date:
        return dt.date(2026, 1, 5)

    def get_context(self):
        time.sleep(float(self.params["seconds"]))
        context = super().get_context()
        context["on"] = f"{self.on} {self.params.get('tag', '')}"
        return context

    def filename(self) -> str:
        return "langsamt.pdf"


class PoisonDocument(OrganisationFactSheet):
    """A render that kills its own process, as a crash in a native library would."""

    kind = "tests.poison"
    title = "Giftigt testdokument"
    params_form = None
    accepts_uploads = False

    @property
    def on(self) -> dt.date:
        return dt.date(2026, 1, 5)

    def get_context(self):
        if os.environ.get(FAULT_WORKER_ENV) == "1":
            os.kill(os.getpid(), signal.SIGKILL)
        raise DocumentInputError("Giftigt testdokument skapas bara av felprovens arbetare.")


DOCUMENTS = (SlowDocument, PoisonDocument)


def register_all() -> None:
    for cls in DOCUMENTS:
        register_document(cls)


@contextmanager
def registered():
    register_all()
    try:
        yield
    finally:
        for cls in DOCUMENTS:
            _REGISTRY.pop(cls.kind, None)


if os.environ.get(FAULT_WORKER_ENV) == "1":
    register_all()
