"""The report as data (EXCHANGE.md, "Reports as data")::

    {"report": "annual", "organisation": "CODE", "period": {"start": "2020-01-01", "end": "2020-12-31"},
     "tables": {"TABLE_ID": {"title": "…", "columns": ["field", …], "rows": [{"key": "…", "field": 0, …}]}},
     "labels": {...}, "charts": [...]}

Counts are JSON integers; money, percentages and other decimals are JSON numbers written with two decimals
(``116.92``, ``1234.50``), rounded half-up; an empty cell is null. ``labels`` carries the translated titles
(document, period, column headings, row names); ``charts`` the charts' data.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from opora.lib.money_json import dumps, two_decimals
from opora.reports.model import Kind, ReportDocument, Value


def _value(value: Value, kind: Kind) -> Any:
    if value is None or isinstance(value, str):
        return value
    if kind in ("int", "decimal") and isinstance(value, int):
        return int(value)  # a count in a mixed column (e.g. services beside income) stays an integer
    if kind == "text":
        return str(value)
    return two_decimals(value)


def _chart_value(value: int | Decimal) -> Any:
    return int(value) if isinstance(value, int) else two_decimals(value)


def to_data(doc: ReportDocument, *, marked: bool = False) -> dict[str, Any]:
    """The JSON document as Python data; decimals as floats (or, ``marked``, as the ``Decimal`` values that
    :func:`render` writes with two decimals through the one money encoder, :mod:`opora.lib.money_json`)."""
    tables: dict[str, Any] = {}
    table_labels: dict[str, Any] = {}
    for table in doc.tables().values():
        rows = []
        for row in table.rows:
            item: dict[str, Any] = {"key": row.key}
            for col in table.columns:
                item[col.field] = _value(row.values.get(col.field), col.kind)
            rows.append(item)
        tables[table.id] = {"title": table.title, "columns": [c.field for c in table.columns], "rows": rows}
        table_labels[table.id] = {
            "label_heading": table.label_heading,
            "columns": {c.field: c.label for c in table.columns},
            "kinds": {c.field: c.kind for c in table.columns},
            "rows": {r.key: r.label for r in table.rows},
            "totals": [r.key for r in table.rows if r.is_total],
            "note": table.note,
        }
    data = {
        "report": doc.report_id,
        "organisation": doc.organisation_code,
        "period": {"start": doc.period.start.isoformat(), "end": doc.period.end.isoformat()},
        "tables": tables,
        "labels": {
            "title": doc.title,
            "organisation": doc.organisation_name,
            "period": doc.period.label,
            "previous_period": doc.previous_period.label if doc.previous_period else None,
            "tables": table_labels,
            "notes": list(doc.notes),
        },
        "charts": [
            {"id": c.id, "title": c.title, "kind": c.kind, "categories": list(c.categories),
             "series": [{"name": s.name, "values": [_chart_value(v) for v in s.values]} for s in c.series]}
            for c in doc.charts()
        ],
    }
    if doc.previous_period:
        data["previous_period"] = {"start": doc.previous_period.start.isoformat(),
                                   "end": doc.previous_period.end.isoformat()}
    return data if marked else json.loads(render(doc))


def render(doc: ReportDocument) -> bytes:
    return dumps(to_data(doc, marked=True), compact=True).encode("utf-8")
