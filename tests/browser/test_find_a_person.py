"""The browser journey on Debian's Chromium: log in, search a person, open the card."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("OPORA_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def page(live_server):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update"],
        )
        context = browser.new_context(locale="ru-RU")
        yield context.new_page()
        browser.close()


def test_it_logs_in_searches_and_opens_the_card(transactional_db, world, live_server, page):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "director")
    page.fill("input[name=password]", "demo-pass-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/people/")
    # Live search (HTMX): lower case, without «ё».
    page.fill("#id_q", "федорова")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 1")
    rows = page.locator("#results tbody tr")
    assert "Фёдорова Алёна Петровна" in rows.first.inner_text()
    rows.first.locator("a").click()
    page.wait_for_selector("#snils")
    assert page.inner_text("#snils") == "112-233-445 95"
    assert "Фёдорова Алёна Петровна" in page.inner_text("h1")
