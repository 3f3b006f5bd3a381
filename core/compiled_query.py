"""Run an ORM query compiled once per process: for the few queries a cached page runs on every hit.

Building and compiling a queryset costs more than running a small indexed query (measured on the anslag page:
about three quarters of a cached hit). `rows(builder, **values)` calls builder(**stand_ins) once, keeps its SQL
and parameters, and then runs that SQL with the real values in place of the stand-ins. The rows come back as the
database gives them (no model instances, no field converters): for versions and fingerprints, not for display.
The builder's SQL must not depend on the values (no `if value:` filters): write one builder per shape.

`instances(builder, **values)` does the same for a queryset of model instances (select_related included): the
SQL, the column converters and the related-object populators are worked out once, then each call runs the SQL
and builds the instances as the queryset would, through the database's own converters. For the few rows every
logged-in request reads (session, roles, the page's own row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.db import connection, connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

_FIRST_INT = -7_326_159_004
_FIRST_DATE = dt.date(1901, 1, 2)


def _stand_ins(signature: tuple[tuple[str, type], ...]) -> dict[str, object]:
    values = {}
    for index, (name, kind) in enumerate(signature):
        if kind is int:
            values[name] = _FIRST_INT - index
        elif kind is dt.date:
            values[name] = _FIRST_DATE + dt.timedelta(days=index)
        elif kind is str:
            values[name] = f"stand-in-{-_FIRST_INT}-{index}"
        else:
            raise TypeError(f"no stand-in for {kind.__name__}")
    return values


@cache
def _compiled(builder: Callable[..., QuerySet], signature: tuple[tuple[str, type], ...]):
    stand_ins = _stand_ins(signature)
    sql, params = builder(**stand_ins).query.sql_with_params()
    by_text = {str(value): name for name, value in stand_ins.items()}
    slots = [by_text.get(str(param)) for param in params]
    missing = set(stand_ins) - set(slots)
    if missing:
        raise ValueError(f"{builder.__name__}: {', '.join(sorted(missing))} not found among the parameters")
    return sql, params, slots


def _signature(values: dict) -> tuple[tuple[str, type], ...]:
    return tuple((name, type(value)) for name, value in sorted(values.items()))


def _actual(params, slots, values: dict) -> list:
    return [
        param if slot is None else (str(values[slot]) if isinstance(param, str) else values[slot])
        for param, slot in zip(params, slots, strict=True)
    ]


def _execute(sql: str, params: list) -> list[tuple]:
    if connection.vendor == "postgresql":
        return _prepared_rows(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def rows(builder: Callable[..., QuerySet], **values) -> list[tuple]:
    sql, params, slots = _compiled(builder, _signature(values))
    return _execute(sql, _actual(params, slots, values))


@cache
def _compiled_models(builder: Callable[..., QuerySet], signature: tuple[tuple[str, type], ...]):
    sql, params, slots = _compiled(builder, signature)
    queryset = builder(**_stand_ins(signature))
    compiler = queryset.query.get_compiler(using=queryset.db)
    if compiler.as_sql() != (sql, params):  # the same query compiled twice must give the same text
        raise ValueError(f"{builder.__name__}: the SQL is not stable")
    if queryset._known_related_objects or queryset._prefetch_related_lookups:
        raise ValueError(f"{builder.__name__}: prefetch_related and related managers are not supported")
    klass_info, select = compiler.klass_info, compiler.select
    fields = [column[0] for column in select[0 : compiler.col_count]]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return {
        "sql": sql,
        "params": params,
        "slots": slots,
        "db": queryset.db,
        "model": klass_info["model"],
        "init_list": [column[0].target.attname for column in select[start:end]],
        "span": (start, end),
        "converters": list(compiler.get_converters(fields).items()),
        "populators": get_related_populators(klass_info, select, queryset.db),
        "annotations": dict(compiler.annotation_col_map or {}),
    }


def _converted(found: list[tuple], converters: list, db_connection) -> list[list]:
    """Compiler.apply_converters, with this thread's connection (the plan is shared by every thread)."""
    converted = []
    for row in map(list, found):
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, db_connection)
            row[position] = value
        converted.append(row)
    return converted


def instances(builder: Callable[..., QuerySet], **values) -> list:
    """The model instances of builder(**values), as list(queryset) would give them, from SQL compiled once."""
    plan = _compiled_models(builder, _signature(values))
    found = _execute(plan["sql"], _actual(plan["params"], plan["slots"], values))
    if plan["converters"]:
        found = _converted(found, plan["converters"], connections[plan["db"]])
    model, init_list, (start, end), db = plan["model"], plan["init_list"], plan["span"], plan["db"]
    objects = []
    for row in found:
        obj = model.from_db(db, init_list, row[start:end])
        for populator in plan["populators"]:
            populator.populate(row, obj)
        for name, position in plan["annotations"].items():
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects


# Django opens its psycopg connections with prepare_threshold=None, which turns prepared statements off even for
# execute(prepare=True). A threshold no query count ever reaches turns them on for prepare=True only: Django's
# own (client-side binding) cursors never prepare anything.
_ONLY_WHEN_ASKED = 2**31 - 1


def _prepared_rows(sql: str, params: list) -> list[tuple]:
    """On PostgreSQL, a server-side prepared statement: planning a version query costs more than running it,
    and Django's client-side cursors plan every execution anew. The statement lives as long as the (persistent,
    CONN_MAX_AGE) connection. DB_PREPARED_STATEMENTS=false (for a pgbouncer in transaction mode that does not
    keep prepared statements) runs the same SQL through Django's cursor instead."""
    import psycopg

    if not settings.PARAGRAF.get("PREPARED_STATEMENTS", True):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with connection.cursor():  # connects, and keeps Django's bookkeeping (health checks, queries log) going
        pass
    raw = connection.connection
    if raw.prepare_threshold is None:
        raw.prepare_threshold = _ONLY_WHEN_ASKED
    with psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()
