"""The public page of electronic applications on a 390 px phone in Debian's Chromium: no login, Ukrainian for a
Ukrainian centre, no sideways scrolling, no CSP violation, nothing fetched from outside, and the application lands
in the journal with the channel `online`."""

from __future__ import annotations

import pytest

from opora.intake.models import Application
from opora.org.models import Organisation

pytestmark = pytest.mark.browser


def test_a_relative_applies_on_a_phone(transactional_db, world, live_server, phone):
    Organisation.objects.filter(pk=world.org.pk).update(jurisdiction="ua", name="Територіальний центр")
    violations: list[str] = []
    external: list[str] = []
    page = phone(locale="uk-UA", device_scale_factor=2)  # not logged in
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/apply/kcson/")
    assert "Територіальний центр" in page.inner_text("h1")
    assert "Подати заяву на соціальну послугу" in page.inner_text("h2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("button[type=submit]").bounding_box()
    assert box is not None and box["width"] >= 340 and box["height"] >= 56
    page.check("input[name=who][value=relative]")
    page.fill("input[name=applicant_name]", "Марія Коваленко")
    page.fill("input[name=last_name]", "Коваленко")
    page.fill("input[name=first_name]", "Іван")
    page.select_option("select[name=sex]", "M")
    page.fill("input[name=birth_date]", "1941-05-09")
    page.fill("input[name=phone]", "+380671234567")
    page.select_option("select[name=department]", str(world.home1.pk))
    page.fill("textarea[name=request]", "Потрібна допомога вдома")
    page.check("input[name=consent]")
    page.screenshot(path="/tmp/opora-public-apply.png", full_page=True)  # to look at (UI.md)
    page.locator("button[type=submit]").click()
    page.wait_for_selector("#state")
    assert "Дякуємо" in page.inner_text("#state")
    page.context.close()  # as before: every console message and request is in before the lists are checked
    application = Application.objects.get(organisation=world.org)
    assert (application.channel, application.department_id, application.applicant_name) == (
        "online", world.home1.pk, "Марія Коваленко")
    assert violations == [] and external == []
