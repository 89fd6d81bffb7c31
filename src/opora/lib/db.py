"""Writing rows without model instances: the bulk writers' (the import, the demo, the charges) and the audit's;
and reading the hottest queries without compiling them again (`run_prepared`)."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Hashable, Sequence
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import QuerySet


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]],
                chunk: int = 5000) -> None:
    """INSERT rows of a model's fields `names` (values as on the model's instances: a foreign key's `<name>_id`)
    without making model instances: each value prepared by its field for the database (`get_db_prep_save`, as
    `bulk_create` does); on PostgreSQL by COPY, elsewhere by executemany, in chunks. No `save()`, no signals, no
    defaults: the caller gives every field that has no database default, auto_now_add ones included; the rows' keys
    are not returned. In the caller's transaction, or each chunk a statement of its own.

    COPY (issue 18): the audit of a page's reads (audit.log.log_read) took 2–3 ms of CPU for 30 people through
    `bulk_create` (model instances, arrays prepared for its UNNEST), 0.4–0.6 ms this way. Django does not see a COPY
    as a query: it is logged here as one where Django logs queries (DEBUG, CaptureQueriesContext)."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in fields)  # type: ignore[union-attr]
    copying = connection.vendor == "postgresql"
    sql = (f"COPY {table} ({columns}) FROM STDIN" if copying
           else f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})")
    converters = [_converter(f) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            values = [[convert(v) for convert, v in zip(converters, row, strict=True)]
                      for row in rows[start:start + chunk]]
            if not copying:
                cursor.executemany(sql, values)
                continue
            began = time.monotonic()
            with cursor.cursor.copy(sql) as copy:
                for row in values:
                    copy.write_row(row)
            if connection.queries_logged:
                connection.queries_log.append({"sql": f"{sql} -- {len(values)} rows",
                                               "time": f"{time.monotonic() - began:.3f}"})


#: the Python type a field's database value already has, for the fields whose preparation (`get_db_prep_save`) gives
#: such a value back unchanged: keys and whole numbers, texts, yes/no
_PLAIN = {"AutoField": int, "BigAutoField": int, "SmallAutoField": int, "IntegerField": int,
          "BigIntegerField": int, "SmallIntegerField": int, "PositiveIntegerField": int,
          "PositiveBigIntegerField": int, "PositiveSmallIntegerField": int, "CharField": str, "TextField": str,
          "BooleanField": bool}


def _converter(field: Any) -> Callable[[Any], Any]:
    """A column's values as the database takes them, as `bulk_create` prepares them (`get_db_prep_save`): a value
    already of the column's plain type as it is; otherwise each distinct value (of its type) prepared once, since a
    column's values repeat (the organisation, the month, the time, the amounts); a value that cannot be a key
    (JSON's dicts) every time."""
    target = field.target_field if field.is_relation else field
    plain = _PLAIN.get(target.get_internal_type(), NotImplemented)
    prepare = field.get_db_prep_save
    prepared: dict[tuple[type, Any], Any] = {}

    def convert(v: Any) -> Any:
        if v is None or v.__class__ is plain:
            return v
        if isinstance(v, dict | list):
            return prepare(v, connection)
        key = (v.__class__, v)
        done = prepared.get(key, prepared)
        if done is prepared:
            done = prepared[key] = prepare(v, connection)
        return done

    return convert


# --- a query compiled once ------------------------------------------------------------------------------------------

#: The queries kept compiled per database connection (each thread has its own): at most this many shapes each.
PREPARED_LIMIT = 512
_MARKERS: dict[type, Callable[[int], Any]] = {
    int: lambda i: -987_654_321 - i,
    datetime.date: lambda i: datetime.date(1, 1, 2 + i),
}


def run_prepared(key: Hashable, build: Callable[..., QuerySet[Any]], *values: Any) -> list[Any]:
    """``list(build(*values))``, without building and compiling the query again each time (issue 18).

    The hottest reads (the actor's memberships on every request, a social worker's caseload on most of their
    pages) are built of conditions that Django turns into SQL in Python on every call: 0.6 and 1.7 ms of the
    CPU of a request, more than running them. Here the query is built once per ``key`` and database connection,
    with a marker for each of ``values`` (an int or a date, never None), and compiled; later calls put their
    values where the markers are and let Django turn the rows into model instances with their ``select_related``
    objects, as a queryset would. ``key`` must name everything else ``build`` depends on (the actor's grants, the
    organisation …). Before a shape is kept, it is compiled with the caller's values too and must give the same
    SQL with those values in the markers' places (else that shape is never kept: ``build`` runs as a queryset
    every time); a value of another type, or None, is run as a queryset. Querysets with ``prefetch_related``,
    ``values()`` or ``only()``-like projections are not supported (refused when kept)."""
    if any(v is None or type(v) not in _MARKERS for v in values):
        return list(build(*values))
    db = connections[DEFAULT_DB_ALIAS]  # this thread's connection (`connection` is a proxy shared by the threads)
    kept: dict[Hashable, _Kept | None] = db.__dict__.setdefault("_opora_prepared", {})
    full_key = (key, tuple(type(v) for v in values))
    if full_key in kept:
        entry = kept[full_key]
    else:
        entry = kept[full_key] = _prepare(db, build, values)
        if len(kept) > PREPARED_LIMIT:
            kept.pop(next(iter(kept)))  # the oldest shape
    if entry is None:  # a shape whose SQL depends on its values: never kept
        return list(build(*values))
    params = list(entry.params)
    for index, position in entry.positions:
        params[position] = _adapt(db, values[index])
    with db.cursor() as cursor:
        cursor.execute(entry.sql, params)
        rows = cursor.fetchall()
    compiler = entry.compiler
    model, (start, end) = compiler.klass_info["model"], entry.fields
    objects = []
    for row in compiler.results_iter([rows]):  # the rows' values converted as a queryset converts them
        obj = model.from_db(db.alias, entry.init_list, row[start:end])
        for populator in entry.populators:
            populator.populate(row, obj)
        for name, column in compiler.annotation_col_map.items():
            setattr(obj, name, row[column])
        objects.append(obj)
    return objects


class _Kept(NamedTuple):
    """A shape's compiled query, and what its ModelIterable would read from the compiler to build instances."""

    compiler: Any  # its select, klass_info, annotation_col_map and converters
    sql: str
    params: tuple[Any, ...]  # with the markers
    positions: list[tuple[int, int]]  # (the value's index, its place in params)
    fields: tuple[int, int]  # the model's own columns in a row: [start, end)
    init_list: list[str]
    populators: list[Any]  # the select_related objects'


def _adapt(db: Any, value: Any) -> Any:
    """A value as Django passes it to the database in a query's parameters (a date as text on SQLite)."""
    if type(value) is datetime.date:
        return db.ops.adapt_datefield_value(value)
    return value


def _prepare(db: Any, build: Callable[..., QuerySet[Any]], values: tuple[Any, ...]) -> _Kept | None:
    """The compiled query of a shape, or None when the markers do not stand for the values one to one."""
    from django.db.models.query import ModelIterable, get_related_populators  # type: ignore[attr-defined]

    markers = tuple(_MARKERS[type(v)](i) for i, v in enumerate(values))
    queryset = build(*markers)
    adapted = [_adapt(db, m) for m in markers]
    internals: Any = queryset  # the queryset's own state, as its ModelIterable reads it
    if (internals._iterable_class is not ModelIterable or internals._prefetch_related_lookups
            or internals._known_related_objects or queryset.query.deferred_loading[0]):
        raise ValueError("run_prepared: a plain queryset of model instances only")
    compiler = queryset.query.get_compiler(using=db.alias)
    sql, params = compiler.as_sql()
    real_sql, real_params = build(*values).query.get_compiler(using=db.alias).as_sql()
    positions = [(adapted.index(p), i) for i, p in enumerate(params) if p in adapted]
    expected = list(params)
    for index, position in positions:
        expected[position] = _adapt(db, values[index])
    if (sql != real_sql or expected != list(real_params) or compiler.klass_info is None
            or {index for index, _position in positions} != set(range(len(values)))):
        return None
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    return _Kept(compiler=compiler, sql=sql, params=tuple(params), positions=positions, fields=(start, end),
                 init_list=[column[0].target.attname for column in select[start:end]],
                 populators=get_related_populators(klass_info, select, db.alias))
