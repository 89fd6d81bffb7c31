"""The social taxi: the fee by the tariff of the date (in and out of the district), the trip's checks, the report's
table `taxi` with figures worked out by hand, and the exchange file taxi_trips."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from opora.activities import actions, bulk, queries, rules
from opora.activities.models import TaxiTrip
from opora.lib.errors import DomainError
from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data
from tests import factories as f

D = datetime.date
TARIFFS = [rules.TaxiTariff(D(2019, 1, 1), Decimal("150.00"), Decimal("12.00")),
           rules.TaxiTariff(D(2020, 7, 1), Decimal("200.00"), Decimal("15.50"))]


def test_the_fee_follows_the_tariff_of_the_date_and_charges_kilometres_outside_the_district():
    assert rules.tariff_on(TARIFFS, D(2020, 6, 30)).per_trip == Decimal("150.00")
    assert rules.tariff_on(TARIFFS, D(2020, 7, 1)).per_trip == Decimal("200.00")
    assert rules.tariff_on(TARIFFS, D(2018, 12, 31)) is None
    assert rules.taxi_fee(TARIFFS[0], D(2020, 3, 1), Decimal("7"), False) == Decimal("150.00")
    assert rules.taxi_fee(TARIFFS[1], D(2020, 8, 1), Decimal("42.3"), True) == Decimal("855.65")  # 200 + 15.5 × 42.3
    with pytest.raises(DomainError) as exc:
        rules.taxi_fee(TARIFFS[1], D(2020, 8, 1), None, True)
    assert exc.value.field == "km"
    with pytest.raises(DomainError) as exc:
        rules.taxi_fee(None, D(2018, 8, 1), None, False)
    assert exc.value.field == "amount" and "01.08.2018" in exc.value.message


def test_a_trip_is_priced_by_the_tariff_and_audited(world):
    director = world.actor("director")
    actions.do_set_taxi_tariff(world.org, D(2020, 1, 1), Decimal("150"), Decimal("12"), actor=director)
    driver = f.EmployeeFactory(organisation=world.org, department=world.home1, position="driver")
    trip = actions.do_record_trip(world.org, {"recipient": world.in_caseload, "date": D(2020, 3, 2),
                                              "destination": "medical", "out_of_district": True,
                                              "km": Decimal("30"), "driver": driver}, actor=world.actor("specialist"))
    assert trip.amount == Decimal("510.00") and trip.seq == 0
    again = actions.do_record_trip(world.org, {"recipient": world.in_caseload, "date": D(2020, 3, 2),
                                               "destination": "medical"}, actor=director)
    assert again.seq == 1 and again.amount == Decimal("150.00")
    with pytest.raises(DomainError):
        actions.do_record_trip(world.org, {"recipient": world.other_org_person, "date": D(2020, 3, 2),
                                           "destination": "medical"}, actor=director)
    assert TaxiTrip.objects.count() == 2
    # a head of department sees the trips of the people of their departments only
    assert list(queries.trips_for(world.actor("department_head"))) == list(TaxiTrip.objects.order_by("-date", "-id"))
    assert queries.trips_for(world.actor("hr")).count() == 0
    with pytest.raises(DomainError):  # a social worker records trips of their caseload only
        actions.do_record_trip(world.org, {"recipient": world.in_home2, "date": D(2020, 3, 2),
                                           "destination": "medical"}, actor=world.actor("social_worker"))


def test_the_report_counts_trips_people_out_of_district_km_and_income(world):
    a, b, c = world.in_caseload.pk, world.in_home2.pk, world.in_home1_other_worker.pk
    trips = {
        (a, D(2020, 2, 3), "medical", 0): {"out_of_district": True, "km": Decimal("40.0"), "amount": Decimal("630"),
                                           "driver_id": None},
        (a, D(2020, 2, 3), "medical", 1): {"out_of_district": False, "km": None, "amount": Decimal("150"),
                                           "driver_id": None},
        (b, D(2020, 5, 5), "pension_fund", 0): {"out_of_district": False, "km": Decimal("6.5"),
                                                "amount": Decimal("150"), "driver_id": None},
        (c, D(2020, 12, 31), "station", 0): {"out_of_district": True, "km": Decimal("55.5"),
                                             "amount": Decimal("982.25"), "driver_id": None},
        (c, D(2021, 1, 1), "station", 0): {"out_of_district": True, "km": Decimal("55.5"),
                                           "amount": Decimal("982.25"), "driver_id": None},
    }
    assert bulk.write(world.org.pk, bulk.Batch(taxi_trips=trips))["taxi_trips"] == (5, 0)
    doc = to_data(build_report("activities", [world.org], Period.year_of(2020), actor=system_actor([world.org])))
    rows = {r["key"]: r for r in doc["tables"]["taxi"]["rows"]}
    assert rows["all"] == {"key": "all", "trips": 4, "people": 3, "people_out_of_district": 2, "km": 102.0,
                           "income": 1912.25}
    assert rows["medical"]["trips"] == 2 and rows["medical"]["people"] == 1
    assert [r["key"] for r in doc["tables"]["taxi"]["rows"]] == ["all", "medical", "pension_fund", "station"]
    annual = build_report("annual", [world.org], Period.year_of(2019), actor=system_actor([world.org]))
    assert "taxi" not in annual.tables()


@pytest.mark.parametrize("fmt", ["json", "html", "docx", "xlsx", "pdf"])
def test_the_report_renders_in_every_format(world, fmt):
    from opora.reports.render import render

    _known = {(world.in_caseload.pk, D(2020, 2, 3), "medical", 0): {
        "out_of_district": True, "km": Decimal("40.0"), "amount": Decimal("630"), "driver_id": None}}
    bulk.write(world.org.pk, bulk.Batch(taxi_trips=_known))
    doc = build_report("activities", [world.org], Period.year_of(2020), actor=system_actor([world.org]))
    data = render(doc, fmt)
    assert len(data) > 500
    if fmt == "html":
        assert "630,00" in data.decode()
