"""Test data for programmes and contracts: a small catalogue, a recognised application, programmes made through
the actions (so their checks run)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from opora.catalogue.models import Service, Tariff
from opora.intake.models import Application
from opora.programmes.actions import do_create_programme
from opora.programmes.models import Programme

D = datetime.date


@dataclass
class Services:
    shopping: Service  # basic household, 100.00 (120.00 from 01.07.2020)
    cleaning: Service  # basic household, 40.00
    repair: Service  # basic household, 300.00
    nurse: Service  # basic medical, 60.00
    windows: Service  # additional, 50.00
    retired: Service  # basic, inactive


def make_services(org) -> Services:
    def service(code, name, prices, *, list_="basic", type_="household", active=True):
        s = Service.objects.create(organisation=org, code=code, name=name, type=type_, list=list_, unit="услуга",
                                   is_active=active)
        for valid_from, price in prices:
            Tariff.objects.create(service=s, valid_from=valid_from, price=Decimal(price))
        return s

    return Services(
        shopping=service("1.01", "Покупка и доставка продуктов питания",
                         [(D(2019, 1, 1), "100.00"), (D(2020, 7, 1), "120.00")]),
        cleaning=service("1.02", "Уборка жилого помещения", [(D(2019, 1, 1), "40.00")]),
        repair=service("1.03", "Содействие в организации ремонта жилья", [(D(2019, 1, 1), "300.00")]),
        nurse=service("2.01", "Измерение артериального давления", [(D(2019, 1, 1), "60.00")], type_="medical"),
        windows=service("9.01", "Мытьё окон", [(D(2019, 1, 1), "50.00")], list_="additional"),
        retired=service("1.99", "Снятая услуга", [(D(2019, 1, 1), "10.00")], active=False),
    )


def recognised_application(world, recipient=None, *, decided_on: datetime.date | None = None,
                           number="З-1") -> Application:
    recipient = recipient or world.in_caseload
    decided_on = decided_on or D(2020, 1, 9)
    return Application.objects.create(
        organisation=world.org, number=number, received_on=D(2020, 1, 3), channel="in_person", recipient=recipient,
        requested_form="home", department=world.home1, status="recognised", decision_due=D(2020, 1, 13),
        decided_on=decided_on, decided_form="home")


def standard_items(s: Services) -> list[dict]:
    return [
        {"service": s.shopping, "volume": 8, "period": "month", "periodicity": "2 раза в неделю"},
        {"service": s.cleaning, "volume": 2, "period": "week", "periodicity": "по вторникам и пятницам"},
        {"service": s.repair, "volume": 6, "period": "term"},
    ]


def make_programme(world, s: Services, *, recipient=None, department=None, role="director", **data) -> Programme:
    values = {"drawn_up_on": D(2020, 1, 10), "valid_from": D(2020, 1, 10), "valid_to": D(2020, 12, 31),
              "form": "home", "department": department or world.home1}
    values.update(data)
    return do_create_programme(recipient or world.in_caseload, values, standard_items(s), actor=world.actor(role))
