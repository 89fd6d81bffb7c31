"""``{% employee_trainings employee %}``: the staff development section of an employee's card (courses,
retraining, higher education, seminars, attestations, awards), for who sees staff; HR adds and corrects them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.lib.formats import number
from opora.quality import queries

register = template.Library()


@register.inclusion_tag("quality/_trainings_card.html", takes_context=True)
def employee_trainings(context: Any, employee: Any) -> dict[str, Any]:
    request = context.get("request")
    if request is None or employee is None or employee.pk is None:
        return {"show": False}
    actor = get_actor(request)
    trainings = list(queries.trainings_for(actor).filter(employee=employee).order_by("-start", "-id"))
    can_edit = actor.can(Perm.EDIT_STAFF, employee.organisation_id)
    rows = [(t, number(t.hours, 1) if t.hours is not None else "") for t in trainings]
    total = sum((t.hours for t in trainings if t.hours is not None), start=Decimal(0))
    return {"show": bool(trainings) or can_edit, "rows": rows, "can_edit": can_edit, "hours": number(total, 1)}
