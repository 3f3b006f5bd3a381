"""Writes for core. Each service owns its transaction; django-simple-history writes the audit row in it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from simple_history.utils import update_change_reason

from .models import Organisation, User


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor: User, data: dict[str, Any]) -> Organisation:
    for field, value in data.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    organisation._history_user = actor
    organisation.save()
    update_change_reason(organisation, "Organisationsuppgifter ändrade")
    return organisation
