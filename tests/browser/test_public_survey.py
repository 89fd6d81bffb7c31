"""The public survey on a 390 px phone in Debian's Chromium: no login, one column without sideways scrolling,
thumb-sized targets, Opora's own stylesheet under the CSP (no violation), and an answer recorded once."""

from __future__ import annotations

import datetime

import pytest

from opora.quality.models import Survey, SurveyResponse

pytestmark = pytest.mark.browser


def test_it_takes_an_answer_on_a_phone(transactional_db, world, live_server, phone):
    Survey.objects.create(organisation=world.org, code="sat", name="Ваше мнение о работе центра",
                          kind="satisfaction", start=datetime.date(2020, 1, 1), is_public=True)
    violations: list[str] = []
    external: list[str] = []
    page = phone(device_scale_factor=2)  # not logged in
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/survey/kcson/")
    assert "КЦСОН Тестовый" in page.inner_text("h1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # the stylesheet is Opora's own and applies: a full-width button at least 56 px tall
    box = page.locator("button[type=submit]").bounding_box()
    assert box is not None and box["width"] >= 340 and box["height"] >= 56
    for label in page.locator("fieldset label").all()[:6]:
        assert label.bounding_box()["height"] >= 44  # type: ignore[index]
    page.screenshot(path="/tmp/opora-quality-public-survey.png")  # to look at (UI.md)
    options = page.eval_on_selector_all("#department option", "els => els.map(e => [e.value, e.textContent])")
    assert [str(world.home1.pk), "ОСО на дому №1"] in [[v, t.strip()] for v, t in options], options
    page.select_option("#department", value=str(world.home1.pk))
    assert page.input_value("#department") == str(world.home1.pk)
    page.check("input[name=recommend][value='1']")
    page.check("input[name=overall_satisfied][value='1']")
    page.check("input[name=waiting_ok][value='0']")
    page.locator("button[type=submit]").click()
    page.wait_for_selector("#state")
    assert "Спасибо" in page.inner_text("#state")
    page.goto(f"{live_server.url}/survey/kcson/")
    assert "уже ответили" in page.inner_text("#state")
    page.context.close()  # as before: every console message and request is in before the lists are checked
    r = SurveyResponse.objects.get()
    assert (r.recommend, r.overall_satisfied, r.waiting_ok, r.department_id) == (True, True, False, world.home1.pk)
    assert violations == [] and external == []
