"""Indicator values as an actor may see them: aggregates of an organisation, so VIEW_DASHBOARD there (as reports)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.http import Http404

from opora.accounts.actor import Actor, Grant
from opora.accounts.roles import Perm, Role
from opora.indicators.registry import Value, get_indicator
from opora.org.models import Organisation


def organisation_for(actor: Actor, code: str) -> Organisation:
    """The organisation with this code if the actor may see its figures; Http404 otherwise."""
    org = Organisation.objects.filter(code=code).first()
    if org is None or not actor.can(Perm.VIEW_DASHBOARD, org.pk):
        raise Http404("unknown organisation")
    return org


def value_for(actor: Actor, name: str, organisation: Organisation, start: datetime.date, end: datetime.date,
              params: Mapping[str, str] | None = None) -> Value:
    """The indicator's value for the organisation and the period (DomainError for a bad name or parameter)."""
    if not actor.can(Perm.VIEW_DASHBOARD, organisation.pk):
        raise Http404("unknown organisation")
    return get_indicator(name).compute([organisation.pk], start, end, params)


def command_actor(organisation: Organisation) -> Actor:
    """The command line's actor (as reports.registry.system_actor, which sits above this app): an analyst."""
    return Actor(user=None, grants=[Grant(organisation_id=organisation.pk, role=Role.ANALYST,
                                          department_ids=frozenset(), employee_id=None)])
