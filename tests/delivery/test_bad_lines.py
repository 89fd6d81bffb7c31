"""One table of bad journal lines, each run through the web form, the API and the exchange import: all three refuse
it with the same message (delivery/rules.py says it once)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from opora.catalogue.models import Service
from opora.delivery.models import Delivery, UrgentAct
from tests.factories_delivery import make_catalogue, make_programme

D = datetime.date
HOME1 = "ОСО на дому №1"
PERSON = "Фёдорова Алёна Петровна"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@dataclass
class Setup:
    world: object
    cat: object
    base: Delivery  # the line the web form edits into the bad one
    services: dict[str, Service] = field(default_factory=dict)


@pytest.fixture
def setup(world):
    cat = make_catalogue(world.org)
    make_programme(world.in_caseload, world.home1, cat)  # П-1/1, 10.01.2020–31.12.2020
    no_tariff = Service.objects.create(organisation=world.org, code="9.02", name="Мытьё дверей", type="household",
                                       list="additional", unit="услуга")
    other = Service.objects.create(organisation=world.other_org, code="7.77", name="Чужая услуга", type="household",
                                   list="basic", unit="услуга")
    base = Delivery.objects.create(organisation=world.org, recipient=world.in_caseload, department=world.home1,
                                   service=cat.additional, worker=world.worker, date=D(2020, 7, 1), quantity=1,
                                   list="additional")
    # the line the duplicate repeats
    Delivery.objects.create(organisation=world.org, recipient=world.in_caseload, department=world.home1,
                            service=cat.monthly, worker=world.worker, date=D(2020, 3, 2), quantity=1, list="basic")
    services = {"monthly": cat.monthly, "not_in_programme": cat.not_in_programme, "additional": cat.additional,
                "no_tariff": no_tariff, "urgent": cat.urgent, "other": other}
    return Setup(world, cat, base, services)


TOMORROW = timezone.localdate() + datetime.timedelta(days=1)

# name, service, date, quantity, the message (formatted with the setup), the channels that refuse it
CASES = [
    ("future date", "monthly", TOMORROW, 1, "The date cannot be in the future.", "form api import"),
    ("quantity 0", "monthly", D(2020, 6, 1), 0, "The quantity must be at least 1.", "form api import"),
    ("not enrolled", "monthly", D(2020, 1, 5), 1,
     f"{PERSON} is not enrolled in the department «{HOME1}» on 05.01.2020.", "form api import"),
    ("basic service without a programme", "monthly", D(2021, 2, 1), 1,
     f"{PERSON} has no individual programme for the department «{HOME1}» in force on 01.02.2021: "
     "a basic service needs one.", "form api import"),
    ("basic service not in the programme", "not_in_programme", D(2020, 6, 1), 1,
     "The service «Стирка белья» is not in the programme № П-1/1 in force on 01.06.2020.", "form api import"),
    ("over the volume without a reason", "monthly", D(2020, 6, 1), 9,
     "The programme allows 8 a month of «Покупка продуктов»; 0 already delivered from 01.06.2020 to 30.06.2020, "
     "so 9 would exceed it. Record the reason for exceeding the volume.", "form api import"),
    ("additional service without a tariff", "no_tariff", D(2020, 6, 2), 1,
     "The service «Мытьё дверей» has no tariff on 02.06.2020.", "form api import"),
    # The import puts urgent lines on acts of urgent services it creates (test below): it does not refuse them.
    ("urgent service without an act", "urgent", D(2020, 6, 1), 1,
     "Urgent services are recorded with an act of urgent services.", "form api"),
    # Identical lines of an exchange file are told apart by their position (EXCHANGE.md): a file line equal to one
    # in the journal is that line, imported again, so the import cannot call it a duplicate.
    ("duplicate", "monthly", D(2020, 3, 2), 1,
     "A line for this service, person, date and worker already exists: increase its quantity instead.", "form api"),
]


def messages_of_form(s: Setup, service: Service, day: D, quantity: int) -> list[str]:
    c = s.world.client("director")
    response = c.post(reverse("delivery:line_edit", args=[s.base.pk]), {
        "date": day.isoformat(), "service": service.pk, "quantity": quantity, "worker": s.world.worker.pk,
        "over_volume_reason": ""})
    assert response.status_code == 200, "the form accepted the line"
    return [str(m) for errors in response.context["form"].errors.values() for m in errors]


def messages_of_api(s: Setup, service: Service, day: D, quantity: int) -> list[str]:
    c = s.world.client("director")
    body = {"recipient_id": s.world.in_caseload.pk, "department_id": s.world.home1.pk, "service_id": service.pk,
            "worker_id": s.world.worker.pk, "date": day.isoformat(), "quantity": quantity}
    response = c.post("/api/v1/deliveries", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422, response.content
    return [d["msg"] for d in response.json()["detail"]]


def import_line(tmp_path: Path, s: Setup, code: str, day: D, quantity: int) -> tuple[int, list[str]]:
    directory = tmp_path / "journal"
    directory.mkdir(exist_ok=True)
    with (directory / "deliveries.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["recipient_id", "department_code", "service_code", "date", "quantity", "worker_tab_no",
                         "amount"])
        writer.writerow([f"opora-{s.world.in_caseload.pk}", "home1", code, day.isoformat(), quantity,
                         s.world.worker.tab_no, ""])
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", str(directory), "--quiet", "--organisation", "kcson", stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return exc.returncode, err.getvalue().splitlines()
    return 0, []


def messages_of_import(tmp_path: Path, s: Setup, service: Service, day: D, quantity: int) -> list[str]:
    status, lines = import_line(tmp_path, s, service.code, day, quantity)
    assert status != 0, "the import accepted the line"
    prefix = "deliveries.csv:2: "
    return [line[len(prefix):].split(": ", 1)[1] for line in lines if line.startswith(prefix)]


@pytest.mark.parametrize("name, service, day, quantity, message, channels", CASES, ids=[c[0] for c in CASES])
def test_each_bad_line_is_refused_with_the_same_message_everywhere(setup, tmp_path, name, service, day, quantity,
                                                                   message, channels):
    s = setup
    before = sorted(Delivery.objects.values_list("id", "service_id", "date", "quantity"))
    chosen = s.services[service]
    seen = {"form": messages_of_form(s, chosen, day, quantity), "api": messages_of_api(s, chosen, day, quantity)}
    if "import" in channels:
        seen["import"] = messages_of_import(tmp_path, s, chosen, day, quantity)
    assert seen == {channel: [message] for channel in channels.split()}
    assert sorted(Delivery.objects.values_list("id", "service_id", "date", "quantity")) == before


def test_another_organisations_service_is_refused_by_each_channel(setup, tmp_path):
    """Outside its organisation a service is refused everywhere. The form and the import see only the
    organisation's catalogue (a choice list, codes), so to them it is unknown; the API takes ids and answers
    an id outside the caller's scope as it answers an absent one (it does not tell that the id exists elsewhere)."""
    s = setup
    other = s.services["other"]
    assert messages_of_form(s, other, D(2020, 6, 1), 1) == [
        "Select a valid choice. That choice is not one of the available choices."]
    assert messages_of_api(s, other, D(2020, 6, 1), 1) == [f"Not found: {other.pk}."]
    assert messages_of_import(tmp_path, s, other, D(2020, 6, 1), 1) == ["Unknown service «7.77»."]


