"""PostgreSQL: the name search is served by a trigram index, not a read of the whole register (issue 18)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from opora.people.models import Family, Recipient
from opora.people.queries import search_recipients


@pytest.mark.django_db
@pytest.mark.parametrize(("model", "index"), [(Recipient, "recipient_search_trgm"), (Family, "family_search_trgm")])
def test_a_name_part_of_three_letters_is_found_through_the_trigram_index(model, index):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    qs = model.objects.filter(search_name__contains="смир")
    if model is Recipient:
        qs = search_recipients(Recipient.objects.all(), "Смир")
    sql, params = qs.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test database of a few rows: ask whether it can
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
