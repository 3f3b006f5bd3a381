"""Editors carry a version (ARCHITECTURE.md, convention 13): no save silently overwrites another.

An editor's model has an integer `version` (raised by one on every save from its service). Its form carries the
version the page was built from in a hidden field; the service re-reads the row FOR UPDATE and, when the row has
moved on, raises `EditConflict` instead of writing. The view then shows the form again with what was typed, the
message and what the other person saved (who and when from django-simple-history), with status 409. The
re-shown form carries the version now saved, so a deliberate second save goes through.

One mechanism for every editor: `VersionField` on the form, `check_version` + `bump_version` in the service,
`conflict_response_form` in the view and templates/core/_edit_conflict.html in the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone

from .formatting import format_date

VERSION_MISSING = "Formuläret saknar versionsuppgift. Ladda om sidan och gör ändringen igen."
CONFLICT_STATUS = 409
EMPTY = "(tomt)"


class VersionField(forms.IntegerField):
    """The hidden version a form was built from."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)  # 0: the form was built before the object existed
        kwargs.setdefault(
            "error_messages", {"required": VERSION_MISSING, "invalid": VERSION_MISSING, "min_value": VERSION_MISSING}
        )
        super().__init__(**kwargs)


@dataclass(frozen=True)
class Change:
    """One field the other person changed, with the value saved now."""

    name: str
    label: str
    value: str


class EditConflict(ValidationError):
    """Someone saved the object after the form was opened. A ValidationError, so a view that only knows
    ValidationError still refuses the save and shows the message."""

    def __init__(
        self,
        *,
        what: str,
        current_version: int,
        changes: Sequence[Change],
        changed_by: str = "",
        changed_at: dt.datetime | None = None,
        by_self: bool = False,
    ):
        self.what = what
        self.current_version = current_version
        self.changes = list(changes)
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = f" ({changed_by}, {_when(changed_at)})" if changed_by and changed_at else ""
        if by_self:
            opening = f"Du har själv sparat {what} i en annan flik eller ett annat fönster medan du skrev här{who}."
        else:
            opening = f"Någon annan har sparat {what} medan du skrev{who}."
        message = (
            f"{opening} Det du skrev är inte sparat, men det finns kvar i formuläret. Jämför med den andra "
            "ändringen och spara igen om du vill att din text ska gälla."
        )
        super().__init__(message, code="conflict")


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return f"{format_date(local.date())} kl. {local:%H:%M}"


def display_value(instance: models.Model, name: str) -> str:
    """A field's value as a person reads it."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "" or value == []:
        return EMPTY
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, list | tuple):
        return "\n".join(str(item) for item in value)
    if isinstance(value, dt.datetime):
        return _when(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


def _raw(instance: models.Model, name: str):
    field = instance._meta.get_field(name)
    return getattr(instance, field.attname)


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def check_version(locked: models.Model, expected: int | None, *, what: str, fields: Sequence[str], actor=None) -> None:
    """Refuse the save when `locked` (re-read FOR UPDATE by the caller) is no longer at `expected`.

    `expected=None` means the caller edits without a form (a service called from code): no check.
    `fields` are the model fields the editor shows; the conflict lists those the other save changed. `actor`
    (the user saving now) tells "someone else" from the same user in another tab.
    """
    if expected is None or locked.version == expected:
        return
    history = getattr(locked, "history", None)
    latest = base = None
    if history is not None:
        records = history.order_by("-history_date", "-history_id")
        latest = records.first()
        base = records.filter(version=expected).first()
    names = [name for name in fields if _has_field(locked, name)]
    if base is not None:
        names = [name for name in names if _raw(base, name) != _raw(locked, name)]
    changes = [
        Change(name, str(locked._meta.get_field(name).verbose_name).capitalize(), display_value(locked, name))
        for name in names
    ]
    other = getattr(latest, "history_user", None) if latest is not None else None
    raise EditConflict(
        what=what,
        current_version=locked.version,
        changes=changes,
        changed_by=_user_name(other),
        changed_at=latest.history_date if latest is not None else None,
        by_self=other is not None and actor is not None and other.pk == actor.pk,
    )


def _has_field(instance: models.Model, name: str) -> bool:
    try:
        instance._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def bump_version(instance: models.Model) -> None:
    """Raise the version before the save (add "version" to update_fields where those are named)."""
    instance.version = (instance.version or 0) + 1


def conflict_response_form(form: forms.Form, conflict: EditConflict) -> None:
    """Keep what was typed, and let the next save go over the version saved now (the user has seen it)."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(conflict.current_version)
    form.data = data
