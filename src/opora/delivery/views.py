"""Pages of the journal of services. Thin: parse, call queries/actions, render."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.audit.log import log_read
from opora.catalogue.models import Service
from opora.core.context import actor_and_org, apply_errors
from opora.core.crud import confirm_delete
from opora.core.reference import ServiceList
from opora.delivery import actions, printing, queries
from opora.delivery.forms import JournalFilterForm, LineForm, SignForm, UrgentActForm, quantity_of
from opora.delivery.models import Delivery
from opora.documents.http import document_response
from opora.lib import formats
from opora.lib.collation import natural_key
from opora.lib.dates import DateFormatError, add_months, month_bounds, parse_date, parse_month
from opora.lib.text import normalise
from opora.org.models import Department
from opora.people.models import Enrolment
from opora.people.queries import get_recipient_for, recipients_for, search_recipients
from opora.programmes.rules import volume_text


def _day(text: str | None) -> datetime.date:
    """The date of a query parameter, today when it is absent or unreadable."""
    try:
        return parse_date(text or "", short=True)
    except DateFormatError:
        return timezone.localdate()


def _month(text: str | None) -> datetime.date:
    """The month (its first day) of a query parameter, this month when it is absent or unreadable."""
    try:
        return parse_month(text or "")
    except DateFormatError:
        return timezone.localdate().replace(day=1)


def _department_for(actor, org, pk, perm=Perm.VIEW_CASEWORK) -> Department:
    """A department of the organisation that the actor works in (any of them for organisation-wide roles)."""
    department = get_object_or_404(Department, organisation=org, pk=pk)
    allowed = queries.departments_for(actor, org.pk, perm)
    if allowed is not None and department.pk not in allowed:
        raise Http404
    return department


def _errors_text(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


# --- the journal ---------------------------------------------------------------------------------------------

PEOPLE_PER_PAGE = 30  # the monthly grid's list of people, a page

@login_required
def journal(request):
    actor, org = actor_and_org(request, Perm.VIEW_CASEWORK)
    form = JournalFilterForm(request.GET or None, organisation=org)
    flt = queries.JournalFilter(organisation_id=org.pk)
    if form.is_valid():
        data = form.cleaned_data
        flt.month, flt.list, flt.recipient_id = data["month"], data["list"], data["recipient"]
        flt.department_id = data["department"].pk if data["department"] else None
        flt.worker_id = data["worker"].pk if data["worker"] else None
    qs = queries.filter_deliveries(queries.deliveries_for(actor), flt)
    page = Paginator(queries.for_journal(qs), 50).get_page(request.GET.get("page"))
    log_read(actor, page.object_list, via="web:journal", many=True)
    month_totals = queries.month_totals_by_recipient(qs)[:200] if flt.month else []
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "delivery/journal.html", {
        "form": form, "page": page, "totals": queries.totals(qs), "month_totals": month_totals,
        "month": flt.month, "query": query.urlencode(), "can_record": actor.can(Perm.RECORD_SERVICES, org.pk),
    })


@login_required
def line_edit(request, pk: int):
    actor = get_actor(request)
    line = queries.get_delivery_for(actor, pk, Perm.RECORD_SERVICES)
    form = LineForm(request.POST or None, organisation=line.organisation, initial={
        "date": line.date, "service": line.service_id, "quantity": line.quantity, "worker": line.worker_id,
        "over_volume_reason": line.over_volume_reason, "online": line.online})
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_delivery(line, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(_journal_of(line))
    return render(request, "delivery/line_form.html", {"form": form, "line": line})


def _journal_of(line: Delivery) -> str:
    return reverse("delivery:journal") + "?" + urlencode({"month": f"{line.date:%Y-%m}",
                                                          "recipient": str(line.recipient_id)})


@login_required
def line_delete(request, pk: int):
    actor = get_actor(request)
    line = queries.get_delivery_for(actor, pk, Perm.RECORD_SERVICES)
    # refused for the only line of an act of urgent services: the act is deleted instead
    return confirm_delete(
        request, line, lambda: actions.do_delete_delivery(line, actor=actor), question=_("Delete the line?"),
        summary=f"{formats.day(line.date)} · {line.recipient.full_name} · {line.service.code} {line.service.name} "
                f"× {line.quantity}",
        done=_("The line is deleted."), then=_journal_of(line), back=reverse("delivery:line_edit", args=[line.pk]))


# --- today's visit -------------------------------------------------------------------------------------------

def _programme_rows(recipient, department, day):
    """The programme in force and its items as rows of the visit form, without "delivered so far" (_count_rows)."""
    programme = queries.active_programme_on(recipient, department.pk, day)
    if programme is None:
        return programme, []
    return programme, [{"service": item.service, "item": item} for item in programme.items.all()]


def _count_rows(rows, programme, recipient, department, day) -> None:
    """Fill in each row's "delivered so far" in its period: only for a form shown (a visit saved redirects)."""
    if programme is None:
        return
    delivered = queries.delivered_by_service(recipient.pk, department.pk, {
        row["item"].service_id: queries.period_bounds(row["item"], programme, day) for row in rows})
    for row in rows:
        row["delivered"] = delivered[row["item"].service_id]


