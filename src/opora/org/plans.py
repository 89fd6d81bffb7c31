"""The state assignment plans (org.AssignmentPlan): per department and year, services and recipients.

The model, its form, reads, writes and pages live here, beside the organisation they plan for; the state
assignment report (reports/generators/state_assignment.py) and the dashboard only read the plans.

Seen with Perm.VIEW_DASHBOARD, entered and changed with Perm.MANAGE_ORG (or imported from the `assignment`
file of the exchange format). Pages: plans:plan_list, plans:plan_create, plans:plan_edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.core.actions import create_object, require, update_object
from opora.core.crud import Column, Crud
from opora.core.forms import OrgForm
from opora.core.scoping import org_q
from opora.org.models import AssignmentPlan, Organisation

FIELDS = ("department", "year", "services_plan", "recipients_plan")


class PlanForm(OrgForm):
    class Meta:
        model = AssignmentPlan
        fields = list(FIELDS)


# --- queries -----------------------------------------------------------------------------------------------------

def plans_for(actor: Actor, organisation: Organisation) -> QuerySet[AssignmentPlan]:
    return (AssignmentPlan.objects.filter(org_q(actor, Perm.VIEW_DASHBOARD), organisation=organisation)
            .select_related("department").order_by("-year", "department__code"))


def get_plan_for(actor: Actor, pk: int, perm: str = Perm.VIEW_DASHBOARD) -> AssignmentPlan:
    return get_object_or_404(AssignmentPlan.objects.filter(org_q(actor, perm)).select_related("department"), pk=pk)


# --- actions -----------------------------------------------------------------------------------------------------

def _check(plan: AssignmentPlan) -> None:
    if plan.department_id is not None and plan.department.organisation_id != plan.organisation_id:
        raise ValidationError({"department": _("The department belongs to another organisation.")})
    clash = AssignmentPlan.objects.filter(department_id=plan.department_id, year=plan.year).exclude(pk=plan.pk)
    if plan.department_id is not None and plan.year and clash.exists():
        raise ValidationError({"year": _("This department already has a plan for %(year)s.") % {"year": plan.year}})


@transaction.atomic
def do_create_plan(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> AssignmentPlan:
    require(actor, Perm.MANAGE_ORG, organisation.pk)
    plan = AssignmentPlan(organisation=organisation, **{k: v for k, v in data.items() if k in FIELDS})
    _check(plan)
    return create_object(plan, actor=actor)


@transaction.atomic
def do_update_plan(plan: AssignmentPlan, data: Mapping[str, Any], *, actor: Actor) -> AssignmentPlan:
    require(actor, Perm.MANAGE_ORG, plan.organisation_id)
    fresh = AssignmentPlan.objects.select_for_update().get(pk=plan.pk)
    for key, value in data.items():
        if key in FIELDS:
            setattr(fresh, key, value)
    _check(fresh)
    return update_object(fresh, {}, actor=actor)


# --- pages -------------------------------------------------------------------------------------------------------

plans = Crud(
    name="plans:plan", title=gettext_lazy("State assignment plans"), form_class=PlanForm,
    view_perm=Perm.VIEW_DASHBOARD, edit_perm=Perm.MANAGE_ORG,
    list_query=plans_for,
    get_object=lambda actor, pk, perm: get_plan_for(actor, pk, perm),
    create=lambda org, data, actor: do_create_plan(org, data, actor=actor),
    update=lambda obj, data, actor: do_update_plan(obj, data, actor=actor),
    columns=[Column(gettext_lazy("Year"), lambda p: str(p.year), link=True),
             Column(gettext_lazy("Department"), lambda p: p.department.name),
             Column(gettext_lazy("Services planned"), lambda p: p.services_plan),
             Column(gettext_lazy("Recipients planned"), lambda p: p.recipients_plan)],
)
