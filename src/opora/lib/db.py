"""Writing rows without model instances: the bulk writers' (the import, the demo, the charges) and the audit's."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models


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
    columns = ", ".join(quote(str(f.column)) for f in fields)  # type: ignore[union-attr]
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    converters = [_converter(f) for f in fields]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            values = [[convert(v) for convert, v in zip(converters, row, strict=True)]
                      for row in rows[start:start + chunk]]
            if connection.vendor != "postgresql":
                cursor.executemany(sql, values)
                continue
            copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            began = time.monotonic()
            with cursor.cursor.copy(copy_sql) as copy:
                for row in values:
                    copy.write_row(row)
            if connection.queries_logged:
                connection.queries_log.append({"sql": f"{copy_sql} -- {len(values)} rows",
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
