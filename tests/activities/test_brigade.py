"""The mobile brigade: trips with members, the journal lines delivered on them (still in the journal), the report's
table `mobile_brigade` with figures worked out by hand, the exchange (file `brigade_trips`, column
`deliveries.trip_code`, errors naming file and line with nothing changed), the pages and the API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from opora.activities import actions, outreach, rules
from opora.activities.models import BrigadeTrip, BrigadeTripLine
from opora.delivery.models import Delivery
from opora.lib.errors import DomainError
from opora.lib.periods import Period
from opora.people.models import Category
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data
from tests import factories as f
from tests.exchange.test_import import DELIVERIES, build, run, write_csv

D = datetime.date


@pytest.fixture(autouse=True)
def english():
    """The messages are matched in English (the installation's default is Russian)."""
    with translation.override("en"):
        yield


@pytest.fixture
def categories(db):
    for code in ("pensioner", "lonely", "labour_veteran"):
        Category.objects.get_or_create(code=code)


def _line(world, recipient, day, quantity=1, service=None):
    service = service or f.ServiceFactory(organisation=world.org, type="urgent")
    return Delivery.objects.create(organisation=world.org, recipient=recipient, department=world.urgent,
                                   service=service, date=day, quantity=quantity, list="basic",
                                   tariff=Decimal("0"), amount=Decimal("0"))


@pytest.fixture
def places(world):
    return (f.SettlementFactory(organisation=world.org, name="Суслово"),
            f.SettlementFactory(organisation=world.org, name="Тюменево"))


def test_a_line_is_on_a_trip_of_its_date():
    rules.check_trip_line("t1", D(2020, 3, 5), D(2020, 3, 5))
    with pytest.raises(DomainError) as exc:
        rules.check_trip_line("t1", D(2020, 3, 5), D(2020, 3, 6))
    assert exc.value.field == "trip" and "06.03.2020" in exc.value.message and "«t1»" in exc.value.message


def test_a_trip_is_recorded_with_members_and_its_lines_attached_once(world, places):
    director = world.actor("director")
    member = f.EmployeeFactory(organisation=world.org, department=world.urgent, position="specialist")
    trip = actions.do_create_brigade_trip(world.org, {"code": "t1", "date": D(2020, 3, 5), "settlement": places[0],
                                                      "members": [member], "purpose": "Консультации"},
                                          actor=director)
    assert list(trip.members.all()) == [member]
    a, b = _line(world, world.in_caseload, D(2020, 3, 5)), _line(world, world.in_home2, D(2020, 3, 5), 2)
    other_day = _line(world, world.in_home2, D(2020, 3, 6))
    assert actions.do_attach_lines(trip, [a.pk, b.pk], actor=director) == 2
    with pytest.raises(DomainError, match="already on a trip"):
        actions.do_attach_lines(trip, [a.pk], actor=director)
    with pytest.raises(DomainError, match="06.03.2020"):
        actions.do_attach_lines(trip, [other_day.pk], actor=director)
    with pytest.raises(DomainError, match="detach"):
        actions.do_update_brigade_trip(trip, {"date": D(2020, 3, 6)}, actor=director)
    foreign = f.SettlementFactory(organisation=world.other_org)
    with pytest.raises(DomainError):
        actions.do_create_brigade_trip(world.org, {"code": "t2", "date": D(2020, 3, 5), "settlement": foreign},
                                       actor=director)
    assert BrigadeTripLine.objects.count() == 2 and Delivery.objects.count() == 3  # the lines stay in the journal


def test_the_report_counts_trips_settlements_people_and_services_of_the_joined_lines(world, places):
    s1, s2 = places
    lines = [_line(world, world.in_caseload, D(2020, 3, 5)), _line(world, world.in_home2, D(2020, 3, 5), 3),
             _line(world, world.in_caseload, D(2020, 4, 9), 2), _line(world, world.in_home2, D(2020, 12, 31)),
             _line(world, world.in_home1_other_worker, D(2021, 1, 4))]
    _line(world, world.in_home1_other_worker, D(2020, 3, 5))  # delivered that day but not on the trip
    batch = outreach.OutreachBatch(
        trips={"t1": {"date": D(2020, 3, 5), "settlement_id": s1.pk, "purpose": "", "member_ids": ()},
               "t2": {"date": D(2020, 4, 9), "settlement_id": s1.pk, "purpose": "", "member_ids": ()},
               "t3": {"date": D(2020, 12, 31), "settlement_id": s2.pk, "purpose": "", "member_ids": ()},
               "t4": {"date": D(2020, 7, 1), "settlement_id": s2.pk, "purpose": "", "member_ids": ()},
               "t5": {"date": D(2021, 1, 4), "settlement_id": s2.pk, "purpose": "", "member_ids": ()}},
        trip_lines={lines[0].pk: "t1", lines[1].pk: "t1", lines[2].pk: "t2", lines[3].pk: "t3", lines[4].pk: "t5"})
    counts = outreach.write(world.org.pk, batch)
    assert counts["brigade_trips"] == (5, 0) and counts["trip_lines"] == (5, 0)
    doc = to_data(build_report("activities", [world.org], Period.year_of(2020), actor=system_actor([world.org])))
    # 2020: t1–t4 in 2 settlements; people Фёдорова, Петров (2); services 1 + 3 + 2 + 1 = 7
    assert doc["tables"]["mobile_brigade"]["rows"] == [
        {"key": "all", "trips": 4, "settlements": 2, "people": 2, "services": 7}]
    march = to_data(build_report("activities", [world.org], Period.month_of(2020, 3),
                                 actor=system_actor([world.org])))
    assert march["tables"]["mobile_brigade"]["rows"] == [
        {"key": "all", "trips": 1, "settlements": 1, "people": 2, "services": 4}]
    assert "mobile_brigade" in build_report("annual", [world.org], Period.year_of(2021),
                                            actor=system_actor([world.org])).tables()
    assert "mobile_brigade" not in build_report("annual", [world.org], Period.year_of(2019),
                                                actor=system_actor([world.org])).tables()
    with pytest.raises(DomainError):  # the bulk path checks the date too
        outreach.write(world.org.pk, outreach.OutreachBatch(trip_lines={lines[2].pk: "t1"}))


# ---- the exchange -------------------------------------------------------------------------------------------------
TRIPS = [["code", "date", "settlement", "members", "purpose"],
         ["mb1", "2020-04-01", "Михайловка", "001|002", "Консультации"],
         ["mb2", "2020-02-03", "Заречье", "", ""]]
TRIP_DELIVERIES = [[*DELIVERIES[0], "trip_code"], *[[*r, ""] for r in DELIVERIES[1:-1]],
                   [*DELIVERIES[-1], "mb1"]]


def _directory(tmp_path, trips=TRIPS, deliveries=TRIP_DELIVERIES):
    d = build(tmp_path / "x", deliveries=deliveries)
    write_csv(d / "brigade_trips.csv", trips, encoding="utf-8", delimiter=";")
    return d


def test_it_imports_trips_and_the_trip_of_journal_lines_and_exports_them_back(tmp_path, categories):
    status, _out, err = run(_directory(tmp_path))
    assert status == 0, err
    trip = BrigadeTrip.objects.get(code="mb1")
    assert trip.settlement.name == "Михайловка" and sorted(trip.members.values_list("tab_no", flat=True)) == [
        "001", "002"]
    line = BrigadeTripLine.objects.get()
    assert line.trip == trip and line.delivery.recipient.external_id == "R3" and line.delivery.date == D(2020, 4, 1)
    assert run(_directory(tmp_path))[0] == 0 and BrigadeTripLine.objects.count() == 1  # idempotent
    from opora.exchange.export import export_directory
    from opora.org.models import Organisation

    out = tmp_path / "out"
    counts = export_directory(Organisation.objects.get(code="imp"), out)
    assert counts["brigade_trips"] == 2
    journal = (out / "deliveries.csv").read_text(encoding="utf-8-sig").splitlines()
    assert journal[0].endswith(";trip_code") and sum(r.endswith(";mb1") for r in journal) == 1
    assert "001|002" in (out / "brigade_trips.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("trips", "deliveries", "expected"), [
    (TRIPS, [*TRIP_DELIVERIES[:-1], [*DELIVERIES[-1], "nope"]],
     "deliveries.csv:6: trip_code: Unknown brigade trip «nope»."),
    (TRIPS, [*TRIP_DELIVERIES[:-1], [*DELIVERIES[-1], "mb2"]], "deliveries.csv:6: trip_code: The line is dated"),
    ([*TRIPS, ["mb3", "2020-05-01", "Заречье", "999", ""]], TRIP_DELIVERIES,
     "brigade_trips.csv:4: members: Unknown worker «999»."),
    ([*TRIPS, ["mb1", "2020-05-01", "Заречье", "", ""]], TRIP_DELIVERIES, "brigade_trips.csv:4: code:"),
    ([*TRIPS, ["mb4", "", "Заречье", "", ""]], TRIP_DELIVERIES, "brigade_trips.csv:4: date:"),
])
def test_bad_trip_input_names_file_and_line_and_changes_nothing(tmp_path, categories, trips, deliveries, expected):
    status, _out, err = run(_directory(tmp_path, trips, deliveries))
    assert status != 0 and expected in err, err
    assert BrigadeTrip.objects.count() == 0 and Delivery.objects.count() == 0


