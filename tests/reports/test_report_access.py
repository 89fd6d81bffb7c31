"""Reports from the UI, the API and the CLI: journal_summary with known figures, scoping, errors naming the
parameter, and a number of queries that does not grow with the journal."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.delivery import aggregates
from opora.delivery.models import Delivery
from opora.lib.periods import Period
from opora.reports.registry import build_report, get_generator, system_actor
from tests.factories_delivery import make_catalogue

D = datetime.date
API = "/api/v1/reports/journal_summary"


def line(recipient, department, service, day, quantity=1, amount="0.00", **kw):
    return Delivery.objects.create(organisation=department.organisation, recipient=recipient, department=department,
                                   service=service, date=day, quantity=quantity, list=service.list,
                                   amount=Decimal(amount), **kw)


@pytest.fixture
def journal(world):
    cat = make_catalogue(world.org)
    line(world.in_caseload, world.home1, cat.monthly, D(2020, 2, 1), 3)
    line(world.in_caseload, world.home1, cat.additional, D(2020, 3, 1), 2, "100.00")
    line(world.in_home2, world.home2, cat.urgent, D(2020, 5, 5), 1)
    line(world.in_caseload, world.home1, cat.monthly, D(2019, 2, 1), 2)
    line(world.in_caseload, world.home1, cat.monthly, D(2021, 1, 5), 7)  # outside both periods
    other_cat = make_catalogue(world.other_org)
    other_dept = world.other_org.departments.get()
    line(world.other_org_person, other_dept, other_cat.monthly, D(2020, 6, 1), 9)
    # the report reads the monthly aggregates: recount them as every write path of the journal does
    aggregates.refresh_organisation(world.org.pk)
    aggregates.refresh_organisation(world.other_org.pk)
    return cat


def test_it_sums_the_journal_by_department_and_type_against_last_year(world, journal):
    doc = build_report("journal_summary", [world.org], Period.year_of(2020), actor=world.actor("director"))
    t = doc.tables()
    home1, home2, total = t["by_department"].rows
    assert home1.key == "home1" and home1.values["services"] == 5 and home1.values["services_previous"] == 2
    assert home1.values["services_change"] == 3 and home1.values["services_change_pct"] == Decimal(150)
    assert home1.values["amount"] == Decimal("100.00") and home1.values["amount_change_pct"] is None
    assert home1.values["recipients"] == 1
    assert home2.key == "home2" and home2.values["services"] == 1 and home2.values["services_change_pct"] is None
    assert total.is_total and total.values["services"] == 6 and total.values["services_previous"] == 2
    assert total.values["services_change_pct"] == Decimal(200) and total.values["recipients"] == 2
    by_type = {r.key: r.values for r in t["by_type"].rows}
    assert by_type["household"]["basic"] == 3 and by_type["household"]["additional"] == 2
    assert by_type["household"]["services_previous"] == 2 and by_type["urgent"]["services"] == 1
    assert by_type["total"]["basic"] == 4 and by_type["total"]["additional"] == 2
    assert by_type["total"]["amount"] == Decimal("100.00")
    pie = [c for c in doc.charts() if c.kind == "pie"][0]
    assert pie.series[0].values == [5, 1]
    assert doc.previous_period and doc.previous_period.start == D(2019, 1, 1)


def test_it_makes_a_fixed_number_of_queries_however_long_the_journal(world, journal):
    actor = world.actor("director")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            build_report("journal_summary", [world.org], Period.year_of(2020), actor=actor)
        return len(ctx.captured_queries)

    before = count()
    for i in range(1, 25):
        line(world.in_home1_other_worker, world.home1, journal.weekly, D(2020, 1 + i % 12, 1 + i), 1)
        line(world.in_home2, world.urgent, journal.urgent, D(2019, 1 + i % 12, 1 + i), 2)
    aggregates.refresh_organisation(world.org.pk)
    # its own, the state assignment, the tables of the record, the groups of categories (record_tables.group_section)
    assert count() == before <= 7 + 5 + 11 + 6


def test_it_builds_a_consolidated_report_for_a_regional_analyst(world, journal):
    client = world.client("analyst")
    data = client.get(API, {"organisation": "all", "year": "2020"}).json()
    rows = {r["key"]: r for r in data["tables"]["by_organisation"]["rows"]}
    assert rows["kcson"]["services"] == 6 and rows["other"]["services"] == 9 and rows["total"]["services"] == 15
    assert data["organisation"] == "kcson,other" or data["organisation"] == "other,kcson"


def test_it_serves_the_report_through_the_api_as_json_and_files(world, journal):
    client = world.client("director")
    r = client.get(API, {"organisation": "kcson", "year": "2020"})
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    data = r.json()
    assert data["report"] == "journal_summary" and data["period"] == {"start": "2020-01-01", "end": "2020-12-31"}
    dept = {row["key"]: row for row in data["tables"]["by_department"]["rows"]}
    assert dept["home1"]["services"] == 5 and dept["home1"]["services_change_pct"] == 150.0
    assert dept["home1"]["amount"] == 100.0 and '"amount":100.00' in r.content.decode()
    assert data["tables"]["by_department"]["columns"][0] == "services_previous"
    q1 = client.get(API, {"organisation": "kcson", "year": "2020", "period": "q1"}).json()
    assert {row["key"]: row["services"] for row in q1["tables"]["by_department"]["rows"]} == {"home1": 5, "total": 5}
    for fmt, magic in [("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF"), ("html", b"<!doctype html>")]:
        r = client.get(API, {"organisation": "kcson", "year": "2020", "format": fmt})
        assert r.status_code == 200 and r.content.startswith(magic), fmt
        if fmt != "html":
            assert "attachment" in r["Content-Disposition"]
    listed = {item["id"]: item for item in client.get("/api/v1/reports").json()}
    assert listed["journal_summary"]["organisations"] == ["kcson"] and listed["journal_summary"]["title"]


@pytest.mark.parametrize("params, field", [
    ({"organisation": "kcson", "year": "20x0"}, "year"),
    ({"organisation": "kcson", "year": "2020", "period": "q5"}, "period"),
    ({"organisation": "kcson", "start": "2020-05-01", "end": "2020-04-01"}, "end"),
    ({"organisation": "kcson", "year": "2020", "format": "odt"}, "format"),
])
def test_it_answers_422_naming_the_bad_parameter(world, params, field):
    r = world.client("director").get(API, params)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", field]


def test_it_hides_reports_outside_the_scope(world, journal):
    director = world.client("director")
    assert director.get(API, {"organisation": "other", "year": "2020"}).status_code == 404
    assert director.get(API, {"organisation": "kcson,other", "year": "2020"}).status_code == 404
    assert director.get("/api/v1/reports/nonexistent", {"organisation": "kcson", "year": "2020"}).status_code == 404
    assert Client().get(API, {"organisation": "kcson", "year": "2020"}).status_code == 401
    page = reverse("reports:index")
    anonymous = Client().get(page)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    url = reverse("reports:download", args=["journal_summary", "docx"])
    assert director.get(url, {"organisation": "other", "year": "2020"}).status_code == 404
    assert director.get(page, {"report": "journal_summary", "organisation": "other", "year": "2020"}
                        ).status_code == 404


def test_it_previews_and_downloads_from_the_reports_page(world, journal):
    client = world.client("department_head")
    page = client.get(reverse("reports:index"))
    assert page.status_code == 200 and b"journal_summary" in page.content
    r = client.get(reverse("reports:index"), {"report": "journal_summary", "organisation": "kcson",
                                              "year": "2020", "period": "year"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "<svg" in text and "150,00\u00a0%" in text and "100,00" in text
    assert reverse("reports:download", args=["journal_summary", "xlsx"]) in text
    bad = client.get(reverse("reports:index"), {"report": "journal_summary", "organisation": "kcson", "year": "x"})
    assert bad.status_code == 200 and 'aria-invalid="true"' in bad.content.decode()
    f = client.get(reverse("reports:download", args=["journal_summary", "docx"]),
                   {"organisation": "kcson", "year": "2020"})
    assert f.status_code == 200 and "attachment" in f["Content-Disposition"]
    from docx import Document

    cells = [c.text for t in Document(io.BytesIO(f.content)).tables for row in t.rows for c in row.cells]
    assert "150,00\u00a0%" in cells and "100,00" in cells


def test_it_writes_a_report_from_the_command_line(world, journal, tmp_path):
    out = tmp_path / "r.json"
    call_command("report", "journal_summary", organisation="kcson", year="2020", format="json", out=str(out))
    data = json.loads(out.read_text("utf-8"))
    assert data["tables"]["by_department"]["rows"][-1]["services"] == 6
    out = tmp_path / "r.xlsx"
    call_command("report", "journal_summary", organisation="kcson", year="2020", period="h1", format="xlsx",
                 out=str(out))
    assert out.read_bytes().startswith(b"PK")
    with pytest.raises(CommandError, match="--period"):
        call_command("report", "journal_summary", organisation="kcson", year="2020", period="x", out=str(out))
    with pytest.raises(CommandError):
        call_command("report", "journal_summary", organisation="other", year="2020", user="director", out=str(out))
    with pytest.raises(CommandError):
        call_command("report", "nonexistent", organisation="kcson", year="2020", out=str(out))


def test_it_lets_the_system_actor_build_any_organisation(world, journal):
    actor = system_actor()
    assert get_generator("journal_summary").is_available_to(actor, world.other_org)
