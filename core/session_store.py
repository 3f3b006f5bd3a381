"""Sessions in the database, as Django's db engine keeps them, read with a query compiled once per process.

Every logged-in request reads its session row; building and compiling that ORM query cost more than running it.
The row, the table and the cookie are Django's own (django.contrib.sessions.backends.db), so any number of
gunicorn workers share the sessions, a cache flush loses none, and a session written by the plain db engine is
read here unchanged. SESSION_ENGINE = "core.session_store".
"""

from __future__ import annotations

import logging

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from . import compiled_query


def _session_row(session_key: str):
    return Session.objects.filter(session_key=session_key)


class SessionStore(DatabaseStore):
    def _get_session_from_db(self):
        try:
            found = compiled_query.instances(_session_row, session_key=self.session_key)
            # The expiry is checked here rather than in the query, so that the query never changes its shape.
            if found and found[0].expire_date > timezone.now():
                return found[0]
            raise self.model.DoesNotExist
        except (self.model.DoesNotExist, SuspiciousOperation) as exc:
            if isinstance(exc, SuspiciousOperation):
                logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(str(exc))
            self._session_key = None
            return None
