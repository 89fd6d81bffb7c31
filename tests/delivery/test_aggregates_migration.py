"""The monthly aggregates moved from reports to delivery with their tables: the rows stay where they were."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("delivery", "0001_journal_and_acts"), ("reports", "0001_monthly_aggregates_of_the_journal")]
AFTER = [("delivery", "0002_monthly_aggregates_moved_from_reports"),
         ("reports", "0002_monthly_aggregates_moved_from_reports")]


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_the_tables_and_their_rows(world):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("reports", "ServiceMonth")
    assert old._meta.db_table == "reports_servicemonth"
    old.objects.create(organisation_id=world.org.pk, department_id=world.home1.pk,
                       service_id=_service(world).pk, month="2020-03-01", list="basic", quantity=7, amount=0,
                       lines=2)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    from opora.delivery.models import ServiceMonth

    assert list(ServiceMonth.objects.values_list("quantity", "lines")) == [(7, 2)]
    call_command("migrate", verbosity=0)  # leave the database as the other tests expect it


def _service(world):
    from opora.catalogue.models import Service

    return Service.objects.create(organisation=world.org, code="1.01", name="Покупка продуктов", type="household",
                                  list="basic", unit="услуга")
