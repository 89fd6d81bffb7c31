"""The actions of field work: refusals name the field and change nothing; scope; audit; the bulk writers."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from opora.audit.models import AuditEvent
from opora.fieldwork import actions, queries
from opora.fieldwork.actions import NoticeRow, VisitRow
from opora.fieldwork.models import ReleaseNotice, Visit
from opora.lib.errors import DomainError
from opora.people.actions import do_update_family
from tests import factories as f

D = datetime.date


@pytest.fixture
def fam(world):
    family = f.FamilyFactory(organisation=world.org, registered_department=world.home1)
    world.in_caseload.family = family
    world.in_caseload.save()
    return family


def test_it_records_a_visit_and_audits_it(world, fam):
    visit = actions.do_record_visit(world.org, {"date": D(2020, 3, 1), "kind": "patronage", "family": fam,
                                                "recipient": world.in_caseload, "people": 2},
                                    actor=world.actor("social_worker"))
    assert visit.worker_id == world.worker.pk  # a social worker records as themselves
    assert AuditEvent.objects.filter(object_type="fieldwork.visit", object_id=str(visit.pk),
                                     event_type="created").exists()


def test_it_refuses_a_visit_to_a_family_and_a_person_that_do_not_belong_together(world, fam):
    with pytest.raises(ValidationError) as e:
        actions.do_record_visit(world.org, {"date": D(2020, 3, 1), "kind": "patronage", "family": fam,
                                            "recipient": world.in_home2}, actor=world.actor("director"))
    assert "recipient" in e.value.message_dict
    assert not Visit.objects.exists()


def test_it_refuses_a_visit_outside_the_workers_scope(world):
    with pytest.raises(ValidationError) as e:
        actions.do_record_visit(world.org, {"date": D(2020, 3, 1), "kind": "patronage",
                                            "recipient": world.in_home2}, actor=world.actor("social_worker"))
    assert "recipient" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.do_record_visit(world.org, {"date": D(2020, 3, 1), "kind": "patronage",
                                            "recipient": world.in_home2}, actor=world.actor("accountant"))
    assert not Visit.objects.exists()


def test_it_shows_visits_in_the_people_scope(world, fam):
    mine = Visit.objects.create(organisation=world.org, date=D(2020, 3, 1), kind="patronage", family=fam)
    theirs = Visit.objects.create(organisation=world.org, date=D(2020, 3, 1), kind="patronage",
                                  recipient=world.in_home2)
    Visit.objects.create(organisation=world.other_org, date=D(2020, 3, 1), kind="patronage",
                         recipient=world.other_org_person)  # another organisation's: seen by nobody here
    assert set(queries.visits_for(world.actor("director"))) == {mine, theirs}
    assert set(queries.visits_for(world.actor("social_worker"))) == {mine}
    assert not queries.visits_for(world.actor("hr")).exists()
    with pytest.raises(Http404):
        queries.get_visit_for(world.actor("social_worker"), theirs.pk)
    # the analyst reads reports and aggregates, no personal data (issue 9): no visit either
    assert not queries.visits_for(world.actor("analyst")).exists()


def test_release_notices_are_for_the_director_and_the_social_adaptation_department(world):
    adaptation = f.DepartmentFactory(organisation=world.org, code="adapt", kind="social_adaptation")
    from opora.accounts.actions import do_create_user

    do_create_user("adapt_head", role="department_head", organisation=world.org, departments=[adaptation],
                   password="demo-pass-1", check_password=False)
    from opora.accounts.actor import Actor
    from opora.accounts.models import User

    adapt = Actor.for_user(User.objects.get(username="adapt_head"))
    data = {"received_on": D(2020, 3, 1), "full_name": "Петров Пётр Петрович", "birth_date": D(1980, 1, 1),
            "release_date": D(2020, 4, 1), "outcome": "arrived", "checked_on": D(2020, 4, 3)}
    notice = actions.do_record_notice(world.org, data, actor=adapt)
    for role in ("deputy_director", "department_head", "social_worker", "specialist", "analyst"):
        assert not queries.notices_for(world.actor(role)).exists(), role
        with pytest.raises(PermissionDenied):
            actions.do_record_notice(world.org, {**data, "full_name": "Другой"}, actor=world.actor(role))
    assert list(queries.notices_for(world.actor("director"))) == [notice]
    assert list(queries.notices_for(adapt)) == [notice]
    actions.do_view_notice(notice, actor=adapt)
    assert AuditEvent.objects.filter(object_type="fieldwork.releasenotice", event_type="viewed").count() == 1


def test_it_refuses_a_notice_past_its_date_without_a_check(world):
    with pytest.raises(ValidationError) as e:
        actions.do_record_notice(world.org, {"received_on": D(2020, 3, 1), "full_name": "Петров П. П.",
                                             "birth_date": D(1980, 1, 1), "release_date": D(2020, 4, 1),
                                             "outcome": "pending"}, actor=world.actor("director"))
    assert "outcome" in e.value.message_dict
    assert not ReleaseNotice.objects.exists()


def test_it_refuses_a_removal_from_the_register_before_the_registration(world, fam):
    do_update_family(fam, {"registered_on": D(2020, 3, 1)}, actor=world.actor("director"))
    with pytest.raises(ValidationError) as e:
        do_update_family(fam, {"deregistered_on": D(2020, 2, 1), "deregistration_reason": "own_request"},
                         actor=world.actor("director"))
    assert "deregistered_on" in e.value.message_dict
    fam.refresh_from_db()
    assert fam.deregistered_on is None


def test_the_bulk_writers_are_idempotent(world, fam):
    rows = [VisitRow(D(2020, 3, 1), "fire_safety", family_id=fam.pk, people=3),
            VisitRow(D(2020, 3, 1), "fire_safety", family_id=fam.pk, people=1),  # a second visit the same day
            VisitRow(D(2020, 3, 2), "raid", settlement_id=f.SettlementFactory(organisation=world.org).pk)]
    assert actions.write_visits(world.org.pk, rows) == (3, 0)
    assert actions.write_visits(world.org.pk, rows) == (0, 0)
    assert actions.write_visits(world.org.pk, [rows[0], VisitRow(D(2020, 3, 1), "fire_safety", family_id=fam.pk,
                                                                 people=2, outcome="ok")]) == (0, 1)
    assert Visit.objects.count() == 3
    notices = [NoticeRow(D(2020, 3, 1), "Петров П. П.", D(1980, 1, 1), D(2020, 4, 1), "arrived",
                         checked_on=D(2020, 4, 2))]
    assert actions.write_notices(world.org.pk, notices, today=D(2020, 5, 1)) == (1, 0)
    assert actions.write_notices(world.org.pk, notices, today=D(2020, 5, 1)) == (0, 0)


def test_the_bulk_writer_refuses_a_bad_row_and_writes_nothing(world, fam):
    rows = [VisitRow(D(2020, 3, 1), "patronage", family_id=fam.pk),
            VisitRow(D(2020, 3, 1), "patronage", family_id=fam.pk, recipient_id=world.in_home2.pk)]
    with pytest.raises(DomainError) as e:
        actions.write_visits(world.org.pk, rows)
    assert e.value.field == "recipient"
    assert not Visit.objects.exists()
