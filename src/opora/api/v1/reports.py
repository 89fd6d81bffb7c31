"""/api/v1/reports: the reports the caller may build, and a report in any format.

``GET /api/v1/reports/{id}?organisation=CODE&year=YYYY&period=year|q1..q4|h1|h2|9m|m01..m12&format=json``
(or ``start=YYYY-MM-DD&end=YYYY-MM-DD`` instead of year/period; ``organisation`` may list several codes separated
by commas or be ``all`` for a consolidated report). JSON is returned as JSON (EXCHANGE.md, "Reports as data"),
the other formats as file downloads. 404 for an unknown report or an organisation outside the caller's scope,
422 naming the bad parameter.
"""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from opora.api.v1.app import api
from opora.api.v1.common import ONLY_401, Money, actor_of, answers
from opora.lib.periods import PeriodError
from opora.reports.params import parse_request
from opora.reports.registry import all_generators, build_report, report_organisations
from opora.reports.render import report_response

router = Router(tags=["reports"])


class ReportOut(Schema):
    id: str
    title: str
    organisations: list[str]


class ReportPeriodOut(Schema):
    start: str
    end: str


class ReportTableOut(Schema):
    title: str
    columns: list[str]
    rows: list[dict[str, str | int | Money | None]] = Field(
        description="One object per row: its `key`, then a value per column (integers for counts, numbers with "
                    "two decimals for money and percentages, null for an empty cell).")


class ReportChartSeriesOut(Schema):
    name: str
    values: list[int | Money]


class ReportChartOut(Schema):
    id: str
    title: str
    kind: str
    categories: list[str]
    series: list[ReportChartSeriesOut]


class ReportTableLabelsOut(Schema):
    label_heading: str
    columns: dict[str, str] = Field(description="Column field → its translated heading.")
    kinds: dict[str, Literal["text", "int", "money", "percent", "decimal"]]
    rows: dict[str, str] = Field(description="Row key → its translated name.")
    totals: list[str] = Field(description="The keys of the total rows.")
    note: str


class ReportLabelsOut(Schema):
    title: str
    organisation: str
    period: str
    previous_period: str | None
    tables: dict[str, ReportTableLabelsOut]
    notes: list[str]


class ReportDataOut(Schema):
    """A report as data (EXCHANGE.md, "Reports as data"); the other formats are files."""

    report: str
    organisation: str | None
    period: ReportPeriodOut
    previous_period: ReportPeriodOut | None = None
    tables: dict[str, ReportTableOut]
    labels: ReportLabelsOut
    charts: list[ReportChartOut]


@router.get("/reports", response=answers(list[ReportOut], errors=ONLY_401),
            summary="The reports the caller may build, and where")
def list_reports(request: HttpRequest) -> list[dict[str, Any]]:
    actor = actor_of(request)
    orgs = report_organisations(actor)
    result = []
    for g in all_generators():
        codes = [o.code for o in orgs if g.is_available_to(actor, o)]
        if codes:
            result.append({"id": g.id, "title": str(g.title), "organisations": codes})
    return result


@router.get("/reports/{report_id}", response=answers(ReportDataOut),
            summary="A report as JSON, or as a DOCX/XLSX/PDF/HTML file")
def get_report(request: HttpRequest, report_id: str, organisation: str = "", year: str = "", period: str = "",
               start: str = "", end: str = "", plan: str = "",
               format: str = "json") -> HttpResponse:  # noqa: A002 — the parameter's public name
    actor = actor_of(request)
    params = {"organisation": organisation, "year": year, "period": period, "start": start, "end": end,
              "format": format, "plan": plan}
    try:
        req = parse_request(report_id, params, actor)
    except PeriodError as exc:
        return api.create_response(request, {"detail": [
            {"loc": ["query", exc.field] if exc.field else ["query"], "msg": exc.message, "type": "value_error"}]},
            status=422)
    doc = build_report(req.generator.id, req.organisations, req.period, actor=actor, options=req.options)
    return report_response(doc, req.format)
