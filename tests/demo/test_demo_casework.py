"""The demo's casework: applications, programmes, contracts, fees and a journal that passes the journal's checks,
with the centre's totals of seed 000."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, F, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opora.accounts.actor import Actor
from opora.accounts.models import User
from opora.billing.models import FeeDecision, IncomeRecord
from opora.billing.rules import compute_fee
from opora.catalogue.defaults import DEFAULT_SERVICES
from opora.catalogue.models import Service
from opora.core.reference import DepartmentKind
from opora.delivery import actions as delivery_actions
from opora.delivery import bulk
from opora.delivery.models import Delivery, UrgentAct
from opora.demo import builder, casework
from opora.intake.models import Application, ApplicationStatus, Assessment
from opora.org.calendar import calendar_for
from opora.org.models import Department, Organisation
from opora.people.models import Enrolment
from opora.programmes.models import Contract, Programme, ProgrammeStatus, VolumePeriod
from opora.programmes.queries import programme_monthly_cost
from opora.programmes.rules import payment_for_fee, version_on

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return builder.build_demo("small", 2020)


def test_it_allocates_whole_shares_that_add_up_exactly():
    assert casework.allocate(10, [1, 1, 1]) == [4, 3, 3]
    assert casework.allocate(7, [0, 2, 5]) == [0, 2, 5]
    assert casework.allocate(5, [0, 0]) == [3, 2]
    assert casework.allocate(0, [3, 1]) == [0, 0]
    shares = casework.allocate(251_544, [0.3, 1.7, 2.9, 0.01, 5])
    assert sum(shares) == 251_544
    assert shares[4] > shares[2] > shares[1] > shares[0] > shares[3]
    assert casework.allocate_at_least_one(5, [100, 0, 0]) == [3, 1, 1]
    with pytest.raises(ValueError):
        casework.allocate(-1, [1])


def test_it_generates_the_seed_journal_for_the_centre_without_touching_the_database():
    """The centre's casework in memory: seed 000's services per department and year, and its people."""
    org = Organisation(code="x", **builder.ORGANISATION)
    deps = {c: Department(organisation=org, code=c, kind=k, name=n) for c, k, n in builder.DEPARTMENTS}
    gen = builder._Generator(builder.CENTRE, builder.DEFAULT_SEED, org, deps, {})
    gen.generate()
    gen.generate_people()
    services = {code: Service(organisation=org, code=code, name=name, type=type_, list=list_, unit=unit)
                for code, name, type_, list_, unit, _m, _p in DEFAULT_SERVICES}
    cw = casework.Casework(
        gen, builder.DEFAULT_SEED, services, calendar=calendar_for(org),
        scale=casework.Scale(list(casework.DEFAULT_SCALE), [None] * 4),
        minimums={(y, g): Decimal(v) for y, groups in casework.REGION_SUBSISTENCE.items() for g, v in groups.items()},
        coefficient=Decimal("1.5"), free_categories=frozenset({"wwii_participant"}), tariffs=casework.default_tariffs())
    cw.generate()

    services_by = cw.services_by()
    home, urgent = DepartmentKind.HOME_CARE, DepartmentKind.URGENT
    assert services_by[(2020, home, "basic")] == 251_544
    assert services_by[(2020, home, "additional")] == 269_947
    assert services_by[(2019, home, "basic")] + services_by[(2019, home, "additional")] == 456_727
    assert services_by[(2020, urgent, "basic")] == 3_157
    assert services_by[(2020, DepartmentKind.DAY_STAY, "basic")] == 5_382
    assert services_by[(2020, DepartmentKind.SOCIAL_ADAPTATION, "basic")] == 457
    assert sum(n for (year, _k, _l), n in services_by.items() if year == 2020) == 530_487
    assert 455_000 <= sum(n for (year, _k, _l), n in services_by.items() if year == 2019) <= 470_000
    people = cw.people_by()
    assert people[(2020, urgent)] == 2_522
    assert people[(2020, DepartmentKind.DAY_STAY)] == 117
    assert people[(2020, DepartmentKind.SOCIAL_ADAPTATION)] == 386
    assert people[(2020, home)] == 599 + 139  # everyone on the register during the year was served
    assert 200_000 <= len(cw.lines) <= 700_000  # hundreds of thousands of lines, not millions
    assert max(line[4] for line in cw.lines) <= timezone.localdate()
    assert all(line[9] is None for line in cw.lines if line[1].kind != urgent)
    assert all(line[9] is not None for line in cw.lines if line[1].kind == urgent)


def test_it_records_casework_of_every_kind_in_the_small_demo(demo):
    org = demo.organisation
    apps = Application.objects.filter(organisation=org)
    statuses = set(apps.values_list("status", flat=True))
    assert {ApplicationStatus.RECOGNISED, ApplicationStatus.REFUSED, ApplicationStatus.WITHDRAWN} <= statuses
    assert statuses & {ApplicationStatus.REGISTERED, ApplicationStatus.ASSESSMENT}
    assert not apps.filter(status=ApplicationStatus.REFUSED, refusal_reason="").exists()
    assert apps.filter(status__in=[ApplicationStatus.REGISTERED, ApplicationStatus.ASSESSMENT],
                       decision_due__lt=timezone.localdate()).exists()  # overdue at the demo's "today"
    for app in apps.filter(decided_on__isnull=False):
        assert app.received_on <= app.decided_on <= timezone.localdate()
    recognised = apps.filter(status=ApplicationStatus.RECOGNISED).exclude(requested_form="urgent")
    # Decided within 5 working days mostly.
    assert recognised.filter(decided_on__lte=F("decision_due")).count() >= 0.8 * recognised.count()
    for a in Assessment.objects.filter(organisation=org):
        assert a.score == sum(a.answers.values())
        assert a.scale is not None and a.scale.min_score <= a.score <= a.scale.max_score
        assert a.care_level == a.scale.level and a.application.received_on <= a.examined_on
    numbers = list(apps.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers))

    programmes = Programme.objects.filter(organisation=org)
    assert programmes.filter(form="home").exists() and programmes.filter(form="semi_stationary").exists()
    assert programmes.filter(status=ProgrammeStatus.ACTIVE).exists()
    for p in programmes.filter(status=ProgrammeStatus.CLOSED):
        assert p.closed_on is not None and p.valid_from <= p.closed_on <= p.valid_to
    for p in programmes:
        assert (p.valid_to - p.valid_from).days <= 3 * 366
        assert p.items.exists()
    contracts = Contract.objects.filter(organisation=org).select_related("enrolment", "fee_decision")
    assert contracts.exists()
    for c in contracts:
        assert c.enrolment is not None and c.enrolment.recipient_id == c.recipient_id
        assert c.fee_decision.fee == c.monthly_fee
        assert c.terminated_on == c.enrolment.discharged_on
    for d in FeeDecision.objects.filter(organisation=org):
        again = compute_fee(d.form, d.income_per_capita, d.subsistence_minimum, d.coefficient, d.programme_cost,
                            d.free_category)
        assert (again.fee, str(again.branch), again.threshold) == (d.fee, d.branch, d.threshold)
        assert d.explanation["fee"] == str(d.fee)
    # the cost and the payment terms by the same rules as the actions (programmes.rules), not a copy of them
    decisions = (FeeDecision.objects.filter(organisation=org).select_related("programme")
                 .prefetch_related("programme__items__service__tariffs"))
    for d in decisions:
        assert programme_monthly_cost(d.programme, d.decided_on) == d.programme_cost, d.programme
    for c in contracts:
        assert c.payment == payment_for_fee(c.fee_decision.fee, c.fee_decision.programme_cost)
    assert IncomeRecord.objects.filter(organisation=org).exists()
    assert UrgentAct.objects.filter(organisation=org).exists()


def test_it_stores_the_application_date_with_every_fee_decision(demo):
    """As billing.actions.do_decide_fee does: the application's date when the programme has one, else the
    decision date; the decision page shows it."""
    decisions = FeeDecision.objects.filter(organisation=demo.organisation).select_related("programme__application")
    assert decisions.exists()
    linked = 0
    for d in decisions:
        app = d.programme.application
        expected = app.received_on if app is not None else d.decided_on
        assert d.explanation["application_date"] == expected.isoformat(), d.pk
        assert d.explanation["income_total"] == str(d.income_total)
        linked += app is not None
    assert linked  # first programmes drawn up from an application are linked to it
    d = next(x for x in decisions if x.programme.application is not None)
    client = Client()
    client.force_login(User.objects.get(username="accountant"))
    page = client.get(reverse("billing:fee_detail", args=[d.pk])).content.decode()
    assert f'<dd id="applied-on">{d.programme.application.received_on:%d.%m.%Y}</dd>' in page


def test_it_keeps_every_journal_line_within_enrolment_programme_and_volume(demo):
    org = demo.organisation
    lines = list(Delivery.objects.filter(organisation=org).select_related("department", "service", "urgent_act"))
    assert 300 <= len(lines) <= 5_000
    enrolments = defaultdict(list)
    for e in Enrolment.objects.filter(organisation=org):
        enrolments[(e.recipient_id, e.department_id)].append(e)
    chains = defaultdict(list)
    for p in Programme.objects.filter(organisation=org).prefetch_related("items"):
        chains[(p.recipient_id, p.department_id, p.number)].append(p)
    programmes = defaultdict(list)
    for (r, d, _n), versions in chains.items():
        programmes[(r, d)].append(versions)
    tariffs = {s.pk: s for s in Service.objects.filter(organisation=org).prefetch_related("tariffs")}
    applied = []
    kinds = set()
    for line in lines:
        assert line.date <= timezone.localdate()
        assert line.tariff == tariffs[line.service_id].tariff_on(line.date)
        assert line.list == line.service.list
        kinds.add((line.department.kind, line.list))
        if line.department.kind == DepartmentKind.URGENT:
            act = line.urgent_act
            assert act is not None and act.recipient_id == line.recipient_id and act.date == line.date
            assert act.department_id == line.department_id and line.amount == 0
            continue
        assert line.urgent_act is None
        assert any(e.admitted_on <= line.date and (e.discharged_on is None or line.date <= e.discharged_on)
                   for e in enrolments[(line.recipient_id, line.department_id)]), line
        if line.list == "additional":
            assert line.amount == line.tariff * line.quantity
            continue
        assert line.amount == 0
        in_force = [v for versions in programmes[(line.recipient_id, line.department_id)]
                    if (v := version_on(versions, line.date)) is not None]
        assert len(in_force) == 1, line
        programme = in_force[0]
        item = next((i for i in programme.items.all() if i.service_id == line.service_id), None)
        assert item is not None, line
        applied.append((line, programme, item))
    assert {(DepartmentKind.HOME_CARE, "basic"), (DepartmentKind.HOME_CARE, "additional"),
            (DepartmentKind.URGENT, "basic"), (DepartmentKind.DAY_STAY, "basic"),
            (DepartmentKind.SOCIAL_ADAPTATION, "basic")} <= kinds
    # Within the volume of the item in force, counted as the journal counts when a line is recorded: the lines of
    # the whole month (or the programme's whole term) recorded before it and this one — so a line is held to the
    # version in force on its day (a later version may allow more in the same month).
    assert applied
    used: dict[tuple, int] = defaultdict(int)
    for line, programme, item in sorted(applied, key=lambda a: (a[0].date, a[0].pk)):
        key = (line.recipient_id, line.department_id, line.service_id)
        if item.period == VolumePeriod.MONTH:
            period = (line.date.year, line.date.month)
        else:
            period = (programme.valid_from, programme.valid_to)
        used[(*key, period)] += line.quantity
        assert used[(*key, period)] <= item.volume, (line, item)


def test_it_passes_the_journals_own_checks(demo):
    """A sample of lines re-checked by the journal's validation (as if recorded again by the director)."""
    actor = Actor.for_user(User.objects.get(username="director"))
    lines = list(Delivery.objects.filter(organisation=demo.organisation, urgent_act__isnull=True)
                 .select_related("recipient", "department", "service", "worker").order_by("pk"))
    for line in lines[:: max(1, len(lines) // 60)]:
        checked = delivery_actions._check_line(line, actor=actor, exclude_pk=line.pk)
        assert checked.amount == line.amount
    # every line, urgent ones too, by the journal's rules in bulk (delivery/bulk.py), in the order of their dates
    assert bulk.check_journal(demo.organisation.pk) == []


def test_it_gives_the_demo_users_a_journal_to_look_at(demo):
    worker = User.objects.get(username="social_worker").employee
    open_cases = worker.caseload.filter(discharged_on__isnull=True)
    assert open_cases.exists()
    assert Delivery.objects.filter(worker=worker, date__year=2020,
                                   recipient__in=open_cases.values("recipient")).exists()
    head = User.objects.get(username="department_head")
    departments = head.memberships.get().departments.all()
    assert Delivery.objects.filter(department__in=departments, date__month=12, date__year=2020).exists()
    per_department = (Delivery.objects.filter(organisation=demo.organisation).values("department__kind")
                      .annotate(n=Sum("quantity"), lines=Count("id")))
    totals = {r["department__kind"]: r["n"] for r in per_department}
    assert totals["home_care"] > totals["urgent"] and totals["home_care"] > totals["day_stay"]
    assert demo.counts["journal_services"] == sum(totals.values())
