"""core.db.in_background: a report's heavy read on a second connection (PostgreSQL outside a transaction), inline
elsewhere; its result or its exception handed back; its connection closed."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from opora.core.db import in_background
from opora.org.models import Organisation
from tests import factories as f


def _where_and_what() -> tuple[int, int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM org_organisation")
        count = cursor.fetchone()[0]
        backend = 0
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    return threading.get_ident(), backend, count


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_reads_on_another_connection_on_postgresql():
    f.OrganisationFactory(code="bg")
    here = _where_and_what()
    thread, backend, count = in_background(_where_and_what)()
    assert count == Organisation.objects.count() == here[2] >= 1  # it reads what is committed
    if connection.vendor == "postgresql":
        assert thread != here[0] and backend != here[1]
    else:  # SQLite: at once, here
        assert (thread, backend) == here[:2]


@pytest.mark.django_db
def test_inside_a_transaction_it_runs_at_once_on_the_same_connection():
    f.OrganisationFactory(code="tx")  # not committed: another connection would not see it
    here = _where_and_what()
    assert in_background(_where_and_what)() == here


@pytest.mark.django_db(transaction=True)
def test_its_exception_is_raised_by_the_result():
    def fails() -> None:
        Organisation.objects.get(code="none such")

    result = in_background(fails)
    with pytest.raises(Organisation.DoesNotExist):
        result()
