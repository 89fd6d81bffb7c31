"""Scope helpers shared by every app's queries: which organisations an actor may read for a perm."""

from __future__ import annotations

from django.db.models import Q

from opora.accounts.actor import Actor

NOTHING = Q(pk__in=[])


def org_q(actor: Actor, perm: str, field: str = "organisation_id") -> Q:
    org_ids = sorted({g.organisation_id for g in actor.grants_with(perm)})
    return Q(**{f"{field}__in": org_ids}) if org_ids else NOTHING


def any_of(parts: list[Q]) -> Q:
    if not parts:
        return NOTHING
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined
