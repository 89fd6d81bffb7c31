"""Pages of groups and events: lists and forms (Crud), the group's page and the attendance page (a phone)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opora.accounts.actor import Actor
from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.activities import actions, queries, rules
from opora.activities.forms import AttendanceForm, EventForm, GroupForm, MemberForm, TripForm
from opora.activities.models import Group
from opora.core.context import actor_and_org, apply_errors
from opora.core.crud import Column, Crud
from opora.lib.errors import DomainError
from opora.lib.formats import money
from opora.org.models import Employee
from opora.people.queries import recipients_for


def _as_form_errors(write: Callable[[], Any]) -> Any:
    """The action's DomainError as a ValidationError on its field, for the form."""
    try:
        return write()
    except DomainError as exc:
        raise ValidationError({exc.field: exc.message} if exc.field else exc.message) from exc


def _group_context(group: Group, actor: Actor) -> dict[str, Any]:
    can_record = queries.may(actor, Perm.RECORD_SERVICES, group.organisation_id, group.department_id)
    return {"members": queries.members_of(group).filter(recipient__in=queries.candidates_for(actor, group)),
            "member_count": group.members.count(), "sessions": queries.sessions_of(group)[:20],
            "can_record": can_record,
            "member_form": MemberForm(recipients=queries.candidates_for(actor, group)) if can_record else None}


groups = Crud(
    name="groups", title=_("Groups and clubs"), form_class=GroupForm,
    view_perm=Perm.VIEW_CASEWORK, edit_perm=Perm.RECORD_SERVICES,
    list_query=lambda actor, org: queries.groups_for(actor, organisation_id=org.pk),
    get_object=lambda actor, pk, perm: queries.get_group_for(actor, pk, perm),
    create=lambda org, data, actor: _as_form_errors(lambda: actions.do_create_group(org, data, actor=actor)),
    update=lambda obj, data, actor: _as_form_errors(lambda: actions.do_update_group(obj, data, actor=actor)),
    columns=[Column(_("Code"), lambda g: g.code, link=True), Column(_("Name"), lambda g: g.name),
             Column(_("Kind"), lambda g: g.get_kind_display()),
             Column(_("Department"), lambda g: g.department.name if g.department else "")],
    detail_template="activities/group_detail.html", detail_context=_group_context,
)

events = Crud(
    name="events", title=_("Events"), form_class=EventForm,
    view_perm=Perm.VIEW_CASEWORK, edit_perm=Perm.RECORD_SERVICES,
    list_query=lambda actor, org: queries.events_for(actor, organisation_id=org.pk),
    get_object=lambda actor, pk, perm: queries.get_event_for(actor, pk, perm),
    create=lambda org, data, actor: _as_form_errors(lambda: actions.do_create_event(org, data, actor=actor)),
    update=lambda obj, data, actor: _as_form_errors(lambda: actions.do_update_event(obj, data, actor=actor)),
    columns=[Column(_("Date"), lambda e: e.date, link=True), Column(_("Name"), lambda e: e.name),
             Column(_("Kind"), lambda e: e.get_kind_display()), Column(_("Participants"), lambda e: e.participants),
             Column(_("Department"), lambda e: e.department.name if e.department else "")],
)


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    group = queries.get_group_for(actor, pk, Perm.RECORD_SERVICES)
    form = MemberForm(request.POST or None, recipients=queries.candidates_for(actor, group))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_add_member(group, form.cleaned_data["recipient"], joined_on=form.cleaned_data["joined_on"],
                                  actor=actor)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    elif request.method == "POST":
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(reverse("groups_edit", args=[group.pk]))


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The attendance of a session, recorded where it happens (one column, numeric keyboard, 390 px)."""
    actor = get_actor(request)
    group = queries.get_group_for(actor, pk, Perm.RECORD_SERVICES)
    initial = {"date": datetime.date.today()}
    form = AttendanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_session(group, data["date"], data["attendance"], data["topic"], actor=actor)
        except DomainError as exc:
            apply_errors(form, ValidationError({exc.field or "attendance": exc.message}))
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("activities_attendance", args=[group.pk]))
    day = form.cleaned_data.get("date") if form.is_bound and hasattr(form, "cleaned_data") else initial["date"]
    spans = [rules.Span(j, left) for j, left in group.members.values_list("joined_on", "left_on")]
    return render(request, "activities/attendance.html", {
        "group": group, "form": form, "members_today": rules.members_on(spans, day or initial["date"]),
        "day": day or initial["date"], "sessions": queries.sessions_of(group)[:10]})


@login_required
def trip(request: HttpRequest) -> HttpResponse:
    """The driver's page: record a trip of the social taxi (one column, numeric keyboard, 390 px)."""
    actor, org = actor_and_org(request, Perm.RECORD_SERVICES)
    people = recipients_for(actor).filter(organisation=org).order_by("search_name", "id")
    form = TripForm(request.POST or None, recipients=people, initial={"date": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        employee_id = next((g.employee_id for g in actor.grants if g.organisation_id == org.pk and g.employee_id),
                           None)
        data["driver"] = Employee.objects.filter(pk=employee_id, organisation=org).first() if employee_id else None
        try:
            saved = actions.do_record_trip(org, data, actor=actor)
        except DomainError as exc:
            apply_errors(form, ValidationError({exc.field or "amount": exc.message}))
        else:
            messages.success(request, _("Trip recorded: %(amount)s.") % {"amount": money(saved.amount)})
            return redirect(reverse("activities_trip"))
    return render(request, "activities/trip.html", {
        "form": form, "trips": queries.trips_for(actor, organisation_id=org.pk)[:10]})
