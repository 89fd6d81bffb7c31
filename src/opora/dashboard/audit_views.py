"""The audit export page for the director and the deputy (the data-protection role): a period, a format, a file."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.roles import Perm
from opora.audit import export
from opora.audit.log import log_event
from opora.audit.models import EventType
from opora.core.context import actor_and_org
from opora.core.forms import DateInput


class AuditExportForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("From"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("To"), widget=DateInput())
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")])

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.VIEW_ACCESS_HISTORY)
    today = timezone.localdate()
    form = AuditExportForm(request.GET or None, initial={"start": today.replace(day=1), "end": today,
                                                          "format": "xlsx"})
    if request.GET and form.is_valid():
        start, end, fmt = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["format"]
        data = export.export(org.pk, start, end, fmt)
        log_event(actor=actor, event_type=EventType.EXPORTED, obj=org, organisation_id=org.pk,
                  changes={"audit": [start.isoformat(), end.isoformat()]})
        content_type = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
                        else "text/csv; charset=utf-8")
        response = HttpResponse(data, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="audit-{org.code}-{start}-{end}.{fmt}"'
        return response
    return render(request, "dashboard/audit_export.html", {"form": form})
