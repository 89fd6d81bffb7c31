"""Every main page fits a 1366 px screen without sideways scrolling, and today's visits fits a 390 px phone: no
visible element reaches past the viewport (the small demo centre, as a director and as a social worker)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from opora.demo.builder import DEMO_PASSWORD, build_demo
from opora.org.models import Department, Employee
from opora.people.models import Enrolment
from opora.programmes.models import Programme
from tests.browser.conftest import log_in_through_the_form

# Where the pictures of the pages go, to look at them (OPORA_SCREENSHOTS, else the test's temporary directory).
SHOTS = os.environ.get("OPORA_SCREENSHOTS", "")

MAIN_PAGES = [
    "dashboard",
    "recipient_list",
    "family_list",
    "intake:list",
    "programmes:list",
    "delivery:journal",
    "delivery:today",
    "delivery:grid",
    "delivery:urgent_list",
    "fieldwork:visit_list",
    "billing:charges",
    "billing:balances",
    "billing:calculator",
    "billing:minimums",
    "billing:rules",
    "plans:plan_list",
    "reports:index",
    "staff_list",
    "services_list",
    "departments_list",
    "groups_list",
    "events_list",
    "money:aid",
    "money:funds",
    "complaints_list",
    "surveys_list",
    "trainings_list",
    "publications_list",
    "workplans:list",
    "calendar_list",
    "categories_list",
    "settlements_list",
]

# the widest visible element past the viewport: [scrollWidth, its description, its right edge]
OVERFLOW = """() => { const vw = document.documentElement.clientWidth; let worst = '', right = 0;
  for (const e of document.querySelectorAll('body *')) {
    if (!e.checkVisibility()) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1 && r.right > right) { right = r.right; worst = e.tagName + '.' + e.className; }
  }
  return [document.documentElement.scrollWidth, worst, Math.round(right)]; }"""


@pytest.fixture
def demo(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo("small", 2020)


def browse(chromium, live_server, username: str, width: int, height: int, **options):
    context = chromium.new_context(locale="ru-RU", viewport={"width": width, "height": height}, **options)
    context.set_default_timeout(30_000)
    try:
        page = log_in_through_the_form(context.new_page(), live_server.url, username, DEMO_PASSWORD)
    except BaseException:
        context.close()  # the caller's try/finally starts only once the page is returned
        raise
    return context, page


def measure(page, url: str, width: int) -> str:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    scroll_width, worst, right = page.evaluate(OVERFLOW)
    if scroll_width > width or worst:
        return f"{url}: {scroll_width} px wide, {worst} reaches {right} px"
    return ""


def test_every_main_page_fits_1366_px(demo, live_server, chromium, tmp_path):
    home = Department.objects.filter(kind="home_care").order_by("code").first()
    person = (Enrolment.objects.filter(department=home, discharged_on__isnull=True).order_by("id").first()).recipient
    programme = Programme.objects.order_by("-id").first()
    context, page = browse(chromium, live_server, "director", 1366, 900)
    try:
        base = live_server.url
        grid = f"{base}{reverse('delivery:grid')}?department={home.pk}&month=2020-10"
        urls = [base + reverse(name) for name in MAIN_PAGES] + [
            grid,
            f"{grid}&recipient={person.pk}",
            f"{base}{reverse('programmes:revise', args=[programme.pk])}",
        ]
        problems = [p for p in (measure(page, url, 1366) for url in urls) if p]
        assert not problems, "\n".join(problems)
        # the grid: one department's people, paged; the grid's header row stays in view when it scrolls
        page.goto(f"{grid}&recipient={person.pk}")
        assert page.locator(".grid-people li").count() <= 30
        assert page.evaluate("document.documentElement.scrollHeight") < 3000
        assert page.locator("table.month-grid thead th").first.evaluate("e => getComputedStyle(e).position") == "sticky"
        page.screenshot(path=str(Path(SHOTS or tmp_path) / "grid-1366.png"))
    finally:
        context.close()


def test_todays_visits_fit_a_390_px_phone(demo, live_server, chromium, tmp_path):
    worker = Employee.objects.get(user__username="social_worker")
    enrolment = Enrolment.objects.filter(worker=worker, discharged_on__isnull=True).order_by("id").first()
    assert enrolment is not None
    context, page = browse(chromium, live_server, "social_worker", 390, 844, is_mobile=True, has_touch=True)
    try:
        url = f"{live_server.url}{reverse('delivery:today')}?date=2020-10-15&enrolment={enrolment.pk}"
        problem = measure(page, url, 390)
        assert not problem, problem
        quantity = page.locator("td.qty input").first.bounding_box()
        assert quantity is not None and quantity["x"] + quantity["width"] <= 390 and quantity["height"] >= 40
        page.screenshot(path=str(Path(SHOTS or tmp_path) / "today-390.png"), full_page=False)
    finally:
        context.close()


def test_every_main_page_fits_a_390_px_phone(demo, live_server, chromium, tmp_path):
    """On a phone no page scrolls sideways: the menu folds behind its button, filters take the screen's width and a
    wide table scrolls inside itself."""
    context, page = browse(chromium, live_server, "director", 390, 844, is_mobile=True, has_touch=True)
    try:
        base = live_server.url
        problems = []
        for name in MAIN_PAGES:
            response = page.goto(base + reverse(name))
            assert response is not None and response.status == 200, name
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > 390:
                problems.append(f"{name}: {scroll_width} px wide")
        assert not problems, "\n".join(problems)
        # the menu: folded, opened by its button, every link then on the screen
        page.goto(base + reverse("recipient_list"))
        people = page.locator("#main-nav a", has_text="Граждане")
        assert not people.is_visible()
        page.click(".nav-toggle")
        assert people.is_visible()
        box = people.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(Path(SHOTS or tmp_path) / "people-390-menu.png"), full_page=False)
    finally:
        context.close()
