"""/api/v1/plans: the work plans, roadmaps and methodological plans of the caller's organisations, and their
deletion (with their items and marks; audited). The same queries and actions as the pages under /work-plans/."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status

from opora.accounts.roles import Perm
from opora.api.v1.common import Id, actor_of, answers, need
from opora.plans.actions import do_delete_plan
from opora.plans.models import Plan
from opora.plans.queries import get_plan_for

router = Router(tags=["plans"])


class PlanOut(Schema):
    id: int
    organisation: str
    code: str
    title: str
    kind: str
    year: int

    @staticmethod
    def resolve_organisation(obj: Plan) -> str:
        return obj.organisation.code


@router.get("/plans", response=answers(list[PlanOut]))
def list_plans(request: HttpRequest, year: Annotated[int, Field(ge=1900, le=2200)] | None = None) -> Any:
    """The plans of the organisations where the caller sees the dashboard."""
    actor = actor_of(request)
    need(actor, Perm.VIEW_DASHBOARD)
    orgs = [g.organisation_id for g in actor.grants_with(Perm.VIEW_DASHBOARD)]
    qs = Plan.objects.filter(organisation_id__in=orgs).select_related("organisation").order_by("-year", "code")
    return qs.filter(year=year) if year is not None else qs


@router.delete("/plans/{int:pk}", response=answers(None, 204))
def delete_plan(request: HttpRequest, pk: Id) -> Status:
    """Delete a plan with its items and their period marks (who manages the organisation); audited."""
    actor = actor_of(request)
    plan = get_plan_for(actor, pk, Perm.MANAGE_ORG)
    do_delete_plan(plan, actor=actor)
    return Status(204, None)
