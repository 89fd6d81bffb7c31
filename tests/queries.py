"""Reading the statements a test captured (django.test.utils.CaptureQueriesContext)."""

from __future__ import annotations

from typing import Any


def audit_writes(queries: Any) -> list[dict]:
    """The statements that wrote audit rows: an INSERT (SQLite's executemany is logged as "N times: INSERT …") or,
    on PostgreSQL, a COPY (lib.db.insert_rows)."""
    return [q for q in queries.captured_queries if '"audit_auditevent"' in q["sql"]
            and ("INSERT INTO" in q["sql"].upper() or q["sql"].lstrip().upper().startswith("COPY"))]
