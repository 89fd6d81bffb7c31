"""Printed billing documents: the receipt for a month's charge and the fee decision (opora.documents)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.billing import rules
from opora.billing.actions import recorded
from opora.billing.models import Charge, FeeDecision
from opora.documents.http import document_response
from opora.documents.model import Document, Fields, Paragraph, Signatures, Table
from opora.jurisdictions import jurisdiction_for
from opora.lib.formats import day, money, month_year, number, short_name
from opora.programmes.queries import director_name


def _header(org) -> list[str]:
    return [line for line in (org.name, getattr(org, "address", "")) if line]


def _ua(org) -> bool:
    """An organisation of the Ukrainian jurisdiction: money in hryvnias, income over 6 months."""
    return jurisdiction_for(org).currency == "UAH"


def receipt_document(charge: Charge) -> Document:
    person = charge.recipient
    rows = [["1", _("Fee for basic social services (by the fee decision)"), money(charge.basic_fee)],
            ["2", _("Additional social services at tariff"), money(charge.additional)]]
    return Document(
        title=_("RECEIPT No. %(number)s") % {"number": charge.receipt_number},
        subtitle=_("for social services for %(month)s") % {"month": month_year(charge.month)},
        header=_header(charge.organisation),
        blocks=[
            Fields([(_("Recipient of social services"), person.full_name),
                    (_("Address"), person.address or "—"),
                    (_("Month"), month_year(charge.month))]),
            Table(columns=["№", _("What for"), _("Amount, hryvnias") if _ua(charge.organisation)
                           else _("Amount, roubles")], rows=rows,
                  total=["", _("Total to pay"), money(charge.total)], widths=[1, 8, 3]),
            Paragraph(_("Pay by the 10th of the next month at the centre, by bank transfer or by deduction from "
                        "the pension.")),
            Signatures([(_("Accountant"), ""), (_("Recipient of social services"), person.full_name)]),
        ],
    )


def receipt_response(charge: Charge, fmt: str, *, actor: Actor) -> HttpResponse:
    response = document_response(receipt_document(charge), fmt, _("receipt-%(number)s") % {
        "number": charge.receipt_number})
    recorded(charge, actor=actor)
    return response


def fee_decision_document(decision: FeeDecision) -> Document:
    person = decision.recipient
    e = decision.explanation
    return Document(
        title=_("DECISION on the monthly fee for social services"),
        subtitle=_("of %(date)s") % {"date": day(decision.decided_on)},
        header=_header(decision.organisation),
        blocks=[
            Fields([
                (_("Recipient of social services"), person.full_name),
                (_("Individual programme"), str(decision.programme)),
                (_("Form of service"), str(decision.get_form_display())),
                (_("Household members"), str(decision.household_size)),
                (_("Household income for 6 months") if _ua(decision.organisation)
                 else _("Household income for 12 months"), money(decision.income_total)),
                (_("Average monthly income per capita"), money(decision.income_per_capita)),
                (_("Subsistence minimum"), money(decision.subsistence_minimum)),
                (_("Threshold coefficient"), number(decision.coefficient, None)),
                (_("Threshold"), money(decision.threshold)),
                (_("Monthly cost of the programme"), money(decision.programme_cost)),
                (_("Rule applied"), str(decision.get_branch_display())),
                (_("Monthly fee"), money(decision.fee)),
            ]),
            Paragraph(rules.describe(e), align="justify"),
            Signatures([(_("Director"), director_name(decision.organisation_id)),
                        (_("Recipient of social services"), short_name(person.last_name, person.first_name,
                                                                       person.patronymic))]),
        ],
    )


def fee_decision_response(decision: FeeDecision, fmt: str, *, actor: Actor) -> HttpResponse:
    response = document_response(fee_decision_document(decision), fmt, _("fee-decision-%(pk)s") % {
        "pk": decision.pk})
    recorded(decision, actor=actor)
    return response
