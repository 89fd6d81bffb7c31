"""Test data for the journal of services: a small catalogue and a programme made directly with the ORM."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from opora.catalogue.models import Service, Tariff
from opora.programmes.models import Programme, ProgrammeItem

D = datetime.date
PROGRAMME_FROM = D(2020, 1, 10)
PROGRAMME_TO = D(2020, 12, 31)


@dataclass
class Catalogue:
    monthly: Service  # basic, 8 a month in the programme, tariff 100
    weekly: Service  # basic, 2 a week, tariff 40
    termly: Service  # basic, 5 for the whole term, tariff 300
    not_in_programme: Service  # basic, not in the programme
    additional: Service  # additional: 50.00 until 15.03.2020, 60.00 from 16.03.2020
    urgent: Service  # urgent type, free
    inactive: Service


def make_catalogue(org) -> Catalogue:
    def service(code, name, *, list_="basic", type_="household", prices=(), active=True):
        s = Service.objects.create(organisation=org, code=code, name=name, type=type_, list=list_,
                                   unit="услуга", is_active=active)
        for valid_from, price in prices:
            Tariff.objects.create(service=s, valid_from=valid_from, price=Decimal(price))
        return s

    return Catalogue(
        monthly=service("1.01", "Покупка продуктов", prices=[(D(2019, 1, 1), "100.00")]),
        weekly=service("1.02", "Уборка жилого помещения", prices=[(D(2019, 1, 1), "40.00")]),
        termly=service("1.03", "Содействие в ремонте жилья", prices=[(D(2019, 1, 1), "300.00")]),
        not_in_programme=service("1.04", "Стирка белья", prices=[(D(2019, 1, 1), "70.00")]),
        additional=service("9.01", "Мытьё окон", list_="additional",
                           prices=[(D(2019, 1, 1), "50.00"), (D(2020, 3, 16), "60.00")]),
        urgent=service("8.01", "Обеспечение продуктовым набором", type_="urgent", prices=[]),
        inactive=service("1.99", "Снятая услуга", active=False, prices=[(D(2019, 1, 1), "10.00")]),
    )


def make_programme(recipient, department, cat: Catalogue, *, valid_from=PROGRAMME_FROM, valid_to=PROGRAMME_TO,
                   number="П-1", version=1, status="active") -> Programme:
    programme = Programme.objects.create(
        organisation=recipient.organisation, recipient=recipient, number=number, version=version,
        drawn_up_on=valid_from, valid_from=valid_from, valid_to=valid_to, form="home", department=department,
        status=status,
    )
    ProgrammeItem.objects.create(programme=programme, service=cat.monthly, volume=8, period="month")
    ProgrammeItem.objects.create(programme=programme, service=cat.weekly, volume=2, period="week")
    ProgrammeItem.objects.create(programme=programme, service=cat.termly, volume=5, period="term")
    return programme
