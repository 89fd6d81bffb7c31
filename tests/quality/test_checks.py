"""Internal quality checks (issue 15): the exchange file `quality_checks` (known figures in the report table
`quality_checks` and the indicator, re-import and export round trip, bad rows named), the screens and the API
(scope, audit, errors on their fields); staff development on the employee's card."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from opora.audit.models import AuditEvent
from opora.indicators.registry import get_indicator
from opora.lib.errors import DomainError
from opora.org.models import Department, Organisation
from opora.quality.models import QualityCheck, Training
from tests.exchange.test_export import export
from tests.exchange.test_import import build, categories, run, write_csv  # noqa: F401 (categories: a fixture)
from tests.quality.test_exchange_and_report import report, rows

D = datetime.date
HEADER = ["department_code", "planned_on", "done_on", "subject", "findings", "measures"]
CHECKS = [
    HEADER,
    ["home", "2020-01-10", "2020-01-12", "Документация", "Не заполнены отметки", "Беседа"],
    ["home", "01.02.2020", "2020-02-03", "График посещений", "", ""],
    ["home", "2020-12-20", "", "Санитарные нормы", "", ""],
    ["home", "2019-12-28", "2020-01-05", "Стандарт услуг", "Нарушен график", "Замечание устранено"],
    ["urg", "2020-03-01", "2020-03-01", "Срочные услуги", "", ""],
    ["urg", "2021-01-15", "", "План на 2021", "", ""],
]


def with_checks(directory, checks=CHECKS):
    build(directory)
    write_csv(directory / "quality_checks.csv", checks, encoding="utf-8", delimiter=";")
    return directory


YEAR = {
    "home": {"planned": 3, "done": 3, "with_findings": 2},
    "urg": {"planned": 1, "done": 1, "with_findings": 0},
    "all": {"planned": 4, "done": 4, "with_findings": 2},
}


def test_the_file_is_imported_and_the_report_counts_known_figures(tmp_path, categories):  # noqa: F811
    status, _out, err = run(with_checks(tmp_path / "q"))
    assert status == 0, err
    assert QualityCheck.objects.count() == 6
    data = report("imp")
    assert rows(data, "quality_checks") == YEAR
    q1 = report_period("imp", D(2020, 1, 1), D(2020, 3, 31))
    assert rows(q1, "quality_checks") == {
        "home": {"planned": 2, "done": 3, "with_findings": 2},
        "urg": {"planned": 1, "done": 1, "with_findings": 0},
        "all": {"planned": 3, "done": 4, "with_findings": 2},
    }
    q4 = report_period("imp", D(2020, 10, 1), D(2020, 12, 31))
    assert rows(q4, "quality_checks") == {
        "home": {"planned": 1, "done": 0, "with_findings": 0},
        "all": {"planned": 1, "done": 0, "with_findings": 0},
    }
    # the indicator gives the table's figures
    org = Organisation.objects.get(code="imp")
    year = (D(2020, 1, 1), D(2020, 12, 31))
    ind = get_indicator("quality_checks")
    assert ind.compute([org.pk], *year, {}) == 4
    assert ind.compute([org.pk], *year, {"state": "planned"}) == 4
    assert ind.compute([org.pk], *year, {"state": "with_findings", "department": "home"}) == 2
    assert ind.compute([org.pk], D(2021, 1, 1), D(2021, 12, 31), {"state": "planned", "department": "urg"}) == 1
    with pytest.raises(DomainError) as exc:
        ind.compute([org.pk], *year, {"department": "nosuch"})
    assert exc.value.field == "department"
    # the annual analysis carries the table for 2020, not for 2017
    assert rows(report("imp", "annual"), "quality_checks") == YEAR
    assert "quality_checks" not in report("imp", "annual", 2017)["tables"]
    # the same file again changes nothing; a changed finding updates the row
    assert run(tmp_path / "q")[0] == 0 and QualityCheck.objects.count() == 6
    changed = [*CHECKS[:2], ["home", "01.02.2020", "2020-02-03", "График посещений", "Опоздание", ""], *CHECKS[3:]]
    status, out, err = run(with_checks(tmp_path / "q", changed))
    assert status == 0, err
    assert "quality_checks.csv: 0 created, 1 updated" in out
    assert rows(report("imp"), "quality_checks")["home"]["with_findings"] == 3


def report_period(code, start, end):
    import json

    from opora.lib.periods import parse_period
    from opora.reports import registry
    from opora.reports.render import render

    org = Organisation.objects.get(code=code)
    with translation.override("en"):
        period = parse_period({"start": start.isoformat(), "end": end.isoformat()})
        doc = registry.build_report("quality", [org], period, actor=registry.system_actor([org]))
        return json.loads(render(doc, "json"))


def test_the_file_round_trips(tmp_path, categories):  # noqa: F811
    assert run(with_checks(tmp_path / "q"))[0] == 0
    out = export(tmp_path / "out", "--organisation", "imp")
    assert "quality_checks.csv: 6 rows" in out
    status, _out, err = run(tmp_path / "out", "--organisation", "copy")
    assert status == 0, err
    assert rows(report("copy"), "quality_checks") == YEAR
    assert sorted(
        QualityCheck.objects.filter(organisation__code="copy").values_list(
            "department__code", "planned_on", "done_on", "subject", "findings", "measures"
        )
    ) == sorted(
        QualityCheck.objects.filter(organisation__code="imp").values_list(
            "department__code", "planned_on", "done_on", "subject", "findings", "measures"
        )
    )


@pytest.mark.parametrize(
    ("row", "where"),
    [
        (
            ["nosuch", "2020-01-10", "", "", "", ""],
            "quality_checks.csv:2: department_code: Unknown department «nosuch».",
        ),
        (["home", "", "", "", "", ""], "quality_checks.csv:2: planned_on: "),
        (["home", "2020-13-45", "", "", "", ""], "quality_checks.csv:2: planned_on: «2020-13-45» is not a date"),
        (["home", "2020-01-10", "2999-01-01", "", "", ""], "quality_checks.csv:2: done_on: "),
        (
            ["home", "2020-01-10", "", "", "Замечания", ""],
            "quality_checks.csv:2: done_on: Findings are recorded for a check that was done",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(tmp_path, categories, row, where):  # noqa: F811
    status, _out, err = run(with_checks(tmp_path / "bad", [HEADER, row]))
    assert status != 0
    assert where in err
    assert not Organisation.objects.filter(code="imp").exists() and not QualityCheck.objects.exists()


def test_the_screens_plan_and_record_a_check_audited_and_scoped(world):
    c = world.client("director")
    r = c.post(
        "/quality/quality_checks/new/",
        {"department": world.home1.pk, "planned_on": "2020-03-01", "subject": "Документация"},
    )
    assert r.status_code == 302
    check = QualityCheck.objects.get()
    assert AuditEvent.objects.filter(object_type="quality.qualitycheck", event_type="created").count() == 1
    bad = c.post(
        f"/quality/quality_checks/{check.pk}/",
        {"department": world.home1.pk, "planned_on": "2020-03-01", "findings": "Замечания"},
    )
    assert bad.status_code == 200 and "done_on" in bad.context["form"].errors
    future = c.post(
        f"/quality/quality_checks/{check.pk}/",
        {"department": world.home1.pk, "planned_on": "2020-03-01", "done_on": "2999-01-01"},
    )
    assert "done_on" in future.context["form"].errors
    check.refresh_from_db()
    assert check.done_on is None and check.findings == ""
    ok = c.post(
        f"/quality/quality_checks/{check.pk}/",
        {
            "department": world.home1.pk,
            "planned_on": "2020-03-01",
            "done_on": "2020-03-02",
            "findings": "Замечания",
            "measures": "Устранены",
        },
    )
    assert ok.status_code == 302
    check.refresh_from_db()
    assert check.done_on == D(2020, 3, 2) and check.findings == "Замечания"
    event = AuditEvent.objects.filter(object_type="quality.qualitycheck", event_type="updated").get()
    assert event.changes["findings"] == ["", "Замечания"]
    # a department head sees the checks of their departments only, and cannot plan them
    QualityCheck.objects.create(
        organisation=world.org, department=world.home2, planned_on=D(2020, 4, 1), subject="Отделение 2"
    )
    head = world.client("department_head")
    page = head.get("/quality/quality_checks/").content.decode()
    assert "01.03.2020" in page and "01.04.2020" not in page
    assert head.post("/quality/quality_checks/new/", {}).status_code == 403
    other = QualityCheck.objects.create(organisation=world.other_org, department=world.home1, planned_on=D(2020, 4, 1))
    assert c.get(f"/quality/quality_checks/{other.pk}/").status_code == 404


def test_the_api_plans_records_and_deletes_checks(world):
    c = world.client("director")
    r = c.post(
        "/api/v1/quality/checks",
        {"department_id": world.home1.pk, "planned_on": "2020-05-01", "subject": "Документация"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["department"] == world.home1.code and r.json()["done_on"] is None
    r = c.put(
        f"/api/v1/quality/checks/{pk}",
        {"department_id": world.home1.pk, "planned_on": "2020-05-01", "findings": "Замечания"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "done_on" in r.content.decode()
    r = c.put(
        f"/api/v1/quality/checks/{pk}",
        {
            "department_id": world.home1.pk,
            "planned_on": "2020-05-01",
            "done_on": "2020-05-04",
            "findings": "Замечания",
            "measures": "Беседа",
        },
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["measures"] == "Беседа"
    other_dept = Department.objects.get(organisation=world.other_org)
    r = c.post(
        "/api/v1/quality/checks",
        {"department_id": other_dept.pk, "planned_on": "2020-05-01"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "department_id" in r.content.decode()
    listing = c.get("/api/v1/quality/checks?start=2020-05-01&end=2020-05-31").json()
    assert [x["id"] for x in listing] == [pk]
    assert c.get("/api/v1/quality/checks?start=2020-06-01").json() == []
    assert world.client("department_head").delete(f"/api/v1/quality/checks/{pk}").status_code == 403
    assert c.delete(f"/api/v1/quality/checks/{pk}").status_code == 204
    assert not QualityCheck.objects.exists()
    assert AuditEvent.objects.filter(object_type="quality.qualitycheck", event_type="deleted").count() == 1


def test_the_employees_card_shows_their_staff_development(world):
    Training.objects.create(
        organisation=world.org,
        employee=world.worker,
        kind="course",
        start=D(2020, 2, 1),
        end=D(2020, 2, 20),
        hours=72,
        title="Курсы ухода",
    )
    Training.objects.create(
        organisation=world.org, employee=world.worker, kind="seminar", start=D(2020, 4, 2), hours="4.5", title="Семинар"
    )
    Training.objects.create(
        organisation=world.org, employee=world.other_worker, kind="award", start=D(2020, 4, 2), title="Грамота другого"
    )
    hr = world.client("hr")
    page = hr.get(f"/org/staff/{world.worker.pk}/").content.decode()
    assert 'id="trainings"' in page and "Курсы ухода" in page and "Семинар" in page
    assert "Грамота другого" not in page
    assert 'id="training-hours">76,5<' in page
    assert "/quality/trainings/new/" in page
    assert world.client("social_worker").get(f"/org/staff/{world.worker.pk}/").status_code in (403, 404)


def test_the_delete_page_asks_then_deletes_the_check(world):
    check = QualityCheck.objects.create(
        organisation=world.org, department=world.home1, planned_on=D(2020, 4, 1), subject="Документация"
    )
    c = world.client("director")
    assert (
        f"/quality/quality_checks/{check.pk}/delete/" in c.get(f"/quality/quality_checks/{check.pk}/").content.decode()
    )
    assert c.get(f"/quality/quality_checks/{check.pk}/delete/").status_code == 200
    assert QualityCheck.objects.filter(pk=check.pk).exists()  # asking deletes nothing
    head = world.client("department_head")  # sees it, may not delete it
    assert "/delete/" not in head.get(f"/quality/quality_checks/{check.pk}/").content.decode()
    assert head.post(f"/quality/quality_checks/{check.pk}/delete/").status_code == 403
    assert c.post(f"/quality/quality_checks/{check.pk}/delete/").status_code == 302
    assert not QualityCheck.objects.filter(pk=check.pk).exists()
    assert AuditEvent.objects.filter(object_type="quality.qualitycheck", event_type="deleted").count() == 1