# ---- pages and API ------------------------------------------------------------------------------------------------
def test_the_trip_page_lists_and_attaches_lines_of_its_date(world, places):
    trip = actions.do_create_brigade_trip(world.org, {"code": "t1", "date": D(2020, 3, 5), "settlement": places[0]},
                                          actor=world.actor("director"))
    line = _line(world, world.in_caseload, D(2020, 3, 5))
    _line(world, world.in_home2, D(2020, 3, 6))
    c = world.client("director")
    listing = c.get("/activities/brigade/").content.decode()
    assert "Суслово" in listing
    page = c.get(f"/activities/brigade/{trip.pk}/").content.decode()
    assert "Фёдорова" in page and "Петров " not in page  # only the lines of the trip's date are offered
    c.post(f"/activities/brigade/{trip.pk}/lines/attach/", {"deliveries": [line.pk]})
    assert BrigadeTripLine.objects.get().delivery == line
    form = c.post("/activities/brigade/new/", {"code": "t2", "date": "2020-03-07", "settlement": places[1].pk,
                                               "purpose": "Инструктаж"})
    assert form.status_code == 302 and BrigadeTrip.objects.filter(code="t2").exists()


def test_the_api_records_a_trip_and_attaches_lines(world, places):
    c = world.client("director")
    member = f.EmployeeFactory(organisation=world.org, department=world.urgent)
    r = c.post("/api/v1/brigade/trips", {"code": "t1", "date": "2020-03-05", "settlement_id": places[0].pk,
                                         "member_ids": [member.pk], "purpose": "Консультации"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    trip = r.json()
    assert trip["member_ids"] == [member.pk] and trip["settlement"] == "Суслово" and trip["lines"] == 0
    line, wrong = _line(world, world.in_caseload, D(2020, 3, 5)), _line(world, world.in_home2, D(2020, 3, 6))
    bad = c.post(f"/api/v1/brigade/trips/{trip['id']}/lines", {"delivery_ids": [wrong.pk]},
                 content_type="application/json")
    assert bad.status_code == 422
    ok = c.post(f"/api/v1/brigade/trips/{trip['id']}/lines", {"delivery_ids": [line.pk]},
                content_type="application/json")
    assert ok.status_code == 201 and [x["delivery_id"] for x in ok.json()] == [line.pk]
    assert c.get(f"/api/v1/brigade/trips/{trip['id']}").json()["lines"] == 1
    assert c.get("/api/v1/brigade/trips?start=2020-03-01&end=2020-03-31").json()["count"] == 1
    foreign = f.SettlementFactory(organisation=world.other_org)
    r = c.post("/api/v1/brigade/trips", {"code": "t2", "date": "2020-03-05", "settlement_id": foreign.pk},
               content_type="application/json")
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "settlement_id"]


def test_the_indicators_give_the_figures_of_the_report(world, places):
    from opora.indicators.registry import get_indicator

    def evaluate(name, org_ids, start, end):
        return get_indicator(name).compute(org_ids, start, end, {})

    line = _line(world, world.in_caseload, D(2020, 3, 5), 2)
    outreach.write(world.org.pk, outreach.OutreachBatch(
        trips={"t1": {"date": D(2020, 3, 5), "settlement_id": places[0].pk, "purpose": "", "member_ids": ()}},
        trip_lines={line.pk: "t1"}))
    year = Period.year_of(2020)
    assert [evaluate(name, [world.org.pk], year.start, year.end) for name in
            ("brigade_trips", "brigade_people", "brigade_services")] == [1, 1, 2]
    assert evaluate("brigade_trips", [world.org.pk], D(2021, 1, 1), D(2021, 12, 31)) == 0
