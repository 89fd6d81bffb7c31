"""``{% aid_received person %}`` / ``{% aid_received family %}``: the aid section of a person's or family's card,
showing only the aid the actor sees (a social worker: the aid of their caseload)."""

from __future__ import annotations

from typing import Any

from django import template

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.money import queries
from opora.people.models import Family

register = template.Library()


@register.inclusion_tag("money/_aid_card.html", takes_context=True)
def aid_received(context: Any, holder: Any) -> dict[str, Any]:
    request = context.get("request")
    if request is None:
        return {"show": False}
    actor = get_actor(request)
    is_family = isinstance(holder, Family)
    qs = queries.aid_of_family(actor, holder) if is_family else queries.aid_of_person(actor, holder)
    aid = list(qs[:100])
    can_record = actor.can(Perm.RECORD_AID, holder.organisation_id)
    return {"show": bool(aid) or can_record or actor.can(Perm.VIEW_MONEY, holder.organisation_id), "aid": aid,
            "can_record": can_record, "param": "family" if is_family else "recipient", "pk": holder.pk}
