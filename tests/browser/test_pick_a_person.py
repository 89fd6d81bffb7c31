"""A person chosen by searching, not from a drop-down of everyone (people/fields.py): on the aid form, type a part
of the surname, move to the match with the keyboard, pick it, save; on a 390 px phone the list of matches fits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.browser


def test_a_person_is_searched_picked_and_saved_on_the_aid_form(transactional_db, world, live_server, page, log_in):
    from opora.money.models import Aid, Fund

    Fund.objects.create(organisation=world.org, code="reg", name="Бюджет", source="regional_budget")
    for n in range(3):  # namesakes of the other department: the head may not choose them
        f.RecipientFactory(organisation=world.org, last_name="Фёдорова", first_name=f"Чужая{n}",
                           registered_department=world.home2)
    log_in("department_head")
    page.goto(f"{live_server.url}/money/aid/new/")
    assert page.locator("select[name=recipient]").count() == 0
    page.select_option("select[name=fund]", label="Бюджет")
    page.select_option("select[name=kind]", "cash")
    page.fill("input[name=amount]", "500")
    box = page.locator("#id_recipient_search")
    box.click()
    page.keyboard.type("федор")  # lower case, without «ё»
    matches = page.locator("#id_recipient_results button.picker-choice")
    expect(matches).to_have_count(1)  # only the head's own person, not the namesakes of home2
    assert "Фёдорова Алёна" in matches.first.inner_text()
    page.keyboard.press("ArrowDown")
    expect(matches.first).to_be_focused()
    page.keyboard.press("Enter")
    assert page.input_value("input[type=hidden][name=recipient]") == str(world.in_caseload.pk)
    assert page.input_value("#id_recipient_search").startswith("Фёдорова Алёна")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/money/aid/")
    aid = Aid.objects.get()
    assert (aid.recipient_id, aid.family_id, aid.amount) == (world.in_caseload.pk, None, Decimal("500"))


def test_the_picker_fits_a_phone(transactional_db, world, live_server, phone):
    for n in range(25):
        f.RecipientFactory(organisation=world.org, last_name=f"Фёдоров-Длиннофамильный{n}", first_name="Константин",
                           patronymic="Александрович", registered_department=world.home1)
    page = phone("director")
    page.goto(f"{live_server.url}/money/aid/new/")
    page.fill("#id_recipient_search", "Фёдоров")
    matches = page.locator("#id_recipient_results button.picker-choice")
    expect(matches).to_have_count(20)  # at most 20, and a note to type more
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    tap = matches.first.bounding_box()
    assert tap is not None and tap["height"] >= 44
    matches.nth(3).tap()
    assert page.input_value("input[type=hidden][name=recipient]") != ""
