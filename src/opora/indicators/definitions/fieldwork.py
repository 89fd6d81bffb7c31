"""Indicators of field work (issue 14): visits (kind), read through fieldwork.queries.visit_facts — the figures
of the report `field_work`, table `visits`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from opora.fieldwork import queries
from opora.fieldwork.rules import VisitKind
from opora.indicators.registry import Param, Query, indicator


@indicator("visits", title=gettext_lazy("Visits"), params={
    "kind": Param(gettext_lazy("kind of visit"), tuple(str(v) for v in VisitKind.values))})
def visits(q: Query) -> int:
    kind = q.get("kind")
    return sum(1 for f in queries.visit_facts(q.organisation_ids, q.start, q.end) if not kind or f.kind == kind)
