"""Printed forms of the journal: the monthly act of services delivered and the act of urgent services."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from opora.delivery.models import MonthlyAct, UrgentAct
from opora.delivery.queries import MonthlyActData
from opora.documents.model import Block, Document, Fields, Heading, Paragraph, Signatures, Table
from opora.lib.dates import month_bounds
from opora.lib.formats import day, integer, money, month_year, short_name
from opora.org.models import Department, Employee, Organisation
from opora.people.models import Enrolment, Recipient


def person_short(person: Recipient | Employee | None) -> str:
    if person is None:
        return ""
    return short_name(person.last_name, person.first_name, person.patronymic)


def month_label(month: datetime.date) -> str:
    """«март 2020», «березень 2020», «March 2020»: the month and year in the active language."""
    return month_year(month)


def _header(org: Organisation) -> list[str]:
    return [line for line in (org.name, org.address) if line]


def _head_of(department: Department, on: datetime.date) -> Employee | None:
    return (Employee.objects.filter(department=department, position="department_head", hired_on__lte=on)
            .exclude(dismissed_on__lt=on).order_by("hired_on").first())


def _worker_of_month(recipient: Recipient, department: Department, month: datetime.date) -> Employee | None:
    start, end = month_bounds(month)
    enrolment = (Enrolment.objects.filter(recipient=recipient, department=department, admitted_on__lte=end)
                 .select_related("worker").order_by("-admitted_on").first())
    return enrolment.worker if enrolment else None


def monthly_act_document(data: MonthlyActData, department: Department, act: MonthlyAct | None) -> Document:
    recipient = data.recipient
    org = recipient.organisation
    title = _("Act of social services delivered for %(month)s") % {"month": month_label(data.month)}
    rows = []
    for n, line in enumerate(data.lines, start=1):
        rows.append([
            str(n), f"{line.code} {line.name}".strip(), line.unit,
            str(_("basic") if line.list == "basic" else _("additional")),
            integer(line.quantity), money(line.tariff), money(line.value), money(line.amount),
        ])
    _start, end = month_bounds(data.month)
    blocks: list[Block] = [
        Fields([
            (_("Act number"), act.number if act else "—"),
            (_("Recipient of social services"), recipient.full_name),
            (_("Birth date"), day(recipient.birth_date)),
            (_("Address"), recipient.address or "—"),
            (_("Department"), department.name),
            (_("Period"), f"{day(data.month)} — {day(end)}"),
        ]),
        Heading(_("Services delivered"), level=2),
        Table(
            columns=[_("No."), _("Service"), _("Unit"), _("List"), _("Quantity"), _("Tariff"),
                     _("Value at tariff"), _("To pay")],
            rows=rows,
            total=["", _("Total"), "", "", integer(data.total_quantity), "",
                   money(data.total_value), money(data.total_amount)],
            widths=[0.5, 5, 1.2, 1.3, 1, 1.2, 1.4, 1.3],
        ),
        Paragraph(_("Value of the basic services at tariff (for information; they are paid, if at all, by the "
                    "monthly fee under the contract): %(value)s.") % {"value": money(data.basic_value)}),
        Paragraph(_("To pay for additional services: %(amount)s.") % {"amount": money(data.total_amount)},
                  bold=True),
        Paragraph(_("The services were delivered in full and on time; the recipient has no complaints about "
                    "their quantity and quality.")),
        Signatures([
            (_("Recipient of social services"), person_short(recipient)),
            (_("Social worker"), person_short(_worker_of_month(recipient, department, data.month))),
            (_("Head of department"), person_short(_head_of(department, end))),
        ]),
    ]
    if act and act.signed_on:
        blocks.append(Paragraph(_("Signed by the recipient on %(date)s.") % {"date": day(act.signed_on)}))
    return Document(title=title, header=_header(org), blocks=blocks)


def urgent_act_document(act: UrgentAct) -> Document:
    recipient = act.recipient
    rows = []
    lines = act.deliveries.select_related("service").order_by("service__code", "id")
    total, to_pay = 0, Decimal("0")
    for n, line in enumerate(lines, start=1):
        rows.append([str(n), f"{line.service.code} {line.service.name}".strip(), line.service.unit,
                     integer(line.quantity), money(line.amount)])
        total += line.quantity
        to_pay += line.amount
    blocks: list[Block] = [
        Fields([
            (_("Date"), day(act.date)),
            (_("Recipient of social services"), recipient.full_name),
            (_("Birth date"), day(recipient.birth_date)),
            (_("Address"), recipient.address or "—"),
            (_("Department"), act.department.name),
        ]),
        Heading(_("Situation (why urgent help is needed)"), level=2),
        Paragraph(act.situation or "—", align="justify"),
        Heading(_("Urgent social services provided"), level=2),
        Table(columns=[_("No."), _("Service"), _("Unit"), _("Quantity"), _("To pay")], rows=rows,
              total=["", _("Total"), "", integer(total), money(to_pay)], widths=[0.5, 5.2, 1.3, 1.2, 1.3]),
        Paragraph(_("Urgent social services are provided free of charge.")),
    ]
    if to_pay:
        blocks.append(Paragraph(_("To pay for additional services: %(amount)s.") % {"amount": money(to_pay)},
                                bold=True))
    blocks += [
        Signatures([
            (_("Recipient of social services"), person_short(recipient)),
            (_("Employee"), person_short(act.worker)),
        ]),
    ]
    return Document(title=_("Act of urgent social services No. %(number)s") % {"number": act.number},
                    header=_header(act.organisation), blocks=blocks)
