"""Database helpers shared by the bulk writers (the exchange import and the demo builder), and `in_background` (a
report's heavy query on a second connection). Rows are written by `opora.lib.db.insert_rows`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection, connections, models

from opora.lib.db import insert_rows

T = TypeVar("T")

# 256 MB, in SQLite's negative-KiB form.
BIG_CACHE_KIB = 262144


@contextmanager
def sqlite_big_cache() -> Iterator[None]:
    """On SQLite, a 256 MB page cache while a bulk write runs: the journal and its nine indexes do not fit in the
    default 64 MB, and every page evicted is written twice. Restored afterwards; nothing on other databases."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{BIG_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


@contextmanager
def sqlite_build_mode(*, fresh: bool) -> Iterator[None]:
    """On SQLite, for a large build outside any transaction (`opora demo`): no fsync while it runs
    (`synchronous = OFF`: a crash of the process loses nothing committed, only a crash of the machine could), and on
    a `fresh` database — one holding nothing but what the build makes, rebuilt from scratch when a build fails — the
    rollback journal in memory instead of the write-ahead log (`journal_mode = MEMORY`: the pages are written once,
    into the database, instead of into the log and then again into the database; an exception still rolls back,
    only a killed process may leave the fresh file unusable) and no foreign key looked up on every row written
    (`foreign_keys = OFF`: ≈3 s of the demo's 1.8 million journal lines; the builder makes every key from rows it
    has just saved, as the journal's `own_keys` on PostgreSQL, and the tests build the demo with the checks on, since
    inside their transactions this mode does nothing). All are set back afterwards (WAL, the connection's previous
    synchronous, foreign keys on). Nothing on other databases, nor inside a transaction (SQLite refuses them there)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA journal_mode")
        journal = str(cursor.fetchone()[0])
        cursor.execute("PRAGMA synchronous = OFF")
        if fresh and journal.lower() == "wal":
            cursor.execute("PRAGMA journal_mode = MEMORY")
        cursor.execute("PRAGMA foreign_keys")
        foreign_keys = int(cursor.fetchone()[0])
        if fresh:
            cursor.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if fresh and journal.lower() == "wal":
                cursor.execute(f"PRAGMA journal_mode = {journal}")
            cursor.execute(f"PRAGMA synchronous = {synchronous}")
            cursor.execute(f"PRAGMA foreign_keys = {foreign_keys}")


def reserve_keys(model: type[models.Model], count: int) -> Sequence[int]:
    """`count` new primary keys of `model`'s table, given before the rows are written (the rows that point at them
    can then be made at once). PostgreSQL: drawn from the key's sequence (unique whoever else inserts). SQLite: the
    numbers after the larger of the table's largest key and its AUTOINCREMENT counter (keys of deleted rows are not
    reused, as SQLite itself does not), the counter moved past them first, which takes the database's write lock
    for the rest of the transaction (call it inside one)."""
    if count <= 0:
        return range(0)
    table, column = model._meta.db_table, str(model._meta.pk.column)  # type: ignore[union-attr]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [quote(table), column, count])
            return [int(row[0]) for row in cursor.fetchall()]
        # one statement: the counter moved past the larger of itself and the largest key, which takes the write lock
        largest = f"(SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)})"
        cursor.execute(f"UPDATE sqlite_sequence SET seq = MAX(seq, {largest}) + %s WHERE name = %s RETURNING seq",
                       [count, table])
        row = cursor.fetchone()
        if row is None:  # no row was ever inserted into the table: SQLite has no counter for it yet
            cursor.execute(f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, {largest} + %s RETURNING seq",
                           [table, count])
            row = cursor.fetchone()
        first = int(row[0]) - count + 1
    return range(first, first + count)


def insert_objects(model: type[models.Model], objs: Sequence[models.Model], chunk: int = 5000) -> None:
    """Save new instances of `model` as `bulk_create` does (no `save()`, no signals), faster: every instance without
    a key gets one first (`reserve_keys`), a foreign key held as an object takes that object's key, `auto_now(_add)`
    dates are set, and the rows go in through `insert_rows` (each distinct value prepared once) instead of Django's
    compiled multi-row INSERTs. The instances are then as if loaded from the database."""
    if not objs:
        return
    meta = model._meta
    if meta.parents:
        raise ValueError(f"{meta.label}: insert_objects does not save inherited models")
    fields = list(meta.concrete_fields)
    pk = meta.pk
    assert pk is not None
    relations = [f for f in fields if f.is_relation]
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    keyless = [o for o in objs if o.pk is None]
    for obj, key in zip(keyless, reserve_keys(model, len(keyless)), strict=True):
        setattr(obj, pk.attname, key)
    db = connection.alias
    rows = []
    for obj in objs:
        for f in relations:
            if getattr(obj, f.attname) is None and f.is_cached(obj):  # type: ignore[attr-defined]
                related = f.get_cached_value(obj)  # type: ignore[attr-defined]
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{meta.label}.{f.name}: the object it points at has not been saved")
                    setattr(obj, f.attname, related.pk)
        for f in stamped:
            f.pre_save(obj, add=True)
        obj._state.adding, obj._state.db = False, db
        rows.append([getattr(obj, f.attname) for f in fields])
    insert_rows(model, [f.attname for f in fields], rows, chunk)


def in_background(fn: Callable[..., T], *args: Any) -> Callable[[], T]:
    """Start `fn(*args)` — database reads — on a thread of its own with its own connection, and return a function
    that waits for its result (or raises its exception). For a report's heavy independent query, so that PostgreSQL
    runs it on the second core while the report's other queries run on the first.

    Only on PostgreSQL outside any transaction: in autocommit every query already sees the data committed when it
    starts, on whichever connection it runs, so a second connection reads what the first would have. Inside a
    transaction (a test's, or a caller's `atomic`) another connection would not see its uncommitted rows, and SQLite
    serialises its connections anyway: there `fn` runs at once, here. The thread's connection is closed when `fn`
    returns."""
    box: dict[str, Any] = {}

    def run(close: bool) -> None:
        try:
            box["value"] = fn(*args)
        except Exception as exc:  # handed to the caller by result(), as from the thread
            box["error"] = exc
        finally:
            if close:
                connections.close_all()  # this thread's connections only

    thread = None
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        run(close=False)
    else:
        thread = threading.Thread(target=run, args=(True,), name="db-background", daemon=True)
        thread.start()

    def result() -> T:
        if thread is not None:
            thread.join()
        if "error" in box:
            raise box["error"]
        return box["value"]

    return result
