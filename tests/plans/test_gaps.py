"""Plans: the delete (page with a confirmation, API, audited, scoped) and the export of every period's mark
through the `period` column of plan_items (export → import round-trips all marks)."""

from __future__ import annotations

import csv
import datetime

from django.utils import translation

from opora.audit.models import AuditEvent, EventType
from opora.exchange.actions import do_import
from opora.exchange.export import export_directory
from opora.plans.actions import do_delete_plan, do_save_mark
from opora.plans.models import Plan, PlanItem, PlanMark
from tests.plans.test_plans import ITEMS, director, import_plans, write
from tests.plans.test_views import centre, login  # noqa: F401 (the fixture)

D = datetime.date


def test_the_delete_page_asks_then_deletes_the_plan_with_its_items_and_marks(centre):  # noqa: F811
    plan = Plan.objects.get(code="wp2020")
    item = PlanItem.objects.get(plan=plan, number="1.1")
    do_save_mark(item, D(2020, 4, 1), D(2020, 6, 30), "Во II квартале {{ services }}", actor=director(centre))
    c = login(centre)
    page = c.get(f"/work-plans/{plan.pk}/delete/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'id="plan-holds">Its 3 items and 1 execution marks' in page.content.decode()
    assert Plan.objects.filter(pk=plan.pk).exists()  # asking deletes nothing
    r = c.post(f"/work-plans/{plan.pk}/delete/")
    assert r.status_code == 302 and r["Location"] == "/work-plans/"
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert not PlanItem.objects.filter(plan_id=plan.pk).exists() and not PlanMark.objects.exists()
    event = AuditEvent.objects.get(event_type=EventType.DELETED, object_type="plans.plan", object_id=str(plan.pk))
    assert event.changes["items"] == [3, 0] and event.changes["marks"] == [1, 0]
    assert event.changes["code"] == ["wp2020", None]


def test_only_who_manages_the_organisation_deletes_a_plan(centre, world):  # noqa: F811
    plan = Plan.objects.get(code="wp2020")
    assert login(centre, role="specialist").post(f"/work-plans/{plan.pk}/delete/").status_code == 404
    assert world.client("director").post(f"/work-plans/{plan.pk}/delete/").status_code == 404  # another centre
    assert world.client("director").delete(f"/api/v1/plans/{plan.pk}").status_code == 404
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_the_api_lists_and_deletes_plans(centre):  # noqa: F811
    c = login(centre)
    plans = c.get("/api/v1/plans?year=2020").json()
    assert sorted(p["code"] for p in plans) == ["rm2020", "wp2020"]
    assert plans[0]["organisation"] == "imp"
    pk = Plan.objects.get(code="rm2020").pk
    assert c.delete(f"/api/v1/plans/{pk}").status_code == 204
    assert c.delete(f"/api/v1/plans/{pk}").status_code == 404
    assert AuditEvent.objects.filter(event_type=EventType.DELETED, object_type="plans.plan", object_id=str(pk)).exists()
    assert [p["code"] for p in c.get("/api/v1/plans").json()] == ["wp2020"]


def test_the_action_deletes_and_returns_what_went(centre):  # noqa: F811
    plan = Plan.objects.get(code="rm2020")
    assert do_delete_plan(plan, actor=director(centre)) == {"items": 2, "marks": 0}


def _marks():
    return sorted(PlanMark.objects.values_list("item__plan__code", "item__number", "start", "end", "text"))


def test_export_and_import_round_trip_the_marks_of_every_period(tmp_path, centre):  # noqa: F811
    actor = director(centre)
    item = PlanItem.objects.get(plan__code="wp2020", number="1.1")
    other = PlanItem.objects.get(plan__code="wp2020", number="2.1")
    do_save_mark(item, D(2020, 1, 1), D(2020, 3, 31), "I квартал: {{ services }}", actor=actor)
    do_save_mark(item, D(2020, 4, 1), D(2020, 6, 30), "II квартал: {{ recipients }}", actor=actor)
    do_save_mark(other, D(2020, 1, 1), D(2020, 12, 31), "За год", actor=actor)
    do_save_mark(other, D(2020, 2, 10), D(2020, 3, 15), "Нестандартный период", actor=actor)
    before = _marks()
    assert len(before) == 4
    export_directory(centre, tmp_path / "out")
    with open(tmp_path / "out" / "plan_items.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0][-1] == "period"
    assert sorted(r[-1] for r in rows[1:] if r[-1]) == ["2020-02-10..2020-03-15", "q1", "q2", "year"]
    Plan.objects.all().delete()
    assert not PlanMark.objects.exists()
    with translation.override("en"):
        result = do_import(tmp_path / "out", organisation_code="imp")
        assert result.ok, result.problems.lines()
        assert _marks() == before
        again = do_import(tmp_path / "out", organisation_code="imp")
    assert again.ok and again.created == 0 and again.updated == 0


def test_bad_period_rows_are_named_and_nothing_is_written(tmp_path, centre):  # noqa: F811
    header = ITEMS[0] + ["period"]
    items = (
        [header]
        + [r + [""] for r in ITEMS[1:]]
        + [
            ["wp2020", "1.1", "", "", "", "", "Отметка", "", "", "", "q5"],
            ["wp2020", "1.1", "", "", "", "", "", "", "", "", "q2"],
            ["wp2020", "1.1", "", "", "", "", "{{ servises }}", "", "", "", "q2"],
            ["wp2020", "9.9", "", "", "", "", "Отметка", "", "", "", "q2"],
            ["wp2020", "1.1", "", "", "", "", "Отметка", "", "", "", "2020-06-30..2020-04-01"],
            ["wp2020", "1.2", "", "", "", "", "Раз", "", "", "", "q3"],
            ["wp2020", "1.2", "", "", "", "", "Два", "", "", "", "q3"],
        ]
    )
    Plan.objects.all().delete()
    result = import_plans(tmp_path, items=items, name="bad")
    lines = result.problems.lines()
    assert lines[0].startswith("plan_items.csv:7: period: «q5» is not a period")
    assert lines[1] == "plan_items.csv:8: mark: A row with a period needs the mark of that period."
    assert lines[2].startswith("plan_items.csv:9: mark: Position 1: unknown indicator «servises»")
    assert lines[3].startswith("plan_items.csv:11: period: «2020-06-30..2020-04-01» is not a period")
    assert "plan_items.csv:10: number: The plan «wp2020» has no item 9.9 in this file." in lines
    assert "plan_items.csv:13: period: The mark of this period is already given." in lines
    assert len(lines) == 6
    assert not Plan.objects.exists() and not PlanMark.objects.exists()


def test_a_file_without_the_period_column_still_imports(tmp_path, centre):  # noqa: F811
    Plan.objects.all().delete()
    d = tmp_path / "old"
    d.mkdir()
    write(d, "plans", [["code", "title", "kind", "year"], ["p", "План", "work_plan", "2020"]])
    write(d, "plan_items", [ITEMS[0], ["p", "1", "Раздел", "Текст", "", "", "", "", "", ""]])
    assert do_import(d, organisation_code="imp").ok
