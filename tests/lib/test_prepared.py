"""lib.db.run_prepared: a query compiled once gives what the queryset gives, for every value, on both databases."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext

from opora.accounts.backends import membership_rows
from opora.delivery.queries import caseload_on
from opora.lib.db import run_prepared
from opora.people.models import Enrolment
from tests import factories as f

pytestmark = pytest.mark.django_db


def _seen(enrolments):
    return [(e.pk, e.recipient_id, e.recipient.full_name, e.department.name, e.worker_id,
             e.worker and e.worker.full_name, e.admitted_on, e.discharged_on, getattr(e, "n", None))
            for e in enrolments]


def _enrolments(world):
    day = datetime.date(2020, 1, 10)
    for n, last in enumerate(("Орлова", "Белов", "Анисимова")):
        person = f.RecipientFactory(organisation=world.org, last_name=last)
        f.EnrolmentFactory(recipient=person, department=world.home1, worker=world.users["social_worker"].employee,
                           admitted_on=day + datetime.timedelta(days=10 * n),
                           **({"discharged_on": datetime.date(2020, 3, 1), "discharge_reason": "own_request"}
                              if n == 1 else {}))


def test_the_rows_are_the_querysets_for_each_value_and_the_query_is_built_once(world):
    _enrolments(world)
    built = []

    def build(day, worker_id):
        built.append(day)
        return (Enrolment.objects.filter(Q(admitted_on__lte=day) & (Q(discharged_on__isnull=True)
                                                                  | Q(discharged_on__gte=day)), worker_id=worker_id)
                .select_related("recipient", "department", "worker").annotate(n=F("recipient__id") + 1)
                .order_by("recipient__last_name", "pk"))

    worker = world.users["social_worker"].employee_id
    key = ("test", world.org.pk)
    for n, day in enumerate((datetime.date(2020, 1, 9), datetime.date(2020, 1, 20), datetime.date(2020, 2, 15),
                             datetime.date(2020, 6, 1))):
        expected = _seen(build(day, worker))
        built.clear()
        with CaptureQueriesContext(connection) as queries:
            got = run_prepared(key, build, day, worker)
        assert _seen(got) == expected, day
        assert len(queries.captured_queries) == 1  # the related objects came with the rows
        assert len(built) == (2 if n == 0 else 0)  # the first call builds it with markers and with the values
    assert [e.recipient.last_name for e in run_prepared(key, build, datetime.date(2020, 6, 1), worker)] == [
        "Анисимова", "Орлова", "Фёдорова"]


def test_a_shape_that_depends_on_the_value_is_never_kept_and_a_none_is_run_as_a_queryset(world):
    _enrolments(world)

    def build(day):  # the SQL differs by the value: a marker cannot stand for it
        qs = Enrolment.objects.filter(admitted_on__lte=day)
        return qs.filter(discharged_on__isnull=True) if day.year > 1900 else qs

    for day in (datetime.date(2020, 1, 25), datetime.date(2020, 2, 25)):
        assert {e.pk for e in run_prepared("shape", build, day)} == {e.pk for e in build(day)}

    def build_any(worker_id):
        return Enrolment.objects.filter(worker_id=worker_id)

    assert [e.pk for e in run_prepared("none", build_any, None)] == [e.pk for e in build_any(None)]


def test_the_caseload_and_the_memberships_are_their_querysets(world, monkeypatch):
    """Each function that runs a query prepared gives what its queryset gives, run plainly."""
    from opora.accounts import backends
    from opora.delivery import queries

    _enrolments(world)
    calls = [(role, day) for role in ("social_worker", "department_head", "director")
             for day in (datetime.date(2020, 1, 10), datetime.date(2020, 2, 1), datetime.date(2020, 4, 1))]
    users = [world.users[name].pk for name in ("social_worker", "department_head", "director")]

    def memberships(rows):
        return [(m.pk, m.organisation.pk, m.organisation.name, m.user.pk, m.user.username, m.department)
                for m in rows]

    def state():
        return ([_seen(caseload_on(world.actor(role), world.org.pk, day)) for role, day in calls],
                [memberships(membership_rows(pk)) for pk in users])

    prepared = [state(), state()]  # the second from the kept queries
    for module in (queries, backends):
        monkeypatch.setattr(module, "run_prepared", lambda _key, build, *values: list(build(*values)))
    plain = state()
    assert prepared[0] == prepared[1] == plain
    assert any(plain[0]) and plain[1][0][0][5] == world.home1.pk
