"""The visit form on a 390 px phone (UI.md): one column, no sideways scrolling, the save button in reach."""

from __future__ import annotations

from opora.fieldwork.models import Visit
from tests import factories as f
from tests.browser.conftest import pick


def test_it_records_a_visit_on_a_phone(seeded, world, live_server, phone, tmp_path):
    family = f.FamilyFactory(organisation=world.org, registered_department=world.home1, name="Семья Фёдоровых")
    page = phone("social_worker")
    page.goto(f"{live_server.url}/fieldwork/visits/new/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    assert page.get_attribute("input[name=people]", "inputmode") == "numeric"
    save = page.locator(".sticky-save button")
    box = save.bounding_box()
    assert box is not None and box["height"] >= 44 and box["y"] + box["height"] <= 844  # in reach, no scroll
    page.fill("input[name=date]", "2020-03-01")
    page.select_option("select[name=kind]", "fire_safety")
    pick(page, "family", "Фёдор", family.pk)
    page.fill("input[name=people]", "3")
    page.locator("input[name=people]").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "visit_form_390.png"))  # docs/screens/visit_form_390.png is one
    save.click()
    page.wait_for_url(f"{live_server.url}/fieldwork/visits/")
    visit = Visit.objects.get()
    assert (visit.kind, visit.family_id, visit.people, visit.worker_id) == ("fire_safety", family.pk, 3,
                                                                             world.worker.pk)
