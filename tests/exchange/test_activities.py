"""The exchange files of the services beyond casework: groups, group_members, sessions, events (EXCHANGE.md
Part 2) — imported, checked line by line, idempotent, exported and read back; the report compared figure by
figure."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from opora.activities.models import Event, Group, GroupMember, Session, TaxiTrip
from opora.exchange.export import export_directory
from opora.org.models import Organisation
from opora.people.models import Category
from tests.exchange.test_import import build, run, write_csv

D = datetime.date


@pytest.fixture
def categories(db):
    for code in ("pensioner", "lonely", "labour_veteran"):
        Category.objects.get_or_create(code=code)

GROUPS = [["code", "name", "kind", "department_code", "start", "end"],
          ["dosug", "Досуг", "club", "home", "", ""],
          ["u3", "Университет третьего возраста", "university", "", "01.09.2020", "31.05.2021"]]
MEMBERS = [["group_code", "recipient_id", "joined_on", "left_on"],
           ["dosug", "R1", "2020-01-15", ""],
           ["dosug", "R2", "2020-01-15", "2020-06-30"],
           ["u3", "R1", "2020-09-01", ""],
           ["u3", "R3", "", ""]]
SESSIONS = [["group_code", "date", "attendance", "topic"],
            ["dosug", "2020-02-01", "2", "Масленица"],
            ["dosug", "2020-07-01", "1", ""],
            ["u3", "2020-09-15", "2", "Вводное занятие"]]
EVENTS = [["code", "date", "name", "kind", "department_code", "participants"],
          ["ev1", "2020-05-09", "День Победы", "holiday", "home", "45"],
          ["ev2", "2020-10-01", "День пожилого человека", "holiday", "", "120"],
          ["ev3", "2020-11-12", "Семинар по финансовой грамотности", "seminar", "", "18"]]


def with_activities(directory: Path, **override: list[list]) -> Path:
    build(directory)
    data = {"groups": GROUPS, "group_members": MEMBERS, "sessions": SESSIONS, "events": EVENTS}
    data.update(override)
    for name, rows in data.items():
        write_csv(directory / f"{name}.csv", [[str(c) for c in r] for r in rows], encoding="utf-8", delimiter=";")
    return directory


def report(capsys, code: str, year: int) -> dict:
    capsys.readouterr()
    call_command("report", "activities", "--organisation", code, "--year", str(year), "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_it_imports_the_activities_and_the_report_gives_the_figures_worked_out_by_hand(tmp_path, categories,
                                                                                      capsys):
    status, _out, err = run(with_activities(tmp_path / "x"))
    assert status == 0, err
    org = Organisation.objects.get(code="imp")
    assert Group.objects.filter(organisation=org).count() == 2
    assert GroupMember.objects.count() == 4 and Session.objects.count() == 3 and Event.objects.count() == 3
    assert Group.objects.get(code="dosug").department.code == "home"
    tables = report(capsys, "imp", 2020)["tables"]
    groups = {r["key"]: r for r in tables["groups"]["rows"]}
    assert groups["dosug"] == {"key": "dosug", "groups": None, "members": 2, "sessions": 2, "attendance": 3}
    assert groups["u3"] == {"key": "u3", "groups": None, "members": 2, "sessions": 1, "attendance": 2}
    assert groups["all"] == {"key": "all", "groups": 2, "members": 3, "sessions": 3, "attendance": 5}
    events = {r["key"]: r for r in tables["events"]["rows"]}
    assert events == {"holiday": {"key": "holiday", "events": 2, "participants": 165},
                      "seminar": {"key": "seminar", "events": 1, "participants": 18},
                      "all": {"key": "all", "events": 3, "participants": 183}}


def test_it_changes_nothing_when_imported_again_and_reads_its_own_export(tmp_path, categories):
    directory = with_activities(tmp_path / "x")
    assert run(directory)[0] == 0
    before = [list(m.objects.order_by("pk").values()) for m in (Group, GroupMember, Session, Event)]
    status, out, err = run(directory)
    assert status == 0, err
    assert [list(m.objects.order_by("pk").values()) for m in (Group, GroupMember, Session, Event)] == before
    org = Organisation.objects.get(code="imp")
    counts = export_directory(org, tmp_path / "out")
    assert {k: counts[k] for k in ("groups", "group_members", "sessions", "events")} == {
        "groups": 2, "group_members": 4, "sessions": 3, "events": 3}
    assert run(tmp_path / "out")[0] == 0  # the export read back changes nothing
    assert [list(m.objects.order_by("pk").values()) for m in (Group, GroupMember, Session, Event)] == before


@pytest.mark.parametrize(("name", "rows", "expected"), [
    ("sessions", SESSIONS[:1] + [["dosug", "2020-02-01", "3", ""]],
     "sessions.csv:2: attendance: The attendance (3) is above the group's members on 01.02.2020 (2)."),
    ("sessions", SESSIONS[:1] + [["dosug", "2020-07-01", "2", ""]],  # R2 left on 30.06
     "sessions.csv:2: attendance: The attendance (2) is above the group's members on 01.07.2020 (1)."),
    ("sessions", SESSIONS[:1] + [["nope", "2020-02-01", "1", ""]], "sessions.csv:2: group_code: Unknown group «nope»."),
    ("sessions", SESSIONS + [["dosug", "01.02.2020", "1", ""]],
     "sessions.csv:5: date: Duplicate «01.02.2020»: already on line 2."),
    ("groups", GROUPS[:1] + [["g", "G", "club", "", "2020-02-01", "2020-01-31"]],
     "groups.csv:2: end: The end (31.01.2020) is before the start (01.02.2020)."),
    ("groups", GROUPS + [["g", "G", "circus", "", "", ""]], "groups.csv:4: kind: Unknown kind of group «circus»."),
    ("group_members", MEMBERS + [["dosug", "R9", "", ""]], "group_members.csv:6: recipient_id: Unknown person «R9»."),
    ("group_members", MEMBERS + [["dosug", "R1", "", ""]],
     "group_members.csv:6: recipient_id: Duplicate «R1»: already on line 2."),
    ("events", EVENTS + [["ev4", "2020-05-09", "X", "holiday", "nowhere", "1"]],
     "events.csv:5: department_code: Unknown department «nowhere»."),
    ("events", EVENTS + [["ev4", "2020-05-09", "X", "holiday", "", "-1"]],
     "events.csv:5: participants: «-1» is not a whole number."),
    ("events", EVENTS + [["ev4", "2020-05-09", "X", "holiday", "", ""]],
     "events.csv:5: participants: A value is required."),
])
def test_it_names_each_problem_and_applies_nothing(tmp_path, categories, name, rows, expected):
    status, _out, err = run(with_activities(tmp_path / "x", **{name: rows}))
    assert status != 0
    assert expected in err
    assert not Organisation.objects.filter(code="imp").exists()
    assert not Group.objects.exists() and not Event.objects.exists()


def test_it_refuses_an_unknown_column_of_a_new_file(tmp_path, categories):
    status, _out, err = run(with_activities(tmp_path / "x", events=[EVENTS[0] + ["colour"]] +
                                            [r + [""] for r in EVENTS[1:]]))
    assert status != 0 and "events.csv:1: colour: Unknown column." in err


def test_sessions_alone_are_checked_against_the_members_already_held(tmp_path, categories):
    assert run(with_activities(tmp_path / "x"))[0] == 0
    later = tmp_path / "later"
    later.mkdir()
    write_csv(later / "sessions.csv", [["group_code", "date", "attendance"], ["u3", "2020-10-01", "3"]],
              encoding="utf-8", delimiter=";")
    status, _out, err = run(later, "--organisation", "imp")
    assert status != 0 and "sessions.csv:2: attendance:" in err
    write_csv(later / "sessions.csv", [["group_code", "date", "attendance"], ["u3", "2020-10-01", "2"]],
              encoding="utf-8", delimiter=";")
    status, _out, err = run(later, "--organisation", "imp")
    assert status == 0, err
    assert Session.objects.filter(group__code="u3").count() == 2


TAXI = [["recipient_id", "date", "destination", "out_of_district", "km", "amount", "worker_tab_no"],
        ["R1", "2020-02-03", "medical", "1", "40", "630,00", "001"],
        ["R1", "2020-02-03", "medical", "0", "", "150", ""],
        ["R3", "12.05.2020", "pension_fund", "", "", "150", ""]]


def test_it_imports_taxi_trips_idempotently_and_reports_them(tmp_path, categories, capsys):
    directory = with_activities(tmp_path / "x", taxi_trips=TAXI)
    assert run(directory)[0] == 0
    assert run(directory)[0] == 0
    assert TaxiTrip.objects.count() == 3
    assert TaxiTrip.objects.filter(driver__tab_no="001").count() == 1
    rows = {r["key"]: r for r in report(capsys, "imp", 2020)["tables"]["taxi"]["rows"]}
    assert rows["all"] == {"key": "all", "trips": 3, "people": 2, "people_out_of_district": 1, "km": 40.0,
                           "income": 930.0}
    org = Organisation.objects.get(code="imp")
    assert export_directory(org, tmp_path / "out")["taxi_trips"] == 3
    assert run(tmp_path / "out")[0] == 0 and TaxiTrip.objects.count() == 3


@pytest.mark.parametrize(("row", "expected"), [
    (["R9", "2020-02-03", "medical", "", "", "1", ""], "taxi_trips.csv:2: recipient_id: Unknown person «R9»."),
    (["R1", "2020-02-03", "moon", "", "", "1", ""], "taxi_trips.csv:2: destination: Unknown destination «moon»."),
    (["R1", "2020-02-03", "medical", "2", "", "1", ""], "taxi_trips.csv:2: out_of_district: Expected 0 or 1."),
    (["R1", "2020-02-03", "medical", "", "", "-5", ""], "taxi_trips.csv:2: amount: The amount cannot be negative."),
    (["R1", "2020-02-03", "medical", "", "", "1", "999"], "taxi_trips.csv:2: worker_tab_no: Unknown worker «999»."),
])
def test_it_names_each_bad_taxi_row(tmp_path, categories, row, expected):
    status, _out, err = run(with_activities(tmp_path / "x", taxi_trips=[TAXI[0], row]))
    assert status != 0 and expected in err
    assert not Organisation.objects.filter(code="imp").exists()
