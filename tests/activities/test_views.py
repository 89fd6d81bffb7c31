"""The pages of groups and events: lists, forms, the group's page, the attendance page; scope and errors."""

from __future__ import annotations

import datetime

from django.utils import translation

from opora.activities import actions
from opora.activities.models import Event, GroupMember, Session

D = datetime.date


def _club(world, department=None):
    group = actions.do_create_group(world.org, {"code": "dosug", "name": "Досуг", "kind": "club",
                                                "department": department or world.home1},
                                    actor=world.actor("director"))
    actions.do_add_member(group, world.in_caseload, joined_on=D(2020, 1, 10), actor=world.actor("director"))
    return group


def test_the_group_page_shows_members_and_sessions_and_adds_a_member(world):
    group = _club(world)
    client = world.client("department_head")
    page = client.get(f"/activities/groups/{group.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Фёдорова" in text and "Досуг" in text
    answer = client.post(f"/activities/groups/{group.pk}/members/add/",
                         {"recipient": world.in_home1_other_worker.pk, "joined_on": "2020-02-01"})
    assert answer.status_code == 302
    assert GroupMember.objects.filter(group=group).count() == 2


def test_the_attendance_page_records_and_refuses_above_the_members_keeping_what_was_typed(world):
    group = _club(world)
    client = world.client("department_head")
    url = f"/activities/groups/{group.pk}/attendance/"
    page = client.get(url)
    assert page.status_code == 200 and 'inputmode="numeric"' in page.content.decode()
    with translation.override("en"):
        refused = client.post(url, {"date": "2020-03-02", "attendance": "5", "topic": "Песни"},
                              HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Песни" in body and 'value="5"' in body
    assert not Session.objects.exists()
    ok = client.post(url, {"date": "2020-03-02", "attendance": "1", "topic": "Песни"})
    assert ok.status_code == 302 and Session.objects.get().attendance == 1


def test_another_departments_group_is_not_found_for_a_department_head(world):
    group = _club(world, world.home2)
    client = world.client("department_head")
    assert client.get(f"/activities/groups/{group.pk}/").status_code == 404
    assert client.get(f"/activities/groups/{group.pk}/attendance/").status_code == 404
    assert "Досуг" not in client.get("/activities/groups/").content.decode()


def test_the_event_form_creates_an_event_and_the_list_shows_it(world):
    client = world.client("specialist")
    answer = client.post("/activities/events/new/", {"code": "may9", "date": "2020-05-09", "name": "День Победы",
                                                     "kind": "holiday", "participants": "60"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert Event.objects.get().participants == 60
    assert "День Победы" in client.get("/activities/events/").content.decode()
    bad = client.post("/activities/events/new/", {"code": "x", "date": "2020-05-09", "name": "X", "kind": "holiday",
                                                  "participants": "-1"})
    assert bad.status_code == 200 and Event.objects.count() == 1


def test_the_group_form_names_the_end_before_the_start(world):
    client = world.client("director")
    answer = client.post("/activities/groups/new/", {"code": "g", "name": "G", "kind": "club",
                                                     "start": "2020-02-01", "end": "2020-01-01"})
    assert answer.status_code == 200
    assert "Дата окончания раньше даты начала." in answer.content.decode()
