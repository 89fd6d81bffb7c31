"""The monthly aggregates always equal a recount of the journal, whatever way the journal is written."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from opora.delivery import actions, aggregates
from opora.delivery.models import Delivery, RecipientMonth, RecipientServiceYear, ServiceMonth
from tests import factories as f
from tests.factories_delivery import make_catalogue, make_programme

D = datetime.date


@pytest.fixture
def journal(world):
    """Two people, each enrolled in home1 and home2 with a programme in each: lines may move between them."""
    cat = make_catalogue(world.org)
    f.EnrolmentFactory(recipient=world.in_caseload, department=world.home2, admitted_on=D(2020, 1, 10))
    f.EnrolmentFactory(recipient=world.in_home2, department=world.home1, worker=world.worker,
                       admitted_on=D(2020, 1, 10))
    make_programme(world.in_caseload, world.home1, cat, number="П-1")
    make_programme(world.in_caseload, world.home2, cat, number="П-2")
    make_programme(world.in_home2, world.home1, cat, number="П-3")
    make_programme(world.in_home2, world.home2, cat, number="П-4")
    return cat


def assert_agrees(org_id):
    assert aggregates.differences(org_id) == []


def test_it_keeps_the_aggregates_equal_to_a_recount_through_random_records_edits_and_deletions(world, journal):
    cat = journal
    rng = random.Random(4)
    actor = world.actor("director")
    people = [world.in_caseload, world.in_home2]
    departments = [world.home1, world.home2]
    services = [cat.monthly, cat.weekly, cat.additional]
    days = [D(2020, 1, 10) + datetime.timedelta(days=n) for n in range(0, 350, 3)]
    done = {"record": 0, "update": 0, "delete": 0, "moved": 0}
    for _step in range(120):
        lines = list(Delivery.objects.all())
        op = rng.choice(["record", "record", "update", "delete"]) if lines else "record"
        try:
            if op == "record":
                actions.do_record_delivery(world.org, {
                    "recipient": rng.choice(people), "department": rng.choice(departments),
                    "service": rng.choice(services), "date": rng.choice(days), "quantity": rng.randint(1, 4),
                    "worker": rng.choice([world.worker, None]), "over_volume_reason": "проверка"}, actor=actor)
            elif op == "update":
                line = rng.choice(lines)
                change = rng.choice(["date", "quantity", "department", "service", "recipient"])
                value = {"date": lambda: rng.choice(days), "quantity": lambda: rng.randint(1, 5),
                         "department": lambda: rng.choice(departments), "service": lambda: rng.choice(services),
                         "recipient": lambda: rng.choice(people)}[change]()
                before = aggregates.keys_of(line)
                actions.do_update_delivery(line, {change: value, "over_volume_reason": "проверка"}, actor=actor)
                line.refresh_from_db()
                done["moved"] += aggregates.keys_of(line) != before
            else:
                actions.do_delete_delivery(rng.choice(lines), actor=actor)
        except ValidationError:
            continue  # a duplicate line: refused, nothing changed — the check below still runs
        finally:
            assert_agrees(world.org.pk)
        done[op] += 1
    assert done["record"] > 30 and done["update"] > 10 and done["delete"] > 10 and done["moved"] > 5
    assert ServiceMonth.objects.exists() and RecipientMonth.objects.exists()
    # The additional service has amounts: they are summed too.
    assert ServiceMonth.objects.filter(list="additional", amount__gt=0).exists()


def test_it_counts_quantities_amounts_and_lines_per_month(world, journal):
    cat, actor = journal, world.actor("director")
    base = {"recipient": world.in_caseload, "department": world.home1, "worker": world.worker}
    actions.do_record_delivery(world.org, {**base, "service": cat.additional, "date": D(2020, 3, 2), "quantity": 3},
                               actor=actor)
    actions.do_record_delivery(world.org, {**base, "service": cat.additional, "date": D(2020, 3, 20),
                                           "quantity": 2}, actor=actor)  # tariff 60 from 16.03
    actions.do_record_delivery(world.org, {**base, "service": cat.monthly, "date": D(2020, 4, 1), "quantity": 2},
                               actor=actor)
    row = ServiceMonth.objects.get(service=cat.additional, month=D(2020, 3, 1))
    assert (row.quantity, row.amount, row.lines, row.list) == (5, Decimal("270.00"), 2, "additional")
    person = RecipientMonth.objects.get(recipient=world.in_caseload, month=D(2020, 3, 1))
    assert (person.quantity, person.amount, person.department_id) == (5, Decimal("270.00"), world.home1.pk)
    april = ServiceMonth.objects.get(service=cat.monthly, month=D(2020, 4, 1))
    assert (april.quantity, april.amount, april.list) == (2, Decimal("0.00"), "basic")
    # Deleting the last line of a key removes its rows.
    actions.do_delete_delivery(Delivery.objects.get(service=cat.monthly), actor=actor)
    assert not ServiceMonth.objects.filter(month=D(2020, 4, 1)).exists()
    assert not RecipientMonth.objects.filter(month=D(2020, 4, 1)).exists()
    assert_agrees(world.org.pk)


def test_it_keeps_them_through_visits_grids_and_urgent_acts(world, journal):
    cat, actor = journal, world.actor("director")
    actions.do_record_visit(world.in_caseload, D(2020, 5, 5), [
        {"service": cat.monthly, "quantity": 2, "worker": world.worker},
        {"service": cat.additional, "quantity": 1, "worker": world.worker}], actor=actor, department=world.home1)
    assert_agrees(world.org.pk)
    actions.do_apply_grid(world.in_caseload, world.home1, D(2020, 5, 1),
                          {(cat.monthly.pk, 5): 0, (cat.monthly.pk, 6): 3, (cat.weekly.pk, 7): 1}, actor=actor)
    assert_agrees(world.org.pk)
    assert ServiceMonth.objects.get(service=cat.monthly, month=D(2020, 5, 1)).quantity == 3
    act = actions.do_create_urgent_act(world.in_home2, {"department": world.urgent, "date": D(2020, 6, 1)},
                                       [{"service": cat.urgent, "quantity": 2}], actor=actor)
    assert_agrees(world.org.pk)
    assert ServiceMonth.objects.get(department=world.urgent).quantity == 2
    actions.do_delete_urgent_act(act, actor=actor)
    assert_agrees(world.org.pk)
    assert not ServiceMonth.objects.filter(department=world.urgent).exists()


def test_it_leaves_the_aggregates_unchanged_when_a_visit_fails(world, journal):
    cat, actor = journal, world.actor("director")
    actions.do_record_delivery(world.org, {"recipient": world.in_caseload, "department": world.home1,
                                           "worker": world.worker, "service": cat.monthly, "date": D(2020, 5, 5)},
                               actor=actor)
    before = aggregates.stored(world.org.pk)
    with pytest.raises(ValidationError):
        actions.do_record_visit(world.in_caseload, D(2020, 5, 6), [
            {"service": cat.weekly, "quantity": 1}, {"service": cat.not_in_programme, "quantity": 1}],
            actor=actor, department=world.home1)
    assert aggregates.stored(world.org.pk) == before
    assert_agrees(world.org.pk)


def test_it_rebuilds_an_organisation_and_the_command_checks_and_rebuilds(world, journal, capsys):
    cat, actor = journal, world.actor("director")
    for day in (D(2020, 2, 3), D(2020, 7, 8), D(2020, 7, 9)):
        actions.do_record_delivery(world.org, {"recipient": world.in_caseload, "department": world.home1,
                                               "worker": world.worker, "service": cat.additional, "date": day,
                                               "quantity": 2}, actor=actor)
    # A bulk writer bypassing the actions leaves them stale …
    Delivery.objects.filter(date=D(2020, 7, 9)).update(quantity=5)
    assert aggregates.differences(world.org.pk)
    with pytest.raises(SystemExit):
        call_command("aggregates", "--check", "--organisation", world.org.code)
    assert "recount" in capsys.readouterr().out
    # … until it refreshes the organisation, as the import and the demo do.
    aggregates.refresh_organisation(world.org.pk)
    assert_agrees(world.org.pk)
    Delivery.objects.filter(date=D(2020, 2, 3)).delete()
    call_command("aggregates", "--rebuild")
    assert_agrees(world.org.pk)
    call_command("aggregates", "--check")
    assert not ServiceMonth.objects.filter(month=D(2020, 2, 1)).exists()


def test_it_keeps_a_person_s_services_of_a_year_as_the_sum_of_their_months(world, journal, capsys):
    """RecipientServiceYear (issue 18): one row per department, person, service and calendar year, recounted with the
    person's months by every write path; a line moved across the new year moves its services between the years."""
    cat, actor = journal, world.actor("director")
    base = {"recipient": world.in_caseload, "department": world.home1, "worker": world.worker,
            "service": cat.additional}
    for day, quantity in ((D(2020, 3, 2), 3), (D(2020, 3, 20), 2), (D(2020, 11, 5), 1)):
        actions.do_record_delivery(world.org, {**base, "date": day, "quantity": quantity}, actor=actor)
    actions.do_record_delivery(world.org, {**base, "service": cat.monthly, "date": D(2020, 4, 1), "quantity": 2},
                               actor=actor)

    def year_rows():
        return {(r.department_id, r.recipient_id, r.service_id, r.year): (r.quantity, r.amount)
                for r in RecipientServiceYear.objects.all()}

    person, home1 = world.in_caseload.pk, world.home1.pk
    assert year_rows() == {(home1, person, cat.additional.pk, 2020): (6, Decimal("330.00")),
                           (home1, person, cat.monthly.pk, 2020): (2, Decimal("0.00"))}
    # moved into the next year: the 2020 row loses it, a 2021 row is made; deleted: the row goes
    line = Delivery.objects.get(date=D(2020, 11, 5))
    actions.do_update_delivery(line, {"date": D(2021, 1, 4), "over_volume_reason": "проверка"}, actor=actor)
    rows = year_rows()
    assert rows[(home1, person, cat.additional.pk, 2020)][0] == 5
    assert rows[(home1, person, cat.additional.pk, 2021)][0] == 1
    actions.do_delete_delivery(Delivery.objects.get(service=cat.monthly), actor=actor)
    assert (home1, person, cat.monthly.pk, 2020) not in year_rows()
    assert_agrees(world.org.pk)
    # a stale yearly row is found by the check and put right by a rebuild
    RecipientServiceYear.objects.filter(year=2021).update(quantity=7)
    assert any(p.startswith("recipient services of a year") for p in aggregates.differences(world.org.pk))
    with pytest.raises(SystemExit):
        call_command("aggregates", "--check", "--organisation", world.org.code)
    assert "recount" in capsys.readouterr().out
    RecipientServiceYear.objects.create(organisation=world.org, department=world.home1, recipient=world.in_caseload,
                                        service=cat.weekly, year=2019, quantity=1)  # a year without lines
    call_command("aggregates", "--rebuild")
    assert_agrees(world.org.pk)
    assert not RecipientServiceYear.objects.filter(year=2019).exists()


