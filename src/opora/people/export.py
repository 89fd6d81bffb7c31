"""The recipient list as XLSX: what the filtered list shows, one row per person, laid out as the reports' tables
(lib/xlsx.list_workbook: columns fitted, landscape, the header row repeated on every printed page)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext as _

from opora.audit.log import log_event
from opora.audit.models import EventType
from opora.documents.http import xlsx_response
from opora.lib import xlsx
from opora.people.models import Recipient


def recipients_xlsx(qs: QuerySet[Recipient], *, actor, organisation) -> HttpResponse:
    headings = [_("Last name"), _("First name"), _("Patronymic"), _("Sex"), _("Birth date"), _("SNILS"),
                _("Settlement"), _("Sector"), _("Address"), _("Phone"), _("Categories"), _("Departments"),
                _("Status")]
    rows = ([r.last_name, r.first_name, r.patronymic, r.get_sex_display(), r.birth_date, r.snils_display,
             r.settlement.name if r.settlement else "", r.get_sector_display(), r.address, r.phone,
             ", ".join(c.label for c in r.categories.all()),
             ", ".join(e.department.name for e in getattr(r, "open_enrolments", [])), r.get_status_display()]
            for r in qs.iterator(chunk_size=2000))
    data, count = xlsx.list_workbook(_("Recipients"), headings, rows)
    log_event(actor=actor, event_type=EventType.EXPORTED, obj=organisation, organisation_id=organisation.pk,
              changes={"recipients": [None, count]})
    return xlsx_response(data, "recipients")