@login_required
def today(request):
    actor, org = actor_and_org(request, Perm.RECORD_SERVICES)
    day = _day(request.GET.get("date") or request.POST.get("date"))
    caseload = queries.caseload_on(actor, org.pk, day)
    chosen = request.GET.get("enrolment") or request.POST.get("enrolment")
    enrolment = next((e for e in caseload if str(e.pk) == chosen), None)
    person = request.GET.get("recipient")
    if enrolment is None and person:  # the date changed: keep the person if they are in the caseload that day
        enrolment = next((e for e in caseload if str(e.recipient_id) == person), None)
    context: dict = {"day": day, "caseload": caseload, "enrolment": enrolment, "errors": {}, "values": {}}
    if request.method == "GET":
        log_read(actor, caseload, via="web:today", many=True)
    if enrolment is not None:
        recipient, department = enrolment.recipient, enrolment.department
        programme, rows = _programme_rows(recipient, department, day)
        in_programme = {r["service"].pk for r in rows}
        additional = [s for s in queries.additional_services(org.pk) if s.pk not in in_programme]
        context.update(programme=programme, rows=rows, additional=additional,
                       recorded=queries.recorded_on(recipient.pk, department.pk, day))
        if request.method == "POST":
            lines, keys = [], []
            for service in [r["service"] for r in rows] + context["additional"]:
                raw = request.POST.get(f"q-{service.pk}")
                context["values"][service.pk] = raw or ""
                quantity = quantity_of(raw)
                if quantity:
                    lines.append({"service": service, "quantity": quantity,
                                  "over_volume_reason": request.POST.get(f"r-{service.pk}", "").strip(),
                                  "online": request.POST.get("online") == "1"})
                    keys.append(service.pk)
            try:
                if any(line["quantity"] < 0 for line in lines):
                    raise actions.LinesError({i: {"quantity": [_("The quantity must be at least 1.")]}
                                              for i, line in enumerate(lines) if line["quantity"] < 0})
                saved = actions.do_record_visit(recipient, day, lines, actor=actor, department=department)
            except actions.LinesError as exc:
                context["errors"] = {keys[i]: [m for ms in fields.values() for m in ms]
                                     for i, fields in exc.line_errors.items()}
            except ValidationError as exc:
                context["form_errors"] = _errors_text(exc)
            else:
                messages.success(request, _("Recorded: %(n)s lines.") % {"n": len(saved)})
                return redirect(reverse("delivery:today") + "?" + urlencode(
                    {"date": day.isoformat(), "enrolment": enrolment.pk}))
        _count_rows(rows, programme, recipient, department, day)  # after a refused visit: with it not saved
        # a line refused because one is recorded already: its message opens that line
        existing = {d.service_id: d.pk for d in context["recorded"]}
        context["entries"] = [
            {"service": x["service"], "item": x.get("item"), "delivered": x.get("delivered"), "additional": extra,
             "existing": existing.get(x["service"].pk),
             "value": context["values"].get(x["service"].pk, ""), "errors": context["errors"].get(x["service"].pk, []),
             "reason": request.POST.get(f"r-{x['service'].pk}", "")}
            for extra, group in ((False, rows), (True, [{"service": s} for s in context["additional"]]))
            for x in group
        ]
        context["has_errors"] = any(e["errors"] for e in context["entries"])
    return render(request, "delivery/today.html", context)