def test_the_import_puts_urgent_lines_on_acts_of_urgent_services(setup, tmp_path):
    s = setup
    UrgentAct.objects.create(organisation=s.world.org, recipient=s.world.in_home2, department=s.world.urgent,
                             number="4/2020", date=D(2020, 5, 1))
    assert import_line(tmp_path, s, "8.01", D(2020, 6, 1), 2) == (0, [])
    line = Delivery.objects.get(service=s.cat.urgent)
    assert line.urgent_act is not None and line.urgent_act.number == "5/2020"
    assert (line.urgent_act.recipient, line.urgent_act.date, line.amount) == (s.world.in_caseload, D(2020, 6, 1), 0)
    assert import_line(tmp_path, s, "8.01", D(2020, 6, 1), 2) == (0, [])  # again: the same line, the same act
    assert UrgentAct.objects.count() == 2 and Delivery.objects.filter(service=s.cat.urgent).count() == 1


def test_history_before_the_first_programme_is_eligible_by_enrolment(world, tmp_path):
    """An organisation importing its past: a basic line before its first programme in Opora needs only the
    enrolment; from that programme on, the programme and its volume are checked as in the form."""
    cat = make_catalogue(world.org)
    s = Setup(world, cat, Delivery(), {})
    assert import_line(tmp_path, s, cat.monthly.code, D(2020, 3, 2), 20) == (0, [])  # no programme at all
    make_programme(world.in_home1_other_worker, world.home1, cat, valid_from=D(2020, 5, 1))  # someone else's
    assert import_line(tmp_path, s, cat.monthly.code, D(2020, 4, 30), 20) == (0, [])  # before it: history
    status, lines = import_line(tmp_path, s, cat.monthly.code, D(2020, 5, 4), 1)
    assert status == 1 and f"{PERSON} has no individual programme" in lines[0]


def test_the_import_counts_the_volume_in_file_order_and_again_without_doubling(world, tmp_path):
    cat = make_catalogue(world.org)
    make_programme(world.in_caseload, world.home1, cat)  # 8 a month of «Покупка продуктов»
    directory = tmp_path / "journal"
    directory.mkdir()

    def write(*lines: tuple[str, int]) -> tuple[int, str]:
        with (directory / "deliveries.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["recipient_id", "department_code", "service_code", "date", "quantity"])
            for day, quantity in lines:
                writer.writerow([f"opora-{world.in_caseload.pk}", "home1", cat.monthly.code, day, quantity])
        err = io.StringIO()
        try:
            call_command("import", str(directory), "--quiet", "--organisation", "kcson", stdout=io.StringIO(),
                         stderr=err)
        except CommandError as exc:
            return exc.returncode, str(exc) + err.getvalue()
        return 0, ""

    assert write(("2020-03-02", 5), ("2020-03-09", 3)) == (0, "")
    assert write(("2020-03-02", 5), ("2020-03-09", 3)) == (0, "")  # the same lines again: not counted twice
    status, text = write(("2020-03-02", 5), ("2020-03-09", 3), ("2020-03-16", 1))
    assert status == 1 and "deliveries.csv:4: quantity: The programme allows 8 a month" in text
    assert "8 already delivered from 01.03.2020 to 31.03.2020, so 9 would exceed it" in text
    assert sorted(Delivery.objects.values_list("date", "quantity")) == [(D(2020, 3, 2), 5), (D(2020, 3, 9), 3)]
