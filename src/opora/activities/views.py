"""Pages of groups and events: lists and forms (Crud), the group's page and the attendance page (a phone)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opora.accounts.actor import Actor
from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.activities import actions, queries, rules
from opora.activities.forms import (
    AttachLinesForm,
    AttendanceForm,
    BrigadeTripForm,
    EventForm,
    GroupForm,
    IssueForm,
    MemberForm,
    PlaceForm,
    RentalItemForm,
    ReturnForm,
    ShiftForm,
    TripForm,
    VolunteerForm,
    VolunteerWorkForm,
)
from opora.activities.models import BrigadeTrip, Group, Shift
from opora.audit.log import choice_records, log_read
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
    members = list(queries.members_of(group).filter(recipient__in=queries.candidates_for(actor, group)))
    member_form = MemberForm(recipients=queries.candidates_for(actor, group)) if can_record else None
    # The members by name and the people of the drop-down to add: one audit INSERT for the page.
    log_read(actor, members, via="web:group", many=True,
             listed=choice_records(member_form) if member_form is not None else ())
    return {"members": members, "member_count": group.members.count(), "sessions": queries.sessions_of(group)[:20],
            "can_record": can_record, "member_form": member_form}


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


def _act_and_return(request: HttpRequest, form: Any, act: Callable[[dict[str, Any]], str], back: str) -> HttpResponse:
    """A small form posted from a detail page (a member, a shift's enrolment, a trip's lines): run the action, say
    what it did or what was wrong (the form's errors, the rule's refusal), and go back to the page."""
    if request.method == "POST" and form.is_valid():
        try:
            done = act(form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done)
    elif request.method == "POST":
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect(back)


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    group = queries.get_group_for(actor, pk, Perm.RECORD_SERVICES)
    form = MemberForm(request.POST or None, recipients=queries.candidates_for(actor, group))

    def add(data: dict[str, Any]) -> str:
        actions.do_add_member(group, data["recipient"], joined_on=data["joined_on"], actor=actor)
        return str(_("Saved."))

    return _act_and_return(request, form, add, reverse("groups_edit", args=[group.pk]))


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
    trips = list(queries.trips_for(actor, organisation_id=org.pk)[:10])
    log_read(actor, trips, via="web:taxi-trips", many=True, listed=choice_records(form))  # and its drop-down
    return render(request, "activities/trip.html", {"form": form, "trips": trips})


# ---- the rental point (issue 13) ----------------------------------------------------------------------------------
rental_items = Crud(
    name="rental_items", title=_("Technical aids for rent"), form_class=RentalItemForm,
    view_perm=Perm.VIEW_CASEWORK, edit_perm=Perm.RECORD_SERVICES,
    list_query=lambda actor, org: queries.rental_items_for(actor, organisation_id=org.pk),
    get_object=lambda actor, pk, perm: queries.get_rental_item_for(actor, pk, perm),
    create=lambda org, data, actor: _as_form_errors(lambda: actions.do_create_rental_item(org, data, actor=actor)),
    update=lambda obj, data, actor: _as_form_errors(lambda: actions.do_update_rental_item(obj, data, actor=actor)),
    columns=[Column(_("Code"), lambda i: i.code, link=True), Column(_("Name"), lambda i: i.name),
             Column(_("Kind"), lambda i: i.get_kind_display()),
             Column(_("Inventory number"), lambda i: i.inventory_no)],
)


# ---- day-stay shifts and the mobile brigade -----------------------------------------------------------------------
def _shift_context(shift: Shift, actor: Actor) -> dict[str, Any]:
    can_record = queries.may(actor, Perm.RECORD_SERVICES, shift.organisation_id, shift.department_id)
    places = list(queries.places_of(actor, shift))
    log_read(actor, [p.enrolment.recipient for p in places], via="web:shift", many=True)
    return {"places": places, "place_count": shift.places.count(), "can_record": can_record,
            "place_form": PlaceForm(enrolments=queries.shift_candidates(actor, shift)) if can_record else None}


shifts = Crud(
    name="shifts", title=_("Day-stay shifts"), form_class=ShiftForm,
    view_perm=Perm.VIEW_CASEWORK, edit_perm=Perm.RECORD_SERVICES,
    list_query=lambda actor, org: queries.shifts_for(actor, organisation_id=org.pk),
    get_object=lambda actor, pk, perm: queries.get_shift_for(actor, pk, perm),
    create=lambda org, data, actor: _as_form_errors(lambda: actions.do_create_shift(org, data, actor=actor)),
    update=lambda obj, data, actor: _as_form_errors(lambda: actions.do_update_shift(obj, data, actor=actor)),
    columns=[Column(_("Code"), lambda s: s.code, link=True), Column(_("Start"), lambda s: s.start),
             Column(_("End"), lambda s: s.end), Column(_("People"), lambda s: s.people),
             Column(_("Capacity"), lambda s: s.capacity if s.capacity is not None else "")],
    detail_template="activities/shift_detail.html", detail_context=_shift_context,
)


def _trip_context(trip: BrigadeTrip, actor: Actor) -> dict[str, Any]:
    can_record = actor.can(Perm.RECORD_SERVICES, trip.organisation_id)
    lines = list(queries.trip_lines(actor, trip))
    log_read(actor, [line.delivery for line in lines], via="web:brigade-trip", many=True)
    return {"lines": lines, "services": sum(line.delivery.quantity for line in lines), "can_record": can_record,
            "attach_form": AttachLinesForm(lines=queries.lines_to_attach(actor, trip)) if can_record else None}


brigade = Crud(
    name="brigade", title=_("Mobile brigade"), form_class=BrigadeTripForm,
    view_perm=Perm.VIEW_CASEWORK, edit_perm=Perm.RECORD_SERVICES,
    list_query=lambda actor, org: queries.brigade_trips_for(actor, organisation_id=org.pk),
    get_object=lambda actor, pk, perm: queries.get_brigade_trip_for(actor, pk, perm),
    create=lambda org, data, actor: _as_form_errors(lambda: actions.do_create_brigade_trip(org, data, actor=actor)),
    update=lambda obj, data, actor: _as_form_errors(lambda: actions.do_update_brigade_trip(obj, data, actor=actor)),
    columns=[Column(_("Date"), lambda t: t.date, link=True), Column(_("Settlement"), lambda t: t.settlement.name),
             Column(_("Code"), lambda t: t.code), Column(_("Journal lines"), lambda t: t.line_count)],
    detail_template="activities/brigade_detail.html", detail_context=_trip_context,
)


@login_required
def rental(request: HttpRequest) -> HttpResponse:
    """The rental point: every item, what is out now and with whom, overdue returns first (past `due_on`)."""
    actor, org = actor_and_org(request, Perm.VIEW_CASEWORK)
    today = datetime.date.today()
    items = list(queries.rental_items_for(actor, organisation_id=org.pk))
    out = queries.open_rentals([i.pk for i in items])
    visible = queries.visible_people(actor, [r.recipient_id for r in out.values()])
    rows: list[dict[str, Any]] = []
    for item in items:
        loan = out.get(item.pk)
        rows.append({"item": item, "loan": loan,
                     "person": loan.recipient if loan is not None and loan.recipient_id in visible else None,
                     "overdue": loan is not None and rules.is_overdue(loan.due_on, loan.returned_on, today)})
    rows.sort(key=lambda r: (not r["overdue"], r["loan"] is None, r["item"].code))
    log_read(actor, [r["loan"] for r in rows if r["person"] is not None], via="web:rental", many=True)
    return render(request, "activities/rental.html", {
        "rows": rows, "out": len(out), "overdue": sum(1 for r in rows if r["overdue"]),
        "can_record": actor.can(Perm.RECORD_SERVICES, org.pk)})


@login_required
def rental_issue(request: HttpRequest) -> HttpResponse:
    """Issue an item to a person (one column, 390 px)."""
    actor, org = actor_and_org(request, Perm.RECORD_SERVICES)
    items = queries.rental_items_for(actor, Perm.RECORD_SERVICES, organisation_id=org.pk)
    people = recipients_for(actor).filter(organisation=org).order_by("last_name", "first_name", "patronymic")
    initial: dict[str, Any] = {"issued_on": datetime.date.today()}
    if request.GET.get("item", "").isdigit():
        initial["item"] = int(request.GET["item"])
    form = IssueForm(request.POST or None, items=items, recipients=people, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        employee_id = next((g.employee_id for g in actor.grants if g.organisation_id == org.pk and g.employee_id),
                           None)
        data["worker"] = Employee.objects.filter(pk=employee_id, organisation=org).first() if employee_id else None
        try:
            actions.do_issue(org, data, actor=actor)
        except DomainError as exc:
            apply_errors(form, ValidationError({exc.field or "item": exc.message}))
        else:
            messages.success(request, _("Issued."))
            return redirect(reverse("activities_rental"))
    log_read(actor, [], via="web:rental-issue", listed=choice_records(form))
    return render(request, "activities/rental_issue.html", {"form": form})


@login_required
def rental_return(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the return of an item (one column, 390 px)."""
    actor = get_actor(request)
    loan = queries.get_rental_for(actor, pk, Perm.RECORD_SERVICES)
    if request.method == "GET":
        log_read(actor, [loan], via="web:rental-return")
    form = ReturnForm(request.POST or None, initial={"returned_on": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_return(loan, form.cleaned_data["returned_on"], amount=form.cleaned_data["amount"], actor=actor)
        except DomainError as exc:
            apply_errors(form, ValidationError({exc.field if exc.field in form.fields else "returned_on":
                                                exc.message}))
        else:
            messages.success(request, _("Returned."))
            return redirect(reverse("activities_rental"))
    return render(request, "activities/rental_return.html", {"form": form, "loan": loan})


# ---- volunteers (issue 13) ----------------------------------------------------------------------------------------
def _volunteer_context(volunteer: Any, actor: Actor) -> dict[str, Any]:
    work = list(queries.work_of(volunteer)[:50])
    visible = queries.visible_people(actor, [w.recipient_id for w in work])
    shown = [w for w in work if w.recipient_id in visible]
    log_read(actor, shown, via="web:volunteer-work", many=True)
    return {"work": [(w, w.recipient if w.recipient_id in visible else None) for w in work],
            "can_record": actor.can(Perm.RECORD_SERVICES, volunteer.organisation_id)}


volunteers = Crud(
    name="volunteers", title=_("Volunteers"), form_class=VolunteerForm,
    view_perm=Perm.VIEW_CASEWORK, edit_perm=Perm.RECORD_SERVICES,
    list_query=lambda actor, org: queries.volunteers_for(actor, organisation_id=org.pk),
    get_object=lambda actor, pk, perm: queries.get_volunteer_for(actor, pk, perm),
    create=lambda org, data, actor: _as_form_errors(lambda: actions.do_create_volunteer(org, data, actor=actor)),
    update=lambda obj, data, actor: _as_form_errors(lambda: actions.do_update_volunteer(obj, data, actor=actor)),
    columns=[Column(_("Code"), lambda v: v.code, link=True), Column(_("Full name"), lambda v: v.full_name),
             Column(_("Kind"), lambda v: v.get_kind_display()), Column(_("Joined on"), lambda v: v.joined_on)],
    search=lambda qs, q: qs.filter(full_name__icontains=q),
    detail_template="activities/volunteer_detail.html", detail_context=_volunteer_context,
    audit_reads=True,
)


@login_required
def volunteer_work(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a volunteer's work of a day (one column, 390 px)."""
    actor = get_actor(request)
    volunteer = queries.get_volunteer_for(actor, pk, Perm.RECORD_SERVICES)
    people = recipients_for(actor).filter(organisation_id=volunteer.organisation_id).order_by(
        "last_name", "first_name", "patronymic")
    form = VolunteerWorkForm(request.POST or None, recipients=people, initial={"date": datetime.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_volunteer_work(volunteer, form.cleaned_data, actor=actor)
        except DomainError as exc:
            apply_errors(form, ValidationError({exc.field or "hours": exc.message}))
        else:
            messages.success(request, _("Saved."))
            return redirect(reverse("activities_volunteer_work", args=[volunteer.pk]))
    log_read(actor, [volunteer], via="web:volunteer-work", listed=choice_records(form))
    return render(request, "activities/volunteer_work.html", {"form": form, "volunteer": volunteer})


@login_required
def place_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    shift = queries.get_shift_for(actor, pk, Perm.RECORD_SERVICES)
    form = PlaceForm(request.POST or None, enrolments=queries.shift_candidates(actor, shift))

    def enrol(data: dict[str, Any]) -> str:
        actions.do_enrol_for_shift(shift, data["enrolment"], actor=actor)
        return str(_("Saved."))

    return _act_and_return(request, form, enrol, reverse("shifts_edit", args=[shift.pk]))


@login_required
def place_remove(request: HttpRequest, pk: int, place_pk: int) -> HttpResponse:
    actor = get_actor(request)
    shift = queries.get_shift_for(actor, pk, Perm.RECORD_SERVICES)
    if request.method == "POST":
        place = get_object_or_404(queries.places_of(actor, shift), pk=place_pk)
        actions.do_remove_from_shift(place, actor=actor)
        messages.success(request, _("Removed from the shift."))
    return redirect(reverse("shifts_edit", args=[shift.pk]))


@login_required
def lines_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach journal lines of the trip's date to the trip (the services were recorded in the journal)."""
    actor = get_actor(request)
    trip = queries.get_brigade_trip_for(actor, pk, Perm.RECORD_SERVICES)
    form = AttachLinesForm(request.POST or None, lines=queries.lines_to_attach(actor, trip))

    def attach(data: dict[str, Any]) -> str:
        n = actions.do_attach_lines(trip, [d.pk for d in data["deliveries"]], actor=actor)
        return str(_("Journal lines attached: %(n)s.") % {"n": n})

    return _act_and_return(request, form, attach, reverse("brigade_edit", args=[trip.pk]))
