"""The Content-Security-Policy is satisfied: the main pages load in Chromium with no CSP violation (no inline
script, no inline style without the nonce), and the scripts that need it still work (htmx, the autosubmit)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# Collect every violation the page reports, whatever the console says.
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @' + e.sourceFile + ':' + e.lineNumber);
});
"""


def _violations(page, console):
    found = list(page.evaluate("window.__csp || []"))
    return found + [m for m in console if "Content Security Policy" in m or "Content-Security-Policy" in m]


def _menu_links(page, base):
    hrefs = page.eval_on_selector_all("header a[href]", "els => els.map(e => e.getAttribute('href'))")
    return sorted({h for h in hrefs if h.startswith("/") and not h.startswith("//")})


def test_main_pages_satisfy_the_csp(transactional_db, seeded, world, live_server, page, log_in):
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.add_init_script(WATCH)
    log_in("director")
    pages = _menu_links(page, live_server.url)
    assert len(pages) >= 10, pages
    r = world.in_caseload
    pages += [f"/people/{r.pk}/", f"/people/{r.pk}/edit/", "/people/new/", "/families/new/",
              "/reports/?report=people&organisation=kcson&period=year&year=2020", "/api/v1/docs"]
    problems = {}
    for path in pages:
        console.clear()
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status < 500, path
        page.wait_for_load_state("load")
        found = _violations(page, console)
        if found:
            problems[path] = found
    assert problems == {}


def test_htmx_and_the_autosubmit_work_under_the_csp(transactional_db, seeded, world, live_server, page, log_in):
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.add_init_script(WATCH)
    log_in("director")
    page.goto(f"{live_server.url}/people/")
    page.fill("#id_q", "федорова")
    # A locator wait, not wait_for_function: the page's CSP forbids evaluating strings as script.
    expect(page.locator("#results tbody tr")).to_have_count(1)
    # The language switch submits itself (opora.js, no inline handler).
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert _violations(page, console) == []
    assert page.locator("html").get_attribute("lang") == "en"
