"""Plans: the exchange files, the report plan_execution (marks rendered in ru and uk, a roadmap's percentages),
bad input named and nothing changed, a new year's plan as a copy, the dashboard's items due without a mark."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from opora.accounts.actor import Actor, Grant
from opora.accounts.roles import Role
from opora.exchange.actions import do_import
from opora.exchange.export import export_directory
from opora.lib.errors import DomainError
from opora.lib.periods import Period
from opora.plans.actions import ItemData, do_copy_plan, do_create_plan, do_save_item, do_save_mark
from opora.plans.models import Plan, PlanItem, PlanMark
from opora.plans.queries import due_without_mark_for, execution
from opora.reports.registry import build_report, system_actor
from opora.reports.render import render
from tests.indicators.centre import small_centre

PLANS = [["code", "title", "kind", "year"],
         ["wp2020", "План работы на 2020 год", "work_plan", "2020"],
         ["rm2020", "Дорожная карта", "roadmap", "2020"]]
ITEMS = [["plan_code", "number", "section", "text", "deadline", "responsible", "mark", "indicator", "params",
          "target"],
         ["wp2020", "1.1", "1. Социальное обслуживание", "Обслуживание граждан на дому", "q1", "home",
          "Обслужено {{ recipients }} граждан, предоставлено {{ services }} услуги, "
          "платных {{ services list=additional }} на сумму {{ income list=additional }} руб.", "", "", ""],
         ["wp2020", "1.2", "1. Социальное обслуживание", "Приём заявлений", "2020-03-31", "Сидорова Анна Петровна",
          "Принято {{ applications }} заявлений, из них {{ applications channel=online }} в электронном виде.",
          "", "", ""],
         ["wp2020", "2.1", "2. Кадры", "Обучение", "q4", "", "", "", "", ""],
         ["rm2020", "1", "Показатели", "Доля услуг на дому", "year", "", "", "services", "department=home", "4"],
         ["rm2020", "2", "Показатели", "Доход", "year", "", "", "income", "", "1000"]]


def director(org) -> Actor:
    return Actor(user=None, grants=[Grant(organisation_id=org.pk, role=Role.DIRECTOR, department_ids=frozenset(),
                                          employee_id=None)])


def write(directory: Path, name: str, rows: list[list[str]]) -> None:
    with open(directory / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)


@pytest.fixture
def centre(tmp_path, db):
    return small_centre(tmp_path / "centre")


def import_plans(tmp_path: Path, items=ITEMS, plans=PLANS, name="plans"):
    d = tmp_path / name
    d.mkdir(exist_ok=True)
    write(d, "plans", plans)
    write(d, "plan_items", items)
    with translation.override("en"):
        return do_import(d, organisation_code="imp")


def report(code: str, lang: str, period: str = "q1", fmt: str = "json"):
    out = io.BytesIO()
    with translation.override(lang):
        doc = build_report("plan_execution", [__import__("opora.org.models", fromlist=["Organisation"])
                                              .Organisation.objects.get(code="imp")],
                           Period.from_code(2020, period), actor=system_actor(), options={"plan": code})
        body = render(doc, fmt)
    out.write(body)
    return json.loads(body) if fmt == "json" else body


def test_it_imports_plans_and_renders_the_marks_in_russian_and_ukrainian(tmp_path, centre):
    result = import_plans(tmp_path)
    assert result.ok, result.problems.lines()
    assert result.counts["plans.csv"] == {"created": 2, "updated": 0}
    assert result.counts["plan_items.csv"] == {"created": 5, "updated": 0}
    ru = report("wp2020", "ru")
    assert ru["report"] == "plan_execution"
    rows = {r["key"]: r for r in ru["tables"]["items"]["rows"]}
    assert list(rows) == ["1.1", "1.2", "2.1"]
    # Q1 2020: R1 2 × 1.1 and 2 windows (3.02), R2 1 window (3.03) → 5 services, 2 people, 3 paid for 341.00
    assert rows["1.1"]["mark"] == ("Обслужено 2 граждан, предоставлено 5 услуги, платных 3 на сумму "
                                   "341,00 руб.")
    assert rows["1.2"]["mark"] == "Принято 2 заявлений, из них 2 в электронном виде."
    assert rows["1.1"]["value"] is None and rows["1.1"]["pct"] is None
    year = report("wp2020", "uk", "year")
    rows = {r["key"]: r for r in year["tables"]["items"]["rows"]}
    assert rows["1.1"]["mark"] == ("Обслужено 3 граждан, предоставлено 6 услуги, платных 3 на сумму "
                                   "341,00 руб.")
    # the same mark in a language with another separator of thousands and decimals
    item = PlanItem.objects.get(number="1.1")
    item.mark = "{{ income }}"
    item.save()
    assert {r["key"]: r for r in report("wp2020", "uk", "year")["tables"]["items"]["rows"]}["1.1"]["mark"] == \
        "1\u00a0091,00"
    assert {r["key"]: r for r in report("wp2020", "en", "year")["tables"]["items"]["rows"]}["1.1"]["mark"] == \
        "1,091.00"


def test_a_roadmaps_percentages(tmp_path, centre):
    assert import_plans(tmp_path).ok
    data = report("rm2020", "ru", "year")
    assert data["tables"]["items"]["columns"][-4:] == ["mark", "value", "target", "pct"]
    rows = {r["key"]: r for r in data["tables"]["items"]["rows"]}
    assert (rows["1"]["value"], rows["1"]["target"], rows["1"]["pct"]) == (5, 4, 125.0)  # 5 / 4 × 100
    assert (rows["2"]["value"], rows["2"]["target"], rows["2"]["pct"]) == (1091.0, 1000.0, 109.1)
    q2 = {r["key"]: r for r in report("rm2020", "ru", "q2")["tables"]["items"]["rows"]}
    assert (q2["1"]["value"], q2["1"]["pct"]) == (0, 0.0)  # every home service was in Q1
    assert (q2["2"]["value"], q2["2"]["pct"]) == (0.0, 0.0)


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "html", "pdf"])
def test_it_renders_every_format(tmp_path, centre, fmt):
    assert import_plans(tmp_path).ok
    body = report("wp2020", "ru", "q1", fmt)
    assert len(body) > 1000
    if fmt == "html":
        assert "341,00" in body.decode()


def test_the_command_takes_the_plan(tmp_path, centre):
    assert import_plans(tmp_path).ok
    out = tmp_path / "r.json"
    call_command("report", "plan_execution", "--organisation", "imp", "--year", "2020", "--period", "q1",
                 "--plan", "rm2020", "--out", str(out))
    assert json.loads(out.read_bytes())["tables"]["items"]["rows"][0]["value"] == 5


BAD = [
    (["wp2020", "1.1", "s", "t", "", "", "Итого {{ servises }}", "", "", ""], "mark",
     "Position 7: unknown indicator «servises»."),
    (["wp2020", "1.1", "s", "t", "", "", "{{ services colour=red }}", "", "", ""], "mark",
     "Position 1: the indicator «services» has no parameter «colour»."),
    (["wp2020", "1.1", "s", "t", "2021-01-15", "", "", "", "", ""], "deadline",
     "The deadline 2021-01-15 is outside the plan's year 2020."),
    (["wp2020", "1.1", "s", "t", "", "", "", "services", "colour=red", ""], "params",
     "The indicator «services» has no parameter «colour»."),
    (["wp2020", "1.1", "s", "t", "", "", "", "nothing", "", "5"], "indicator", "Unknown indicator «nothing»."),
]


@pytest.mark.parametrize(("row", "column", "message"), BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)])
def test_it_names_each_bad_row_and_applies_nothing(tmp_path, centre, row, column, message):
    result = import_plans(tmp_path, items=[ITEMS[0], ITEMS[3], row])
    assert not result.ok
    assert f"plan_items.csv:3: {column}: {message}" in result.problems.lines()
    assert not Plan.objects.exists() and not PlanItem.objects.exists()


def test_a_repeated_number_is_named(tmp_path, centre):
    result = import_plans(tmp_path, items=[ITEMS[0], ITEMS[1], ITEMS[2], ITEMS[1]])
    assert result.problems.lines() == ["plan_items.csv:4: number: The item number 1.1 is already in the plan "
                                       "(line 2)."]
    assert not Plan.objects.exists()


def test_reimporting_changes_nothing_and_export_round_trips(tmp_path, centre):
    assert import_plans(tmp_path).ok
    again = import_plans(tmp_path)
    assert again.ok and again.created == 0 and again.updated == 0
    before = list(PlanItem.objects.order_by("plan__code", "sort_key").values_list(
        "plan__code", "number", "section", "text", "deadline", "responsible", "mark", "indicator", "params", "target"))
    export_directory(centre, tmp_path / "out")
    Plan.objects.all().delete()
    with translation.override("en"):
        result = do_import(tmp_path / "out", organisation_code="imp")
    assert result.ok, result.problems.lines()
    after = list(PlanItem.objects.order_by("plan__code", "sort_key").values_list(
        "plan__code", "number", "section", "text", "deadline", "responsible", "mark", "indicator", "params", "target"))
    assert after == before


def test_actions_refuse_bad_items_and_change_nothing(tmp_path, centre):
    actor = director(centre)
    plan = do_create_plan(centre, code="p", title="План", kind="work_plan", year=2020, actor=actor)
    do_save_item(plan, ItemData(number="1", text="Первый", deadline="q2"), actor=actor)
    cases = [
        (ItemData(number="1", text="Повтор"), "number"),
        (ItemData(number="2", text="Поздно", deadline="31.12.2021"), "deadline"),
        (ItemData(number="3", text="Метка", mark="ok {{ services departmnet=home }}"), "mark"),
    ]
    for data, field in cases:
        with translation.override("uk"), pytest.raises(DomainError) as exc:
            do_save_item(plan, data, actor=actor)
        assert exc.value.field == field
    assert list(plan.items.values_list("number", flat=True)) == ["1"]
    with pytest.raises(DomainError) as exc:
        do_save_item(plan, ItemData(number="2", text="x"), actor=actor)
        do_save_item(plan, ItemData(number="2", text="y"), actor=actor)
    assert exc.value.field == "number"


def test_a_period_mark_replaces_the_items_mark_and_the_dashboard_lists_what_is_due(tmp_path, centre):
    assert import_plans(tmp_path).ok
    actor = director(centre)
    q4 = Period.from_code(2020, "q4")
    due = due_without_mark_for(actor, centre.pk, q4.start, q4.end)
    assert [i.number for i in due] == ["2.1"]  # 1.1 and 1.2 are due in q1; the roadmap's are marked by a figure
    item = PlanItem.objects.get(plan__code="wp2020", number="2.1")
    with pytest.raises(DomainError):
        do_save_mark(item, q4.start, q4.end, "Обучено {{ trained_staff }}", actor=actor)
    assert not PlanMark.objects.exists()
    do_save_mark(item, q4.start, q4.end, "Обслужено {{ recipients }}", actor=actor)
    assert due_without_mark_for(actor, centre.pk, q4.start, q4.end) == []
    rows = {e.item.number: e for e in execution(item.plan, q4.start, q4.end, "ru")}
    assert rows["2.1"].mark == "Обслужено 0"
    year = {e.item.number: e for e in execution(item.plan, datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))}
    assert year["2.1"].mark == ""  # the period's own mark belongs to q4 only


def test_a_new_years_plan_is_a_copy_of_the_last(tmp_path, centre):
    assert import_plans(tmp_path).ok
    old = Plan.objects.get(code="wp2020")
    new = do_copy_plan(old, code="wp2021", year=2021, actor=director(centre))
    items = {i.number: i for i in new.items.all()}
    assert set(items) == {"1.1", "1.2", "2.1"}
    assert items["1.2"].deadline == "2021-03-31" and items["1.2"].due_end == datetime.date(2021, 3, 31)
    assert items["1.1"].deadline == "q1" and items["1.1"].mark == "" and items["1.1"].section == old.items.get(
        number="1.1").section
    assert items["1.2"].responsible_employee_id is not None
    assert old.items.get(number="1.1").responsible_department_id is not None
    assert Decimal(Plan.objects.get(code="rm2020").items.get(number="2").target) == Decimal("1000")
