"""Groups, members, sessions and events: the actions (rules, scope, audit), the bulk path and the report
`activities` with known figures."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404

from opora.activities import actions, bulk, queries
from opora.activities.models import Event, Group, GroupMember, Session
from opora.audit.models import AuditEvent
from opora.lib.errors import DomainError
from opora.lib.periods import Period
from opora.reports.registry import build_report, system_actor
from opora.reports.render.json import to_data

D = datetime.date


@pytest.fixture
def club(world):
    return actions.do_create_group(world.org, {"code": "dosug", "name": "Досуг", "kind": "club",
                                               "department": world.home1, "start": D(2020, 1, 1)},
                                   actor=world.actor("department_head"))


def test_it_records_a_group_with_members_and_sessions_and_audits_each_write(world, club):
    head = world.actor("department_head")
    before = AuditEvent.objects.count()
    actions.do_add_member(club, world.in_caseload, joined_on=D(2020, 1, 10), actor=head)
    actions.do_add_member(club, world.in_home2, joined_on=D(2020, 3, 1), actor=head)
    session = actions.do_record_session(club, D(2020, 3, 2), 2, "Масленица", actor=head)
    again = actions.do_record_session(club, D(2020, 3, 2), 1, "Масленица", actor=head)  # a correction
    assert again.pk == session.pk and Session.objects.get().attendance == 1
    assert AuditEvent.objects.count() == before + 4


def test_it_refuses_attendance_above_the_members_on_the_session_date(world, club):
    head = world.actor("department_head")
    actions.do_add_member(club, world.in_caseload, joined_on=D(2020, 1, 10), actor=head)
    actions.do_add_member(club, world.in_home2, joined_on=D(2020, 3, 1), actor=head)
    with pytest.raises(DomainError) as exc:
        actions.do_record_session(club, D(2020, 2, 28), 2, actor=head)  # one member yet
    assert exc.value.field == "attendance"
    assert not Session.objects.exists()


def test_it_refuses_bad_spans_duplicates_and_another_organisations_person(world, club):
    head = world.actor("department_head")
    with pytest.raises(DomainError):
        actions.do_create_group(world.org, {"code": "x", "name": "X", "kind": "club", "start": D(2020, 2, 1),
                                            "end": D(2020, 1, 1)}, actor=world.actor("director"))
    with pytest.raises(DomainError):
        actions.do_add_member(club, world.other_org_person, actor=head)
    actions.do_add_member(club, world.in_caseload, joined_on=D(2020, 1, 10), actor=head)
    with pytest.raises(DomainError):
        actions.do_add_member(club, world.in_caseload, actor=head)
    with pytest.raises(DomainError):
        actions.do_add_member(club, world.in_home2, joined_on=D(2020, 2, 1), left_on=D(2020, 1, 1), actor=head)
    member = GroupMember.objects.get()
    with pytest.raises(DomainError):
        actions.do_end_membership(member, D(2019, 1, 1), actor=head)  # before joining on 10.01.2020
    assert GroupMember.objects.count() == 1


def test_the_database_refuses_an_end_before_the_start(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Group.objects.create(organisation=world.org, code="bad", name="Bad", kind="club", start=D(2020, 2, 1),
                             end=D(2020, 1, 1))


def test_a_department_head_works_only_with_the_groups_of_their_departments(world, club):
    other = actions.do_create_group(world.org, {"code": "druzhba", "name": "Дружба", "kind": "club",
                                                "department": world.home2}, actor=world.actor("director"))
    head = world.actor("department_head")
    assert list(queries.groups_for(head)) == [club]
    with pytest.raises(Http404):
        queries.get_group_for(head, other.pk)
    with pytest.raises(PermissionDenied):
        actions.do_record_session(other, D(2020, 3, 2), 0, actor=head)
    # a specialist (cultural organisers, drivers) works across the organisation
    assert {g.code for g in queries.groups_for(world.actor("specialist"))} == {"dosug", "druzhba"}
    # HR has no such right; another organisation's reader sees none of them
    assert not queries.groups_for(world.actor("hr")).exists()
    with pytest.raises(PermissionDenied):
        actions.do_create_event(world.org, {"code": "e", "date": D(2020, 1, 1), "name": "E", "kind": "holiday",
                                            "participants": 1}, actor=world.actor("accountant"))


def _known_centre(world):
    """Two groups and events whose report figures are worked out by hand below."""
    a, b, c = world.in_caseload, world.in_home2, world.in_home1_other_worker
    batch = bulk.Batch(
        groups={"dosug": {"name": "Досуг", "kind": "club", "department_id": world.home1.pk, "start": None,
                          "end": None},
                "pc": {"name": "Компьютерная грамотность", "kind": "class", "department_id": None,
                       "start": D(2020, 9, 1), "end": D(2020, 12, 31)},
                "old": {"name": "Закрытый", "kind": "project", "department_id": None, "start": None, "end": None}},
        members={("dosug", a.pk): {"joined_on": D(2019, 5, 1), "left_on": None},
                 ("dosug", b.pk): {"joined_on": D(2020, 3, 1), "left_on": D(2020, 6, 30)},
                 ("pc", a.pk): {"joined_on": D(2020, 9, 1), "left_on": None},
                 ("pc", c.pk): {"joined_on": D(2020, 9, 1), "left_on": None},
                 ("old", c.pk): {"joined_on": D(2018, 1, 1), "left_on": D(2019, 12, 31)}},
        sessions={("dosug", D(2020, 2, 10)): {"attendance": 1, "topic": ""},
                  ("dosug", D(2020, 4, 10)): {"attendance": 2, "topic": "Пасха"},
                  ("dosug", D(2021, 1, 15)): {"attendance": 1, "topic": ""},
                  ("old", D(2019, 6, 1)): {"attendance": 1, "topic": ""}},
        events={"e1": {"date": D(2020, 3, 8), "name": "8 Марта", "kind": "holiday", "department_id": None,
                       "participants": 40},
                "e2": {"date": D(2020, 5, 9), "name": "День Победы", "kind": "holiday",
                       "department_id": world.home1.pk, "participants": 60},
                "e3": {"date": D(2020, 10, 1), "name": "Экскурсия", "kind": "excursion", "department_id": None,
                       "participants": 15},
                "e4": {"date": D(2021, 1, 7), "name": "Рождество", "kind": "holiday", "department_id": None,
                       "participants": 30}},
    )
    return bulk.write(world.org.pk, batch), batch


def test_the_bulk_path_writes_once_and_changes_nothing_when_written_again(world):
    counts, batch = _known_centre(world)
    assert counts == {"groups": (3, 0), "group_members": (5, 0), "sessions": (4, 0), "events": (4, 0),
                      "taxi_trips": (0, 0),
                      # issue 13: the rental point and volunteers
                      "rental_items": (0, 0), "rentals": (0, 0), "volunteers": (0, 0), "volunteer_work": (0, 0)}
    again = bulk.write(world.org.pk, batch)
    assert set(again.values()) == {(0, 0)}
    batch.events["e1"]["participants"] = 41
    assert bulk.write(world.org.pk, batch)["events"] == (0, 1)


def test_the_bulk_path_refuses_attendance_above_the_members_and_writes_nothing(world):
    batch = bulk.Batch(groups={"g": {"name": "G", "kind": "club", "department_id": None, "start": None,
                                     "end": None}},
                       members={("g", world.in_caseload.pk): {"joined_on": None, "left_on": None}},
                       sessions={("g", D(2020, 1, 1)): {"attendance": 2, "topic": ""}})
    with pytest.raises(DomainError):
        bulk.write(world.org.pk, batch)
    assert not Group.objects.exists() and not Session.objects.exists()


def _tables(world, period):
    doc = build_report("activities", [world.org], period, actor=system_actor([world.org]))
    return to_data(doc)["tables"]


def test_the_report_counts_groups_and_events_of_a_year(world):
    _known_centre(world)
    tables = _tables(world, Period.year_of(2020))
    rows = {r["key"]: r for r in tables["groups"]["rows"]}
    # dosug: a and b overlap 2020, two sessions (1 + 2); pc: a and c, no session; old: nothing in 2020
    assert rows["dosug"] == {"key": "dosug", "groups": None, "members": 2, "sessions": 2, "attendance": 3}
    assert (rows["pc"]["members"], rows["pc"]["sessions"], rows["pc"]["attendance"]) == (2, 0, 0)
    assert "old" not in rows
    assert rows["all"] == {"key": "all", "groups": 1, "members": 3, "sessions": 2, "attendance": 3}
    events = {r["key"]: r for r in tables["events"]["rows"]}
    assert events["holiday"] == {"key": "holiday", "events": 2, "participants": 100}
    assert events["excursion"] == {"key": "excursion", "events": 1, "participants": 15}
    assert events["all"] == {"key": "all", "events": 3, "participants": 115}
    assert [r["key"] for r in tables["events"]["rows"]] == ["holiday", "excursion", "all"]


def test_the_report_counts_a_quarter_and_shows_zeros_without_records(world):
    _known_centre(world)
    q2 = Period.quarter_of(2020, 2)
    tables = _tables(world, q2)
    rows = {r["key"]: r for r in tables["groups"]["rows"]}
    assert rows["all"] == {"key": "all", "groups": 1, "members": 2, "sessions": 1, "attendance": 2}
    assert "pc" not in rows
    assert {r["key"]: r["participants"] for r in tables["events"]["rows"]} == {"holiday": 60, "all": 60}
    empty = _tables(world, Period.year_of(2018))
    assert empty["events"]["rows"] == [{"key": "all", "events": 0, "participants": 0}]


def test_the_indicator_queries_give_the_report_figures(world):
    _known_centre(world)
    ids, start, end = [world.org.pk], D(2020, 1, 1), D(2020, 12, 31)
    assert queries.events(ids, start, end) == 3 and queries.events(ids, start, end, kind="holiday") == 2
    assert queries.participants(ids, start, end) == 115
    assert queries.sessions(ids, start, end) == 2 and queries.sessions(ids, start, end, group="pc") == 0
    assert queries.attendance(ids, start, end, group="dosug") == 3
    assert queries.events([world.other_org.pk], start, end) == 0


def test_the_annual_report_carries_the_tables_only_when_the_year_has_records(world):
    _known_centre(world)
    doc = build_report("annual", [world.org], Period.year_of(2020), actor=system_actor([world.org]))
    assert {"groups", "events"} <= set(doc.tables())
    doc = build_report("annual", [world.org], Period.year_of(2018), actor=system_actor([world.org]))
    assert "groups" in doc.tables() and "events" not in doc.tables()  # the project "old" had a member in 2018
    doc = build_report("annual", [world.org], Period.year_of(2017), actor=system_actor([world.org]))
    assert not {"groups", "events"} & set(doc.tables())
    assert Event.objects.count() == 4
