"""The dashboard (the start page) and the switch between the organisations a user works in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.audit.log import log_read
from opora.core.context import SESSION_ORG, actor_and_org
from opora.core.reference import Position
from opora.dashboard import roles
from opora.intake.queries import open_counts
from opora.org.models import Employee
from opora.org.queries import department_headcounts
from opora.people.models import Recipient, RecipientStatus
from opora.plans.views import due_items_context
from opora.quality.queries import overdue_complaints
from opora.reports.generators.state_assignment import BEHIND_PLAN_PCT, execution


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    actor, org = actor_and_org(request, Perm.VIEW_DASHBOARD)
    departments = list(department_headcounts(org.pk))
    today = timezone.localdate()
    staff = Employee.objects.filter(organisation=org, dismissed_on__isnull=True).aggregate(
        total=Count("id"), social_workers=Count("id", filter=Q(position=Position.SOCIAL_WORKER)),
        hired=Count("id", filter=Q(hired_on__year=today.year)),
    )
    staff["dismissed"] = Employee.objects.filter(organisation=org, dismissed_on__year=today.year).count()
    people = Recipient.objects.filter(organisation=org).aggregate(
        on_service=Count("id", filter=Q(status=RecipientStatus.ACTIVE)), total=Count("id"))
    applications = None
    if actor.can(Perm.VIEW_CASEWORK, org.pk):
        applications = open_counts(actor, org.pk, today)
    behind_plan = execution([org.pk], today.year, today).behind()
    on_service_total = sum(d.on_service for d in departments)  # type: ignore[attr-defined]  # an annotation
    role_dashboards = roles.build(actor, org, today)  # issue 11: a section for each role the user holds here
    log_read(actor, role_dashboards.people_read, via="web:dashboard", many=True)
    return render(request, "dashboard/dashboard.html", {
        "role": role_dashboards.sections,
        "behind_plan": behind_plan, "behind_plan_pct": BEHIND_PLAN_PCT, "plan_year": today.year,
        "org": org, "departments": [d for d in departments if d.kind != "administration"],
        "staff": staff, "people": people, "on_service_total": on_service_total,
        "applications": applications, **due_items_context(actor, org.pk, today),
        "complaints_due": overdue_complaints(actor, org.pk, today),  # quality: answers due within 5 days or late
    })


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    try:
        org_id = int(request.POST.get("organisation", ""))
    except ValueError:
        org_id = None
    if org_id in actor.organisation_ids:
        request.session[SESSION_ORG] = org_id
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return HttpResponseRedirect(target)