# --- the monthly grid ----------------------------------------------------------------------------------------

@login_required
def grid(request):
    actor, org = actor_and_org(request, Perm.RECORD_SERVICES)
    allowed = queries.departments_for(actor, org.pk)
    departments = Department.objects.filter(organisation=org, is_active=True).exclude(kind="urgent")
    if allowed is not None:
        departments = departments.filter(pk__in=allowed)
    params = request.POST if request.method == "POST" else request.GET
    month = _month(params.get("month"))
    start, end = month_bounds(month)
    department = None
    if params.get("department"):
        department = get_object_or_404(departments, pk=params.get("department"))
    elif departments.count() == 1:
        department = departments.first()
    context: dict = {"departments": departments, "department": department, "month": start,
                     "month_value": f"{start:%Y-%m}", "errors": {}, "values": {}}
    if department is None:
        return render(request, "delivery/grid.html", context)
    # An enrolment in THIS department overlapping the month (closed enrolments elsewhere do not matter).
    enrolled = Enrolment.objects.filter(recipient=OuterRef("pk"), department=department, admitted_on__lte=end).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=start))
    people = (recipients_for(actor, Perm.RECORD_SERVICES).filter(Exists(enrolled))
              .order_by("search_name", "id"))  # Russian order: ё as е
    # one department's people, a page at a time, found by name (a department holds ~200)
    who = params.get("q", "").strip()
    listed = people.filter(search_name__contains=normalise(who)) if who else people
    context["people"] = Paginator(listed, PEOPLE_PER_PAGE).get_page(params.get("page"))
    context["q"] = who
    recipient = None
    if params.get("recipient"):
        recipient = get_object_or_404(people, pk=params.get("recipient"))
    context["recipient"] = recipient
    # the page's people as seen in a list, the person whose month is open as opened (audit of reads): one INSERT
    if recipient is None:
        log_read(actor, list(context["people"]), via="web:grid", many=True)
        return render(request, "delivery/grid.html", context)
    log_read(actor, [recipient], via="web:grid", listed=[p for p in context["people"] if p.pk != recipient.pk])
    days = list(range(1, end.day + 1))
    existing = actions.grid_cells(recipient, department.pk, start)
    programme = queries.active_programme_on(recipient, department.pk, end) or queries.active_programme_on(
        recipient, department.pk, start)
    items = {i.service_id: i for i in programme.items.all()} if programme else {}
    service_ids = set(items) | {k[0] for k in existing}
    extra = params.get("add_service")
    if extra and extra.isdigit():
        service_ids.add(int(extra))
    services = sorted(Service.objects.filter(organisation=org, pk__in=service_ids),
                      key=lambda s: (s.list != ServiceList.BASIC, natural_key(s.code)))  # basic first, as in the act
    if request.method == "POST":
        cells, reasons, bad = {}, {}, {}
        for service in services:
            reasons[service.pk] = request.POST.get(f"r-{service.pk}", "").strip()
            for d in days:
                name = f"c-{service.pk}-{d}"
                if name not in request.POST:
                    continue
                raw = request.POST.get(name)
                context["values"][name] = raw
                quantity = quantity_of(raw)
                if quantity is not None and quantity < 0:
                    bad[f"{service.pk}-{d}"] = [_("Enter a whole number.")]
                cells[(service.pk, d)] = quantity or 0
        try:
            if bad:
                raise actions.LinesError({k: {"quantity": v} for k, v in bad.items()}, prefix="cells")
            counts = actions.do_apply_grid(recipient, department, start, cells, actor=actor, reasons=reasons)
        except actions.LinesError as exc:
            context["errors"] = {k: [m for ms in fields.values() for m in ms] for k, fields in
                                 exc.line_errors.items()}
        except ValidationError as exc:
            context["form_errors"] = _errors_text(exc)
        else:
            messages.success(request, _("Saved: %(added)s added, %(changed)s changed, %(removed)s removed.")
                             % counts)
            return redirect(reverse("delivery:grid") + "?" + urlencode(
                {"department": department.pk, "month": f"{start:%Y-%m}", "recipient": recipient.pk}))
    rows = []
    for service in services:
        item = items.get(service.pk)
        cells_row = []
        for d in days:
            name = f"c-{service.pk}-{d}"
            value = context["values"].get(name)
            if value is None:
                total = sum(x.quantity for x in existing.get((service.pk, d), []))
                value = str(total) if total else ""
            cells_row.append({"name": name, "day": d, "value": value,
                              "errors": context["errors"].get(f"{service.pk}-{d}", [])})
        delivered = sum(x.quantity for (sid, _d), lines in existing.items() if sid == service.pk for x in lines)
        rows.append({"service": service, "item": item, "delivered": delivered, "cells": cells_row,
                     "volume": volume_text(item.volume, service.unit, item.period) if item else "",
                     "reason": request.POST.get(f"r-{service.pk}", "") if request.method == "POST" else ""})
    weekend = {d for d in days if start.replace(day=d).weekday() >= 5}
    addable = Service.objects.filter(organisation=org, is_active=True).exclude(pk__in=service_ids).exclude(
        type="urgent")
    context.update(days=days, rows=rows, weekend=weekend, programme=programme, addable=addable,
                   cell_errors=[(k, v) for k, v in context["errors"].items()])
    return render(request, "delivery/grid.html", context)


