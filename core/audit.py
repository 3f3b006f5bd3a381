"""Reading the audit trail that django-simple-history keeps for every domain model, scoped to one organisation.

The registry holds every model with HistoricalRecords and how its history rows belong to an organisation:

- the model's `organisation_path` (default "organisation"), followed on the historical table. A path through
  another audited model (Membership: "committee__organisation") goes through that model's *history*, so the rows
  of a deleted committee still belong to the organisation it was in and stay readable there;
- Organisation itself by its pk (`organisation_path = "pk"`);
- User, which is global, by the users who hold a role in the organisation now.

A model whose path cannot be followed is left out with a warning (and a test fails), never shown unscoped.

Everything here reads; nothing writes. Query counts do not grow with the number of rows shown: a page of changes
costs one query per history table on the page plus one per related model named in the rows' labels.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models import CharField, Q, QuerySet, Value
from django.urls import reverse
from django.utils.text import capfirst

from .formatting import format_date

logger = logging.getLogger(__name__)

HISTORY_TYPES = {"+": "Skapad", "~": "Ändrad", "-": "Borttagen"}
# Never shown, even if a model starts tracking them.
HIDDEN_FIELDS = frozenset({"password", "last_login"})
EMPTY = "–"

Scope = Callable[[int], Q]


@dataclass(frozen=True)
class AuditedModel:
    model: type[models.Model]
    scope: Scope = field(compare=False)

    @property
    def key(self) -> str:
        return f"{self.model._meta.app_label}.{self.model._meta.model_name}"

    @property
    def label(self) -> str:
        return capfirst(str(self.model._meta.verbose_name))

    @property
    def label_plural(self) -> str:
        return capfirst(str(self.model._meta.verbose_name_plural))

    @property
    def history_model(self) -> type[models.Model]:
        return _history_model(self.model)

    def history(self, organisation) -> QuerySet:
        """Every history row of this model that belongs to the organisation."""
        return self.history_model._default_manager.filter(self.scope(_pk(organisation)))

    def object_url(self, pk: Any) -> str:
        meta = self.model._meta
        return reverse("core:audit_object", args=[meta.app_label, meta.model_name, pk])


def _pk(organisation) -> int:
    return getattr(organisation, "pk", organisation)


def _history_model(model: type[models.Model]) -> type[models.Model]:
    return getattr(model, model._meta.simple_history_manager_attribute).model


def _has_history(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


# Scoping -----------------------------------------------------------------------------------------------------


def _user_scope(organisation_id: int) -> Q:
    from .models import RoleAssignment

    return Q(id__in=RoleAssignment.objects.filter(organisation_id=organisation_id).values("user_id"))


def _path_scope(model: type[models.Model], path: str) -> Scope:
    """A filter on `model`'s history table for rows whose `path` leads to the organisation.

    Raises FieldDoesNotExist or ValueError when the path does not lead through foreign keys.
    """
    pk_attname = model._meta.pk.attname
    if path == "pk":
        return lambda organisation_id: Q(**{pk_attname: organisation_id})
    first, _, rest = path.partition("__")
    fk = model._meta.get_field(first)
    if not ((fk.many_to_one or fk.one_to_one) and fk.concrete):
        raise ValueError(f"{model.__name__}.{first} är ingen främmande nyckel")
    if not rest:
        return lambda organisation_id: Q(**{fk.attname: organisation_id})
    related = fk.related_model
    if _has_history(related):
        inner = _path_scope(related, rest)
        related_history = _history_model(related)
        related_pk = related._meta.pk.attname

        def through_history(organisation_id: int) -> Q:
            ids = related_history._default_manager.filter(inner(organisation_id)).values(related_pk)
            return Q(**{f"{fk.attname}__in": ids})

        return through_history
    # The related model keeps no history: follow the live rows (a deleted parent's children drop out).
    related._meta.get_field(rest.partition("__")[0])

    def through_live(organisation_id: int) -> Q:
        ids = related._base_manager.filter(**{rest: organisation_id}).values("pk")
        return Q(**{f"{fk.attname}__in": ids})

    return through_live


def _scope_for(model: type[models.Model]) -> Scope | None:
    if model._meta.label == settings.AUTH_USER_MODEL:
        return _user_scope
    path = getattr(model, "organisation_path", "organisation")
    try:
        return _path_scope(model, path)
    except (FieldDoesNotExist, ValueError) as exc:
        logger.warning("Granskningsloggen visar inte %s: %s", model._meta.label, exc)
        return None


@cache
def _build() -> tuple[dict[str, AuditedModel], tuple[type[models.Model], ...]]:
    from simple_history.models import registered_models

    entries: dict[str, AuditedModel] = {}
    skipped = []
    for model in registered_models.values():
        if not _has_history(model) or model._meta.proxy:
            continue  # m2m through tables and proxies have no organisation of their own
        if getattr(model, "audit_hidden", False):
            continue  # personal data with its own access log and extract (projects.RegisterParticipant)
        scope = _scope_for(model)
        if scope is None:
            skipped.append(model)
            continue
        entry = AuditedModel(model, scope)
        entries[entry.key] = entry
    ordered = dict(sorted(entries.items(), key=lambda item: item[1].label))
    return ordered, tuple(skipped)


def registry() -> dict[str, AuditedModel]:
    """Every audited model, by "app_label.model_name", in label order."""
    return _build()[0]


def unscoped_models() -> tuple[type[models.Model], ...]:
    """Models with history that could not be scoped to an organisation (should be none)."""
    return _build()[1]


def audited(app_label: str, model_name: str) -> AuditedModel | None:
    return registry().get(f"{app_label}.{model_name}".lower())


def audited_for(model: type[models.Model]) -> AuditedModel | None:
    return registry().get(f"{model._meta.app_label}.{model._meta.model_name}")


# Labels for objects and related objects --------------------------------------------------------------------


def _latest_historical_objects(model: type[models.Model], ids: Iterable[Any]) -> dict[Any, models.Model]:
    """The last known state of deleted rows, from their history (empty when the model keeps none)."""
    if not _has_history(model):
        return {}
    pk_attname = model._meta.pk.attname
    found: dict[Any, models.Model] = {}
    rows = (
        _history_model(model)
        ._default_manager.filter(**{f"{pk_attname}__in": list(ids)})
        .order_by(pk_attname, "-history_date", "-history_id")
    )
    for row in rows:
        found.setdefault(getattr(row, pk_attname), row.history_object)
    return found


def _fetch_related(wanted: dict[type[models.Model], set[Any]]) -> dict[type[models.Model], dict[Any, models.Model]]:
    """One query per related model (two when some rows are deleted), whatever the number of rows."""
    fetched: dict[type[models.Model], dict[Any, models.Model]] = {}
    for model, ids in wanted.items():
        ids.discard(None)
        if not ids:
            continue
        objects = model._base_manager.in_bulk(ids)
        missing = ids - set(objects)
        if missing:
            objects.update(_latest_historical_objects(model, missing))
        fetched[model] = objects
    return fetched


def _foreign_keys(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.many_to_one]


def _prime_foreign_keys(instances: list[models.Model]) -> None:
    """Fill the foreign-key caches of instances rebuilt from history, so that `str()` needs no query."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for instance in instances:
        for fk in _foreign_keys(type(instance)):
            wanted[fk.related_model].add(getattr(instance, fk.attname, None))
    fetched = _fetch_related(wanted)
    for instance in instances:
        for fk in _foreign_keys(type(instance)):
            related = fetched.get(fk.related_model, {}).get(getattr(instance, fk.attname, None))
            if related is not None:
                fk.set_cached_value(instance, related)


