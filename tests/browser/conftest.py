"""What the browser tests share: Debian's Chromium driven by Playwright, a fresh page per test (``page``, or
``phone`` for a 390 × 844 touch screen), logging in through the login form, and the seed data of the migrations put
back (a transactional test empties the tables after itself, seeds included)."""

from __future__ import annotations

import importlib
import os
from contextlib import ExitStack

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("OPORA_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "demo-pass-1"
TIMEOUT_MS = 15_000
PHONE = {"width": 390, "height": 844}  # the phone of UI.md

# The data migrations whose rows the pages need: the production calendar and the care-level scale, the
# categories, the default fee rules. Each seed() is idempotent (get_or_create).
SEED_MIGRATIONS = (
    "opora.people.migrations.0002_default_categories:add_default_categories",
    "opora.people.migrations.0005_category_groups_of_the_reports:add_default_groups",
    "opora.intake.migrations.0002_seed_production_calendar_and_care_scale:seed",
    "opora.intake.migrations.0003_remove_calendar_rows_the_holidays_package_gives:drop",
    "opora.billing.migrations.0004_default_fee_data:seed",
)


class OneRequestAtATime(WSGIServer):
    """The test server answers one request at a time. On SQLite the tests' in-memory database is one connection
    that the server's threads share, and two requests at once (a page and its favicon) fail with «cannot open
    savepoint - SQL statements in progress»; a server that is not threaded also closes each connection."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module (launching it is the slow part); each test gets its own context."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the fixtures are safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(locale="ru-RU", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def seeded(transactional_db):
    """Put back the rows the data migrations seed (the calendar, the care scale, categories, fee rules)."""
    from django.apps import apps

    for target in SEED_MIGRATIONS:
        module, function = target.split(":")
        getattr(importlib.import_module(module), function)(apps, None)


def log_in_through_the_form(page, base_url: str, username: str, password: str = PASSWORD):
    """Log in through the login form, as a person would, and wait for the dashboard; returns the page."""
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")
    return page


@pytest.fixture
def log_in(page, live_server):
    """log_in("social_worker"): log in through the login form, as a person would; returns the page."""

    def _log_in(username: str, password: str = PASSWORD):
        return log_in_through_the_form(page, live_server.url, username, password)

    return _log_in


@pytest.fixture
def phone(chromium, live_server):
    """phone("specialist"): a page on a 390 × 844 touch screen, logged in through the login form; phone() is not
    logged in. locale= for another language (uk-UA); other keywords go to the context (device_scale_factor=2).
    Every context it opened is closed after the test."""
    with ExitStack() as contexts:

        def _phone(username: str | None = None, password: str = PASSWORD, *, locale: str = "ru-RU", **options):
            context = chromium.new_context(locale=locale, viewport=dict(PHONE), is_mobile=True, has_touch=True,
                                           **options)
            contexts.callback(context.close)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            if username is not None:
                log_in_through_the_form(page, live_server.url, username, password)
            return page

        yield _phone


def pick(page, name: str, text: str, pk: int) -> None:
    """Choose a person or family in a picker (people/fields.py) as a person would: type into its search box, wait for
    the match and click it (the hidden input ``name`` then holds ``pk``)."""
    page.fill(f"#id_{name}_search", text)
    page.locator(f'#id_{name}_results button[data-pick="{pk}"]').click()
    assert page.input_value(f"input[type=hidden][name={name}]") == str(pk)
