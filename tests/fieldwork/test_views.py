"""The pages of field work: the visit form and list, the release notices' pages (only for their audience)."""

from __future__ import annotations

from django.urls import reverse

from opora.audit.models import AuditEvent
from opora.fieldwork.models import ReleaseNotice, Visit
from tests import factories as f


def test_a_social_worker_records_a_visit_to_a_family_in_their_scope(world):
    family = f.FamilyFactory(organisation=world.org, registered_department=world.home1)
    client = world.client("social_worker")
    page = client.get(reverse("fieldwork:visit_create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'inputmode="numeric"' in html and 'name="worker"' not in html  # records as themselves
    assert '<select name="recipient"' not in html and "/people/pick/people-edit/" in html  # searched, not listed
    def found(q: str) -> str:
        return client.get("/people/pick/people-edit/", {"q": q}).content.decode()
    assert f'data-pick="{world.in_caseload.pk}"' in found("Фёдорова")  # the worker's scope
    assert f'data-pick="{world.in_home2.pk}"' not in found("Петров Анна")
    r = client.post(reverse("fieldwork:visit_create"), {"date": "2020-03-01", "kind": "patronage",
                                                        "family": family.pk, "people": "2"})
    assert r.status_code == 302, r.content.decode()[:2000]
    visit = Visit.objects.get()
    assert (visit.worker_id, visit.people) == (world.worker.pk, 2)
    listing = client.get(reverse("fieldwork:visit_list")).content.decode()
    assert family.name in listing


def test_a_refused_visit_keeps_what_was_typed_and_names_the_field(world):
    family = f.FamilyFactory(organisation=world.org)
    r = world.client("director").post(reverse("fieldwork:visit_create"), {
        "date": "2020-03-01", "kind": "patronage", "family": family.pk, "recipient": world.in_home2.pk,
        "people": "4", "outcome": "Текст исхода"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="field-recipient"' in html and "has-error" in html and "Текст исхода" in html
    assert not Visit.objects.exists()


def test_release_notices_pages_are_for_the_director_only_here(world):
    assert world.client("department_head").get(reverse("fieldwork:notice_list")).status_code == 403
    assert world.client("social_worker").get(reverse("fieldwork:notice_create")).status_code == 403
    client = world.client("director")
    r = client.post(reverse("fieldwork:notice_create"), {
        "received_on": "2020-03-01", "full_name": "Петров Пётр", "birth_date": "1980-01-01",
        "release_date": "2020-04-01", "outcome": "arrived", "checked_on": "2020-04-02"})
    assert r.status_code == 302, r.content.decode()[:2000]
    notice = ReleaseNotice.objects.get()
    assert world.client("department_head").get(reverse("fieldwork:notice_edit", args=[notice.pk])).status_code == 404
    assert client.get(reverse("fieldwork:notice_edit", args=[notice.pk])).status_code == 200
    assert AuditEvent.objects.filter(object_type="fieldwork.releasenotice", event_type="viewed").count() == 1
    assert "Петров Пётр" in client.get(reverse("fieldwork:notice_list")).content.decode()


def test_the_family_form_records_the_register(world):
    family = f.FamilyFactory(organisation=world.org)
    r = world.client("director").post(reverse("family_edit", args=[family.pk]), {
        "name": family.name, "children": "3", "registered_on": "2020-02-01", "deregistered_on": "2020-01-01",
        "deregistration_reason": "moved_away"})
    assert r.status_code == 200 and "has-error" in r.content.decode()
    family.refresh_from_db()
    assert family.registered_on is None
