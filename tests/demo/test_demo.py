"""The demo centre: built deterministically, consistent, and every role can log in."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Q
from django.test import RequestFactory
from django.utils import translation

from opora.accounts.models import User
from opora.accounts.roles import Role
from opora.core.reference import DischargeReason, Position
from opora.delivery.models import Delivery
from opora.demo.builder import DEMO_CODE, DEMO_PASSWORD, DEMO_USERNAMES, build_demo, delete_demo
from opora.intake.models import Application
from opora.lib import snils as snils_lib
from opora.lib.text import search_key
from opora.org.models import Department, Employee, Organisation
from opora.people.models import Enrolment, Family, Recipient, RecipientStatus
from opora.programmes.models import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(fast_passwords):
    return build_demo("small", 2020)


def fingerprint() -> list[tuple]:
    org = Organisation.objects.get(code=DEMO_CODE)
    people = list(Recipient.objects.filter(organisation=org).order_by("pk").values_list(
        "last_name", "first_name", "patronymic", "birth_date", "snils", "address", "status"))
    enrolments = list(Enrolment.objects.filter(organisation=org).order_by("pk").values_list(
        "recipient__snils", "department__code", "admitted_on", "discharged_on", "discharge_reason",
        "worker__tab_no"))
    staff = list(Employee.objects.filter(organisation=org).order_by("tab_no").values_list(
        "tab_no", "last_name", "position", "hired_on", "dismissed_on"))
    journal = list(Delivery.objects.filter(organisation=org).order_by("pk").values_list(
        "recipient__snils", "department__code", "service__code", "date", "quantity", "worker__tab_no", "amount"))
    programmes = list(Programme.objects.filter(organisation=org).order_by("pk").values_list(
        "number", "version", "recipient__snils", "valid_from", "valid_to", "status"))
    applications = list(Application.objects.filter(organisation=org).order_by("pk").values_list(
        "number", "received_on", "status", "decided_on"))
    return people + enrolments + staff + journal + programmes + applications


def test_every_key_it_writes_points_at_a_row(demo):
    """The demo's rows are written with keys given before writing (core.db.insert_objects) and, from the command on
    a fresh SQLite database, without SQLite looking each key up (core.db.sqlite_build_mode): every deferred foreign
    key is checked here (PRAGMA foreign_key_check on SQLite, SET CONSTRAINTS ALL IMMEDIATE on PostgreSQL)."""
    assert Delivery.objects.filter(organisation=demo.organisation).exists()
    connection.check_constraints()


def test_it_builds_the_departments_of_the_seed_centre(demo):
    departments = Department.objects.filter(organisation=demo.organisation)
    assert departments.count() == 9
    kinds = sorted(departments.values_list("kind", flat=True))
    assert kinds.count("home_care") == 5
    assert {"urgent", "day_stay", "social_adaptation", "administration"} <= set(kinds)
    assert demo.organisation.region == "Кемеровская область"


def login_request():
    """The login protection (django-axes) checks the request's address: authenticate() needs a request."""
    return RequestFactory().post("/login/", REMOTE_ADDR="127.0.0.1")


