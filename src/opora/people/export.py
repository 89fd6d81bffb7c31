"""The recipient list as XLSX: what the filtered list shows, one row per person."""

from __future__ import annotations

import io

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.audit.log import log_event
from opora.audit.models import EventType
from opora.lib import xlsx
from opora.people.models import Recipient


def recipients_xlsx(qs: QuerySet[Recipient], *, actor, organisation) -> HttpResponse:
    from openpyxl import Workbook  # imported when used: it costs ~0.5 s at start-up of every process

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Recipients"))
    ws.append(xlsx.row(ws, [_("Last name"), _("First name"), _("Patronymic"), _("Sex"), _("Birth date"), _("SNILS"),
               _("Settlement"), _("Sector"), _("Address"), _("Phone"), _("Categories"), _("Departments"),
               _("Status")]))
    count = 0
    for r in qs.iterator(chunk_size=2000):
        ws.append(xlsx.row(ws, [  # every string as text, never a formula
            r.last_name, r.first_name, r.patronymic, r.get_sex_display(), r.birth_date, r.snils_display,
            r.settlement.name if r.settlement else "", r.get_sector_display(), r.address, r.phone,
            ", ".join(c.label for c in r.categories.all()),
            ", ".join(e.department.name for e in getattr(r, "open_enrolments", [])), r.get_status_display(),
        ]))
        count += 1
    buffer = io.BytesIO()
    wb.save(buffer)
    log_event(actor=actor, event_type=EventType.EXPORTED, obj=organisation, organisation_id=organisation.pk,
              changes={"recipients": [None, count]})
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="recipients-{stamp}.xlsx"'
    return response
