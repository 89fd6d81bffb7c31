"""/api/v1/indicators: the registry of indicators, and one indicator's value for an organisation and a period.

``GET /api/v1/indicators/{name}?organisation=CODE&year=YYYY&period=q1&param=department=home&param=type=household``
(or ``start``/``end`` instead of year/period) answers the same number as ``opora indicator``. 404 for an unknown
indicator or an organisation outside the caller's scope; 422 naming a bad period or parameter.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from opora.api.v1.app import api
from opora.api.v1.common import (
    Money,
    actor_of,
    answers,
)
from opora.indicators.format import format_value
from opora.indicators.queries import organisation_for, value_for
from opora.indicators.registry import all_indicators, get_indicator
from opora.lib.errors import DomainError
from opora.lib.periods import parse_period

router = Router(tags=["indicators"])


class IndicatorParamOut(Schema):
    name: str
    help: str
    choices: list[str]


class IndicatorOut(Schema):
    name: str
    title: str
    unit: str
    params: list[IndicatorParamOut]


class IndicatorPeriodOut(Schema):
    start: str
    end: str


class IndicatorValueOut(Schema):
    indicator: str
    organisation: str
    period: IndicatorPeriodOut
    params: dict[str, str]
    unit: str
    value: int | Money
    text: str


@router.get("/indicators", response=answers(list[IndicatorOut]),
            summary="The indicators (named figures of a period) and their parameters")
def list_indicators(request: HttpRequest) -> list[dict[str, Any]]:
    actor_of(request)
    return [{"name": i.name, "title": str(i.title), "unit": i.unit,
             "params": [{"name": k, "help": str(p.help), "choices": list(p.choices)} for k, p in i.params.items()]}
            for i in all_indicators()]


def _unprocessable(request: HttpRequest, field: str | None, message: str) -> HttpResponse:
    return api.create_response(request, {"detail": [
        {"loc": ["query", field] if field else ["query"], "msg": message, "type": "value_error"}]}, status=422)


@router.get("/indicators/{name}", response=answers(IndicatorValueOut),
            summary="One indicator's value for an organisation and a period")
def get_indicator_value(request: HttpRequest, name: str, organisation: str, year: str = "", period: str = "",
                        start: str = "", end: str = "",
                        param: list[str] = Query([])) -> HttpResponse | dict[str, Any]:  # noqa: B008
    actor = actor_of(request)
    try:
        ind = get_indicator(name)
    except DomainError:
        raise Http404("unknown indicator") from None
    org = organisation_for(actor, organisation)
    try:
        span = parse_period({"year": year, "period": period, "start": start, "end": end})
        params: dict[str, str] = {}
        for pair in param:
            key, sep, text = pair.partition("=")
            if not sep:
                raise DomainError(_("«%(pair)s» is not KEY=VALUE.") % {"pair": pair}, field="param")
            params[key.strip()] = text.strip()
        value = value_for(actor, ind.name, org, span.start, span.end, params)
    except DomainError as exc:
        return _unprocessable(request, exc.field, exc.message)
    return {"indicator": ind.name, "organisation": org.code,
            "period": {"start": span.start.isoformat(), "end": span.end.isoformat()}, "params": params,
            "unit": ind.unit, "value": value, "text": format_value(value, ind.unit)}
