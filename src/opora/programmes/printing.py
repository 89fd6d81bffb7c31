"""Printed forms: the individual programme (layout of Минтруд order 874н) and the contract on social services.

Builders return an ``opora.documents.model.Document``; the views serve it as DOCX or PDF.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from opora.core.reference import ServiceType
from opora.documents.model import Block, Document, Fields, Heading, Paragraph, Signatures, Table
from opora.lib.collation import natural_key
from opora.lib.formats import day, day_range, long_day, money, short_name
from opora.programmes import queries
from opora.programmes.models import Contract, Payment, Programme
from opora.programmes.rules import volume_text


def _person_name(recipient) -> str:
    return short_name(recipient.last_name, recipient.first_name, recipient.patronymic)


def _header(organisation) -> list[str]:
    return [line for line in (organisation.name, organisation.address) if line]


def _volume(item) -> str:
    return volume_text(item.volume, item.service.unit, item.period)


def _service_rows(programme: Programme, term: str) -> list[list[str]]:
    """Rows grouped by type of service, each group under a row naming it (as in the 874н form)."""
    items = sorted(programme.items.all(), key=lambda i: (list(ServiceType.values).index(i.service.type)
                                                         if i.service.type in ServiceType.values else 99,
                                                         natural_key(i.service.code)))
    rows: list[list[str]] = []
    current = None
    for n, item in enumerate(items, start=1):
        if item.service.type != current:
            current = item.service.type
            label = ServiceType(current).label if current in ServiceType.values else current
            rows.append(["", str(label), "", "", "", ""])
        periodicity = item.periodicity or ""
        if item.conditions:
            periodicity = f"{periodicity}; {item.conditions}" if periodicity else item.conditions
        rows.append([str(n), item.service.name, _volume(item), periodicity, term, ""])
    return rows


def programme_document(programme: Programme) -> Document:
    """The individual programme of social services: sections 1–5 of the 874н form, the long-term care
    supplement when a level of care need is set, and the signatures."""
    r = programme.recipient
    org = programme.organisation
    term = day_range(programme.valid_from, programme.valid_to)
    blocks: list[Block] = [
        Fields([(_("Programme drawn up on"), day(programme.drawn_up_on)), (_("Term of the programme"), term),
                (_("Review date"), day(programme.review_on) or "—")]),
        Heading(_("1. The recipient of social services"), level=2),
        Fields([
            (_("Last name, first name, patronymic"), r.full_name),
            (_("Birth date"), day(r.birth_date)),
            (_("Address of residence"), ", ".join(p for p in (str(r.settlement or ""), r.address) if p) or "—"),
            (_("SNILS"), r.snils_display or "—"),
            (_("Phone"), ", ".join(p for p in (r.phone, r.phone_extra) if p) or "—"),
        ]),
        Heading(_("2. Form of social service"), level=2),
        Paragraph(str(programme.get_form_display())),
        Heading(_("3. Social services"), level=2),
        Table(columns=["№", _("Social service"), _("Volume"), _("Periodicity"), _("Term of provision"),
                       _("Mark of provision")],
              rows=_service_rows(programme, term), widths=[0.6, 5, 2.2, 2.2, 2.4, 1.8]),
        Heading(_("4. Provider of social services"), level=2),
        Fields([(_("Provider"), programme.provider or org.name), (_("Department"), programme.department.name),
                (_("Address"), org.address or "—")]),
        Heading(_("5. Social support measures"), level=2),
        Paragraph(programme.support_measures or _("Not required."), align="justify"),
    ]
    if programme.care_level or programme.weekly_hours:
        blocks += [
            Heading(_("Supplement: long-term care"), level=2),
            Fields([
                (_("Level of care need"), str(programme.care_level or "—")),
                (_("Package of care, hours a week"), str(programme.weekly_hours or "—")),
                (_("Days a week"), str(programme.days_per_week or "—")),
                (_("Visits a day"), str(programme.visits_per_day or "—")),
            ]),
        ]
    blocks.append(Signatures([
        (_("Recipient of social services (legal representative)"), _person_name(r)),
        (_("Authorised official of the provider"), _signatory(programme)),
    ]))
    subtitle = _("№ %(number)s of %(day)s") % {"number": programme.number, "day": day(programme.drawn_up_on)}
    if programme.version > 1:
        subtitle += ", " + _("version %(version)s") % {"version": programme.version}
    return Document(title=_("INDIVIDUAL PROGRAMME OF SOCIAL SERVICES"), subtitle=subtitle,
                    header=_header(org), blocks=blocks)


def _signatory(programme: Programme) -> str:
    contract = queries.contracts_of(programme).order_by("-signed_on").first()
    if contract is not None and contract.signatory:
        return contract.signatory
    return queries.director_name(programme.organisation_id) or "____________"


def _payment_text(payment: str, fee) -> str:
    if payment == Payment.FREE:
        return _("Social services under the programme are provided free of charge.")
    label = _("partly paid") if payment == Payment.PARTLY_PAID else _("paid")
    return _("Social services under the programme are %(label)s. The monthly fee is %(fee)s roubles, paid by "
             "the 10th day of the month following the month of service.") % {"label": label, "fee": money(fee)}


def contract_document(contract: Contract) -> Document:
    """The contract on the provision of social services (442-ФЗ art. 17): parties, subject with the services of
    the programme, payment terms and the monthly fee in figures, term, termination grounds, amendments,
    signatures."""
    r = contract.recipient
    org = contract.organisation
    programme = contract.programme
    signatory = contract.signatory or "____________"
    parties = _(
        "%(provider)s, hereinafter the Provider, represented by %(signatory)s, on the one hand, and %(recipient)s, "
        "born %(birth)s, residing at %(address)s, SNILS %(snils)s, hereinafter the Recipient, on the other hand, "
        "have concluded this contract as follows."
    ) % {"provider": org.name, "signatory": signatory, "recipient": r.full_name, "birth": day(r.birth_date),
         "address": ", ".join(p for p in (str(r.settlement or ""), r.address) if p) or "—",
         "snils": r.snils_display or "—"}
    rows = []
    cost_lines = queries.programme_cost_lines(programme, contract.valid_from)
    for n, line in enumerate(cost_lines, start=1):
        item = line.item
        rows.append([str(n), item.service.name, _volume(item), money(line.tariff) if line.tariff is not None else "—"])
    terms = queries.terms_in_force(contract, contract.valid_from)
    blocks: list[Block] = [
        Paragraph(parties, align="justify"),
        Heading(_("1. Subject of the contract"), level=2),
        Paragraph(_("The Provider undertakes to provide the Recipient with social services in the form "
                    "«%(form)s» under the individual programme № %(number)s of %(day)s, in the volume and on the "
                    "terms it sets; the Recipient undertakes to accept them and pay for them on the terms of this "
                    "contract. The services (the programme is attached and is an integral part of the contract):")
                  % {"form": programme.get_form_display(), "number": programme.number,
                     "day": day(programme.drawn_up_on)}, align="justify"),
        Table(columns=["№", _("Social service"), _("Volume"), _("Tariff, roubles")], rows=rows,
              widths=[0.6, 6, 2.5, 1.8]),
        Heading(_("2. Payment"), level=2),
        Paragraph(_payment_text(terms.payment, terms.monthly_fee), align="justify"),
        Fields([(_("Payment terms"), str(Payment(terms.payment).label)),
                (_("Monthly fee, roubles"), money(terms.monthly_fee))]),
        Paragraph(_("The fee is set under art. 31–32 of Federal Law No. 442-FZ and changes by an additional "
                    "agreement when the Recipient's income or the tariffs change. Additional services beyond the "
                    "programme are paid at the Provider's tariffs."), align="justify"),
        Heading(_("3. Term of the contract"), level=2),
        Paragraph(_("The contract comes into force on %(start)s and is valid until %(end)s.")
                  % {"start": day(contract.valid_from),
                     "end": day(contract.valid_to) or _("the end of the programme")}),
        Heading(_("4. Termination of the contract"), level=2),
        Paragraph(_("Social service is suspended or ended, and the contract terminated, on the grounds of art. 17 "
                    "and 18 of Federal Law No. 442-FZ: by agreement of the parties; at the Recipient's written "
                    "request; when the term of the contract or of the programme expires; upon breach of the "
                    "contract by either party; upon the Recipient's death or the liquidation of the Provider; upon "
                    "a court ruling recognising the Recipient as missing or dead; upon the Recipient's custodial "
                    "sentence."), align="justify"),
    ]
    amendments = list(contract.amendments.all())
    if amendments:
        blocks += [
            Heading(_("Additional agreements"), level=2),
            Table(columns=["№", _("Signed on"), _("Valid from"), _("What changes"), _("Monthly fee, roubles")],
                  rows=[[str(a.number), day(a.signed_on), day(a.valid_from), a.description,
                         money(a.monthly_fee) if a.monthly_fee is not None else ""] for a in amendments],
                  widths=[0.6, 1.6, 1.6, 5, 1.8]),
        ]
    if contract.terminated_on:
        blocks.append(Paragraph(_("Terminated on %(day)s: %(reason)s.") % {
            "day": day(contract.terminated_on), "reason": contract.get_termination_reason_display()}, bold=True))
    blocks += [
        Heading(_("5. Signatures of the parties"), level=2),
        Signatures([(_("Provider"), signatory), (_("Recipient"), _person_name(r))]),
    ]
    return Document(title=_("CONTRACT ON THE PROVISION OF SOCIAL SERVICES"),
                    subtitle=_("№ %(number)s, %(day)s") % {"number": contract.number,
                                                           "day": long_day(contract.signed_on)},
                    header=_header(org), blocks=blocks)
