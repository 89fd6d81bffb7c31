"""The journal in bulk (delivery/bulk.py): the rules over many rows, and the one bulk writer."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from opora.delivery import aggregates, bulk
from opora.delivery.models import Delivery
from tests.factories_delivery import make_catalogue, make_programme

D = datetime.date


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def row(world, service, day, quantity, seq=0):
    return [world.in_caseload.pk, world.home1.pk, service.pk, day.isoformat(), world.worker.pk, seq, quantity,
            service.list, "100.00", "0.00", world.org.pk, "", None, bulk.now_value()]


def test_it_writes_lines_and_recounts_the_months_written(world):
    cat = make_catalogue(world.org)
    bulk.write_lines(world.org.pk, [row(world, cat.monthly, D(2020, 3, 2), 2),
                                    row(world, cat.monthly, D(2020, 3, 2), 1, 1),
                                    row(world, cat.weekly, D(2020, 4, 6), 3)])
    assert sorted(Delivery.objects.values_list("date", "seq", "quantity", "tariff")) == [
        (D(2020, 3, 2), 0, 2, Decimal("100.00")), (D(2020, 3, 2), 1, 1, Decimal("100.00")),
        (D(2020, 4, 6), 0, 3, Decimal("100.00"))]
    assert aggregates.differences(world.org.pk) == []
    assert aggregates.stored(world.org.pk)[0]  # the months written have their rows


def test_it_rechecks_a_journal_by_the_rules_in_date_order(world):
    cat = make_catalogue(world.org)
    make_programme(world.in_caseload, world.home1, cat)  # 8 a month of `monthly`
    bulk.write_lines(world.org.pk, [row(world, cat.monthly, D(2020, 3, 2), 5),
                                    row(world, cat.monthly, D(2020, 3, 9), 4),
                                    row(world, cat.not_in_programme, D(2020, 3, 9), 1)])
    later = Delivery.objects.get(date=D(2020, 3, 9), service=cat.monthly)
    odd = Delivery.objects.get(service=cat.not_in_programme)
    refused = bulk.check_journal(world.org.pk)
    assert [(pk, r.field) for pk, r in refused] == [(later.pk, "quantity"), (odd.pk, "service")]
    assert "5 already delivered from 01.03.2020 to 31.03.2020, so 9 would exceed it" in refused[0][1].message
    # with a reason for the excess the line is eligible
    Delivery.objects.filter(pk=later.pk).update(over_volume_reason="Болезнь")
    assert [pk for pk, _r in bulk.check_journal(world.org.pk)] == [odd.pk]


def test_rows_count_against_the_volume_in_order(world):
    cat = make_catalogue(world.org)
    make_programme(world.in_caseload, world.home1, cat)
    context = bulk.database_context(world.org.pk)
    rows = [bulk.Row(world.in_caseload.pk, world.home1.pk, cat.weekly.pk, D(2020, 3, 2), 1, world.worker.pk),
            bulk.Row(world.in_caseload.pk, world.home1.pk, cat.weekly.pk, D(2020, 3, 4), 1, world.worker.pk),
            bulk.Row(world.in_caseload.pk, world.home1.pk, cat.weekly.pk, D(2020, 3, 8), 1, world.worker.pk),
            bulk.Row(world.in_caseload.pk, world.home1.pk, cat.weekly.pk, D(2020, 3, 9), 1, world.worker.pk)]
    checked, problems = bulk.check_lines(rows, context)
    assert [c is not None for c in checked] == [True, True, False, True]  # 2 a week: the third of the week fails
    assert problems[0][0] == 2 and problems[0][1].field == "quantity"


@pytest.mark.parametrize("own_keys", [False, True])
def test_a_large_first_insert_rebuilds_the_indexes_and_keeps_every_constraint(world, monkeypatch, own_keys):
    from django.db import IntegrityError, connection, transaction

    monkeypatch.setattr("opora.delivery.bulk.REBUILD_FROM", 1)
    cat = make_catalogue(world.org)
    with connection.cursor() as cursor:
        before = connection.introspection.get_constraints(cursor, "delivery_delivery")
    lines = [row(world, cat.monthly, D(2020, 3, 2), 2), row(world, cat.weekly, D(2020, 3, 3), 1)]
    bulk.write_lines(world.org.pk, lines, own_keys=own_keys)
    with connection.cursor() as cursor:
        after = connection.introspection.get_constraints(cursor, "delivery_delivery")
    assert {k: (v["columns"], v["unique"], v["foreign_key"]) for k, v in after.items()} == {
        k: (v["columns"], v["unique"], v["foreign_key"]) for k, v in before.items()}
    assert Delivery.objects.count() == 2 and aggregates.differences(world.org.pk) == []
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.write_lines(world.org.pk, [row(world, cat.monthly, D(2020, 3, 2), 5)])  # the same line and seq
