"""Reads of groups, sessions and events, scoped to the actor; and the small figures indicators ask for.

Who sees what: a grant of `view_casework` (to read) or `record_services` (to record) in an organisation; a
department-bound role (head of department, social worker) only the groups and events of its departments.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from opora.accounts.actor import Actor
from opora.accounts.roles import DEPARTMENT_ROLES, Perm
from opora.activities.models import Event, Group, GroupMember, Session, TaxiTrip
from opora.core.scoping import any_of
from opora.people.models import Recipient
from opora.people.queries import recipients_for


def scope_q(actor: Actor, perm: str, prefix: str = "") -> Q:
    """The rows of groups or events (or of what hangs on a group, with `prefix="group__"`) the actor may reach."""
    parts = []
    for g in actor.grants_with(perm):
        if g.role in DEPARTMENT_ROLES:
            parts.append(Q(**{f"{prefix}organisation_id": g.organisation_id,
                              f"{prefix}department_id__in": sorted(g.department_ids)}))
        else:
            parts.append(Q(**{f"{prefix}organisation_id": g.organisation_id}))
    return any_of(parts)


def may(actor: Actor, perm: str, organisation_id: int, department_id: int | None) -> bool:
    """Whether the actor holds `perm` for a row of this organisation and department."""
    for g in actor.grants_with(perm):
        if g.organisation_id != organisation_id:
            continue
        if g.role not in DEPARTMENT_ROLES or (department_id is not None and department_id in g.department_ids):
            return True
    return False


def groups_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK, organisation_id: int | None = None) -> QuerySet[Group]:
    qs = Group.objects.filter(scope_q(actor, perm)).select_related("department")
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("code")


def get_group_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Group:
    return get_object_or_404(Group.objects.filter(scope_q(actor, perm)), pk=pk)


def members_of(group: Group) -> QuerySet[GroupMember]:
    return group.members.select_related("recipient").order_by("recipient__search_name", "recipient_id")


def sessions_of(group: Group) -> QuerySet[Session]:
    return group.sessions.order_by("-date")


def candidates_for(actor: Actor, group: Group) -> QuerySet[Recipient]:
    """The people of the group's organisation the actor may name as a member (people scope)."""
    return recipients_for(actor).filter(organisation_id=group.organisation_id)


def events_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK, organisation_id: int | None = None) -> QuerySet[Event]:
    qs = Event.objects.filter(scope_q(actor, perm)).select_related("department")
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.order_by("-date", "code")


def get_event_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CASEWORK) -> Event:
    return get_object_or_404(Event.objects.filter(scope_q(actor, perm)), pk=pk)


# ---- figures for indicators and reports (aggregates, no personal data: scoped by the caller's organisations) --
def _events(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
            kind: str | None) -> QuerySet[Event]:
    qs = Event.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end)
    return qs.filter(kind=kind) if kind else qs


def events(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date, kind: str | None = None) -> int:
    """The number of events dated in the period (of a kind)."""
    return _events(organisation_ids, start, end, kind).count()


def participants(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
                 kind: str | None = None) -> int:
    """Σ participants of the events dated in the period (of a kind)."""
    return int(_events(organisation_ids, start, end, kind).aggregate(n=Sum("participants", default=0))["n"])


def _sessions(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
              group: str | None) -> QuerySet[Session]:
    qs = Session.objects.filter(organisation_id__in=organisation_ids, date__gte=start, date__lte=end)
    return qs.filter(group__code=group) if group else qs


def sessions(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
             group: str | None = None) -> int:
    """The number of sessions held in the period (of a group, by code)."""
    return _sessions(organisation_ids, start, end, group).count()


def attendance(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date,
               group: str | None = None) -> int:
    """Σ attendance of the sessions held in the period (of a group, by code)."""
    return int(_sessions(organisation_ids, start, end, group).aggregate(n=Sum("attendance", default=0))["n"])


# ---- the social taxi ----------------------------------------------------------------------------------------------
def trips_for(actor: Actor, perm: str = Perm.VIEW_CASEWORK, organisation_id: int | None = None) -> QuerySet[TaxiTrip]:
    """Trips of the people the actor may see (the taxi belongs to no department)."""
    org_ids = sorted({g.organisation_id for g in actor.grants_with(perm)})
    qs = TaxiTrip.objects.filter(organisation_id__in=org_ids, recipient__in=recipients_for(actor))
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.select_related("recipient", "driver").order_by("-date", "-id")
