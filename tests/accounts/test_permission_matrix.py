"""The permission matrix: every role × the lists, details and writes of people (API and pages), against objects
inside and outside the role's scope, including the links a write sets (family, representative, department,
worker). The expectations are written out here, not computed by the queries under test."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from opora.accounts.roles import Role
from opora.people.actions import check_links
from opora.people.queries import families_for
from tests import factories as f

pytestmark = pytest.mark.django_db

ROLES = list(Role.values)
ORG_WIDE = {"director", "deputy_director", "specialist", "accountant"}
EDITORS = {"director", "deputy_director", "specialist", "department_head", "social_worker"}

# Who sees each person of the world (conftest): the caseload of the social worker (home1), another worker's
# person (home1), a person of home2, a person registered by home1 and not enrolled, another organisation's.
SEES = {
    "in_caseload": ORG_WIDE | {"department_head", "social_worker"},
    "in_home1_other_worker": ORG_WIDE | {"department_head"},
    "in_home2": ORG_WIDE,
    "unenrolled_home1": ORG_WIDE | {"department_head", "social_worker"},
    "other_org_person": set(),
}


@pytest.fixture
def families(world):
    """A: registered by home1. B: registered by home2, with the home2 person. C: registered by home2, the
    caseload person AND the home2 person (mixed). The caseload person is in C."""
    a = f.FamilyFactory(organisation=world.org, name="Семья А", registered_department=world.home1)
    b = f.FamilyFactory(organisation=world.org, name="Семья Б", registered_department=world.home2)
    c = f.FamilyFactory(organisation=world.org, name="Семья В", registered_department=world.home2)
    world.in_home2.family = b
    world.in_home2.save()
    other = f.RecipientFactory(organisation=world.org, last_name="Членов")
    f.EnrolmentFactory(recipient=other, department=world.home2, admitted_on=datetime.date(2020, 1, 10))
    for person in (world.in_caseload, other):
        person.family = c
        person.save()
    return {"A": a, "B": b, "C": c}


FAMILY_SEES = {
    "A": ORG_WIDE | {"department_head", "social_worker"},
    "B": set(ORG_WIDE),
    "C": set(ORG_WIDE),  # one member in the worker's caseload does not open the family
}


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_of_people_in_the_api_and_the_pages(world, role):
    client = world.client(role)
    api = client.get("/api/v1/recipients?page_size=200")
    expected = {getattr(world, name).pk for name, who in SEES.items() if role in who}
    if expected:
        assert api.status_code == 200
        assert {r["id"] for r in api.json()["results"]} == expected
    else:
        assert api.status_code in (200, 403)
        assert api.status_code == 403 or api.json()["results"] == []
        assert client.get("/people/").status_code == 403
    for name, who in SEES.items():
        person = getattr(world, name)
        want = 200 if role in who else 404
        assert client.get(f"/api/v1/recipients/{person.pk}").status_code == want, (role, name)
        assert client.get(f"/people/{person.pk}/").status_code == want, (role, name)
        assert client.get(f"/billing/person/{person.pk}/").status_code in ((200,) if want == 200 and role in (
            "director", "deputy_director", "accountant", "department_head") else (403, 404)), (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_list_and_detail_of_families(world, families, role):
    client = world.client(role)
    listed = client.get("/api/v1/families?page_size=200")
    expected = {families[k].pk for k, who in FAMILY_SEES.items() if role in who}
    if listed.status_code == 200:
        assert {x["id"] for x in listed.json()["results"]} == expected
    else:
        assert listed.status_code == 403 and not expected
    for key, who in FAMILY_SEES.items():
        want = 200 if role in who else 404
        assert client.get(f"/api/v1/families/{families[key].pk}").status_code == want, (role, key)
        assert client.get(f"/families/{families[key].pk}/").status_code == want, (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_writes_to_a_person_inside_and_outside_the_scope(world, role):
    client = world.client(role)
    for name, who in SEES.items():
        person = getattr(world, name)
        may = role in who and role in EDITORS
        patch = client.patch(f"/api/v1/recipients/{person.pk}", {"phone": "8-900"}, content_type="application/json")
        assert patch.status_code == (200 if may else 404), (role, name, patch.status_code)
        rep = client.post(f"/people/{person.pk}/representatives/new/",
                          {"full_name": "Опекунов И. И.", "kind": "guardian", "document": "", "phone": ""})
        assert rep.status_code == (302 if may else 404), (role, name, rep.status_code)
    assert person.representatives.count() == 0  # the other organisation's person is never touched


# The links a write sets: (field sent, which object, the roles that may set it on the caseload person).
def _link_cases(world, families):
    return [
        ("family_id", families["A"].pk, {"director", "deputy_director", "specialist", "department_head",
                                         "social_worker"}),
        ("family_id", families["B"].pk, {"director", "deputy_director", "specialist"}),
        ("registered_department_id", world.home1.pk, EDITORS),
        ("registered_department_id", world.home2.pk, {"director", "deputy_director", "specialist"}),
        ("settlement_id", f.SettlementFactory(organisation=world.other_org).pk, set()),
    ]


@pytest.mark.parametrize("role", sorted(EDITORS & SEES["in_caseload"]))
def test_links_set_by_a_write_are_checked_against_the_scope_for_writing(world, families, role):
    client = world.client(role)
    person = world.in_caseload
    for field, value, allowed in _link_cases(world, families):
        before = type(person).objects.get(pk=person.pk)
        answer = client.patch(f"/api/v1/recipients/{person.pk}", {field: value}, content_type="application/json")
        if role in allowed:
            assert answer.status_code == 200, (role, field, answer.content)
        else:
            assert answer.status_code == 422, (role, field, answer.content)
            assert answer.json()["detail"][0]["loc"] == ["body", field]
            after = type(person).objects.get(pk=person.pk)
            assert getattr(after, field) == getattr(before, field)  # nothing changed
        # put the person back where the next case expects it
        type(person).objects.filter(pk=person.pk).update(family=families["C"], registered_department=None,
                                                          settlement=None)
    # A refused family stays closed: the worker still cannot read family B's members.
    if role in ("social_worker", "department_head"):
        assert families["B"].pk not in set(families_for(world.actor(role)).values_list("pk", flat=True))


@pytest.mark.parametrize("role", ["social_worker", "department_head"])
def test_a_new_person_or_family_cannot_be_registered_in_another_department(world, families, role):
    client = world.client(role)
    new = {"last_name": "Новиков", "first_name": "Нил", "sex": "M", "birth_date": "1950-01-01"}
    refused = client.post("/api/v1/recipients", {**new, "registered_department_id": world.home2.pk},
                          content_type="application/json")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "registered_department_id"]
    refused = client.post("/api/v1/recipients", {**new, "family_id": families["B"].pk},
                          content_type="application/json")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "family_id"]
    refused = client.post("/api/v1/families", {"name": "D", "registered_department_id": world.home2.pk},
                          content_type="application/json")
    assert refused.status_code == 422
    assert client.patch(f"/api/v1/families/{families['A'].pk}", {"registered_department_id": world.home2.pk},
                        content_type="application/json").status_code == 422
    assert client.post("/api/v1/recipients", {**new, "registered_department_id": world.home1.pk},
                       content_type="application/json").status_code == 201


@pytest.mark.parametrize(("role", "department", "worker", "ok"), [
    ("social_worker", "home1", "worker", True),
    ("social_worker", "home1", "other_worker", False),  # a social worker names only themselves
    ("social_worker", "home2", "worker", False),        # and only in their departments
    ("department_head", "home1", "other_worker", True),
    ("department_head", "home2", None, False),
    ("director", "home2", "other_worker", True),
])
def test_the_department_and_worker_of_an_enrolment(world, role, department, worker, ok):
    person = world.unenrolled_home1
    data = {"department": getattr(world, department).pk, "form": "home", "admitted_on": "2020-02-01",
            "worker": getattr(world, worker).pk if worker else ""}
    answer = world.client(role).post(f"/people/{person.pk}/enrol/", data)
    assert (answer.status_code == 302) == ok, (answer.status_code, answer.content[:500])
    assert person.enrolments.exists() == ok


def _options(html: str, name: str) -> set[str]:
    block = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert block, name
    return set(re.findall(r'<option value="(\d+)"', block.group(1)))


def _found(answer) -> set[str]:
    assert answer.status_code == 200
    return set(re.findall(r'data-pick="(\d+)"', answer.content.decode()))


def test_forms_offer_only_the_families_departments_and_workers_the_actor_may_link(world, families):
    worker = world.client("social_worker")
    html = worker.get(f"/people/{world.in_caseload.pk}/edit/").content.decode()
    # the family is chosen by searching (people/fields.py): no drop-down of families; the search finds family A
    # (registered by home1) only, the current family C is kept by the form; home1 only
    assert '<select name="family"' not in html and 'data-picker' in html
    assert _found(worker.get("/people/pick/families-edit/", {"q": "Семья"})) == {str(families["A"].pk)}
    assert _options(html, "registered_department") == {str(world.home1.pk)}
    enrol = world.client("social_worker").get(f"/people/{world.unenrolled_home1.pk}/enrol/").content.decode()
    assert _options(enrol, "worker") == {str(world.worker.pk)}
    assert _options(enrol, "department") == {str(world.home1.pk)}
    head = world.client("department_head").get(f"/people/{world.unenrolled_home1.pk}/enrol/").content.decode()
    assert _options(head, "worker") == {str(world.worker.pk), str(world.other_worker.pk),
                                        *(str(e.pk) for e in world.home1.employees.exclude(
                                            pk__in=[world.worker.pk, world.other_worker.pk]))}
    director = world.client("director")
    assert _found(director.get("/people/pick/families-edit/", {"q": "Семья"})) == {str(x.pk) for x in families.values()}


def test_a_family_member_link_needs_a_person_the_actor_may_edit(world, families):
    with pytest.raises(ValidationError) as err:
        check_links(world.actor("social_worker"), world.org.pk, {"recipient": world.in_home2})
    assert "recipient" in err.value.message_dict
    check_links(world.actor("social_worker"), world.org.pk, {"recipient": world.in_caseload})
    with pytest.raises(ValidationError):
        check_links(world.actor("director"), world.org.pk, {"recipient": world.other_org_person})


def test_the_card_shows_household_members_only_when_the_family_is_in_scope(world, families):
    families["C"].members.create(full_name="Скрытова Дарья", relation="дочь")
    families["A"].members.create(full_name="Открытова Вера", relation="мать")
    worker = world.client("social_worker")
    assert "Скрытова" not in worker.get(f"/people/{world.in_caseload.pk}/").content.decode()
    assert "Скрытова" in world.client("director").get(f"/people/{world.in_caseload.pk}/").content.decode()
    type(world.in_caseload).objects.filter(pk=world.in_caseload.pk).update(family=families["A"])
    assert "Открытова" in worker.get(f"/people/{world.in_caseload.pk}/").content.decode()


MAIN_PAGES = ["/", "/people/", "/families/", "/intake/", "/programmes/", "/journal/", "/journal/urgent/",
              "/billing/charges/", "/billing/balances/", "/reports/", "/org/staff/", "/audit/", "/api/v1/recipients",
              "/api/v1/families", "/api/v1/applications", "/api/v1/programmes", "/api/v1/deliveries",
              "/api/v1/staff", "/api/v1/billing/balances"]


@pytest.mark.parametrize("role", ROLES)
def test_main_pages_never_fail_and_show_no_person_to_roles_without_personal_data(world, role):
    client = world.client(role)
    for path in MAIN_PAGES:
        response = client.get(path)
        assert response.status_code in (200, 302, 403, 404), (role, path, response.status_code)
        if role in ("analyst", "hr", "admin") and response.status_code == 200:
            text = response.content.decode()
            for name in ("Фёдорова", "Иванов", "Петров", "Сидорова", "Чужой"):
                assert not re.search(rf"\b{name}\b", text), (role, path, name)
            if role == "analyst":  # nor staff: the analyst sees no personal data at all
                assert "Работников" not in text, (role, path)


@pytest.fixture
def records_of_people(world):
    """One record in each later domain about a person of home2 (outside the social worker's and the department
    head's scope) and about the other organisation's person: a visit, aid, a taxi trip, a group membership, a
    complaint, a release notice."""
    from decimal import Decimal

    from opora.activities.models import Group, GroupMember, TaxiTrip
    from opora.fieldwork.models import ReleaseNotice, Visit
    from opora.money.models import Aid, Fund
    from opora.quality.models import Complaint

    day = datetime.date(2020, 3, 2)
    for person, org, dept in ((world.in_home2, world.org, world.home2),
                              (world.other_org_person, world.other_org, None)):
        fund = Fund.objects.create(organisation=org, code="f", name="Фонд", source="charity")
        group = Group.objects.create(organisation=org, code="g", name="Клуб", kind="club", department=dept)
        GroupMember.objects.create(organisation=org, group=group, recipient=person, joined_on=day)
        TaxiTrip.objects.create(organisation=org, recipient=person, date=day, destination="hospital",
                                amount=Decimal("150.00"))
        Visit.objects.create(organisation=org, date=day, kind="patronage", recipient=person)
        Aid.objects.create(organisation=org, fund=fund, kind="cash", date=day, amount=Decimal("500"), quantity=1,
                           recipient=person)
        Complaint.objects.create(organisation=org, received_on=day, kind="complaint", department=dept,
                                 recipient=person, subject="жалоба")
        ReleaseNotice.objects.create(organisation=org, received_on=day, full_name=f"Освобождённый {person.last_name}",
                                     birth_date=datetime.date(1980, 1, 1), release_date=day, outcome="pending",
                                     recipient=person)


def _api_lists() -> list[str]:
    from opora.api.v1 import api

    return [p for p, ops in api.get_openapi_schema()["paths"].items() if "get" in ops and "{" not in p]


def _people_in(value, found: set[int]) -> set[int]:
    """The person ids an API answer names (recipient_id anywhere in it)."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "recipient_id" and isinstance(v, int):
                found.add(v)
            _people_in(v, found)
    elif isinstance(value, list):
        for v in value:
            _people_in(v, found)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_api_list_keeps_people_outside_the_scope_out(world, records_of_people, role):
    """Every list of the API (every GET without a path parameter), for every role: never a server error, never
    a person of another organisation, never a person of home2 to a social worker or a department head of home1,
    never anybody to the roles that see no personal data."""
    client = world.client(role)
    outside = {world.other_org_person.pk}
    if role in ("social_worker", "department_head"):
        outside.add(world.in_home2.pk)
    if role in ("analyst", "hr", "admin"):
        outside |= {world.in_home2.pk, world.in_caseload.pk}
    for path in _api_lists():
        response = client.get(path)
        assert response.status_code in (200, 403, 422), (role, path, response.status_code)
        if response.status_code != 200:
            continue
        text = response.content.decode()
        assert not (_people_in(response.json(), set()) & outside), (role, path)
        assert "Чужой" not in text, (role, path)
        if world.in_home2.pk in outside:
            assert not re.search(r"\bПетров\b", text), (role, path)
