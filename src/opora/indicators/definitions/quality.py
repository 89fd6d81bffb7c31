"""Indicators of quality and staff development (issue 15), read through quality.queries: complaints,
respondents, satisfied_pct, publications, trained — the figures of the report `quality` (EXCHANGE.md Part 2)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.indicators.registry import Param, Query, indicator
from opora.lib.errors import DomainError
from opora.org.models import Department
from opora.quality import queries
from opora.quality.models import PublicationKind

SURVEY = Param(gettext_lazy("survey code"))


@indicator("complaints", title=gettext_lazy("Complaints received"))
def complaints(q: Query) -> int:
    return queries.complaints(q.organisation_ids, q.start, q.end)


@indicator("respondents", title=gettext_lazy("Survey respondents"), params={"survey": SURVEY})
def respondents(q: Query) -> int:
    return queries.respondents(q.organisation_ids, q.start, q.end, q.get("survey") or None)


@indicator("satisfied_pct", title=gettext_lazy("Respondents satisfied overall, %"), unit="percent",
           params={"survey": SURVEY})
def satisfied_pct(q: Query) -> Decimal:
    """The share of the responses answering «satisfied overall» with yes; 0 when no response answers it."""
    value = queries.satisfied_pct(q.organisation_ids, q.start, q.end, q.get("survey") or None)
    return value if value is not None else Decimal("0")


@indicator("publications", title=gettext_lazy("Publications"), params={
    "kind": Param(gettext_lazy("kind of publication"), tuple(str(v) for v in PublicationKind.values))})
def publications(q: Query) -> int:
    return queries.publications(q.organisation_ids, q.start, q.end, q.get("kind") or None)


@indicator("trained", title=gettext_lazy("Staff who improved their qualification"))
def trained(q: Query) -> int:
    return queries.trained(q.organisation_ids, q.start, q.end)


@indicator("quality_checks", title=gettext_lazy("Internal quality checks"), params={
    "state": Param(gettext_lazy("done (the default), planned or with_findings"), ("done", "planned", "with_findings")),
    "department": Param(gettext_lazy("department code"))})
def quality_checks(q: Query) -> int:
    """Checks done in the period (or planned in it, or done with findings), as the table `quality_checks` of the
    report `quality` counts them; a department's row when `department` is given."""
    department = q.get("department") or None
    if department and not Department.objects.filter(organisation_id__in=q.organisation_ids,
                                                    code=department).exists():
        raise DomainError(_("Unknown department «%(code)s».") % {"code": department}, field="department")
    return queries.quality_checks(q.organisation_ids, q.start, q.end, state=q.get("state") or "done",
                                  department=department)
