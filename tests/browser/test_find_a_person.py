"""The browser journey on Debian's Chromium: log in, search a person, open the card."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_it_logs_in_searches_and_opens_the_card(transactional_db, world, live_server, page, log_in):
    log_in("director")
    page.goto(f"{live_server.url}/people/")
    # Live search (HTMX): lower case, without «ё».
    page.fill("#id_q", "федорова")
    # A locator wait, not wait_for_function: the page's CSP forbids evaluating strings as script.
    expect(page.locator("#results tbody tr")).to_have_count(1)
    rows = page.locator("#results tbody tr")
    assert "Фёдорова Алёна Петровна" in rows.first.inner_text()
    rows.first.locator("a").click()
    page.wait_for_selector("#snils")
    assert page.inner_text("#snils") == "112-233-445 95"
    assert "Фёдорова Алёна Петровна" in page.inner_text("h1")