# --- urgent acts ---------------------------------------------------------------------------------------------

@login_required
def urgent_list(request):
    actor, org = actor_and_org(request, Perm.VIEW_CASEWORK)
    qs = queries.urgent_acts_for(actor).filter(organisation=org).select_related("recipient", "department",
                                                                                "worker")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    log_read(actor, page.object_list, via="web:urgent-acts", many=True)
    return render(request, "delivery/urgent_list.html", {
        "page": page, "query": "", "can_record": actor.can(Perm.RECORD_SERVICES, org.pk)})


@login_required
def urgent_create(request):
    actor, org = actor_and_org(request, Perm.RECORD_SERVICES)
    people = recipients_for(actor, Perm.RECORD_SERVICES).filter(organisation=org)
    recipient = None
    pk = request.GET.get("recipient") or request.POST.get("recipient")
    if pk and str(pk).isdigit():
        recipient = get_object_or_404(people, pk=pk)
    q = request.GET.get("q", "")
    found = list(search_recipients(people, q)[:20]) if q and recipient is None else []
    form = UrgentActForm(request.POST or None, organisation=org)
    services = list(Service.objects.filter(organisation=org, is_active=True, type="urgent"))
    if not services:
        services = list(Service.objects.filter(organisation=org, is_active=True))
    values, errors = {}, {}
    if request.method == "POST" and recipient is not None and form.is_valid():
        lines, keys = [], []
        for service in services:
            raw = request.POST.get(f"q-{service.pk}")
            values[service.pk] = raw or ""
            quantity = quantity_of(raw)
            if quantity:
                lines.append({"service": service, "quantity": max(quantity, 0)})
                keys.append(service.pk)
        try:
            act = actions.do_create_urgent_act(recipient, form.cleaned_data, lines, actor=actor)
        except actions.LinesError as exc:
            errors = {keys[i]: [m for ms in f.values() for m in ms] for i, f in exc.line_errors.items()
                      if isinstance(i, int) and i < len(keys)}
            if not errors:
                form.add_error(None, exc.messages)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The act is saved."))
            return redirect("delivery:urgent_detail", pk=act.pk)
    return render(request, "delivery/urgent_form.html", {
        "form": form, "recipient": recipient, "found": found, "q": q, "services": services, "values": values,
        "errors": errors})


