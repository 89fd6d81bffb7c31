"""Report pages: choose a report, an organisation, a period and a format; preview as HTML; download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from opora.accounts.middleware import get_actor
from opora.core.context import current_organisation
from opora.lib.periods import PERIOD_CODES, Period, PeriodError
from opora.reports import params as report_params
from opora.reports.registry import available_generators, build_report, report_organisations
from opora.reports.render import FORMATS, report_response
from opora.reports.render.html import fragment


def _period_choices(year: int) -> list[tuple[str, str]]:
    return [(code, Period.from_code(year, code).label()) for code in PERIOD_CODES]


@login_required
def index(request):
    actor = get_actor(request)
    organisations = report_organisations(actor)
    if not organisations:
        raise PermissionDenied
    org = current_organisation(request)
    if org not in organisations:
        org = organisations[0]
    generators = available_generators(actor, org)
    today = timezone.localdate()
    q = request.GET
    chosen = {
        "report": q.get("report") or (generators[0].id if generators else ""),
        "organisation": q.get("organisation") or org.code,
        "year": q.get("year") or str(today.year - 1 if today.month < 12 else today.year),
        "period": q.get("period") or "year",
        "start": q.get("start", ""), "end": q.get("end", ""),
    }
    preview, error, error_field, query = "", "", "", ""
    if "report" in q:
        try:
            req = report_params.parse_request(chosen["report"], {**chosen, "format": "html"}, actor)
        except PeriodError as exc:
            error, error_field = exc.message, exc.field or ""
        else:
            doc = build_report(req.generator.id, req.organisations, req.period, actor=actor, options=req.options)
            preview = fragment(doc)
            query = urlencode({k: v for k, v in chosen.items() if v})
    try:
        year = int(chosen["year"])
    except ValueError:
        year = today.year
    return render(request, "reports/index.html", {
        "generators": generators, "organisations": organisations, "chosen": chosen,
        "periods": _period_choices(year), "formats": [f for f in FORMATS if f != "html"],
        "preview": preview, "error": error, "error_field": error_field, "query": query,
        "consolidated": len(organisations) > 1,
    })


@login_required
def download(request, report_id: str, fmt: str):
    actor = get_actor(request)
    if fmt not in FORMATS:
        raise Http404
    try:
        req = report_params.parse_request(report_id, {**request.GET.dict(), "format": fmt}, actor)
    except PeriodError as exc:
        return HttpResponseBadRequest(f"{exc.field}: {exc.message}" if exc.field else exc.message)
    doc = build_report(req.generator.id, req.organisations, req.period, actor=actor, options=req.options)
    return report_response(doc, fmt, attachment=True)
