"""Database helpers shared by the bulk writers (the exchange import and the demo builder)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

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
