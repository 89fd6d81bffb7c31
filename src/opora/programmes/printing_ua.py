"""The Ukrainian printed forms (Law «Про соціальні послуги» 2671-VIII): the individual plan of social services
and the contract on the provision of social services, in Ukrainian, for an organisation of the `ua` jurisdiction.

The same data as the Russian forms (programmes/printing.py), laid out as Ukraine's law frames them: the person's
РНОКПП instead of a SNILS, services by the code of the classifier of social services, payment by КМУ resolution
429, money in hryvnias. `programme_document_for` / `contract_document_for` choose by the organisation's
jurisdiction; a Ukrainian form is built in the language of the organisation's documents (Ukrainian).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from opora.documents.model import Block, Document, Fields, Heading, Paragraph, Signatures, Table
from opora.jurisdictions import jurisdiction_for
from opora.lib.formats import day, day_range, long_day, money
from opora.programmes import printing, queries
from opora.programmes.models import Contract, Payment, Programme


def programme_document_for(programme: Programme) -> Document:
    """The individual programme (Russia) or the individual plan (Ukraine) of the programme's organisation."""
    law = jurisdiction_for(programme.organisation)
    if law.code != "ua":
        return printing.programme_document(programme)
    with translation.override(law.language):
        return individual_plan_document(programme)


def contract_document_for(contract: Contract) -> Document:
    law = jurisdiction_for(contract.organisation)
    if law.code != "ua":
        return printing.contract_document(contract)
    with translation.override(law.language):
        return contract_document_ua(contract)


def _address(r) -> str:
    return ", ".join(p for p in (str(r.settlement or ""), r.address) if p) or "—"


def _service(item) -> str:
    return f"{item.service.code} {item.service.name}"


def individual_plan_document(programme: Programme) -> Document:
    """The individual plan of social services: the recipient, the needs assessment it follows, the services by the
    classifier with volume, periodicity and term, the provider, the expected results, the signatures."""
    r = programme.recipient
    org = programme.organisation
    term = day_range(programme.valid_from, programme.valid_to)
    items = sorted(programme.items.all(), key=lambda i: i.service.code)
    rows = []
    for n, item in enumerate(items, start=1):
        periodicity = item.periodicity or ""
        if item.conditions:
            periodicity = f"{periodicity}; {item.conditions}" if periodicity else item.conditions
        rows.append([str(n), _service(item), printing._volume(item), periodicity, term, ""])
    blocks: list[Block] = [
        Fields([(_("Plan drawn up on"), day(programme.drawn_up_on)), (_("Term of the plan"), term),
                (_("Review date"), day(programme.review_on) or "—")]),
        Heading(_("1. Information about the recipient of social services"), level=2),
        Fields([
            (_("Last name, first name, patronymic"), r.full_name),
            (_("Birth date"), day(r.birth_date)),
            (_("Address of residence"), _address(r)),
            (_("RNOKPP (taxpayer number)"), r.rntrc or "—"),
            (_("Phone"), ", ".join(p for p in (r.phone, r.phone_extra) if p) or "—"),
        ]),
        Heading(_("2. Grounds: the assessment of individual needs"), level=2),
        Paragraph(_("The plan is drawn up on the results of the assessment of the individual needs of the recipient "
                    "of social services, with the recipient's (legal representative's) participation."),
                  align="justify"),
        Heading(_("3. Social services"), level=2),
        Table(columns=["№", _("Social service (code of the classifier)"), _("Volume"), _("Periodicity"),
                       _("Term of provision"), _("Mark of provision")],
              rows=rows, widths=[0.6, 5, 2.2, 2.2, 2.4, 1.8]),
        Heading(_("4. Provider of social services"), level=2),
        Fields([(_("Provider"), programme.provider or org.name), (_("Department"), programme.department.name),
                (_("Address"), org.address or "—")]),
        Heading(_("5. Expected results and additional measures"), level=2),
        Paragraph(programme.support_measures or _("Not required."), align="justify"),
        Signatures([
            (_("Recipient of social services (legal representative)"), printing._person_name(r)),
            (_("Specialist of the provider who drew up the plan"), printing._signatory(programme)),
        ]),
    ]
    subtitle = _("№ %(number)s of %(day)s") % {"number": programme.number, "day": day(programme.drawn_up_on)}
    return Document(title=_("INDIVIDUAL PLAN OF PROVISION OF SOCIAL SERVICES"), subtitle=subtitle,
                    header=printing._header(org), blocks=blocks)


