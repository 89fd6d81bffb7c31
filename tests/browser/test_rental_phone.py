"""The rental point on a phone (390 px): the issue and the return pages in one column, no sideways scrolling, the
button reachable; a second issue of an item that is out is refused on the page, named on its field."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from opora.activities import actions
from opora.activities.models import Rental
from tests.browser.conftest import pick

# Where the pictures of the pages go, to look at them (OPORA_SCREENSHOTS, else the test's temporary directory).
SHOTS = os.environ.get("OPORA_SCREENSHOTS", "")


def test_a_specialist_issues_and_takes_back_an_item_on_a_phone(transactional_db, seeded, world, live_server,
                                                               phone, tmp_path):
    item = actions.do_create_rental_item(world.org, {"code": "ch1", "name": "Кресло-коляска", "kind": "wheelchair",
                                                     "inventory_no": "ТСР-0001"}, actor=world.actor("director"))
    shots = Path(SHOTS) if SHOTS else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    today = datetime.date.today()
    page = phone("specialist")
    page.goto(f"{live_server.url}/activities/rental/issue/?item={item.pk}")
    pick(page, "recipient", "Петр", world.in_home2.pk)
    page.fill("input[name=issued_on]", today.isoformat())
    page.fill("input[name=due_on]", (today - datetime.timedelta(days=1)).isoformat())
    page.fill("input[name=amount]", "150")
    page.click("button[type=submit]")
    assert page.locator("#field-due_on .error").count() == 1  # the expected return before the issue
    # shown again: the person chosen is kept, by name (not by a drop-down of everyone)
    assert page.input_value("#id_recipient_search").startswith(world.in_home2.full_name)
    assert page.input_value("input[type=hidden][name=recipient]") == str(world.in_home2.pk)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.fill("input[name=due_on]", (today + datetime.timedelta(days=30)).isoformat())
    button = page.locator("button[type=submit]").first.bounding_box()
    assert button is not None and button["width"] >= 300 and button["height"] >= 44
    page.screenshot(path=str(shots / "rental-issue-390.png"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/activities/rental/")
    loan = Rental.objects.get()
    assert loan.recipient_id == world.in_home2.pk and loan.returned_on is None
    page.screenshot(path=str(shots / "rental-390.png"), full_page=True)
    # the same item again, while it is out: refused, named on the date of issue
    page.goto(f"{live_server.url}/activities/rental/issue/?item={item.pk}")
    pick(page, "recipient", "Фёдор", world.in_caseload.pk)
    page.fill("input[name=issued_on]", today.isoformat())
    page.click("button[type=submit]")
    assert page.locator("#field-issued_on .error").count() == 1
    assert Rental.objects.count() == 1
    page.goto(f"{live_server.url}/activities/rental/{loan.pk}/return/")
    page.fill("input[name=returned_on]", today.isoformat())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "rental-return-390.png"))
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/activities/rental/")
    loan.refresh_from_db()
    assert loan.returned_on == today
