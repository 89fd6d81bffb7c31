"""Built reports kept per version of the data (reports/cache.py, issue 18): a second request is served from the
cache in a few queries, and every change of the journal or any audited write builds the report again."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.audit.log import log_event
from opora.audit.models import EventType
from opora.delivery import aggregates
from opora.delivery.models import Delivery
from opora.reports import cache as report_cache
from opora.reports.render import report_response
from tests.reports.test_annual import YEAR, Centre, build, values


@pytest.fixture
def centre(db, settings):
    settings.OPORA_REPORT_CACHE_SECONDS = 300
    cache.clear()
    yield Centre()
    cache.clear()


def test_the_second_request_is_served_from_the_cache_in_a_few_queries(centre):
    first = build(centre)
    with CaptureQueriesContext(connection) as built_again:
        second = build(centre)
    assert second == first
    assert len(built_again.captured_queries) <= 2  # the version: the service totals and the audit log's last write


def test_a_journal_line_builds_the_report_again(centre):
    before = values(build(centre), "totals")
    line = Delivery.objects.create(
        organisation=centre.org,
        recipient=centre.b,
        department=centre.h1,
        service=centre.household,
        date=datetime.date(2020, 7, 1),
        quantity=10,
        list="basic",
        amount=Decimal("0"),
    )
    aggregates.refresh_lines(line)
    after = values(build(centre), "totals")
    assert after != before


def test_a_journal_line_deleted_builds_the_report_again(centre):
    line = Delivery.objects.filter(organisation=centre.org, date__year=2020).order_by("pk").first()
    before = values(build(centre), "totals")
    line.delete()
    aggregates.refresh_lines(line)
    assert values(build(centre), "totals") != before


def test_an_audited_write_changes_the_version_and_a_read_does_not(centre):
    def version():
        return report_cache.data_version([centre.org.pk], YEAR.start, YEAR.end)

    before = version()
    log_event(actor=None, event_type=EventType.VIEWED, obj=centre.org, organisation_id=centre.org.pk)
    assert version() == before
    log_event(actor=None, event_type=EventType.UPDATED, obj=centre.org, organisation_id=centre.org.pk)
    assert version() != before


def test_a_journal_line_outside_the_report_and_its_previous_year_keeps_the_report(centre):
    first = build(centre)
    for day in (datetime.date(2018, 12, 31), datetime.date(2021, 1, 1)):  # before 2019, after 2020
        line = Delivery.objects.create(
            organisation=centre.org,
            recipient=centre.a,
            department=centre.h1,
            service=centre.household,
            date=day,
            quantity=1,
            list="basic",
            amount=Decimal("0"),
        )
        aggregates.refresh_lines(line)
        log_event(actor=None, event_type=EventType.CREATED, obj=line, organisation_id=centre.org.pk)
    with CaptureQueriesContext(connection) as again:
        assert build(centre) == first
    assert len(again.captured_queries) <= 2


def test_a_journal_line_of_the_previous_year_builds_the_report_again(centre):
    before = build(centre)
    line = Delivery.objects.create(
        organisation=centre.org,
        recipient=centre.a,
        department=centre.h1,
        service=centre.household,
        date=datetime.date(2019, 1, 1),
        quantity=1,
        list="basic",
        amount=Decimal("0"),
    )
    aggregates.refresh_lines(line)
    with CaptureQueriesContext(connection) as again:
        after = build(centre)
    assert len(again.captured_queries) > 10 and after != before


def test_the_rendered_file_is_kept_with_the_document(centre):
    doc = build(centre)
    body = report_response(doc, "xlsx").content
    with CaptureQueriesContext(connection) as again:
        second = report_response(build(centre), "xlsx").content
    assert second == body and len(again.captured_queries) <= 2


def test_another_period_or_organisation_is_another_report(centre):
    year = build(centre)
    quarter = build(centre, YEAR.__class__.from_code(2020, "q1"))
    assert quarter.period != year.period


def test_off_when_the_setting_is_zero(centre, settings):
    settings.OPORA_REPORT_CACHE_SECONDS = 0
    build(centre)
    with CaptureQueriesContext(connection) as again:
        build(centre)
    assert len(again.captured_queries) > 10


@pytest.mark.django_db
def test_postgresql_finds_the_latest_write_through_its_partial_index_not_past_the_reads():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (SQLite cannot match a partial index against bound parameters)")
    from django.db import transaction

    sql, params = report_cache.latest_write()[:1].query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test database of a few rows: ask whether it can
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "audit_write_id" in plan, plan
