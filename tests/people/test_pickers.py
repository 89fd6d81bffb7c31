"""The person and family pickers (people/fields.py): the search endpoint answers only the actor's scope, at most
PICK_LIMIT matches, and audits what it shows in one INSERT; a submitted id outside the scope is refused exactly as
an id that does not exist, naming the field, in every language; the forms no longer list the scope."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from opora.accounts.roles import Perm
from opora.activities.forms import TripForm
from opora.audit.models import AuditEvent, EventType
from opora.people import fields
from opora.people.models import Family
from opora.people.queries import recipients_for
from tests import factories as f
from tests.queries import audit_writes

pytestmark = pytest.mark.django_db


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _shown(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-pick="(\d+)"', response.content.decode())]


def test_the_search_answers_only_the_actors_scope_and_audits_it_in_one_insert(world):
    worker = world.client("social_worker")
    since = _last_id()
    with CaptureQueriesContext(connection) as queries:
        mine = worker.get("/people/pick/people/", {"q": "федор"})  # lower case, without «ё»
    assert mine.status_code == 200
    assert _shown(mine) == [world.in_caseload.pk]
    assert len(audit_writes(queries)) == 1
    rows = list(AuditEvent.objects.filter(id__gt=since))
    assert [(r.object_type, r.object_id, r.event_type, r.changes["via"], r.actor_id) for r in rows] == [
        ("people.recipient", str(world.in_caseload.pk), EventType.LISTED, "web:pick-people",
         world.users["social_worker"].pk)]
    # Петров is in home2, not the worker's: not found, nothing written
    since = _last_id()
    assert _shown(worker.get("/people/pick/people/", {"q": "Петров Анна"})) == []
    assert not AuditEvent.objects.filter(id__gt=since).exists()
    # the director finds him; nobody finds the other organisation's person
    assert _shown(world.client("director").get("/people/pick/people/", {"q": "Петров Анна"})) == [world.in_home2.pk]
    assert _shown(world.client("director").get("/people/pick/people/", {"q": "Чужой"})) == []


def test_the_search_finds_by_snils_prefix_and_birth_date_and_needs_two_characters(world):
    director = world.client("director")
    assert _shown(director.get("/people/pick/people/", {"q": "112-233"})) == [world.in_caseload.pk]
    assert _shown(director.get("/people/pick/people/", {"q": "01.05.1940"})) == [world.in_caseload.pk]
    since = _last_id()
    short = director.get("/people/pick/people/", {"q": "Ф"})
    assert _shown(short) == [] and "data-pick" not in short.content.decode()
    assert not AuditEvent.objects.filter(id__gt=since).exists()


def test_the_search_shows_at_most_the_limit_and_says_there_are_more(world):
    for n in range(fields.PICK_LIMIT + 5):
        f.RecipientFactory(organisation=world.org, last_name=f"Однофамилец{n:02d}")
    director = world.client("director")  # (its log-in is an audit row too)
    since = _last_id()
    response = director.get("/people/pick/people/", {"q": "однофамилец"})
    assert len(_shown(response)) == fields.PICK_LIMIT
    assert AuditEvent.objects.filter(id__gt=since).count() == fields.PICK_LIMIT
    assert "20" in response.content.decode().split("</ul>")[1]  # the note: only the first 20 are shown


def test_the_family_search_and_the_scopes_permissions(world):
    mine = Family.objects.create(organisation=world.org, name="Семья Фёдоровых", registered_department=world.home1)
    Family.objects.create(organisation=world.org, name="Семья Петровых", registered_department=world.home2)
    worker = world.client("social_worker")
    assert _shown(worker.get("/people/pick/families-edit/", {"q": "Семья"})) == [mine.pk]
    assert worker.get("/people/pick/nobody/", {"q": "Семья"}).status_code == 404
    assert world.client("admin").get("/people/pick/people/", {"q": "Петров Анна"}).status_code == 403  # no view_people
    assert world.client("social_worker").get("/people/pick/people-aid/", {"q": "Фёд"}).status_code == 403


def test_families_are_found_in_any_case_and_with_e_for_yo(world):
    """The family search folds case and «ё» like the people's (SQLite's LIKE folds ASCII only)."""
    from opora.people import queries

    semyonovy = Family.objects.create(organisation=world.org, name="Семёновы (Семёнов И. П.)")
    Family.objects.create(organisation=world.org, name="Петровы (Петров А. А.)")
    found = lambda q: list(queries.search_families(Family.objects.all(), q).values_list("pk", flat=True))  # noqa: E731
    assert found("семенов") == found("СЕМЁНОВЫ") == found("Семенов и.") == [semyonovy.pk]
    assert found("сидоров") == []
    director = world.client("director")
    assert _shown(director.get("/people/pick/families-edit/", {"q": "СЕМЕНОВ"})) == [semyonovy.pk]
    page = director.get("/families/", {"q": "семенов"}).content.decode()
    assert "Семёновы" in page and "Петровы" not in page


@pytest.mark.parametrize("language", ["ru", "uk", "en"])
def test_a_person_outside_the_scope_is_refused_as_one_that_does_not_exist(world, language):
    people = recipients_for(world.actor("social_worker"))
    data = {"date": "2020-03-02", "destination": "medical"}
    with translation.override(language):
        outside = TripForm({**data, "recipient": world.in_home2.pk}, recipients=people)
        missing = TripForm({**data, "recipient": 999_999_999}, recipients=people)
        garbage = TripForm({**data, "recipient": "Петров"}, recipients=people)
        mine = TripForm({**data, "recipient": world.in_caseload.pk}, recipients=people)
        assert not outside.is_valid() and not missing.is_valid() and not garbage.is_valid()
        assert outside.errors["recipient"] == missing.errors["recipient"] == garbage.errors["recipient"]
        message = outside.errors["recipient"][0]
        assert message.startswith(str(outside.fields["recipient"].label))  # names the field
        assert mine.is_valid(), mine.errors
        assert mine.cleaned_data["recipient"] == world.in_caseload
    english = "there is no such person among those you may choose"
    assert (english in message) == (language == "en")


def test_the_aid_form_refuses_a_person_outside_the_heads_scope_through_the_page(world):
    from opora.money.models import Aid, Fund

    fund = Fund.objects.create(organisation=world.org, code="reg", name="Бюджет", source="regional_budget")
    head = world.client("department_head")
    post = {"fund": fund.pk, "kind": "cash", "date": "2020-03-02", "amount": "500", "quantity": "1"}
    outside = head.post("/money/aid/new/", {**post, "recipient": world.in_home2.pk})
    missing = head.post("/money/aid/new/", {**post, "recipient": 999_999_999})
    assert outside.status_code == missing.status_code != 302
    assert outside.context["form"].errors["recipient"] == missing.context["form"].errors["recipient"]
    assert not Aid.objects.exists()
    saved = head.post("/money/aid/new/", {**post, "recipient": world.in_caseload.pk})
    assert saved.status_code == 302 and Aid.objects.get().recipient == world.in_caseload


def test_a_form_shown_again_names_the_chosen_person_and_records_only_them(world):
    since = _last_id()
    response = world.client("specialist").post("/activities/taxi/", {"recipient": world.in_home2.pk, "date": ""})
    html = response.content.decode()
    assert f'value="{world.in_home2.full_name}, ' in html  # the search box shows the name
    assert f'name="recipient" id="id_recipient" value="{world.in_home2.pk}"' in html
    assert "<select name=\"recipient\"" not in html
    listed = {r.object_id for r in AuditEvent.objects.filter(id__gt=since, object_type="people.recipient",
                                                             changes__via="web:taxi-trips")}
    assert listed == {str(world.in_home2.pk)}


def test_the_complaint_form_offers_only_the_actors_people(world):
    """The complaint's person was a drop-down of the whole organisation (UI.md: scoped choices): now the people the
    actor sees; an administrator (manage_org, no view_people) may choose nobody."""
    from opora.quality.forms import ComplaintForm

    director, admin = world.actor("director"), world.actor("admin")
    assert set(ComplaintForm(organisation=world.org, actor=director).fields["recipient"].queryset) == set(
        recipients_for(director).filter(organisation=world.org))
    assert not ComplaintForm(organisation=world.org, actor=admin).fields["recipient"].queryset.exists()
    data = {"received_on": "2020-03-02", "kind": "complaint", "channel": "in_person", "subject": "о графике",
            "department": world.home1.pk, "recipient": world.in_caseload.pk}
    form = ComplaintForm(data, organisation=world.org, actor=admin)
    assert not form.is_valid() and "recipient" in form.errors
    assert actor_sees(director, world.in_caseload)


def actor_sees(actor, person) -> bool:
    return recipients_for(actor, Perm.VIEW_PEOPLE).filter(pk=person.pk).exists()


def test_the_persons_family_is_searched_and_the_current_one_kept(world):
    from opora.people.forms import RecipientForm

    theirs = Family.objects.create(organisation=world.org, name="Семья Петровых", registered_department=world.home2)
    person = world.in_caseload
    person.family = theirs  # linked wider by a director: kept on the worker's form, not offered otherwise
    person.save()
    form = RecipientForm(instance=person, organisation=world.org, actor=world.actor("social_worker"))
    field = form.fields["family"]
    assert isinstance(field, fields.FamilyChoiceField)
    assert field.chosen(theirs.pk) == theirs
    assert f'value="{theirs.name}"' in str(form["family"])


def test_a_name_typed_but_not_picked_is_refused_naming_the_field_and_kept(world):
    """Typing a surname and saving without picking a match does not save the form without the person (the person
    helped is optional on the volunteer's work): the field says to pick, and the box keeps what was typed."""
    from opora.activities.models import Volunteer, VolunteerWork

    volunteer = Volunteer.objects.create(organisation=world.org, code="v1", full_name="Волонтёр Вера")
    r = world.client("specialist").post(f"/activities/volunteers/{volunteer.pk}/work/", {
        "date": "2020-03-02", "hours": "2", "recipient": "", "recipient__q": "112-233"})  # digits: not an id either
    assert r.status_code == 200 and not VolunteerWork.objects.exists()
    assert "recipient" in r.context["form"].errors
    html = r.content.decode()
    assert 'value="112-233"' in html and 'name="recipient" id="id_recipient" value=""' in html
    saved = world.client("specialist").post(f"/activities/volunteers/{volunteer.pk}/work/", {
        "date": "2020-03-02", "hours": "2", "recipient": "", "recipient__q": ""})
    assert saved.status_code == 302 and VolunteerWork.objects.get().recipient is None


def test_the_search_box_is_named_after_its_field(world):
    html = world.client("director").get("/money/aid/new/").content.decode()
    assert 'name="recipient__q"' in html and 'name="family__q"' in html
    found = world.client("director").get("/people/pick/people-aid/", {"recipient__q": "Фёдорова"})
    assert f'data-pick="{world.in_caseload.pk}"' in found.content.decode()
