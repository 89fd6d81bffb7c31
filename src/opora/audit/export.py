"""The audit of one organisation for a period, as CSV or XLSX: for the data-protection officer.

One row per audit event (changes, card openings, list reads, exports, logins), oldest first. Text cells that a
spreadsheet would take for a formula are written with a leading apostrophe (CSV) or as text cells with the quote
prefix (XLSX), both by opora.lib.xlsx.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.audit.models import AuditEvent
from opora.lib import xlsx

FORMATS = ("csv", "xlsx")


def events_for_period(organisation_id: int, start: datetime.date, end: datetime.date) -> QuerySet[AuditEvent]:
    """Events of the organisation from ``start`` to ``end`` inclusive (local days), oldest first."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return (AuditEvent.objects.filter(organisation_id=organisation_id, created_at__gte=since, created_at__lt=until)
            .select_related("actor").order_by("created_at", "id"))


def header() -> list[str]:
    return [_("time"), _("user"), _("event"), _("object type"), _("object id"), _("object"), _("changes")]


def rows(events: QuerySet[AuditEvent]) -> Iterator[list[str]]:
    tz = timezone.get_current_timezone()
    for e in events.iterator(chunk_size=2000):
        yield [
            e.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor.username if e.actor else "",
            str(e.get_event_type_display()),
            e.object_type,
            e.object_id,
            e.object_repr,
            json.dumps(e.changes, ensure_ascii=False, sort_keys=True) if e.changes else "",
        ]


def as_csv(events: QuerySet[AuditEvent]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header())
    for row in rows(events):
        writer.writerow([xlsx.csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(events: QuerySet[AuditEvent]) -> bytes:
    from openpyxl import Workbook  # imported when used (slow start-up)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Audit"))
    ws.append(xlsx.row(ws, header()))
    for row in rows(events):
        ws.append(xlsx.row(ws, row))  # always text, never a formula (formula-like text with the quote prefix)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def export(organisation_id: int, start: datetime.date, end: datetime.date, fmt: str) -> bytes:
    events = events_for_period(organisation_id, start, end)
    return as_xlsx(events) if fmt == "xlsx" else as_csv(events)