def _payment_text_ua(payment: str, fee) -> str:
    if payment == Payment.FREE:
        return _("Social services are provided free of charge (art. 28 of the Law of Ukraine «On social "
                 "services»).")
    return _("Social services are provided with a payment of %(fee)s hryvnias a month, set by the procedure of "
             "the Cabinet of Ministers of Ukraine resolution No. 429 of 01.06.2020 from the average monthly income "
             "of the recipient over the last six months; paid by the 10th day of the month following the month of "
             "service.") % {"fee": money(fee)}


def contract_document_ua(contract: Contract) -> Document:
    """The contract on the provision of social services (Law of Ukraine «Про соціальні послуги»)."""
    r = contract.recipient
    org = contract.organisation
    programme = contract.programme
    signatory = contract.signatory or "____________"
    parties = _(
        "%(provider)s, hereinafter the Provider, represented by %(signatory)s, on the one hand, and %(recipient)s, "
        "born %(birth)s, residing at %(address)s, RNOKPP %(rntrc)s, hereinafter the Recipient, on the other hand, "
        "have concluded this contract as follows."
    ) % {"provider": org.name, "signatory": signatory, "recipient": r.full_name, "birth": day(r.birth_date),
         "address": _address(r), "rntrc": r.rntrc or "—"}
    rows = []
    for n, line in enumerate(queries.programme_cost_lines(programme, contract.valid_from), start=1):
        rows.append([str(n), _service(line.item), printing._volume(line.item),
                     money(line.tariff) if line.tariff is not None else "—"])
    terms = queries.terms_in_force(contract, contract.valid_from)
    blocks: list[Block] = [
        Paragraph(parties, align="justify"),
        Heading(_("1. Subject of the contract"), level=2),
        Paragraph(_("The Provider undertakes to provide the Recipient with social services under the individual "
                    "plan № %(number)s of %(day)s, drawn up on the results of the assessment of individual needs; "
                    "the Recipient undertakes to accept them on the terms of this contract. The services (the "
                    "individual plan is attached and is an integral part of the contract):")
                  % {"number": programme.number, "day": day(programme.drawn_up_on)}, align="justify"),
        Table(columns=["№", _("Social service (code of the classifier)"), _("Volume"), _("Tariff, hryvnias")],
              rows=rows, widths=[0.6, 6, 2.5, 1.8]),
        Heading(_("2. Payment"), level=2),
        Paragraph(_payment_text_ua(terms.payment, terms.monthly_fee), align="justify"),
        Fields([(_("Payment terms"), str(Payment(terms.payment).label)),
                (_("Monthly payment, hryvnias"), money(terms.monthly_fee))]),
        Heading(_("3. Term of the contract"), level=2),
        Paragraph(_("The contract comes into force on %(start)s and is valid until %(end)s.")
                  % {"start": day(contract.valid_from),
                     "end": day(contract.valid_to) or _("the end of the programme")}),
        Heading(_("4. Termination of the contract"), level=2),
        Paragraph(_("The provision of social services is ended and the contract terminated: at the written request "
                    "of the Recipient (legal representative); when the term of the contract expires; when the "
                    "Recipient's needs are met; upon breach of the contract by either party; upon the Recipient's "
                    "death; on other grounds set by the Law of Ukraine «On social services»."), align="justify"),
    ]
    if contract.terminated_on:
        blocks.append(Paragraph(_("Terminated on %(day)s: %(reason)s.") % {
            "day": day(contract.terminated_on), "reason": contract.get_termination_reason_display()}, bold=True))
    blocks += [
        Heading(_("5. Signatures of the parties"), level=2),
        Signatures([(_("Provider"), signatory), (_("Recipient"), printing._person_name(r))]),
    ]
    return Document(title=_("CONTRACT ON THE PROVISION OF SOCIAL SERVICES"),
                    subtitle=_("№ %(number)s, %(day)s") % {"number": contract.number,
                                                           "day": long_day(contract.signed_on)},
                    header=printing._header(org), blocks=blocks)
