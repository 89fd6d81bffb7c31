"""`opora import DIR`: the exchange format read from CSV (cp1251 with `;`, UTF-8 BOM with `,`) and XLSX."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone, translation
from openpyxl import Workbook

from opora.audit.models import AuditEvent
from opora.catalogue.models import Service, Tariff
from opora.delivery.models import Delivery, UrgentAct
from opora.exchange.validate import TARIFF_VALID_FROM
from opora.org.models import AssignmentPlan, Department, Employee, Organisation, Settlement
from opora.people.models import Category, Enrolment, Recipient

MODELS: list[type[models.Model]] = [Organisation, Department, Employee, Settlement, Recipient, Enrolment, Service,
                                    Tariff, Delivery, AssignmentPlan, AuditEvent]


def write_csv(path: Path, rows: list[list[str]], *, encoding: str, delimiter: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    book = Workbook()
    sheet = book.active
    for r in rows:
        sheet.append(r)
    book.save(path)


ORGANISATION = [["code", "name", "region", "address", "founder"],
                ["imp", "КЦСОН «Импорт»", "Тверская область", "г. Тверь, ул. Советская, 1", "Минсоцзащиты"]]
DEPARTMENTS = [["kind", "code", "name"],  # column order is free
               ["home_care", "home", "Отделение социального обслуживания на дому"],
               ["urgent", "urg", "Отделение срочного социального обслуживания"]]
WORKERS = [["tab_no", "full_name", "position", "department_code", "hired_on", "dismissed_on"],
           ["001", "Сидорова Анна Петровна", "social_worker", "home", "01.03.2015", ""],
           ["002", "Кузнецов Пётр", "department_head", "home", "2010-09-01", ""]]
RECIPIENTS = [["external_id", "last_name", "first_name", "patronymic", "sex", "birth_date", "snils", "settlement",
               "sector", "categories"],
              ["R1", "Фёдорова", "Алёна", "Петровна", "F", "01.05.1940", "112-233-445 95", "Тверь", "city",
               "pensioner|lonely"],
              ["R2", "Иванов", "Иван", "", "M", "1938-02-11", "", "Михайловка", "rural", ""],
              ["R3", "Петров", "Пётр", "Петрович", "M", "1950-12-31", "", "", "", "labour_veteran"]]
ENROLMENTS = [["recipient_id", "department_code", "form", "admitted_on", "discharged_on", "discharge_reason",
               "worker_tab_no"],
              ["R1", "home", "home", "2020-01-10", "", "", "001"],
              ["R2", "home", "home", "2020-01-10", "2020-06-30", "own_request", "001"]]
SERVICES = [["code", "name", "type", "list", "unit", "tariff", "time_norm_min"],
            ["1.1", "Покупка и доставка продуктов", "household", "basic", "услуга", "32.00", 30],
            ["Д1.1", "Мытье окон", "household", "additional", "окно", 120.5, 40],
            ["8.1", "Горячее питание", "urgent", "basic", "услуга", "0", None]]
DELIVERIES = [["recipient_id", "department_code", "service_code", "date", "quantity", "worker_tab_no", "amount"],
              ["R1", "home", "1.1", "2020-02-03", "", "001", ""],
              ["R1", "home", "1.1", "2020-02-03", "", "001", ""],  # an identical line: seq 1
              ["R1", "home", "Д1.1", "03.02.2020", "2", "001", ""],  # additional: 2 × 120.50
              ["R2", "home", "Д1.1", "2020-03-03", "1", "", "100,00"],  # amount given
              ["R3", "urg", "8.1", "2020-04-01", "1", "", ""]]  # urgent: no enrolment needed
ASSIGNMENT = [["department_code", "year", "services_plan", "recipients_plan"],
              ["home", "2020", "150000", "400"]]


def build(directory: Path, **override: list[list]) -> Path:
    """The small exchange directory: cp1251 `;`, UTF-8 BOM `,`, plain UTF-8 and one XLSX file."""
    directory.mkdir(parents=True, exist_ok=True)
    data = {"organisation": ORGANISATION, "departments": DEPARTMENTS, "workers": WORKERS, "recipients": RECIPIENTS,
            "enrolments": ENROLMENTS, "services": SERVICES, "deliveries": DELIVERIES, "assignment": ASSIGNMENT}
    data.update(override)
    for name, rows in data.items():
        for old in directory.glob(f"{name}.*"):
            old.unlink()
        if name == "services":
            write_xlsx(directory / "services.xlsx", rows)
            continue
        text_rows = [[str(c) for c in r] for r in rows]
        if name in ("recipients", "workers", "assignment"):
            write_csv(directory / f"{name}.csv", text_rows, encoding="cp1251", delimiter=";")
        elif name in ("deliveries", "departments"):
            write_csv(directory / f"{name}.csv", text_rows, encoding="utf-8-sig", delimiter=",")
        else:
            write_csv(directory / f"{name}.csv", text_rows, encoding="utf-8", delimiter=";")
    return directory


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in MODELS}  # type: ignore[attr-defined]


def checksum() -> str:
    """A digest of every row of the imported tables (all columns but timestamps)."""
    h = hashlib.sha256()
    for model in MODELS[:-1]:
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in ("created_at", "updated_at")]
        for row in model.objects.order_by("pk").values_list(*names):  # type: ignore[attr-defined]
            h.update(repr(row).encode())
    for row in Recipient.categories.through.objects.order_by("pk").values_list("recipient_id", "category_id"):
        h.update(repr(row).encode())
    return h.hexdigest()


def run(directory: Path, *args: str) -> tuple[int, str, str]:
    """Run the command as a user would; return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with translation.override("en"):
            call_command("import", str(directory), "--quiet", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def categories(db):
    for code in ("pensioner", "lonely", "labour_veteran"):
        Category.objects.get_or_create(code=code)


def test_it_imports_the_small_directory_exactly(tmp_path, categories):
    status, out, err = run(build(tmp_path / "x"))
    assert status == 0, err
    org = Organisation.objects.get(code="imp")
    assert org.name == "КЦСОН «Импорт»" and org.region == "Тверская область"
    assert dict(Department.objects.filter(organisation=org).values_list("code", "kind")) == {
        "home": "home_care", "urg": "urgent"}
    sidorova = Employee.objects.get(organisation=org, tab_no="001")
    assert (sidorova.last_name, sidorova.first_name, sidorova.patronymic) == ("Сидорова", "Анна", "Петровна")
    assert sidorova.hired_on == datetime.date(2015, 3, 1) and sidorova.search_name == "сидорова анна петровна"
    assert Employee.objects.get(tab_no="002").patronymic == ""
    r1 = Recipient.objects.get(organisation=org, external_id="R1")
    assert r1.snils == "11223344595" and r1.search_name == "федорова алена петровна"
    assert r1.settlement.name == "Тверь" and r1.sector == "city" and r1.status == "active"
    assert sorted(r1.categories.values_list("code", flat=True)) == ["lonely", "pensioner"]
    r2 = Recipient.objects.get(external_id="R2")
    assert r2.status == "inactive" and r2.settlement.organisation == org
    assert Settlement.objects.filter(organisation=org).count() == 2
    assert Enrolment.objects.filter(organisation=org).count() == 2
    e2 = Enrolment.objects.get(recipient=r2)
    assert e2.discharged_on == datetime.date(2020, 6, 30) and e2.discharge_reason == "own_request"
    assert e2.worker == sidorova
    windows = Service.objects.get(organisation=org, code="Д1.1")
    assert windows.list == "additional" and windows.time_norm_min == 40
    assert list(windows.tariffs.values_list("valid_from", "price")) == [(TARIFF_VALID_FROM, Decimal("120.50"))]
    lines = list(Delivery.objects.filter(organisation=org).order_by("date", "service__code", "seq").values_list(
        "recipient__external_id", "service__code", "seq", "quantity", "list", "tariff", "amount", "worker__tab_no"))
    assert lines == [
        ("R1", "1.1", 0, 1, "basic", Decimal("32.00"), Decimal("0.00"), "001"),
        ("R1", "1.1", 1, 1, "basic", Decimal("32.00"), Decimal("0.00"), "001"),
        ("R1", "Д1.1", 0, 2, "additional", Decimal("120.50"), Decimal("241.00"), "001"),
        ("R2", "Д1.1", 0, 1, "additional", Decimal("120.50"), Decimal("100.00"), None),
        ("R3", "8.1", 0, 1, "basic", Decimal("0.00"), Decimal("0.00"), None),
    ]
    stamps = set(Delivery.objects.values_list("created_at", flat=True))
    assert len(stamps) == 1 and abs((timezone.now() - stamps.pop()).total_seconds()) < 300
    # the urgent department's line is put on an act of urgent services, numbered as the web form numbers them
    assert Delivery.objects.filter(over_volume_reason="", urgent_act__isnull=True).count() == 4
    act = UrgentAct.objects.get(organisation=org)
    assert (act.recipient.external_id, act.department.code, act.number) == ("R3", "urg", "1/2020")
    assert list(act.deliveries.values_list("service__code", flat=True)) == ["8.1"]
    plan = AssignmentPlan.objects.get(organisation=org)
    assert (plan.department.code, plan.year, plan.services_plan, plan.recipients_plan) == ("home", 2020, 150000, 400)
    event = AuditEvent.objects.get(object_type="import")
    assert event.organisation == org and event.event_type == "created"
    assert event.changes["deliveries.csv"] == {"created": 5, "updated": 0}
    assert event.changes["services.xlsx"] == {"created": 3, "updated": 0}
    assert "deliveries.csv: 5 created, 0 updated" in out


def test_it_changes_nothing_when_the_same_files_are_imported_again(tmp_path, categories):
    directory = build(tmp_path / "x")
    assert run(directory)[0] == 0
    before, digest = counts(), checksum()
    status, out, _err = run(directory)
    assert status == 0
    assert counts() == before and checksum() == digest
    assert "0 created, 0 updated." in out
    assert AuditEvent.objects.filter(object_type="import").count() == 1


def test_it_updates_changed_rows_and_adds_new_ones(tmp_path, categories):
    directory = build(tmp_path / "x")
    assert run(directory)[0] == 0
    recipients = [r[:] for r in RECIPIENTS]
    recipients[2][3] = "Иванович"  # R2 gets a patronymic
    recipients[3][9] = ""  # R3 loses the category
    deliveries = [*DELIVERIES, ["R1", "home", "1.1", "2020-02-03", "", "001", ""]]  # a third identical line
    deliveries[3] = ["R1", "home", "Д1.1", "03.02.2020", "3", "001", ""]  # quantity 2 → 3
    build(directory, recipients=recipients, deliveries=deliveries)
    status, out, _err = run(directory)
    assert status == 0
    assert Recipient.objects.get(external_id="R2").search_name == "иванов иван иванович"
    assert not Recipient.objects.get(external_id="R3").categories.exists()
    assert "recipients.csv: 0 created, 2 updated" in out
    assert "deliveries.csv: 1 created, 1 updated" in out
    assert list(Delivery.objects.filter(service__code="1.1", recipient__external_id="R1")
                .order_by("seq").values_list("seq", flat=True)) == [0, 1, 2]
    assert Delivery.objects.get(service__code="Д1.1", recipient__external_id="R1").amount == Decimal("361.50")


def test_it_imports_into_the_organisation_named_on_the_command_line(tmp_path, categories):
    directory = build(tmp_path / "x")
    assert run(directory, "--organisation", "second")[0] == 0
    assert Organisation.objects.get(code="second").name == "КЦСОН «Импорт»"
    assert not Organisation.objects.filter(code="imp").exists()
    assert Delivery.objects.filter(organisation__code="second").count() == 5


def test_it_reads_a_journal_alone_into_an_existing_organisation(tmp_path, categories):
    directory = build(tmp_path / "x")
    assert run(directory)[0] == 0
    only = tmp_path / "journal"
    only.mkdir()
    write_csv(only / "deliveries.csv", [DELIVERIES[0], ["R1", "home", "1.1", "2020-02-04", "", "001", ""]],
              encoding="cp1251", delimiter=";")
    status, out, _err = run(only, "--organisation", "imp")
    assert status == 0 and "deliveries.csv: 1 created, 0 updated" in out
    assert run(only)[0] == 1  # without an organisation file it must be named


BAD = [
    # (file, rows replaced, expected line)
    ("recipients", lambda r: r.__setitem__(1, [*r[1][:6], "112-233-445 96", *r[1][7:]]),
     "recipients.csv:2: snils: SNILS checksum does not match: check the number."),
    ("departments", lambda r: r.__setitem__(2, ["shelter", "urg", "Приют"]),
     "departments.csv:3: kind: Unknown department kind «shelter»."),
    ("workers", lambda r: r.__setitem__(1, ["001", "Сидорова Анна", "social_worker", "home9", "01.03.2015", ""]),
     "workers.csv:2: department_code: Unknown department «home9»."),
    ("workers", lambda r: r.__setitem__(2, ["002", "Кузнецов Пётр", "boss", "home", "2010-09-01", ""]),
     "workers.csv:3: position: Unknown position «boss»."),
    ("recipients", lambda r: r.__setitem__(3, [*r[3][:9], "labour_veteran|martian"]),
     "recipients.csv:4: categories: Unknown category «martian»."),
    ("recipients", lambda r: r.__setitem__(3, [*r[3][:8], "downtown", ""]),
     "recipients.csv:4: sector: Unknown sector «downtown»."),
    ("enrolments", lambda r: r.__setitem__(1, ["R1", "home", "at_home", "2020-01-10", "", "", "001"]),
     "enrolments.csv:2: form: Unknown form of service «at_home»."),
    ("enrolments", lambda r: r.__setitem__(2, ["R2", "home", "home", "2020-01-10", "2020-06-30", "bored", "001"]),
     "enrolments.csv:3: discharge_reason: Unknown discharge reason «bored»."),
    ("enrolments", lambda r: r.__setitem__(1, ["R1", "home", "home", "2020-01-10", "", "", "777"]),
     "enrolments.csv:2: worker_tab_no: Unknown worker «777»."),
    ("services", lambda r: r.__setitem__(1, ["1.1", "Покупка", "cosmic", "basic", "услуга", "32", 30]),
     "services.xlsx:2: type: Unknown type of service «cosmic»."),
    ("services", lambda r: r.__setitem__(1, ["1.1", "Покупка", "household", "extra", "услуга", "32", 30]),
     "services.xlsx:2: list: Unknown list «extra» (expected basic or additional)."),
    ("deliveries", lambda r: r.__setitem__(5, ["R3", "urg", "9.9", "2020-04-01", "1", "", ""]),
     "deliveries.csv:6: service_code: Unknown service «9.9»."),
    ("deliveries", lambda r: r.__setitem__(2, ["R1", "home", "1.1", "2099-02-03", "", "001", ""]),
     "deliveries.csv:3: date: The date cannot be in the future."),
    ("deliveries", lambda r: r.__setitem__(2, ["R1", "home", "1.1", "31.02.2020", "", "001", ""]),
     "deliveries.csv:3: date: «31.02.2020» is not a date (expected YYYY-MM-DD or DD.MM.YYYY)."),
    ("deliveries", lambda r: r.__setitem__(1, ["R1", "home", "1.1", "2020-01-09", "", "001", ""]),
     "deliveries.csv:2: recipient_id: Фёдорова Алёна Петровна is not enrolled in the department "
     "«Отделение социального обслуживания на дому» on 09.01.2020."),
    ("deliveries", lambda r: r.__setitem__(4, ["R2", "home", "Д1.1", "2020-07-01", "1", "", ""]),
     "deliveries.csv:5: recipient_id: Иванов Иван is not enrolled in the department "
     "«Отделение социального обслуживания на дому» on 01.07.2020."),
    ("deliveries", lambda r: r.__setitem__(3, ["R1", "home", "Д1.1", "03.02.2020", "two", "001", ""]),
     "deliveries.csv:4: quantity: «two» is not a whole number."),
    ("deliveries", lambda r: r.__setitem__(4, ["R2", "home", "Д1.1", "2020-03-03", "1", "", "сто"]),
     "deliveries.csv:5: amount: «сто» is not a number."),
    ("deliveries", lambda r: r.__setitem__(1, ["", "home", "1.1", "2020-02-03", "", "001", ""]),
     "deliveries.csv:2: recipient_id: A value is required."),
    ("recipients", lambda r: r.append(["R1", "Двойников", "Дмитрий", "", "M", "1941-01-01", "", "", "", ""]),
     "recipients.csv:5: external_id: Duplicate «R1»: already on line 2."),
    ("enrolments", lambda r: r.append(["R1", "home", "home", "10.01.2020", "", "", ""]),
     "enrolments.csv:4: admitted_on: This row repeats the enrolment on line 2: the same recipient «R1», department "
     "«home» and admission date 10.01.2020. Merge the two rows or correct the date."),
    ("services", lambda r: r.append(["1.1", "Ещё раз", "household", "basic", "услуга", "1", 1]),
     "services.xlsx:5: code: Duplicate «1.1»: already on line 2."),
    ("recipients", lambda r: r.__setitem__(2, [*r[2][:4], "X", *r[2][5:]]),
     "recipients.csv:3: sex: Unknown sex «X» (expected M or F)."),
    ("recipients", lambda r: r.__setitem__(0, [*r[0][:9], "shoe_size"]),
     "recipients.csv:1: shoe_size: Unknown column."),
    ("workers", lambda r: [row.pop(4) for row in r],
     "workers.csv:1: hired_on: A required column is missing."),
]


@pytest.mark.parametrize(("name", "spoil", "expected"), BAD, ids=[b[2].split(":")[0] + ":" + b[2].split(":")[2]
                                                                   for b in BAD])
def test_it_names_each_problem_and_applies_nothing(tmp_path, categories, name, spoil, expected):
    originals = {"recipients": RECIPIENTS, "departments": DEPARTMENTS, "workers": WORKERS, "enrolments": ENROLMENTS,
                 "services": SERVICES, "deliveries": DELIVERIES}
    rows = [list(r) for r in originals[name]]
    spoil(rows)
    directory = build(tmp_path / "x", **{name: rows})
    before = counts()
    status, _out, err = run(directory)
    assert status == 1
    assert expected in err.splitlines(), err
    assert "nothing was imported" in err
    assert counts() == before


def test_it_applies_nothing_to_an_existing_organisation_when_a_later_file_is_bad(tmp_path, categories):
    directory = build(tmp_path / "x")
    assert run(directory)[0] == 0
    before, digest = counts(), checksum()
    departments = [*DEPARTMENTS, ["day_stay", "day", "Отделение дневного пребывания"]]
    deliveries = [*DELIVERIES, ["R9", "home", "1.1", "2020-02-03", "", "001", ""]]
    build(directory, departments=departments, deliveries=deliveries)
    status, _out, err = run(directory)
    assert status == 1 and "deliveries.csv:7: recipient_id: Unknown recipient «R9»." in err
    assert counts() == before and checksum() == digest
    assert not Department.objects.filter(code="day").exists()


def test_it_reports_every_problem_and_caps_the_list(tmp_path, categories, monkeypatch):
    monkeypatch.setattr("opora.exchange.validate.PROBLEMS_PER_FILE", 3)
    deliveries = [DELIVERIES[0], *[["R1", "home", f"X{i}", "2020-02-03", "", "001", ""] for i in range(5)]]
    directory = build(tmp_path / "x", deliveries=deliveries)
    status, _out, err = run(directory)
    assert status == 1
    lines = err.splitlines()
    assert [x for x in lines if x.startswith("deliveries.csv:")] == [
        "deliveries.csv:2: service_code: Unknown service «X0».",
        "deliveries.csv:3: service_code: Unknown service «X1».",
        "deliveries.csv:4: service_code: Unknown service «X2».",
        "deliveries.csv: 2 more problems not shown.",
    ]
    assert "5 problems found; nothing was imported." in err


def test_it_refuses_a_missing_directory(tmp_path, db):
    status, _out, err = run(tmp_path / "nowhere")
    assert status == 1 and "is not a directory" in err


def test_it_rebuilds_the_journal_indexes_after_a_large_first_import(tmp_path, categories, monkeypatch):
    """The journal's one bulk writer (delivery/bulk.py) drops and re-creates the journal's indexes around a large
    first insert (measured: docs/benchmarks.md); afterwards every index and constraint is back and enforced."""
    from django.db import IntegrityError, connection, transaction

    monkeypatch.setattr("opora.delivery.bulk.REBUILD_FROM", 1)
    with connection.cursor() as cursor:
        before = connection.introspection.get_constraints(cursor, "delivery_delivery")
    assert run(build(tmp_path / "x"))[0] == 0
    assert Delivery.objects.count() == 5
    with connection.cursor() as cursor:
        after = connection.introspection.get_constraints(cursor, "delivery_delivery")
    assert set(after) == set(before) and "delivery_line_unique" in after
    assert {k: (v["columns"], v["unique"], v["foreign_key"]) for k, v in after.items()} == {
        k: (v["columns"], v["unique"], v["foreign_key"]) for k, v in before.items()}
    line = Delivery.objects.filter(seq=1).values().get()
    line.pop("id")
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(**line)


SERVICES_WITH_HISTORY = [["code", "name", "type", "list", "unit", "tariff", "time_norm_min", "tariff_from"],
                         ["1.1", "Покупка и доставка продуктов", "household", "basic", "услуга", "32.00", 30, ""],
                         ["Д1.1", "Мытье окон", "household", "additional", "окно", "150", 40, "01.03.2020"],
                         ["Д1.1", "Мытье окон", "household", "additional", "окно", 120.5, 40, "2019-01-01"],
                         ["8.1", "Горячее питание", "urgent", "basic", "услуга", "0", None, ""]]


def test_it_reads_the_tariff_history_and_prices_each_line_at_its_date(tmp_path, categories):
    deliveries = [*DELIVERIES, ["R1", "home", "Д1.1", "2020-04-01", "2", "001", ""]]
    directory = build(tmp_path / "x", services=SERVICES_WITH_HISTORY, deliveries=deliveries)
    status, out, err = run(directory)
    assert status == 0, err
    windows = Service.objects.get(code="Д1.1")
    assert sorted(windows.tariffs.values_list("valid_from", "price")) == [
        (TARIFF_VALID_FROM, Decimal("120.50")), (datetime.date(2020, 3, 1), Decimal("150.00"))]
    assert list(Tariff.objects.filter(service__code="1.1").values_list("valid_from", flat=True)) == [TARIFF_VALID_FROM]
    lines = list(Delivery.objects.filter(service=windows, recipient__external_id="R1").order_by("date")
                 .values_list("date", "tariff", "amount"))
    assert lines == [(datetime.date(2020, 2, 3), Decimal("120.50"), Decimal("241.00")),
                     (datetime.date(2020, 4, 1), Decimal("150.00"), Decimal("300.00"))]
    assert "services.xlsx: 3 created, 0 updated" in out
    status, out, _err = run(directory)
    assert status == 0 and "0 created, 0 updated." in out
    # a changed price of one date updates that tariff only
    services = [r[:] for r in SERVICES_WITH_HISTORY]
    services[2][5] = "155"
    status, out, _err = run(build(directory, services=services, deliveries=deliveries))
    assert status == 0 and "services.xlsx: 0 created, 1 updated" in out
    assert windows.tariff_on(datetime.date(2020, 5, 1)) == Decimal("155.00")
    assert windows.tariff_on(datetime.date(2020, 2, 1)) == Decimal("120.50")


@pytest.mark.parametrize(("spoil", "expected"), [
    (lambda r: r.append(["Д1.1", "Мытье окон", "household", "additional", "окно", "99", 40, "2020-03-01"]),
     "services.xlsx:6: tariff_from: The service «Д1.1» already has a tariff from 01.03.2020 on line 3."),
    (lambda r: r.append(["1.1", "Покупка и доставка продуктов", "household", "basic", "услуга", "33", 30, ""]),
     "services.xlsx:6: tariff_from: The service «1.1» already has a tariff from 01.01.2019 on line 2."),
    (lambda r: r.append(["Д1.1", "Мойка окон", "household", "additional", "окно", "99", 40, "2020-06-01"]),
     "services.xlsx:6: name: Differs from line 3 of the same service «Д1.1»: the rows of one service may differ "
     "only in the tariff and its date."),
    (lambda r: r.append(["Д1.1", "Мытье окон", "household", "basic", "окно", "99", 40, "2020-06-01"]),
     "services.xlsx:6: list: Differs from line 3 of the same service «Д1.1»: the rows of one service may differ "
     "only in the tariff and its date."),
    (lambda r: r.__setitem__(2, [*r[2][:7], "1.3.2020"]),
     "services.xlsx:3: tariff_from: «1.3.2020» is not a date (expected YYYY-MM-DD or DD.MM.YYYY)."),
], ids=["same-date", "same-default-date", "name", "list", "bad-date"])
def test_it_checks_the_rows_of_a_tariff_history(tmp_path, categories, spoil, expected):
    services = [list(r) for r in SERVICES_WITH_HISTORY]
    spoil(services)
    status, _out, err = run(build(tmp_path / "x", services=services))
    assert status == 1
    assert expected in err.splitlines(), err
    assert not Service.objects.exists()


def test_it_skips_blank_journal_rows_and_names_the_right_line_after_them(tmp_path, categories):
    directory = build(tmp_path / "x")
    text = ("recipient_id,department_code,service_code,date,quantity,worker_tab_no,amount\r\n"
            "R1,home,1.1,2020-02-03,,001,\r\n"
            "\r\n"
            ",,,,,,\r\n"
            " , ,,,,,\r\n"
            "R1,home,1.1,2020-02-05,,001,\r\n"
            "R1,home,9.9,2020-02-05,,001,\r\n")
    (directory / "deliveries.csv").write_text(text, encoding="utf-8")
    status, _out, err = run(directory)
    assert status == 1
    assert [x for x in err.splitlines() if x.startswith("deliveries")] == [
        "deliveries.csv:7: service_code: Unknown service «9.9»."]
    (directory / "deliveries.csv").unlink()
    write_xlsx(directory / "deliveries.xlsx", [DELIVERIES[0], DELIVERIES[1], [None] * 7, DELIVERIES[2],
                                               ["R1", "home", "1.1", "2020-01-09", None, "001", None]])
    status, _out, err = run(directory)
    assert status == 1
    assert [x for x in err.splitlines() if x.startswith("deliveries")] == [
        "deliveries.xlsx:5: recipient_id: Фёдорова Алёна Петровна is not enrolled in the department "
        "«Отделение социального обслуживания на дому» on 09.01.2020."]
    (directory / "deliveries.xlsx").unlink()
    write_xlsx(directory / "deliveries.xlsx", [DELIVERIES[0], DELIVERIES[1], [None] * 7, DELIVERIES[2]])
    assert run(directory)[0] == 0
    assert Delivery.objects.count() == 2


def test_it_reports_progress_through_the_given_wrapper(tmp_path, categories):
    from opora.exchange.actions import do_import

    seen: list[str] = []

    def progress(table, rows):
        seen.append(table.name)
        yield from rows

    result = do_import(build(tmp_path / "x"), progress=progress)
    assert result.ok and result.counts["deliveries.csv"] == {"created": 5, "updated": 0}
    assert seen == ["organisation.csv", "departments.csv", "workers.csv", "recipients.csv", "enrolments.csv",
                    "services.xlsx", "deliveries.csv", "assignment.csv"]
