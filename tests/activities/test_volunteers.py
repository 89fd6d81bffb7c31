"""Volunteers (issue 13): hours above 0, at most 24 a piece and 24 a day for one volunteer; the actions (scoped,
audited), the report's table `volunteers` with figures worked out by hand, the indicator `volunteer_hours`, the
pages (the full name is personal data: its reads are audited) and the API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from opora.activities import actions, bulk, rules
from opora.activities.models import Volunteer, VolunteerWork
from opora.audit.models import AuditEvent
from opora.indicators.registry import get_indicator
from opora.lib.errors import DomainError
from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data

D = datetime.date


def test_hours_are_above_zero_at_most_24_and_at_most_24_a_day():
    rules.check_hours(Decimal("24"))
    rules.check_hours(Decimal("4"), Decimal("20"), D(2020, 1, 1))
    rules.check_hours(None, Decimal("24"))  # a piece not counted in hours
    for hours, already in ((Decimal("0"), Decimal("0")), (Decimal("24.5"), Decimal("0")),
                           (Decimal("4.5"), Decimal("20"))):
        with pytest.raises(DomainError) as exc:
            rules.check_hours(hours, already, D(2020, 1, 1))
        assert exc.value.field == "hours"
    with pytest.raises(DomainError) as exc:
        rules.check_hours(Decimal("4.5"), Decimal("20"), D(2020, 1, 1))
    assert "01.01.2020" in exc.value.message and "24,50" in exc.value.message


@pytest.fixture
def student(world):
    return actions.do_create_volunteer(world.org, {"code": "st1", "full_name": "Кузнецова Мария Ивановна",
                                                   "kind": "student", "joined_on": D(2020, 1, 10)},
                                       actor=world.actor("department_head"))


def test_work_is_recorded_with_a_sequence_and_the_days_hours_are_bounded(world, student):
    specialist = world.actor("specialist")
    first = actions.do_record_volunteer_work(student, {"date": D(2020, 2, 1), "hours": Decimal("10"),
                                                       "recipient": world.in_caseload, "activity": "Снег"},
                                             actor=specialist)
    second = actions.do_record_volunteer_work(student, {"date": D(2020, 2, 1), "hours": Decimal("14")},
                                              actor=specialist)
    assert (first.seq, second.seq) == (0, 1)
    with pytest.raises(DomainError) as exc:
        actions.do_record_volunteer_work(student, {"date": D(2020, 2, 1), "hours": Decimal("0.5")},
                                         actor=specialist)
    assert exc.value.field == "hours"
    with pytest.raises(DomainError) as exc:
        actions.do_record_volunteer_work(student, {"date": D(2020, 2, 2), "hours": Decimal("1"),
                                                   "recipient": world.other_org_person}, actor=specialist)
    assert exc.value.field == "recipient"
    with pytest.raises(PermissionDenied):
        actions.do_record_volunteer_work(student, {"date": D(2020, 2, 2), "hours": Decimal("1")},
                                         actor=world.actor("hr"))
    with pytest.raises(PermissionDenied):
        actions.do_create_volunteer(world.org, {"code": "x", "full_name": "X"}, actor=world.actor("analyst"))
    assert VolunteerWork.objects.count() == 2
    assert AuditEvent.objects.filter(object_type="activities.volunteerwork").count() == 2


def known_volunteers(world) -> None:
    """2020: three volunteers worked (five pieces, 17,5 hours) for two distinct people; a fourth in 2021."""
    a, b = world.in_caseload.pk, world.in_home2.pk
    counts = bulk.write(world.org.pk, bulk.Batch(
        volunteers={"v1": {"full_name": "Первый", "kind": "student", "joined_on": None},
                    "v2": {"full_name": "Вторая", "kind": "silver", "joined_on": None},
                    "v3": {"full_name": "Третий", "kind": "student", "joined_on": None},
                    "v4": {"full_name": "Четвёртая", "kind": "corporate", "joined_on": None}},
        volunteer_work={
            ("v1", D(2020, 1, 15), 0): {"hours": Decimal("3"), "recipient_id": a, "activity": "Снег"},
            ("v1", D(2020, 1, 15), 1): {"hours": Decimal("2.5"), "recipient_id": b, "activity": "Снег"},
            ("v2", D(2020, 3, 1), 0): {"hours": Decimal("4"), "recipient_id": a, "activity": "Чтение"},
            ("v3", D(2020, 9, 18), 0): {"hours": Decimal("8"), "recipient_id": None, "activity": "Акция"},
            ("v3", D(2020, 12, 31), 0): {"hours": None, "recipient_id": None, "activity": "Поздравление"},
            ("v4", D(2021, 1, 2), 0): {"hours": Decimal("5"), "recipient_id": b, "activity": ""},
        }))
    assert counts["volunteers"] == (4, 0) and counts["volunteer_work"] == (6, 0)


def test_the_report_counts_volunteers_actions_hours_and_people_helped(world):
    known_volunteers(world)

    def rows(period: Period, report: str = "activities") -> dict:
        doc = to_data(build_report(report, [world.org], period, actor=system_actor([world.org])))
        return {r["key"]: r for r in doc["tables"]["volunteers"]["rows"]} if "volunteers" in doc["tables"] else {}

    assert rows(Period.year_of(2020))["all"] == {"key": "all", "volunteers": 3, "actions": 5, "hours": 17.5,
                                                 "people_helped": 2}
    assert rows(Period.quarter_of(2020, 1))["all"] == {"key": "all", "volunteers": 2, "actions": 3, "hours": 9.5,
                                                       "people_helped": 2}
    assert rows(Period.year_of(2021))["all"] == {"key": "all", "volunteers": 1, "actions": 1, "hours": 5.0,
                                                 "people_helped": 1}
    assert rows(Period.year_of(2020), "annual")["all"]["hours"] == 17.5
    assert rows(Period.year_of(2019), "annual") == {}
    assert rows(Period.year_of(2019))["all"]["actions"] == 0
    indicator = get_indicator("volunteer_hours")
    assert indicator.compute([world.org.pk], D(2020, 1, 1), D(2020, 12, 31), {}) == Decimal("17.5")
    assert indicator.compute([world.org.pk], D(2020, 1, 1), D(2020, 3, 31), {}) == Decimal("9.5")


def test_the_bulk_path_refuses_more_than_24_hours_a_day_and_writes_nothing(world):
    known_volunteers(world)
    with pytest.raises(DomainError) as exc:
        bulk.write(world.org.pk, bulk.Batch(volunteer_work={
            ("v1", D(2020, 1, 15), 2): {"hours": Decimal("19"), "recipient_id": None, "activity": ""}}))
    assert exc.value.field == "hours"
    assert VolunteerWork.objects.count() == 6


def test_the_pages_list_a_volunteer_record_work_and_audit_the_reads(world, student):
    client = world.client("specialist")
    listed = AuditEvent.objects.filter(event_type="listed", object_type="activities.volunteer").count()
    page = client.get("/activities/volunteers/")
    assert page.status_code == 200 and "Кузнецова" in page.content.decode()
    assert AuditEvent.objects.filter(event_type="listed", object_type="activities.volunteer").count() == listed + 1
    card = client.get(f"/activities/volunteers/{student.pk}/")
    assert card.status_code == 200
    assert AuditEvent.objects.filter(event_type="viewed", object_type="activities.volunteer").exists()
    url = f"/activities/volunteers/{student.pk}/work/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"date": "2020-02-01", "hours": "20", "recipient": world.in_caseload.pk,
                             "activity": "Уборка снега"}).status_code == 302
    over = client.post(url, {"date": "2020-02-01", "hours": "5"})
    assert over.status_code == 200 and "has-error" in over.content.decode()
    assert VolunteerWork.objects.count() == 1
    assert "Фёдорова" in client.get(f"/activities/volunteers/{student.pk}/").content.decode()
    assert world.client("hr").get("/activities/volunteers/").status_code == 403
    assert world.client("analyst").get("/activities/volunteers/").status_code == 403


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_api_records_volunteers_and_their_work(world):
    client = world.client("specialist")
    created = _post(client, "/api/v1/volunteers", {"code": "s1", "full_name": "Орлов Пётр", "kind": "student"})
    assert created.status_code == 201, created.content
    vid = created.json()["id"]
    ok = _post(client, f"/api/v1/volunteers/{vid}/work", {"date": "2020-02-01", "hours": "6.5",
                                                          "recipient_id": world.in_caseload.pk})
    assert ok.status_code == 201, ok.content
    over = _post(client, f"/api/v1/volunteers/{vid}/work", {"date": "2020-02-01", "hours": 18})
    assert over.status_code == 422 and over.json()["detail"][0]["loc"] == ["body", "hours"]
    too_many = _post(client, f"/api/v1/volunteers/{vid}/work", {"date": "2020-02-02", "hours": 25})
    assert too_many.status_code == 422
    work = client.get(f"/api/v1/volunteers/{vid}/work").json()
    assert [(w["hours"], w["recipient_id"]) for w in work] == [(6.5, world.in_caseload.pk)]
    # a head of another department sees the work but not the person helped
    other = _post(world.client("director"), f"/api/v1/volunteers/{vid}/work",
                  {"date": "2020-02-03", "hours": 1, "recipient_id": world.in_home2.pk})
    assert other.status_code == 201
    seen = world.client("department_head").get(f"/api/v1/volunteers/{vid}/work").json()
    assert sorted((w["recipient_id"] or 0) for w in seen) == [0, world.in_caseload.pk]
    listed = client.get("/api/v1/volunteers").json()
    assert listed["count"] == 1 and listed["results"][0]["full_name"] == "Орлов Пётр"
    assert world.client("analyst").get("/api/v1/volunteers").status_code == 403
    assert Volunteer.objects.count() == 1