@login_required
def urgent_detail(request, pk: int):
    actor = get_actor(request)
    act = queries.get_urgent_act_for(actor, pk)
    log_read(actor, [act], via="web:urgent-act")
    lines = list(act.deliveries.select_related("service").order_by("service__code"))
    to_pay = sum((d.amount for d in lines), Decimal("0"))
    return render(request, "delivery/urgent_detail.html", {"act": act, "lines": lines, "to_pay": to_pay})


@login_required
def urgent_print(request, pk: int):
    actor = get_actor(request)
    act = queries.get_urgent_act_for(actor, pk)
    log_read(actor, [act], via="print:urgent-act")
    return document_response(printing.urgent_act_document(act), request.GET.get("format", "docx"),
                             f"urgent-act-{act.number.replace('/', '-')}")


# --- the monthly act -----------------------------------------------------------------------------------------

@login_required
def monthly_act(request):
    actor, org = actor_and_org(request, Perm.VIEW_CASEWORK)
    params = request.POST if request.method == "POST" else request.GET
    pk = params.get("recipient", "")
    if not pk.isdigit():
        raise Http404
    recipient = get_recipient_for(actor, int(pk), Perm.VIEW_CASEWORK)
    month = _month(params.get("month"))
    enrolments = list(recipient.enrolments.select_related("department").order_by("-admitted_on"))
    allowed = queries.departments_for(actor, org.pk, Perm.VIEW_CASEWORK)
    mine = [e for e in enrolments if allowed is None or e.department_id in allowed]
    dept_pk = params.get("department") or (str(mine[0].department_id) if mine else "")
    if not dept_pk.isdigit():
        raise Http404
    department = _department_for(actor, org, int(dept_pk))
    data = queries.monthly_act_lines(recipient, department.pk, month)
    act = queries.monthly_act_row(recipient, department.pk, month)
    fmt = request.GET.get("format")
    log_read(actor, [recipient], via="print:monthly-act" if fmt else "web:monthly-act")
    if fmt:
        return document_response(printing.monthly_act_document(data, department, act), fmt,
                                 f"act-{recipient.last_name}-{month:%Y-%m}")
    sign_form = SignForm(request.POST if params.get("action") == "sign" else None,
                         initial={"signed_on": timezone.localdate()})
    can_record = actor.can(Perm.RECORD_SERVICES, org.pk)
    if request.method == "POST":
        if not can_record:
            raise Http404
        try:
            if params.get("action") == "issue":
                act = actions.do_issue_monthly_act(recipient, department, month, actor=actor)
                messages.success(request, _("The act is issued."))
            elif params.get("action") == "sign" and act is not None and sign_form.is_valid():
                act = actions.do_sign_monthly_act(act, sign_form.cleaned_data["signed_on"], actor=actor)
                messages.success(request, _("The signing is recorded."))
            else:
                raise ValidationError(_("Nothing to do."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(reverse("delivery:monthly_act") + "?" + urlencode(
                {"recipient": recipient.pk, "department": department.pk, "month": f"{month:%Y-%m}"}))
    base = urlencode({"recipient": recipient.pk, "department": department.pk, "month": f"{month:%Y-%m}"})
    prev_month, next_month = add_months(month, -1), add_months(month, 1)
    departments = defaultdict(str)
    for e in enrolments:
        departments[e.department_id] = e.department.name
    return render(request, "delivery/monthly_act.html", {
        "r": recipient, "department": department, "month": month, "data": data, "act": act,
        "sign_form": sign_form, "can_record": can_record, "base": base, "departments": dict(departments),
        "prev": urlencode({"recipient": recipient.pk, "department": department.pk, "month": f"{prev_month:%Y-%m}"}),
        "next": urlencode({"recipient": recipient.pk, "department": department.pk, "month": f"{next_month:%Y-%m}"}),
        "month_label": printing.month_label(month),
    })

