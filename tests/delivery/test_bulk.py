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


def test_months_without_lines_get_aggregates_counted_in_memory_equal_to_the_sql_recount(world, monkeypatch):
    """write_lines counts the aggregates of the months that held no line from its rows (aggregates.count_lines),
    and recounts the others in SQL: both give what refresh_organisation's SQL recount gives afterwards."""
    import random

    cat = make_catalogue(world.org)
    rng = random.Random(11)
    people, departments = [world.in_caseload, world.in_home2], [world.home1, world.home2]
    services = [cat.monthly, cat.weekly, cat.additional]

    def rows(months, n):
        out, seen = [], set()
        while len(out) < n:
            person, dept, service = rng.choice(people), rng.choice(departments), rng.choice(services)
            day = D(2020, rng.choice(months), rng.randint(1, 28))
            worker = rng.choice([world.worker.pk, None])
            if (person.pk, dept.pk, service.pk, day, worker) in seen:
                continue
            seen.add((person.pk, dept.pk, service.pk, day, worker))
            quantity = rng.randint(1, 5)
            tariff = Decimal(rng.choice(["100.00", "37.35", "0.10"]))
            amount = tariff * quantity if service.list == "additional" else Decimal("0.00")
            out.append([person.pk, dept.pk, service.pk, day if rng.random() < 0.5 else day.isoformat(), worker,
                        0, quantity, service.list, str(tariff), amount if rng.random() < 0.5 else str(amount),
                        world.org.pk, "", None, bulk.now_value()])
        return out

    bulk.write_lines(world.org.pk, rows([1, 2], 40))  # January and February first
    recounted: list[set] = []
    sql = aggregates.refresh_organisation
    monkeypatch.setattr(aggregates, "refresh_organisation",
                        lambda org, months=None: (recounted.append(set(months)), sql(org, months)))
    bulk.write_lines(world.org.pk, rows([2, 3, 4], 150))  # February held lines; March and April none
    assert recounted == [{D(2020, 2, 1)}]  # only February recounted in SQL
    counted = aggregates.stored(world.org.pk)
    assert any(k[3] == D(2020, 4, 1) for k in counted[0]) and any(v[1] for v in counted[0].values())
    sql(world.org.pk)  # every month recounted in SQL
    assert aggregates.stored(world.org.pk) == counted
    assert aggregates.differences(world.org.pk) == []
