"""Who sees whom: every role on the list and the detail, in the UI and the API."""

from __future__ import annotations

import pytest

from opora.people.queries import families_for, recipients_for
from tests import factories as f

ORG_WIDE = ["director", "deputy_director", "specialist", "accountant"]
# The regional analyst reads reports and aggregates only: no personal data (issue 9, item 11).
NO_PEOPLE = ["hr", "admin", "analyst"]


def _names(world, role):
    return set(recipients_for(world.actor(role)).values_list("last_name", flat=True))


@pytest.mark.parametrize("role", ORG_WIDE)
def test_it_shows_org_wide_roles_everyone_of_their_organisation(world, role):
    names = _names(world, role)
    assert {"Фёдорова", "Иванов", "Петров", "Сидорова"} <= names
    assert "Чужой" not in names


def test_it_shows_the_regional_analyst_no_people_unless_a_membership_grants_it(world):
    from opora.accounts.models import Membership

    user = world.actor("analyst").user
    assert _names(world, "analyst") == set()
    Membership.objects.create(user=user, organisation=world.other_org, role="specialist")
    assert _names(world, "analyst") == {"Чужой"}  # only where the second membership grants it


def test_it_shows_a_department_head_only_their_departments(world):
    assert _names(world, "department_head") == {"Фёдорова", "Иванов", "Сидорова"}


def test_it_shows_a_social_worker_only_their_caseload_and_people_waiting_for_enrolment(world):
    assert _names(world, "social_worker") == {"Фёдорова", "Сидорова"}


def test_it_hides_a_discharged_person_from_the_former_social_worker(world):
    enrolment = world.in_caseload.enrolments.get()
    enrolment.discharged_on = enrolment.admitted_on
    enrolment.discharge_reason = "own_request"
    enrolment.save()
    assert "Фёдорова" not in _names(world, "social_worker")


@pytest.mark.parametrize("role", NO_PEOPLE)
def test_it_shows_no_people_to_roles_without_the_right(world, role):
    assert _names(world, role) == set()


@pytest.mark.parametrize("role", [*ORG_WIDE, "department_head", "social_worker", *NO_PEOPLE])
def test_it_answers_404_for_a_card_outside_the_scope_in_ui_and_api(world, role):
    client = world.client(role)
    visible = _names(world, role)
    for person in (world.in_caseload, world.in_home2, world.other_org_person):
        ui = client.get(f"/people/{person.pk}/")
        api = client.get(f"/api/v1/recipients/{person.pk}")
        expected = 200 if person.last_name in visible else 404
        if role in NO_PEOPLE:
            # No right to see people at all.
            assert api.status_code == 404
            assert ui.status_code == 404
        else:
            assert ui.status_code == expected, (role, person.last_name)
            assert api.status_code == expected, (role, person.last_name)


@pytest.mark.parametrize("role", [*ORG_WIDE, "department_head", "social_worker"])
def test_it_lists_the_same_people_in_the_ui_and_the_api(world, role):
    client = world.client(role)
    api = client.get("/api/v1/recipients?page_size=200").json()
    api_names = {r["last_name"] for r in api["results"]}
    expected = _names(world, role)
    assert api_names == expected
    ui = client.get("/people/").content.decode()
    for name in expected:
        assert name in ui
    assert "Чужой" not in ui


def test_it_scopes_families_by_department_for_department_roles(world):
    mine = f.FamilyFactory(organisation=world.org, name="Семья Фёдоровых", registered_department=world.home1)
    theirs = f.FamilyFactory(organisation=world.org, name="Семья Петровых", registered_department=world.home2)
    world.in_home2.family = theirs
    world.in_home2.save()
    head = set(families_for(world.actor("department_head")).values_list("name", flat=True))
    director = set(families_for(world.actor("director")).values_list("name", flat=True))
    assert head == {mine.name}
    assert director == {mine.name, theirs.name}
    assert set(families_for(world.actor("hr"))) == set()
    assert world.client("department_head").get(f"/families/{theirs.pk}/").status_code == 404
    assert world.client("director").get(f"/families/{theirs.pk}/").status_code == 200


def test_it_gives_a_social_worker_without_an_employee_record_no_caseload(world):
    from opora.accounts.actions import do_create_user
    from opora.accounts.actor import Actor

    user = do_create_user("new_worker", role="social_worker", organisation=world.org, departments=[world.home1],
                          check_password=False)
    unassigned = f.RecipientFactory(organisation=world.org, last_name="Безработникова")
    f.EnrolmentFactory(recipient=unassigned, department=world.home1, worker=None)
    names = set(recipients_for(Actor.for_user(user)).values_list("last_name", flat=True))
    assert names == {"Сидорова"}


def test_it_lets_a_social_worker_discharge_only_in_their_own_department(world):
    other = f.EnrolmentFactory(recipient=world.in_caseload, department=world.urgent, form="urgent")
    client = world.client("social_worker")
    data = {"discharged_on": "2020-02-01", "discharge_reason": "own_request"}
    assert client.post(f"/enrolments/{other.pk}/discharge/", data).status_code == 404
    own = world.in_caseload.enrolments.get(department=world.home1)
    assert client.post(f"/enrolments/{own.pk}/discharge/", data).status_code == 302


def test_the_api_docs_load_nothing_from_a_cdn(world):
    body = world.client("director").get("/api/v1/docs").content.decode()
    assert "cdn." not in body and "/static/ninja/" in body


def test_it_hides_from_a_social_worker_a_person_of_their_department_enrolled_elsewhere_in_the_organisation(world):
    # "Waiting for enrolment" is registered in the worker's department and enrolled nowhere in the organisation
    # (checked per person, issue 18): once enrolled in another department, the person is that department's.
    f.EnrolmentFactory(recipient=world.unenrolled_home1, department=world.home2, worker=world.other_worker)
    assert _names(world, "social_worker") == {"Фёдорова"}


@pytest.mark.parametrize("role", ["director", "specialist", "department_head", "social_worker", "analyst", "hr"])
def test_the_scope_through_a_foreign_key_reaches_the_same_people_as_the_register(world, role):
    """recipient_scope(actor, perm, "recipient") (the caseload's join) and recipient__in=recipients_for(…)."""
    from opora.accounts.roles import Perm
    from opora.people.models import Enrolment
    from opora.people.queries import recipient_scope

    actor = world.actor(role)
    for perm in (Perm.VIEW_PEOPLE, Perm.RECORD_SERVICES):
        through = set(Enrolment.objects.filter(recipient_scope(actor, perm, "recipient")).values_list("pk", flat=True))
        register = set(Enrolment.objects.filter(recipient__in=recipients_for(actor, perm)).values_list("pk", flat=True))
        assert through == register
        if role in ("department_head", "social_worker"):  # some of the organisation's people, not all, not none
            assert 0 < len(through) < Enrolment.objects.count()
