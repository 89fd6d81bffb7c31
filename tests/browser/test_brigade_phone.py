"""The mobile brigade's pages on a phone (390 px): the list of trips, the form, the trip's page with its journal
lines to attach — one column, no sideways scrolling, the attach button reachable."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal
from pathlib import Path

from opora.activities.models import BrigadeTrip, BrigadeTripLine
from opora.delivery.models import Delivery
from tests import factories as f

SHOTS = os.environ.get("OPORA_SCREENSHOTS", "")


def test_a_specialist_records_a_trip_and_attaches_its_lines_on_a_phone(transactional_db, seeded, world, live_server,
                                                                       phone, tmp_path):
    village = f.SettlementFactory(organisation=world.org, name="Суслово")
    day = datetime.date(2020, 3, 5)
    service = f.ServiceFactory(organisation=world.org, type="urgent", name="Инструктаж по пожарной безопасности")
    line = Delivery.objects.create(organisation=world.org, recipient=world.in_caseload, department=world.urgent,
                                   service=service, date=day, quantity=1, list="basic", tariff=Decimal("0"),
                                   amount=Decimal("0"))
    page = phone("director")
    page.goto(f"{live_server.url}/activities/brigade/new/")
    page.fill("input[name=code]", "mb1")
    page.fill("input[name=date]", day.isoformat())
    page.select_option("select[name=settlement]", str(village.pk))
    page.fill("input[name=purpose]", "Инструктаж")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("form.form button[type=submit]")
    trip = BrigadeTrip.objects.get(code="mb1")
    page.wait_for_url(f"{live_server.url}/activities/brigade/{trip.pk}/")
    page.check(f"input[name=deliveries][value='{line.pk}']")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "brigade-trip-390.png"), full_page=True)
    button = page.locator("button.big").bounding_box()
    assert button is not None and button["height"] >= 44
    page.click("button.big")
    page.wait_for_url(f"{live_server.url}/activities/brigade/{trip.pk}/")
    assert BrigadeTripLine.objects.get().delivery == line
    page.goto(f"{live_server.url}/activities/brigade/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "brigade-list-390.png"))
