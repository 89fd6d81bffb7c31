"""Indicators of the activities beyond casework (issue 13), read through activities.queries: events and
participants (kind), sessions and attendance (group) — the figures of the report `activities` (EXCHANGE.md Part 2).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy

from opora.activities import queries
from opora.activities.rules import EventKind
from opora.indicators.registry import Param, Query, indicator

EVENT_KIND = {"kind": Param(gettext_lazy("kind of event"), tuple(str(v) for v in EventKind.values))}
GROUP = {"group": Param(gettext_lazy("group code"))}


@indicator("events", title=gettext_lazy("Events held"), params=EVENT_KIND)
def events(q: Query) -> int:
    return queries.events(q.organisation_ids, q.start, q.end, q.get("kind") or None)


@indicator("participants", title=gettext_lazy("Participants of the events"), params=EVENT_KIND)
def participants(q: Query) -> int:
    return queries.participants(q.organisation_ids, q.start, q.end, q.get("kind") or None)


@indicator("sessions", title=gettext_lazy("Sessions of the groups"), params=GROUP)
def sessions(q: Query) -> int:
    return queries.sessions(q.organisation_ids, q.start, q.end, q.get("group") or None)


@indicator("attendance", title=gettext_lazy("Attendance of the sessions"), params=GROUP)
def attendance(q: Query) -> int:
    return queries.attendance(q.organisation_ids, q.start, q.end, q.get("group") or None)


@indicator("volunteer_hours", title=gettext_lazy("Hours of volunteers' work"), unit="decimal")
def volunteer_hours(q: Query) -> Decimal:
    """Σ hours of the volunteers' work dated in the period: the report `activities`, table `volunteers`, column
    `hours` (issue 13)."""
    return queries.volunteer_hours(q.organisation_ids, q.start, q.end)
