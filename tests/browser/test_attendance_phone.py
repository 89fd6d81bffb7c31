"""The attendance page on a phone (390 px): one column, no sideways scrolling, the save button reachable."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from opora.activities import actions
from opora.activities.models import Session
from tests.browser.conftest import pick

# Where the picture of the page goes, to look at it (OPORA_SCREENSHOTS, else the test's temporary directory).
SHOTS = os.environ.get("OPORA_SCREENSHOTS", "")


def test_an_organiser_records_attendance_on_a_phone(transactional_db, seeded, world, live_server, phone, tmp_path):
    group = actions.do_create_group(world.org, {"code": "dosug", "name": "Клуб «Досуг»", "kind": "club",
                                                "department": world.home1}, actor=world.actor("director"))
    for person in (world.in_caseload, world.in_home1_other_worker):
        actions.do_add_member(group, person, joined_on=datetime.date(2020, 1, 10), actor=world.actor("director"))
    page = phone("specialist")
    page.goto(f"{live_server.url}/activities/groups/{group.pk}/attendance/")
    page.fill("input[name=date]", datetime.date.today().isoformat())
    page.fill("input[name=attendance]", "3")
    page.click("button[type=submit]")
    assert page.locator(".error").count() == 1  # above the two members: refused, named on the field
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("input[name=attendance]", "2")
    page.fill("input[name=topic]", "Песни военных лет")
    button = page.locator("button[type=submit]").first.bounding_box()
    assert button is not None and button["width"] >= 300 and button["height"] >= 44
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "attendance-390.png"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/activities/groups/{group.pk}/attendance/")
    assert Session.objects.get().attendance == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_driver_records_a_trip_on_a_phone(transactional_db, seeded, world, live_server, phone, tmp_path):
    from decimal import Decimal

    from opora.activities.models import TaxiTrip

    actions.do_set_taxi_tariff(world.org, datetime.date(2019, 1, 1), Decimal("250"), Decimal("10"),
                               actor=world.actor("director"))
    page = phone("specialist")
    page.goto(f"{live_server.url}/activities/taxi/")
    pick(page, "recipient", "Петр", world.in_home2.pk)
    page.select_option("select[name=destination]", "medical")
    page.check("input[name=out_of_district]")
    page.fill("input[name=km]", "42.5")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "trip-390.png"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/activities/taxi/")
    assert TaxiTrip.objects.get().amount == Decimal("675.00")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
