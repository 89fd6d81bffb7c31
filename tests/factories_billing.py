"""Rows the billing tests need from casework (programmes, contracts, the journal), created directly with the ORM."""

from __future__ import annotations

import datetime
from decimal import Decimal

from opora.billing.models import IncomeRecord, SubsistenceMinimum
from opora.catalogue.models import Service, Tariff
from opora.delivery.models import Delivery
from opora.intake.models import Application
from opora.programmes.models import Contract, ContractAmendment, Programme, ProgrammeItem

D = Decimal
REGION = "Тестовая область"


def service(org, code: str, price: str, list_: str = "basic", since=datetime.date(2019, 1, 1)) -> Service:
    s = Service.objects.create(organisation=org, code=code, name=f"Услуга {code}", type="household", list=list_,
                               unit="услуга")
    Tariff.objects.create(service=s, valid_from=since, price=D(price))
    return s


def programme(person, department, *, form="home", items=(), received_on=None, number=None) -> Programme:
    application = None
    if received_on is not None:
        application = Application.objects.create(
            organisation=person.organisation, number=f"A-{person.pk}", received_on=received_on, channel="in_person",
            recipient=person, requested_form=form, department=department,
            decision_due=received_on + datetime.timedelta(days=7))
    p = Programme.objects.create(
        organisation=person.organisation, recipient=person, application=application, number=number or f"P-{person.pk}",
        drawn_up_on=datetime.date(2020, 1, 20), valid_from=datetime.date(2020, 2, 1),
        valid_to=datetime.date(2022, 1, 31), form=form, department=department)
    for svc, volume, period in items:
        ProgrammeItem.objects.create(programme=p, service=svc, volume=volume, period=period)
    return p


def contract(person, prog, *, fee="0", payment="partly_paid", valid_from=datetime.date(2020, 2, 1), number=None,
             **extra) -> Contract:
    return Contract.objects.create(
        organisation=person.organisation, recipient=person, programme=prog, number=number or f"C-{person.pk}",
        signed_on=valid_from, valid_from=valid_from, payment=payment, monthly_fee=D(fee), **extra)


def amendment(contract_, number: int, valid_from, fee: str) -> ContractAmendment:
    return ContractAmendment.objects.create(contract=contract_, number=number, signed_on=valid_from,
                                            valid_from=valid_from, description="Изменение платы", monthly_fee=D(fee))


def delivery(person, department, svc, day, quantity=1, **extra) -> Delivery:
    tariff = svc.tariff_on(day) or D("0")
    amount = tariff * quantity if svc.list == "additional" else D("0")
    seq = Delivery.objects.filter(recipient=person, department=department, service=svc, date=day).count()
    return Delivery.objects.create(organisation=person.organisation, recipient=person, department=department,
                                   service=svc, date=day, quantity=quantity, list=svc.list, tariff=tariff,
                                   amount=amount, seq=seq, **extra)


def monthly_income(person, first: datetime.date, months: int, amount: str, member: str = "") -> None:
    day = first
    for _ in range(months):
        IncomeRecord.objects.create(organisation=person.organisation, recipient=person, member_name=member,
                                    source="пенсия", month=day, amount=D(amount))
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def region(org, name: str = REGION, year: int = 2020, per_capita: str = "15000", pensioner: str | None = None):
    org.region = name
    org.save()
    SubsistenceMinimum.objects.create(region=name, year=year, group="per_capita", amount=D(per_capita))
    if pensioner:
        SubsistenceMinimum.objects.create(region=name, year=year, group="pensioner", amount=D(pensioner))
