"""A small centre with known figures for 2020, imported through the exchange format (the real write path)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.utils import translation

from opora.billing.models import Charge
from opora.exchange.actions import do_import
from opora.intake.models import Application
from opora.org.models import Department, Organisation
from opora.people.models import Category, Enrolment, Recipient
from tests.exchange.test_import import build

# Known figures of the year 2020 (tests/exchange/test_import.py's small directory, plus the rows below):
# services 6 (home 5, urg 1; additional 3; service 1.1: 2; held by pensioners: 4), recipients 3 (home 2),
# income 341.00 from the journal + 750.00 of fees charged (R1, March) = 1 091.00, applications 3 (online 2),
# admitted 3 enrolments less 1 transfer = 2 … see the tests.


def small_centre(directory: Path) -> Organisation:
    for code in ("pensioner", "lonely", "labour_veteran"):
        Category.objects.get_or_create(code=code)
    departments = [["kind", "code", "name"],
                   ["home_care", "home", "Отделение социального обслуживания на дому"],
                   ["home_care", "home2", "Отделение социального обслуживания на дому № 2"],
                   ["urgent", "urg", "Отделение срочного социального обслуживания"]]
    enrolments = [["recipient_id", "department_code", "form", "admitted_on", "discharged_on", "discharge_reason",
                   "worker_tab_no"],
                  ["R1", "home", "home", "2020-01-10", "", "", "001"],
                  ["R2", "home", "home", "2020-01-10", "2020-06-30", "own_request", "001"],
                  # R2 moves to home2 the next day: a transfer, neither an admission nor a discharge of home care
                  ["R2", "home2", "home", "2020-07-01", "2020-11-30", "death", ""]]
    with translation.override("en"):
        result = do_import(build(directory, departments=departments, enrolments=enrolments))
    assert result.ok, result.problems.lines()
    org = Organisation.objects.get(code="imp")
    r1 = Recipient.objects.get(organisation=org, external_id="R1")
    home = Department.objects.get(organisation=org, code="home")
    Charge.objects.create(organisation=org, recipient=r1, month=datetime.date(2020, 3, 1), receipt_number="1",
                          basic_fee=Decimal("750.00"), total=Decimal("750.00"))
    for number, day, channel, status in (("1", "2020-01-05", "online", "recognised"),
                                         ("2", "2020-02-05", "online", "refused"),
                                         ("3", "2020-05-05", "in_person", "registered"),
                                         ("4", "2019-12-30", "online", "recognised")):
        received = datetime.date.fromisoformat(day)
        decided = received + datetime.timedelta(days=3) if status in ("recognised", "refused") else None
        Application.objects.create(organisation=org, number=number, received_on=received, decided_on=decided,
                                   channel=channel, requested_form="home", status=status, department=home,
                                   decision_due=received, recipient=r1)
    assert Enrolment.objects.filter(organisation=org).count() == 3
    return org
