"""The exchange files of the rental point and volunteers (EXCHANGE.md Part 2): rental_items, rentals, volunteers,
volunteer_work — imported, every bad row named by file and line with nothing applied, idempotent, exported and
read back; the report compared figure by figure."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from opora.activities.models import Rental, RentalItem, Volunteer, VolunteerWork
from opora.exchange.export import export_directory
from opora.org.models import Organisation
from opora.people.models import Category
from tests.exchange.test_import import build, run, write_csv

D = datetime.date
MODELS = (RentalItem, Rental, Volunteer, VolunteerWork)


@pytest.fixture
def categories(db):
    for code in ("pensioner", "lonely", "labour_veteran"):
        Category.objects.get_or_create(code=code)


ITEMS = [["code", "name", "kind", "inventory_no"],
         ["ch1", "Кресло-коляска", "wheelchair", "ТСР-0001"],
         ["ch2", "Кресло-коляска", "wheelchair", "ТСР-0002"],
         ["w1", "Ходунки", "walker", ""]]
RENTALS = [["item_code", "recipient_id", "issued_on", "returned_on", "amount"],
           ["ch1", "R1", "2020-02-01", "2020-03-01", "200"],
           ["ch1", "R2", "01.03.2020", "", "200,00"],  # the day of the return is free again; still out
           ["ch2", "R1", "2020-05-05", "2020-12-31", "150.50"],  # returned on the last day: not out at the end
           ["w1", "R3", "2019-12-20", "2020-01-20", ""],  # issued in 2019
           ["w1", "R3", "2020-11-01", "", "0"]]
VOLUNTEERS = [["code", "full_name", "kind", "joined_on"],
              ["v1", "Орлова Анна Сергеевна", "student", "2020-01-10"],
              ["v2", "Белов Иван Петрович", "silver", ""],
              ["v3", "Коваль Ольга", "", ""]]
WORK = [["volunteer_code", "date", "hours", "recipient_id", "activity"],
        ["v1", "2020-01-15", "3", "R1", "Уборка снега"],
        ["v1", "2020-01-15", "2,5", "R2", "Уборка снега"],  # the same day: seq 1
        ["v2", "2020-03-01", "4", "R1", "Чтение вслух"],
        ["v3", "2020-09-18", "", "", "Акция «Овощной набор»"],  # hours not counted
        ["v3", "2021-01-02", "5", "R3", ""]]


def with_files(directory: Path, **override: list[list]) -> Path:
    build(directory)
    data = {"rental_items": ITEMS, "rentals": RENTALS, "volunteers": VOLUNTEERS, "volunteer_work": WORK}
    data.update(override)
    for name, rows in data.items():
        write_csv(directory / f"{name}.csv", [[str(c) for c in r] for r in rows], encoding="utf-8", delimiter=";")
    return directory


def report(capsys, year: int) -> dict:
    capsys.readouterr()
    call_command("report", "activities", "--organisation", "imp", "--year", str(year), "--format", "json")
    return json.loads(capsys.readouterr().out)["tables"]


def test_it_imports_and_the_report_gives_the_figures_worked_out_by_hand(tmp_path, categories, capsys):
    status, _out, err = run(with_files(tmp_path / "x"))
    assert status == 0, err
    assert [m.objects.count() for m in MODELS] == [3, 5, 3, 5]
    assert Volunteer.objects.get(code="v3").kind == "other"
    tables = report(capsys, 2020)
    rental = {r["key"]: r for r in tables["rental"]["rows"]}
    # 2020: four issues (ch1 twice, ch2, w1) to three people; out at 31.12: ch1 (since 01.03) and w1 (since 01.11)
    assert rental["all"] == {"key": "all", "issues": 4, "people": 3, "income": 550.5, "out_at_end": 2}
    assert rental["wheelchair"]["issues"] == 3 and rental["walker"]["issues"] == 1
    assert tables["volunteers"]["rows"] == [{"key": "all", "volunteers": 3, "actions": 4, "hours": 9.5,
                                             "people_helped": 2}]
    rental_2019 = {r["key"]: r for r in report(capsys, 2019)["rental"]["rows"]}
    assert rental_2019["all"] == {"key": "all", "issues": 1, "people": 1, "income": 0.0, "out_at_end": 1}


def test_it_changes_nothing_when_imported_again_and_reads_its_own_export(tmp_path, categories):
    directory = with_files(tmp_path / "x")
    assert run(directory)[0] == 0
    before = [list(m.objects.order_by("pk").values()) for m in MODELS]
    status, _out, err = run(directory)
    assert status == 0, err
    assert [list(m.objects.order_by("pk").values()) for m in MODELS] == before
    counts = export_directory(Organisation.objects.get(code="imp"), tmp_path / "out")
    assert {k: counts[k] for k in ("rental_items", "rentals", "volunteers", "volunteer_work")} == {
        "rental_items": 3, "rentals": 5, "volunteers": 3, "volunteer_work": 5}
    assert (tmp_path / "out" / "rentals.csv").read_text(encoding="utf-8-sig").splitlines()[0] == \
        "item_code;recipient_id;issued_on;returned_on;amount;due_on;worker_tab_no"
    assert run(tmp_path / "out")[0] == 0  # the export read back changes nothing
    assert [list(m.objects.order_by("pk").values()) for m in MODELS] == before


@pytest.mark.parametrize(("name", "rows", "expected"), [
    ("rentals", RENTALS + [["ch2", "R2", "2020-06-01", "", ""]],
     "rentals.csv:7: issued_on: The item is out from 05.05.2020 to 31.12.2020."),
    ("rentals", RENTALS + [["ch1", "R3", "2020-04-01", "", ""]],
     "rentals.csv:7: issued_on: The item is out since 01.03.2020 and not returned yet."),
    ("rentals", RENTALS[:1] + [["ch1", "R1", "2020-02-01", "2020-01-31", ""]],
     "rentals.csv:2: returned_on: The return (31.01.2020) is before the issue (01.02.2020)."),
    ("rentals", RENTALS + [["ch1", "R1", "01.02.2020", "", ""]],
     "rentals.csv:7: issued_on: Duplicate «01.02.2020»: already on line 2."),
    ("rentals", RENTALS + [["nope", "R1", "2020-02-01", "", ""]], "rentals.csv:7: item_code: Unknown item «nope»."),
    ("rentals", RENTALS + [["w1", "R9", "2020-12-01", "", ""]], "rentals.csv:7: recipient_id: Unknown person «R9»."),
    ("rentals", RENTALS + [["ch2", "R1", "2020-01-01", "2020-01-02", "-5"]],
     "rentals.csv:7: amount: The amount cannot be negative."),
    ("rental_items", ITEMS + [["x", "X", "rocket", ""]], "rental_items.csv:5: kind: Unknown kind of item «rocket»."),
    ("volunteers", VOLUNTEERS + [["v4", "", "student", ""]], "volunteers.csv:5: full_name: A value is required."),
    ("volunteers", VOLUNTEERS + [["v4", "X", "alien", ""]],
     "volunteers.csv:5: kind: Unknown kind of volunteer «alien»."),
    ("volunteer_work", WORK + [["v1", "2020-01-15", "19", "", ""]],
     "volunteer_work.csv:7: hours: The volunteer's hours of 15.01.2020 (24.50) are over 24 a day."),
    ("volunteer_work", WORK + [["v2", "2020-01-15", "25", "", ""]],
     "volunteer_work.csv:7: hours: The hours (25.00) are over 24 a day."),
    ("volunteer_work", WORK + [["v2", "2020-01-15", "0", "", ""]],
     "volunteer_work.csv:7: hours: The hours must be above zero."),
    ("volunteer_work", WORK + [["v9", "2020-01-15", "1", "", ""]],
     "volunteer_work.csv:7: volunteer_code: Unknown volunteer «v9»."),
])
def test_it_names_each_problem_and_applies_nothing(tmp_path, categories, name, rows, expected):
    status, _out, err = run(with_files(tmp_path / "x", **{name: rows}))
    assert status != 0
    assert expected in err
    assert not Organisation.objects.filter(code="imp").exists()
    assert not any(m.objects.exists() for m in MODELS)


def test_a_later_file_is_checked_against_the_rentals_and_hours_already_held(tmp_path, categories):
    assert run(with_files(tmp_path / "x"))[0] == 0
    later = tmp_path / "later"
    later.mkdir()
    write_csv(later / "rentals.csv", [RENTALS[0], ["ch1", "R3", "2020-06-01", "", ""]], encoding="utf-8",
              delimiter=";")
    status, _out, err = run(later, "--organisation", "imp")
    assert status != 0 and "rentals.csv:2: issued_on: The item is out since 01.03.2020" in err
    write_csv(later / "rentals.csv", [RENTALS[0], ["ch1", "R2", "2020-03-01", "2020-06-01", "200"],
                                      ["ch1", "R3", "2020-06-01", "", ""]], encoding="utf-8", delimiter=";")
    status, _out, err = run(later, "--organisation", "imp")
    assert status == 0, err  # the return recorded and the next issue in one file
    assert Rental.objects.filter(item__code="ch1", returned_on__isnull=True).get().recipient.last_name == "Петров"
    (later / "rentals.csv").unlink()
    write_csv(later / "volunteer_work.csv", [WORK[0], ["v1", "2020-01-15", "3", "", ""],
                                             ["v1", "2020-01-15", "2.5", "", ""], ["v1", "2020-01-15", "19", "", ""]],
              encoding="utf-8", delimiter=";")
    status, _out, err = run(later, "--organisation", "imp")
    assert status != 0 and "volunteer_work.csv:4: hours:" in err