def _object_label(audited_model: AuditedModel, instance: models.Model) -> str:
    try:
        return str(instance)
    except (ObjectDoesNotExist, AttributeError, TypeError):
        return f"{audited_model.label} {instance.pk}"


# The list of changes -----------------------------------------------------------------------------------------


@dataclass
class AuditEntry:
    audited: AuditedModel
    record: Any
    object_label: str = ""

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        return self.record.history_user

    @property
    def type_label(self) -> str:
        return HISTORY_TYPES.get(self.record.history_type, self.record.history_type)

    @property
    def object_pk(self):
        return getattr(self.record, self.audited.model._meta.pk.attname)

    @property
    def url(self) -> str:
        return self.audited.object_url(self.object_pk)


def change_index(*, organisation, model_key: str | None = None, user_id: int | None = None) -> QuerySet:
    """Newest first: (history_id, history_date, model key) of every change in the organisation.

    One UNION over the history tables, so counting and slicing a page are one query each.
    """
    entries = registry()
    chosen = [entries[model_key]] if model_key else list(entries.values())
    parts = []
    for entry in chosen:
        rows = entry.history(organisation)
        if user_id is not None:
            rows = rows.filter(history_user_id=user_id)
        parts.append(
            rows.order_by()
            .annotate(audit_model=Value(entry.key, output_field=CharField()))
            .values_list("history_id", "history_date", "audit_model")
        )
    index = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return index.order_by("-history_date", "-history_id")