def test_it_builds_the_aggregates_of_the_demo(db):
    from opora.demo.builder import build_demo

    summary = build_demo("small", seed=7, code="agg-demo")
    org_id = summary.organisation.pk
    assert_agrees(org_id)
    total = sum(ServiceMonth.objects.filter(organisation_id=org_id).values_list("quantity", flat=True))
    assert total == summary.counts["journal_services"] > 0


def test_it_keeps_them_through_the_exchange_import_and_a_reimport(tmp_path, db):
    from opora.org.models import Organisation
    from opora.people.models import Category
    from tests.exchange import test_import as imp

    for code in ("pensioner", "lonely", "labour_veteran"):
        Category.objects.get_or_create(code=code)
    directory = imp.build(tmp_path / "x")
    assert imp.run(directory)[0] == 0
    org = Organisation.objects.get(code="imp")
    assert_agrees(org.pk)
    assert sum(ServiceMonth.objects.filter(organisation=org).values_list("quantity", flat=True)) == 6
    deliveries = [*imp.DELIVERIES, ["R1", "home", "1.1", "2020-05-04", "4", "001", ""]]
    deliveries[3] = ["R1", "home", "Д1.1", "03.02.2020", "3", "001", ""]  # quantity 2 → 3
    imp.build(directory, deliveries=deliveries)
    assert imp.run(directory)[0] == 0
    assert_agrees(org.pk)
    assert ServiceMonth.objects.get(organisation=org, month=D(2020, 5, 1)).quantity == 4
    assert ServiceMonth.objects.get(organisation=org, month=D(2020, 2, 1), list="additional").amount == \
        Decimal("361.50")