def test_it_gives_every_role_a_user_who_logs_in_with_demo(demo):
    assert sorted(DEMO_USERNAMES) == sorted(Role.values)
    for username in DEMO_USERNAMES:
        user = authenticate(login_request(), username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.memberships.filter(organisation=demo.organisation, role=username).exists()
    head = User.objects.get(username="department_head")
    assert head.employee.position == Position.DEPARTMENT_HEAD
    assert head.employee.department.code == "home1"
    assert list(head.memberships.get().departments.values_list("code", flat=True)) == ["home1"]


def test_it_links_the_social_worker_to_a_caseload(demo):
    worker = User.objects.get(username="social_worker").employee
    assert worker.position == Position.SOCIAL_WORKER
    assert worker.department.code == "home1"
    assert worker.dismissed_on is None
    assert worker.caseload.filter(discharged_on__isnull=True).exists()


def test_it_stores_only_valid_unique_snils_and_search_names(demo):
    people = list(Recipient.objects.filter(organisation=demo.organisation))
    assert 120 <= len(people) <= 180
    numbers = [p.snils for p in people if p.snils]
    assert len(numbers) > len(people) * 0.8
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        assert len(number) == 11 and number.isdigit()
        assert snils_lib.is_valid(number), number
    for p in people:
        assert p.search_name == search_key(p.last_name, p.first_name, p.patronymic)


def test_it_keeps_statuses_and_registering_departments_consistent_with_enrolments(demo):
    people = Recipient.objects.filter(organisation=demo.organisation).prefetch_related("enrolments")
    for p in people:
        enrolments = list(p.enrolments.all())
        assert enrolments, p
        if any(e.discharge_reason == DischargeReason.DEATH for e in enrolments):
            expected = RecipientStatus.DECEASED
        elif any(e.discharged_on is None for e in enrolments):
            expected = RecipientStatus.ACTIVE
        else:
            expected = RecipientStatus.INACTIVE
        assert p.status == expected, p
        earliest = min(e.admitted_on for e in enrolments)
        first_departments = {e.department_id for e in enrolments if e.admitted_on == earliest}
        assert p.registered_department_id in first_departments


def test_it_never_enrols_a_person_twice_in_a_department_on_the_same_day(demo):
    """(recipient, department, admitted_on) is the enrolment's key in the exchange format: unique, and a person's
    enrolments in one department never overlap."""
    rows = list(Enrolment.objects.filter(organisation=demo.organisation).order_by(
        "recipient_id", "department_id", "admitted_on").values_list(
        "recipient_id", "department_id", "admitted_on", "discharged_on"))
    keys = [r[:3] for r in rows]
    assert len(keys) == len(set(keys))
    for a, b in zip(rows, rows[1:], strict=False):
        if a[:2] == b[:2]:
            assert a[3] is not None and a[3] < b[2], (a, b)


@pytest.mark.parametrize("size", ["small", "centre"])
def test_it_generates_unique_non_overlapping_enrolments_in_memory(size):
    """The same on the generated people of both sizes without the database (the centre once had two urgent
    enrolments of one person admitted on 02.11.2020)."""
    from opora.demo import builder

    org = Organisation(code="x", **builder.ORGANISATION)
    deps = {c: Department(organisation=org, code=c, kind=k, name=n) for c, k, n in builder.DEPARTMENTS}
    gen = builder._Generator(builder.SIZES[size], builder.DEFAULT_SEED, org, deps, {})
    gen.generate()
    gen.generate_people()
    for p in gen.people:
        enrolments = sorted(p.enrolments, key=lambda e: (e.department.code, e.admitted_on))
        for a, b in zip(enrolments, enrolments[1:], strict=False):
            if a.department.code == b.department.code:
                assert a.discharged_on is not None and a.discharged_on < b.admitted_on, (
                    p.rec.full_name, a.department.code, a.admitted_on, b.admitted_on)


def test_it_balances_the_home_care_register(demo):
    home = Enrolment.objects.filter(organisation=demo.organisation, department__kind="home_care")

    def on_register(day):
        still_open = Q(discharged_on__isnull=True) | Q(discharged_on__gte=day)
        return home.filter(still_open, admitted_on__lte=day)

    start = on_register(datetime.date(2019, 12, 31)).count()
    end = on_register(datetime.date(2020, 12, 31)).count()
    admitted = home.filter(admitted_on__year=2020).count()
    discharged = home.filter(discharged_on__year=2020).count()
    assert admitted and discharged
    assert start + admitted - discharged == end
    assert not home.filter(worker__isnull=True).exists()
    assert not home.exclude(worker__department_id=F("department_id")).exists()
    assert Family.objects.filter(organisation=demo.organisation, members__isnull=False).exists()


def test_it_builds_the_same_centre_from_the_same_seed(fast_passwords):
    build_demo("small", 7)
    first = fingerprint()
    assert delete_demo()
    assert not Organisation.objects.filter(code=DEMO_CODE).exists()
    assert not User.objects.filter(username__in=DEMO_USERNAMES).exists()
    build_demo("small", 7)
    assert fingerprint() == first
    delete_demo()
    build_demo("small", 8)
    assert fingerprint() != first


def test_a_database_left_half_made_by_an_interrupted_first_build_is_named_not_migrated():
    """core.schema.create_fresh is not one transaction: while it runs its UNFINISHED row stands in the migrations'
    table; a later `opora demo` finding it says what to do instead of migrating on top of existing tables."""
    from django.core.management.base import CommandError
    from django.db.migrations.recorder import MigrationRecorder

    from opora.core import schema

    assert not schema.unfinished()
    MigrationRecorder(connection).record_applied(*schema.UNFINISHED)
    assert schema.unfinished()
    with translation.override("ru"), pytest.raises(CommandError) as raised:
        call_command("demo", "--size", "small", "--no-serve", stdout=io.StringIO())
    assert "осталась недостроенной" in str(raised.value)
    assert str(connection.settings_dict["NAME"]) in str(raised.value)
    assert not Organisation.objects.filter(code=DEMO_CODE).exists()


def test_it_builds_once_and_rebuilds_on_reset(fast_passwords):
    out = io.StringIO()
    call_command("demo", "--size", "small", "--no-serve", stdout=out)
    assert "social_worker" in out.getvalue()
    org_id = Organisation.objects.get(code=DEMO_CODE).pk
    out = io.StringIO()
    call_command("demo", "--size", "small", "--no-serve", stdout=out)
    assert Organisation.objects.get(code=DEMO_CODE).pk == org_id
    call_command("demo", "--size", "small", "--no-serve", "--reset", stdout=io.StringIO())
    assert Organisation.objects.get(code=DEMO_CODE).pk != org_id
    assert authenticate(login_request(), username="director", password=DEMO_PASSWORD) is not None


def test_its_charges_are_paid_in_the_next_month_and_a_few_people_owe(demo):
    """The demo pays its charges (demo/casework.py `make_payments`, through billing's bulk entry point): each in the
    month after it, never after today, never more than charged; the accountant's debts are this month's charges not
    due yet plus a few people who fell behind."""
    from django.db.models import Sum
    from django.utils import timezone

    from opora.billing.models import Charge, PaymentReceived

    org = demo.organisation
    payments = PaymentReceived.objects.filter(organisation=org)
    assert demo.counts["payments"] == payments.count() > 0
    assert not payments.filter(paid_on__gt=timezone.localdate()).exists()
    charged = Charge.objects.filter(organisation=org).aggregate(s=Sum("total"))["s"]
    paid = payments.aggregate(s=Sum("amount"))["s"]
    assert charged * 9 / 10 < paid < charged
    linked = payments.filter(charge__isnull=False).select_related("charge")
    assert all(p.amount == p.charge.total and p.charge.recipient_id == p.recipient_id for p in linked)
    owed = {r["recipient_id"]: r["s"] for r in Charge.objects.filter(organisation=org).values("recipient_id")
            .annotate(s=Sum("total")).order_by()}
    for row in payments.values("recipient_id").annotate(s=Sum("amount")).order_by():
        assert row["s"] <= owed[row["recipient_id"]]  # nobody overpaid
    behind = payments.filter(charge__isnull=True)  # the arrears of those who fell behind, paid in one payment
    assert behind.exists() and behind.count() < payments.count() / 20
