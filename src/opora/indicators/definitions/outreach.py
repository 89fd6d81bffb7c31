"""Indicators of the mobile brigade and the day-stay shifts (issue 13), read through activities.queries — the
figures of the report's tables `mobile_brigade` and `day_stay_shifts` (EXCHANGE.md Part 2)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from opora.activities import queries
from opora.indicators.registry import Query, indicator


@indicator("brigade_trips", title=gettext_lazy("Trips of the mobile brigade"))
def brigade_trips(q: Query) -> int:
    return queries.brigade_figures(q.organisation_ids, q.start, q.end)["trips"]


@indicator("brigade_people", title=gettext_lazy("People served by the mobile brigade"))
def brigade_people(q: Query) -> int:
    return queries.brigade_figures(q.organisation_ids, q.start, q.end)["people"]


@indicator("brigade_services", title=gettext_lazy("Services delivered by the mobile brigade"))
def brigade_services(q: Query) -> int:
    return queries.brigade_figures(q.organisation_ids, q.start, q.end)["services"]


@indicator("day_stay_shifts", title=gettext_lazy("Day-stay shifts"))
def day_stay_shifts(q: Query) -> int:
    return queries.shift_figures(q.organisation_ids, q.start, q.end)["shifts"]


@indicator("day_stay_people", title=gettext_lazy("People enrolled for day-stay shifts"))
def day_stay_people(q: Query) -> int:
    return queries.shift_figures(q.organisation_ids, q.start, q.end)["people"]
