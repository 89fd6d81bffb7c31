"""The rental point of technical aids (issue 13): the pure rules (a return before the issue, an item issued twice
at once, overdue), the actions (scoped, audited, nothing written on an error), the database's own guard, the
report's table `rental` with figures worked out by hand, the pages (the issue and the return on a phone) and the
API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from opora.activities import actions, bulk, queries, rules
from opora.activities.models import Rental, RentalItem
from opora.audit.models import AuditEvent
from opora.lib.errors import DomainError
from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data

D = datetime.date


# ---- rules --------------------------------------------------------------------------------------------------------
def test_loans_overlap_unless_one_ends_on_or_before_the_others_issue():
    march = rules.Loan(D(2020, 3, 1), D(2020, 3, 31))
    assert march.overlaps(rules.Loan(D(2020, 3, 15), D(2020, 4, 10)))
    assert march.overlaps(rules.Loan(D(2020, 2, 1), None))  # still out since February
    assert march.overlaps(rules.Loan(D(2020, 3, 1), D(2020, 3, 1)))  # the same day of issue
    assert not march.overlaps(rules.Loan(D(2020, 3, 31), None))  # the day of the return is free again
    assert not march.overlaps(rules.Loan(D(2020, 1, 1), D(2020, 3, 1)))
    assert rules.Loan(D(2020, 12, 1), None).out_on(D(2020, 12, 31))
    assert rules.Loan(D(2020, 12, 1), D(2021, 1, 5)).out_on(D(2020, 12, 31))
    assert not rules.Loan(D(2020, 12, 1), D(2020, 12, 31)).out_on(D(2020, 12, 31))


def test_each_bad_input_is_a_domain_error_naming_its_field():
    with pytest.raises(DomainError) as exc:
        rules.check_return(D(2020, 3, 10), D(2020, 3, 9))
    assert exc.value.field == "returned_on" and "09.03.2020" in exc.value.message and "10.03.2020" in exc.value.message
    with pytest.raises(DomainError) as exc:
        rules.check_due(D(2020, 3, 10), D(2020, 3, 1))
    assert exc.value.field == "due_on"
    with pytest.raises(DomainError) as exc:
        rules.check_free(rules.Loan(D(2020, 3, 10), None), [rules.Loan(D(2020, 3, 1), None)])
    assert exc.value.field == "issued_on" and "01.03.2020" in exc.value.message
    with pytest.raises(DomainError) as exc:
        rules.check_free(rules.Loan(D(2020, 3, 10), None), [rules.Loan(D(2020, 3, 1), D(2020, 3, 20))])
    assert "20.03.2020" in exc.value.message
    with pytest.raises(DomainError) as exc:
        rules.check_rental_amount(Decimal("-1"))
    assert exc.value.field == "amount"
    rules.check_free(rules.Loan(D(2020, 3, 20), None), [rules.Loan(D(2020, 3, 1), D(2020, 3, 20))])


def test_overdue_needs_an_expected_return_in_the_past_and_no_return():
    today = D(2020, 6, 1)
    assert rules.is_overdue(D(2020, 5, 31), None, today)
    assert not rules.is_overdue(D(2020, 6, 1), None, today)
    assert not rules.is_overdue(None, None, today)
    assert not rules.is_overdue(D(2020, 5, 1), D(2020, 5, 20), today)


def test_the_messages_are_translated():
    from django.utils import translation

    with translation.override("ru"), pytest.raises(DomainError) as exc:
        rules.check_return(D(2020, 3, 10), D(2020, 3, 9))
    assert exc.value.message == "Возврат (09.03.2020) раньше выдачи (10.03.2020)."
    with translation.override("uk"), pytest.raises(DomainError) as exc:
        rules.check_free(rules.Loan(D(2020, 3, 10), None), [rules.Loan(D(2020, 3, 1), None)])
    assert exc.value.message == "Предмет видано з 01.03.2020 і ще не повернуто."


# ---- actions ------------------------------------------------------------------------------------------------------
@pytest.fixture
def chair(world):
    return actions.do_create_rental_item(world.org, {"code": "chair-1", "name": "Кресло-коляска",
                                                     "kind": "wheelchair", "inventory_no": "ТСР-0001"},
                                         actor=world.actor("specialist"))


def test_an_item_is_issued_returned_and_issued_again_with_audit_rows(world, chair):
    specialist = world.actor("specialist")
    before = AuditEvent.objects.count()
    loan = actions.do_issue(world.org, {"item": chair, "recipient": world.in_caseload, "issued_on": D(2020, 3, 1),
                                        "due_on": D(2020, 3, 31), "amount": Decimal("200")}, actor=specialist)
    assert AuditEvent.objects.count() == before + 1
    with pytest.raises(DomainError) as exc:  # issued twice at once
        actions.do_issue(world.org, {"item": chair, "recipient": world.in_home2, "issued_on": D(2020, 3, 10)},
                         actor=specialist)
    assert exc.value.field == "issued_on"
    with pytest.raises(DomainError) as exc:  # a return before the issue
        actions.do_return(loan, D(2020, 2, 28), actor=specialist)
    assert exc.value.field == "returned_on"
    assert Rental.objects.count() == 1 and Rental.objects.get().returned_on is None
    actions.do_return(loan, D(2020, 3, 20), amount=Decimal("150"), actor=specialist)
    loan.refresh_from_db()
    assert loan.returned_on == D(2020, 3, 20) and loan.amount == Decimal("150.00")
    again = actions.do_issue(world.org, {"item": chair, "recipient": world.in_home2, "issued_on": D(2020, 3, 20)},
                             actor=specialist)  # the day of the return is free again
    assert again.amount == Decimal("0")
    with pytest.raises(DomainError) as exc:  # a past issue that overlaps the one since returned
        actions.do_issue(world.org, {"item": chair, "recipient": world.in_home2, "issued_on": D(2020, 3, 5)},
                         actor=specialist)
    assert exc.value.field == "issued_on"
    assert Rental.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="activities.rental").count() == 3


def test_who_may_issue_and_to_whom(world, chair):
    with pytest.raises(DomainError) as exc:
        actions.do_issue(world.org, {"item": chair, "recipient": world.other_org_person, "issued_on": D(2020, 3, 1)},
                         actor=world.actor("director"))
    assert exc.value.field == "recipient"
    with pytest.raises(DomainError):  # a social worker issues to the people of their caseload only
        actions.do_issue(world.org, {"item": chair, "recipient": world.in_home2, "issued_on": D(2020, 3, 1)},
                         actor=world.actor("social_worker"))
    with pytest.raises(PermissionDenied):
        actions.do_issue(world.org, {"item": chair, "recipient": world.in_home2, "issued_on": D(2020, 3, 1)},
                         actor=world.actor("hr"))
    with pytest.raises(PermissionDenied):
        actions.do_create_rental_item(world.org, {"code": "x", "name": "X", "kind": "cane"},
                                      actor=world.actor("analyst"))
    actions.do_issue(world.org, {"item": chair, "recipient": world.in_caseload, "issued_on": D(2020, 3, 1)},
                     actor=world.actor("social_worker"))
    # the head of home1 sees the rental of a person of home1; the accountant reads casework but sees the people
    assert queries.rentals_for(world.actor("department_head")).count() == 1
    assert queries.rentals_for(world.actor("hr")).count() == 0


def test_the_database_holds_one_open_rental_per_item(world, chair):
    Rental.objects.create(organisation=world.org, item=chair, recipient=world.in_caseload, issued_on=D(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Rental.objects.create(organisation=world.org, item=chair, recipient=world.in_home2, issued_on=D(2020, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Rental.objects.create(organisation=world.org, item=chair, recipient=world.in_home2, issued_on=D(2019, 2, 1),
                              returned_on=D(2019, 1, 1))


# ---- the bulk entry point and the report --------------------------------------------------------------------------
def known_rentals(world) -> None:
    """Three items; 2020: four issues to three people, two items still out at the end of the year."""
    a, b, c = world.in_caseload.pk, world.in_home2.pk, world.in_home1_other_worker.pk
    batch = bulk.Batch(
        rental_items={"ch1": {"name": "Коляска 1", "kind": "wheelchair", "inventory_no": "1"},
                      "ch2": {"name": "Коляска 2", "kind": "wheelchair", "inventory_no": "2"},
                      "bed": {"name": "Кровать", "kind": "bed", "inventory_no": "3"}},
        rentals={
            ("ch1", D(2019, 11, 1)): _r(a, D(2020, 1, 15), "100"),  # 2019's issue, out at 2019's end
            ("ch1", D(2020, 2, 1)): _r(a, D(2020, 3, 1), "200"),
            ("ch1", D(2020, 3, 1)): _r(b, D(2021, 1, 10), "200"),  # out at 2020's end (returned after it)
            ("ch2", D(2020, 5, 5)): _r(b, D(2020, 12, 31), "150.50"),  # returned on the last day: not out
            ("bed", D(2020, 6, 1)): _r(c, None, "0"),  # still out
            ("bed", D(2019, 1, 1)): _r(c, D(2019, 12, 31), "50"),
            ("ch2", D(2021, 2, 1)): _r(a, None, "300"),
        })
    counts = bulk.write(world.org.pk, batch)
    assert counts["rental_items"] == (3, 0) and counts["rentals"] == (7, 0)


def _r(recipient, returned, amount, due=None):
    return {"recipient_id": recipient, "due_on": due, "returned_on": returned, "amount": Decimal(amount),
            "worker_id": None}


def rental_rows(world, period: Period, report: str = "activities") -> dict:
    doc = to_data(build_report(report, [world.org], period, actor=system_actor([world.org])))
    return {r["key"]: r for r in doc["tables"]["rental"]["rows"]} if "rental" in doc["tables"] else {}


def test_the_report_counts_issues_people_income_and_items_out_at_the_end(world):
    known_rentals(world)
    rows = rental_rows(world, Period.year_of(2020))
    assert rows["all"] == {"key": "all", "issues": 4, "people": 3, "income": 550.5, "out_at_end": 2}
    assert rows["wheelchair"]["issues"] == 3 and rows["bed"]["issues"] == 1
    assert list(rows) == ["all", "wheelchair", "bed"]
    # the first quarter: two issues, both of ch1 (one person); ch1 (issued 01.03) and nothing else out at 31.03
    q1 = rental_rows(world, Period.quarter_of(2020, 1))
    assert q1["all"] == {"key": "all", "issues": 2, "people": 2, "income": 400.0, "out_at_end": 1}
    # 2019: two issues; at 31.12.2019 ch1 is out (returned 15.01.2020), the bed was returned on the last day
    assert rental_rows(world, Period.year_of(2019))["all"] == {"key": "all", "issues": 2, "people": 2,
                                                               "income": 150.0, "out_at_end": 1}
    # the annual report shows the table for a year with such records only
    assert rental_rows(world, Period.year_of(2020), "annual")["all"]["issues"] == 4
    assert rental_rows(world, Period.year_of(2017), "annual") == {}
    assert rental_rows(world, Period.year_of(2017))["all"] == {"key": "all", "issues": 0, "people": 0,
                                                               "income": 0.0, "out_at_end": 0}


def test_the_bulk_path_refuses_an_item_issued_twice_and_writes_nothing(world):
    known_rentals(world)
    with pytest.raises(DomainError) as exc:
        bulk.write(world.org.pk, bulk.Batch(rentals={("bed", D(2020, 7, 1)): _r(world.in_home2.pk, None, "0")}))
    assert exc.value.field == "issued_on"
    with pytest.raises(DomainError) as exc:
        bulk.write(world.org.pk, bulk.Batch(rentals={("ch2", D(2020, 8, 1)): _r(world.in_home2.pk, D(2020, 7, 1),
                                                                                "0")}))
    assert exc.value.field == "returned_on"
    assert Rental.objects.count() == 7
    # a return and the next issue of the same item in one batch
    counts = bulk.write(world.org.pk, bulk.Batch(rentals={
        ("bed", D(2020, 6, 1)): _r(world.in_home1_other_worker.pk, D(2020, 7, 1), "0"),
        ("bed", D(2020, 7, 1)): _r(world.in_home2.pk, None, "0")}))
    assert counts["rentals"] == (1, 1)


@pytest.mark.parametrize("fmt", ["html", "xlsx", "docx"])
def test_the_table_renders(world, fmt):
    from opora.reports.render import render

    known_rentals(world)
    data = render(build_report("activities", [world.org], Period.year_of(2020), actor=system_actor([world.org])),
                  fmt)
    assert len(data) > 500
    if fmt == "html":
        assert "550,50" in data.decode()


# ---- pages --------------------------------------------------------------------------------------------------------
def test_the_rental_page_shows_what_is_out_with_whom_and_what_is_overdue(world, chair):
    actions.do_issue(world.org, {"item": chair, "recipient": world.in_caseload, "issued_on": D(2020, 3, 1),
                                 "due_on": D(2020, 3, 31)}, actor=world.actor("director"))
    RentalItem.objects.create(organisation=world.org, code="cane-1", name="Трость", kind="cane")
    before = AuditEvent.objects.filter(event_type="listed").count()
    page = world.client("specialist").get("/activities/rental/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Фёдорова" in html and 'class="overdue"' in html and "Трость" in html
    assert AuditEvent.objects.filter(event_type="listed").count() == before + 1
    assert world.client("hr").get("/activities/rental/").status_code == 403
    created = world.client("specialist").post("/activities/rental_items/new/", {
        "code": "bed-1", "name": "Кровать функциональная", "kind": "bed", "inventory_no": "ТСР-0009"})
    assert created.status_code == 302 and RentalItem.objects.filter(code="bed-1", kind="bed").exists()
    assert "ТСР-0009" in world.client("specialist").get("/activities/rental_items/").content.decode()


def test_the_issue_and_return_pages_record_and_name_the_field_of_an_error(world, chair):
    client = world.client("specialist")
    assert client.get(f"/activities/rental/issue/?item={chair.pk}").status_code == 200
    answer = client.post("/activities/rental/issue/", {"item": chair.pk, "recipient": world.in_caseload.pk,
                                            "issued_on": "2020-03-01", "due_on": "2020-02-01", "amount": "10"})
    assert answer.status_code == 200 and "field-due_on" in answer.content.decode()
    assert not Rental.objects.exists()
    answer = client.post("/activities/rental/issue/", {"item": chair.pk, "recipient": world.in_caseload.pk,
                                            "issued_on": "2020-03-01", "amount": "10"})
    assert answer.status_code == 302
    loan = Rental.objects.get()
    twice = client.post("/activities/rental/issue/", {"item": chair.pk, "recipient": world.in_home2.pk,
                                           "issued_on": "2020-03-05"})
    assert twice.status_code == 200 and "01.03.2020" in twice.content.decode()
    assert Rental.objects.count() == 1
    assert client.get(f"/activities/rental/{loan.pk}/return/").status_code == 200
    early = client.post(f"/activities/rental/{loan.pk}/return/", {"returned_on": "2020-02-01"})
    assert early.status_code == 200 and "has-error" in early.content.decode()
    assert client.post(f"/activities/rental/{loan.pk}/return/", {"returned_on": "2020-03-15"}).status_code == 302
    loan.refresh_from_db()
    assert loan.returned_on == D(2020, 3, 15)
    card = client.get(f"/people/{world.in_caseload.pk}/")  # the person's card lists their rentals
    assert card.status_code == 200
    assert 'id="rentals"' in card.content.decode() and "15.03.2020" in card.content.decode()


# ---- API ----------------------------------------------------------------------------------------------------------
def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_api_creates_items_issues_refuses_a_second_issue_and_returns(world):
    client = world.client("specialist")
    item = _post(client, "/api/v1/rental/items", {"code": "w1", "name": "Ходунки", "kind": "walker",
                                                  "inventory_no": "ТСР-7"})
    assert item.status_code == 201, item.content
    item_id = item.json()["id"]
    issued = _post(client, "/api/v1/rental/rentals", {"item_id": item_id, "recipient_id": world.in_caseload.pk,
                                                      "issued_on": "2020-04-01", "due_on": "2020-04-30",
                                                      "amount": "120.50"})
    assert issued.status_code == 201, issued.content
    assert issued.json()["item_code"] == "w1" and issued.json()["amount"] == 120.5
    twice = _post(client, "/api/v1/rental/rentals", {"item_id": item_id, "recipient_id": world.in_home2.pk,
                                                     "issued_on": "2020-04-10"})
    assert twice.status_code == 422 and twice.json()["detail"][0]["loc"] == ["body", "issued_on"]
    rental_id = issued.json()["id"]
    early = _post(client, f"/api/v1/rental/rentals/{rental_id}/return", {"returned_on": "2020-03-01"})
    assert early.status_code == 422 and early.json()["detail"][0]["loc"] == ["body", "returned_on"]
    out = client.get("/api/v1/rental/rentals?out=true").json()
    assert out["count"] == 1
    assert client.get("/api/v1/rental/rentals?overdue=true").json()["count"] == 1
    back = _post(client, f"/api/v1/rental/rentals/{rental_id}/return", {"returned_on": "2020-04-20"})
    assert back.status_code == 200 and back.json()["returned_on"] == "2020-04-20"
    assert client.get("/api/v1/rental/rentals?out=true").json()["count"] == 0
    assert client.get("/api/v1/rental/items").json()["count"] == 1
    unknown = _post(client, "/api/v1/rental/rentals", {"item_id": 999999, "recipient_id": world.in_caseload.pk,
                                                       "issued_on": "2020-05-01"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "item_id"]
    assert world.client("hr").get("/api/v1/rental/rentals").status_code == 403