def entries_for(rows: Iterable[tuple[Any, Any, str]]) -> list[AuditEntry]:
    """The page's rows as AuditEntry objects: one query per history table on the page, plus labels."""
    rows = list(rows)
    by_model: dict[str, list[Any]] = defaultdict(list)
    for history_id, _date, key in rows:
        by_model[key].append(history_id)
    records: dict[tuple[str, Any], Any] = {}
    for key, ids in by_model.items():
        audited_model = registry()[key]
        for record in audited_model.history_model._default_manager.filter(history_id__in=ids).select_related(
            "history_user"
        ):
            records[(key, record.history_id)] = record
    entries = [
        AuditEntry(registry()[key], records[(key, history_id)])
        for history_id, _date, key in rows
        if (key, history_id) in records
    ]
    instances = [entry.record.history_object for entry in entries]
    _prime_foreign_keys(instances)
    for entry, instance in zip(entries, instances, strict=True):
        entry.object_label = _object_label(entry.audited, instance)
    return entries


# One object's history ---------------------------------------------------------------------------------------


def object_history(*, organisation, audited_model: AuditedModel, pk: Any) -> QuerySet:
    """The object's history rows that belong to the organisation, newest first (also after deletion)."""
    pk_attname = audited_model.model._meta.pk.attname
    return (
        audited_model.history(organisation)
        .filter(**{pk_attname: pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


@dataclass
class FieldChange:
    label: str
    old: str | None
    new: str


@dataclass
class ObjectChange:
    record: Any
    type_label: str
    changes: list[FieldChange]
    # True for a creation, or the oldest row kept: the values it started with, nothing to compare with.
    initial: bool = False

    @property
    def when(self):
        return self.record.history_date

    @property
    def who(self):
        return self.record.history_user

    @property
    def reason(self) -> str:
        return self.record.history_change_reason or ""

    @property
    def is_update(self) -> bool:
        return self.record.history_type == "~"


def _visible_fields(model: type[models.Model], record) -> list[models.Field]:
    tracked = {f.name for f in record.tracked_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if f.editable and not f.primary_key and f.name in tracked and f.name not in HIDDEN_FIELDS
    ]


def _format(field_: models.Field, value: Any, related: dict) -> str:
    if value is None or value == "":
        return EMPTY
    if field_.many_to_one:
        obj = related.get(field_.related_model, {}).get(value)
        return str(obj) if obj is not None else f"{value} (borttagen)"
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(field_, models.BooleanField):
        return "Ja" if value else "Nej"
    if isinstance(field_, models.DateField):  # DateTimeField included
        return format_date(value)
    if isinstance(field_, models.JSONField):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def describe(audited_model: AuditedModel, records: list, older: Any | None) -> list[ObjectChange]:
    """What each record changed, against the record before it (`older` is the one before the last record).

    Field names are the model's verbose names; values are formatted for reading (choices by label, foreign keys
    by name, Ja/Nej). Hidden fields (password) are never compared, so never shown.
    """
    model = audited_model.model
    previous = [*records[1:], older]
    raw: list[tuple[Any, bool, list[tuple[models.Field, Any, Any]]]] = []
    for record, before in zip(records, previous, strict=True):
        fields = _visible_fields(model, record)
        # A creation (or the oldest row kept) has nothing to compare with: show the values it started with.
        initial = record.history_type == "+" or before is None
        if initial:
            pairs = [(f, None, getattr(record, f.attname)) for f in fields]
            pairs = [(f, old, new) for f, old, new in pairs if new not in (None, "", [], {})]
        elif record.history_type == "-":
            pairs = []
        else:
            names = {f.name: f for f in fields}
            delta = record.diff_against(before, included_fields=list(names))
            pairs = [(names[c.field], c.old, c.new) for c in delta.changes]
            pairs.sort(key=lambda pair: fields.index(pair[0]))
        raw.append((record, initial, pairs))

    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for _record, _initial, pairs in raw:
        for f, old, new in pairs:
            if f.many_to_one:
                wanted[f.related_model].update({old, new})
    related = _fetch_related(wanted)
    return [
        ObjectChange(
            record=record,
            type_label=HISTORY_TYPES.get(record.history_type, record.history_type),
            initial=initial,
            changes=[
                FieldChange(
                    label=capfirst(str(f.verbose_name)),
                    old=None if initial else _format(f, old, related),
                    new=_format(f, new, related),
                )
                for f, old, new in pairs
            ],
        )
        for record, initial, pairs in raw
    ]


def object_label(audited_model: AuditedModel, record) -> str:
    """A readable name for the object as it was in `record` (its last known state when deleted)."""
    instance = record.history_object
    _prime_foreign_keys([instance])
    return _object_label(audited_model, instance)
