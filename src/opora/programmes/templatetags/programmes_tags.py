"""{% person_casework recipient %}: the person's programmes and contracts on their card (for VIEW_CASEWORK)."""

from __future__ import annotations

from django import template

from opora.accounts.roles import Perm
from opora.programmes import queries

register = template.Library()


@register.inclusion_tag("programmes/_person_casework.html", takes_context=True)
def person_casework(context, recipient) -> dict:
    actor = context.get("actor")
    if actor is None or not actor.can(Perm.VIEW_CASEWORK, recipient.organisation_id):
        return {"visible": False}
    data = queries.person_casework(actor, recipient)
    return {"visible": True, "r": recipient, **data,
            "can_edit": actor.can(Perm.EDIT_CASEWORK, recipient.organisation_id)}
