"""Do two SQLite databases hold the same rows? (a speed change to a builder must not change what it builds)

    python benchmarks/same_rows.py A/opora.sqlite3 B/opora.sqlite3

Every table of A, its rows ordered by their first column, hashed without the columns that hold a moment (creation,
update, login, applied) or a secret (passwords, sessions); prints the tables that differ and their row counts.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys

SKIPPED = ("created", "updated", "_at", "last_login", "password", "applied", "timestamp", "session", "joined",
           "expire")


def digest(con: sqlite3.Connection, table: str, columns: list[str]) -> tuple[int, bytes]:
    h, n = hashlib.md5(), 0
    quoted = ", ".join(f'"{c}"' for c in columns)
    for row in con.execute(f'SELECT {quoted} FROM "{table}" ORDER BY 1'):
        h.update(repr(row).encode())
        n += 1
    return n, h.digest()


def main() -> int:
    a, b = (sqlite3.connect(path) for path in sys.argv[1:3])
    tables = [r[0] for r in a.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                      "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    differ = 0
    for table in tables:
        columns = [r[1] for r in a.execute(f'PRAGMA table_info("{table}")')
                   if not any(s in r[1] for s in SKIPPED)]
        if not columns:
            continue
        (na, ha), (nb, hb) = digest(a, table, columns), digest(b, table, columns)
        if ha != hb:
            differ += 1
            print(f"differs: {table} ({na} rows against {nb})")
    print(f"{len(tables)} tables, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
