"""Database helpers shared by the bulk writers (the exchange import and the demo builder), and `in_background` (a
report's heavy query on a second connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection, connections, models

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
    only a killed process may leave the fresh file unusable). Both are set back afterwards (WAL, the connection's
    previous synchronous). Nothing on other databases, nor inside a transaction (SQLite refuses both there)."""
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
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if fresh and journal.lower() == "wal":
                cursor.execute(f"PRAGMA journal_mode = {journal}")
            cursor.execute(f"PRAGMA synchronous = {synchronous}")


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]],
                chunk: int = 5000) -> None:
    """INSERT rows of a model's fields `names` (values as on the model's instances: a foreign key's `<name>_id`)
    without making model instances: each value prepared by its field for the database (`get_db_prep_save`, as
    `bulk_create` does), executemany in chunks. No `save()`, no signals, no defaults: the caller gives every field
    that has no database default, auto_now_add ones included; the rows' keys are not returned."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)  # type: ignore[union-attr]
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    # A column's values repeat (the organisation, the month, the time, the amounts): each distinct value (of its type)
    # is prepared once; a value that cannot be a key (JSON's dicts) every time.
    prepared: list[dict[tuple[type, Any], Any]] = [{} for _f in fields]
    prepare = [f.get_db_prep_save for f in fields]  # type: ignore[union-attr]

    def value(i: int, v: Any) -> Any:
        if v is None:
            return None
        if isinstance(v, dict | list):
            return prepare[i](v, connection)
        key = (v.__class__, v)
        done = prepared[i].get(key, prepared)
        if done is prepared:
            done = prepared[i][key] = prepare[i](v, connection)
        return done

    width = range(len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            cursor.executemany(sql, [[value(i, row[i]) for i in width] for row in rows[start:start + chunk]])


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
