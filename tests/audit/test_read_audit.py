"""The audit of reads: every answer that shows a named person's data, or a list of people, writes its audit rows
(one row per person shown, in one statement), the same way on the web, in the API and in the prints; the director
sees them on the card; the data-protection officer exports them for a period (page and command line)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.audit.log import log_read
from opora.audit.models import AuditEvent, EventType
from opora.billing.actions import do_decide_fee
from opora.billing.models import Charge
from opora.people.models import Family
from tests import factories_billing as fb
from tests.queries import audit_writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def casework(world):
    person = world.in_caseload
    svc = fb.service(world.org, "1.1", "10")
    prog = fb.programme(person, world.home1, items=[(svc, 4, "month")], received_on=datetime.date(2020, 1, 15))
    contract = fb.contract(person, prog)
    family = Family.objects.create(organisation=world.org, name="Семья Фёдоровых", registered_department=world.home1)
    person.family = family
    person.save()
    fb.region(world.org, per_capita="15000", pensioner="12000")
    fb.monthly_income(person, datetime.date(2019, 1, 1), 12, "10000")
    decision = do_decide_fee(prog, datetime.date(2020, 1, 25), actor=world.actor("accountant"))
    charge = Charge.objects.create(organisation=world.org, recipient=person, month=datetime.date(2020, 2, 1),
                                   basic_fee=Decimal("0"), additional=Decimal("0"), total=Decimal("0"),
                                   receipt_number="R-1")
    return {"person": person, "programme": prog, "contract": contract, "application": prog.application,
            "family": family, "decision": decision, "charge": charge, "delivery": fb.delivery(
                person, world.home1, svc, datetime.date(2020, 2, 3))}


def _rows(since_id: int):
    return list(AuditEvent.objects.filter(id__gt=since_id).order_by("id"))


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _path(cw, template: str) -> str:
    return template.format(**{k: v.pk for k, v in cw.items() if hasattr(v, "pk")})


# (path, via, whether it is a list). Each answer names the person (in_caseload) it showed.
READS = [
    ("/api/v1/recipients?page_size=200", "api:recipients", True),
    ("/api/v1/recipients/{person}", None, False),
    ("/api/v1/families", "api:families", True),
    ("/api/v1/families/{family}", "api:family", False),
    ("/api/v1/applications", "api:applications", True),
    ("/api/v1/applications/{application}", "api:application", False),
    ("/api/v1/programmes", "api:programmes", True),
    ("/api/v1/programmes/{programme}", "api:programme", False),
    ("/api/v1/contracts/{contract}", "api:contract", False),
    ("/api/v1/billing/fee-decisions/{decision}", "api:fee-decision", False),
    ("/api/v1/billing/income?recipient_id={person}", "api:income", False),
    ("/api/v1/billing/charges?month=2020-02", "api:charges", True),
    ("/api/v1/deliveries?month=2020-02", "api:deliveries", True),
    ("/api/v1/deliveries/{delivery}", "api:delivery", False),
    ("/people/", "web:people", True),
    ("/people/{person}/", None, False),
    ("/families/", "web:families", True),
    ("/families/{family}/", "web:family", False),
    ("/intake/", "web:applications", True),
    ("/intake/{application}/", "web:application", False),
    ("/programmes/", "web:programmes", True),
    ("/programmes/{programme}/", "web:programme", False),
    ("/programmes/{programme}/print/?format=docx", "print:programme", False),
    ("/programmes/contracts/{contract}/", "web:contract", False),
    ("/programmes/contracts/{contract}/print/?format=docx", "print:contract", False),
    ("/billing/fee/{decision}/", "web:fee-decision", False),
    ("/billing/fee/{decision}/print.docx", "print:fee-decision", False),
    ("/billing/person/{person}/", "web:billing-person", False),
    ("/billing/charges/?month=2020-02", "web:charges", True),
    ("/billing/receipt/{charge}.docx", "print:receipt", False),
    ("/journal/?month=2020-02", "web:journal", True),
]


@pytest.mark.parametrize(("template", "via", "many"), READS, ids=[r[0] for r in READS])
def test_each_read_path_writes_the_audit_row_of_the_person_it_showed(world, casework, template, via, many):
    client = world.client("director")
    since = _last_id()
    response = client.get(_path(casework, template))
    assert response.status_code == 200, response.content[:300]
    # A family list shows families (their rows name the family); every other answer names the person.
    shown = casework["family"] if template in ("/api/v1/families", "/families/") else casework["person"]
    rows = [r for r in _rows(since) if r.object_type == shown._meta.label_lower and r.object_id == str(shown.pk)]
    assert len(rows) == 1, [(r.event_type, r.changes) for r in _rows(since)]
    row = rows[0]
    assert row.actor_id == world.users["director"].pk
    assert row.organisation_id == world.org.pk
    assert row.event_type == (EventType.LISTED if many else EventType.VIEWED)
    if via is not None:
        assert row.changes["via"] == via


def test_a_list_page_writes_one_row_per_person_on_the_page_in_one_insert(world):
    client = world.client("director")
    since = _last_id()
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/recipients?page_size=2").json()
    shown = {str(r["id"]) for r in body["results"]}
    rows = _rows(since)
    assert {r.object_id for r in rows} == shown and len(rows) == 2
    assert all(r.event_type == EventType.LISTED for r in rows)
    assert len(audit_writes(queries)) == 1


def test_a_refused_read_writes_nothing(world):
    since = _last_id()
    assert world.client("social_worker").get(f"/api/v1/recipients/{world.in_home2.pk}").status_code == 404
    assert world.client("analyst").get("/api/v1/recipients").status_code in (200, 403)
    person = ("people.recipient", str(world.in_home2.pk))
    assert [r for r in _rows(since) if (r.object_type, r.object_id) == person] == []


def test_log_read_skips_duplicates_and_records_another_record_against_its_person(world, casework):
    since = _last_id()
    assert log_read(world.actor("director"), [casework["contract"], casework["person"], casework["person"]],
                    via="test") == 1
    row = _rows(since)[0]
    assert row.changes == {"via": "test", "object": f"programmes.contract#{casework['contract'].pk}"}


def test_the_director_sees_list_reads_on_the_card(world):
    world.client("social_worker").get("/api/v1/recipients")
    html = world.client("director").get(f"/people/{world.in_caseload.pk}/").content.decode()
    assert str(EventType.LISTED.label) in html or "Просмотр в списке" in html


def _export_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_audit_page_exports_the_period_as_csv_and_xlsx_for_the_director_only(world):
    world.client("social_worker").get(f"/people/{world.in_caseload.pk}/")
    today = datetime.date.today()
    query = f"?start={today - datetime.timedelta(days=1)}&end={today}"
    director = world.client("director")
    response = director.get(f"/audit/{query}&format=csv")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    rows = _export_rows(response.content)
    assert any(r[1] == "social_worker" and r[4] == str(world.in_caseload.pk) for r in rows[1:])
    xlsx = director.get(f"/audit/{query}&format=xlsx")
    assert xlsx.content[:2] == b"PK"
    # The export itself is audited.
    assert AuditEvent.objects.filter(event_type=EventType.EXPORTED, changes__has_key="audit").exists()
    for role in ("social_worker", "department_head", "accountant", "analyst", "admin", "hr"):
        assert world.client(role).get(f"/audit/{query}&format=csv").status_code == 403, role
    # A period before the events has none of them; a reversed period is refused on its field.
    assert len(_export_rows(director.get("/audit/?start=2000-01-01&end=2000-01-31&format=csv").content)) == 1
    bad = director.get(f"/audit/?start={today}&end={today - datetime.timedelta(days=3)}&format=csv")
    assert bad.status_code == 200 and b"attachment" not in bad.get("Content-Disposition", "").encode()


def test_the_audit_export_command_writes_the_period(world, tmp_path):
    world.client("director").get("/api/v1/recipients")
    today = datetime.date.today()
    out = tmp_path / "audit.csv"
    call_command("audit", "export", "--organisation", "kcson", "--start", str(today), "--end", str(today),
                 "--output", str(out))
    rows = _export_rows(out.read_bytes())
    assert rows[0][0]
    ids = {r[4] for r in rows[1:] if r[1] == "director"}
    assert str(world.in_caseload.pk) in ids
    assert str(world.other_org_person.pk) not in ids  # another organisation's audit is not in this export
    xlsx = tmp_path / "audit.xlsx"
    call_command("audit", "export", "--organisation", "kcson", "--start", str(today), "--end", str(today),
                 "--format", "xlsx", "--output", str(xlsx))
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    assert ws.max_row == len(rows)



@pytest.mark.django_db
@pytest.mark.parametrize("text", ["2020-02-30", "31.12.2020", "2020-1-5", "20201231", "2020-W01-1"])
def test_the_audit_export_command_takes_an_iso_date_only(text):
    """Read by lib/dates.py, the one parser of dates (iso_only, as the report URLs): not Python's
    date.fromisoformat, which takes 20201231 and the week date 2020-W01-1 (30.12.2019) too."""
    with pytest.raises(CommandError, match="not a date"):
        call_command("audit", "export", "--organisation", "kcson", "--start", text, "--end", "2020-12-31")

def test_the_audit_export_writes_a_formula_like_text_as_text(world):
    from opora.audit import export

    world.in_caseload.last_name = "=HYPERLINK(\"http://evil.example\")"
    world.in_caseload.save()
    log_read(world.actor("director"), [world.in_caseload], via="test")
    today = datetime.date.today()
    rows = _export_rows(export.export(world.org.pk, today, today, "csv"))
    assert any(r[5].startswith("'=HYPERLINK") for r in rows)
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export.export(world.org.pk, today, today, "xlsx"))).active
    cells = [c for row in ws.iter_rows() for c in row if str(c.value or "").startswith("=HYPERLINK")]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize(("path", "many"), [("/api/v1/staff", True), ("/org/staff/", True),
                                            ("/org/staff/{pk}/", False)])
def test_reads_of_staff_records_are_audited_too(world, path, many):
    since = _last_id()
    assert world.client("hr").get(path.format(pk=world.worker.pk)).status_code == 200
    rows = [r for r in _rows(since) if r.object_type == "org.employee" and r.object_id == str(world.worker.pk)]
    assert len(rows) == 1
    assert rows[0].event_type == (EventType.LISTED if many else EventType.VIEWED)


def test_the_person_search_of_a_new_application_is_audited(world):
    since = _last_id()
    response = world.client("director").get("/intake/new/?q=федорова", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    person = ("people.recipient", str(world.in_caseload.pk))
    rows = [r for r in _rows(since) if (r.object_type, r.object_id) == person]
    assert [(r.event_type, r.changes["via"]) for r in rows] == [(EventType.LISTED, "web:person-search")]


@pytest.fixture
def more(world, casework):
    """Records of the person (and of their family) in the later domains: a visit, a release notice, aid, a taxi
    trip, a group membership, a complaint."""
    from opora.activities.models import Group, GroupMember, TaxiTrip
    from opora.fieldwork.models import ReleaseNotice, Visit
    from opora.money.models import Aid, Fund
    from opora.quality.models import Complaint

    person, family, day = casework["person"], casework["family"], datetime.date(2020, 3, 2)
    fund = Fund.objects.create(organisation=world.org, code="reg", name="Бюджет", source="regional_budget")
    group = Group.objects.create(organisation=world.org, code="club", name="Клуб", kind="club",
                                 department=world.home1)
    GroupMember.objects.create(organisation=world.org, group=group, recipient=person, joined_on=day)
    TaxiTrip.objects.create(organisation=world.org, recipient=person, date=datetime.date.today(),
                            destination="hospital", amount=Decimal("150.00"))
    from opora.delivery.actions import do_create_urgent_act
    from tests.factories_delivery import make_catalogue

    urgent = make_catalogue(world.org).urgent
    act = do_create_urgent_act(person, {"department": world.urgent, "date": day, "situation": "Пожар"},
                               [{"service": urgent, "quantity": 1}], actor=world.actor("director"))
    return {**casework, "group": group, "act": act,
            "visit": Visit.objects.create(organisation=world.org, date=day, kind="patronage", recipient=person),
            "family_visit": Visit.objects.create(organisation=world.org, date=day, kind="patronage", family=family),
            "notice": ReleaseNotice.objects.create(organisation=world.org, received_on=day,
                                                   full_name="Освобождённый Олег", birth_date=datetime.date(1980, 1, 1),
                                                   release_date=day, outcome="pending"),
            "aid": Aid.objects.create(organisation=world.org, fund=fund, kind="cash", date=day, amount=Decimal("500"),
                                      quantity=1, recipient=person),
            "family_aid": Aid.objects.create(organisation=world.org, fund=fund, kind="cash", date=day,
                                             amount=Decimal("700"), quantity=1, family=family),
            "complaint": Complaint.objects.create(organisation=world.org, received_on=day, kind="complaint",
                                                  department=world.home1, recipient=person, subject="о графике")}


# (path, via, list?, whose rows: "person", "family" or "notice"). The reads found without an audit row in the
# verification of issue 9 (the monthly grid, the fee-decision, income and payment pages, and the later domains).
MORE_READS = [
    ("/journal/grid/?department={home1}&month=2020-02", "web:grid", True, "person"),
    ("/journal/grid/?department={home1}&month=2020-02&recipient={person}", "web:grid", False, "person"),
    ("/journal/monthly-act/?recipient={person}&department={home1}&month=2020-02", "web:monthly-act", False,
     "person"),
    ("/journal/monthly-act/?recipient={person}&department={home1}&month=2020-02&format=docx", "print:monthly-act",
     False, "person"),
    ("/journal/urgent/{act}/", "web:urgent-act", False, "person"),
    ("/journal/urgent/{act}/print/?format=docx", "print:urgent-act", False, "person"),
    ("/billing/programme/{programme}/fee/", "web:fee-decide", False, "person"),
    ("/billing/person/{person}/income/", "web:income", False, "person"),
    ("/billing/person/{person}/payment/", "web:payment", False, "person"),
    ("/fieldwork/visits/", "web:visits", True, "person"),
    ("/fieldwork/visits/", "web:visits", True, "family"),
    ("/fieldwork/release-notices/", "web:release-notices", True, "notice"),
    ("/money/aid/", "web:aid", True, "person"),
    ("/money/aid/", "web:aid", True, "family"),
    ("/activities/taxi/", "web:taxi-trips", True, "person"),
    ("/api/v1/visits", "api:visits", True, "person"),
    ("/api/v1/visits", "api:visits", True, "family"),
    ("/api/v1/visits/{visit}", "api:visit", False, "person"),
    ("/api/v1/release-notices", "api:release-notices", True, "notice"),
    ("/api/v1/money/aid", "api:aid", True, "person"),
    ("/api/v1/money/aid", "api:aid", True, "family"),
    ("/api/v1/taxi/trips", "api:taxi-trips", True, "person"),
    ("/api/v1/groups/{group}/members", "api:group-members", True, "person"),
    ("/api/v1/quality/complaints", "api:complaints", True, "person"),
]


@pytest.mark.parametrize(("template", "via", "many", "whose"), MORE_READS,
                         ids=[f"{r[0]}-{r[3]}" for r in MORE_READS])
def test_the_later_read_paths_write_their_audit_rows_too(world, more, template, via, many, whose):
    since = _last_id()
    response = world.client("director").get(_path({**more, "home1": world.home1}, template))
    assert response.status_code == 200, response.content[:300]
    shown = {"person": more["person"], "family": more["family"], "notice": more["notice"]}[whose]
    rows = [r for r in _rows(since) if r.object_type == shown._meta.label_lower and r.object_id == str(shown.pk)
            and r.changes.get("via") == via]
    assert len(rows) == 1, [(r.object_type, r.object_id, r.event_type, r.changes) for r in _rows(since)]
    assert rows[0].event_type == (EventType.LISTED if many else EventType.VIEWED)
    assert rows[0].actor_id == world.users["director"].pk and rows[0].organisation_id == world.org.pk


# (path, via, the record the form is bound to, the records its pickers show). The edit forms show the person's or
# family's data (opened); a person or family is chosen by searching (people/fields.py), so a form shows, and
# records as seen in a list, only the chosen one: never the people of the actor's scope. At most one INSERT.
FORM_READS = [
    ("/people/{person}/edit/", "web:person-edit", "person", ["family"]),
    ("/people/new/", "web:person-new", None, []),
    ("/families/{family}/edit/", "web:family-edit", "family", []),
    ("/money/aid/new/", "web:aid-new", None, []),
    ("/money/aid/new/?recipient={person}", "web:aid-new", None, ["person"]),
    ("/money/aid/new/?family={family}", "web:aid-new", None, ["family"]),
    ("/activities/taxi/", "web:taxi-trips", None, ["person"]),  # the recent trips list the person
    ("/activities/rental/issue/", "web:rental-issue", None, []),
    ("/fieldwork/visits/new/", "web:visit-new", None, []),
    ("/fieldwork/visits/new/?recipient={person}", "web:visit-new", None, ["person"]),
    ("/fieldwork/visits/new/?family={family}", "web:visit-new", None, ["family"]),
    ("/fieldwork/release-notices/new/", "web:release-notice-new", None, []),
    ("/activities/groups/{group}/", "web:group", None, ["person"]),  # the person is a member
    ("/activities/volunteers/{volunteer}/work/", "web:volunteer-work", None, []),
    ("/quality/complaints/new/", "web:complaints-new", None, []),
    ("/quality/complaints/{complaint}/", "web:complaints", None, ["person"]),  # the complaint names the person
]


@pytest.mark.parametrize(("template", "via", "opened", "shown"), FORM_READS, ids=[r[0] for r in FORM_READS])
def test_forms_record_the_chosen_person_not_everyone_they_may_choose(world, more, template, via, opened, shown):
    from opora.activities.models import Volunteer

    volunteer = Volunteer.objects.create(organisation=world.org, code="v1", full_name="Волонтёр Вера",
                                         joined_on=datetime.date(2020, 1, 1))
    records = {**more, "volunteer": volunteer}
    client = world.client("director")
    since = _last_id()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_path(records, template))
    assert response.status_code == 200, response.content[:300]
    rows = {(r.object_type, r.object_id): r for r in _rows(since) if r.changes.get("via") == via}
    expected = {(records[n]._meta.label_lower, str(records[n].pk)) for n in ([opened] if opened else []) + shown}
    people = {k for k in rows if k[0] in ("people.recipient", "people.family")}
    assert people == expected  # not in_home2, not anyone else of the organisation the director may choose
    if opened is not None:
        assert rows[(records[opened]._meta.label_lower, str(records[opened].pk))].event_type == EventType.VIEWED
    for name in shown:
        row = rows[(records[name]._meta.label_lower, str(records[name].pk))]
        assert row.event_type == EventType.LISTED, name
        assert row.actor_id == world.users["director"].pk and row.organisation_id == world.org.pk
    assert len(audit_writes(queries)) == (1 if rows else 0)


def test_a_form_shows_no_drop_down_of_people_or_families(world, more):
    for path in ("/money/aid/new/", "/activities/taxi/", "/activities/rental/issue/", "/fieldwork/visits/new/",
                 "/fieldwork/release-notices/new/", "/quality/complaints/new/", "/people/new/",
                 f"/activities/groups/{more['group'].pk}/"):
        html = world.client("director").get(path).content.decode()
        assert '<select name="recipient"' not in html and '<select name="family"' not in html, path
        assert "data-picker" in html, path


def test_a_staff_drop_down_is_recorded_as_seen_in_a_list(world, more):
    """Staff records are personal data (audit.log.PERSONAL; docs/architecture.md): a drop-down of staff (the visit's
    worker) records the employees it names."""
    from opora.org.models import Employee

    since = _last_id()
    assert world.client("director").get("/fieldwork/visits/new/").status_code == 200
    rows = {r.object_id for r in _rows(since)
            if r.object_type == "org.employee" and r.changes["via"] == "web:visit-new"}
    assert rows == {str(pk) for pk in Employee.objects.filter(organisation=world.org).values_list("pk", flat=True)}
    assert rows


def test_the_release_notice_form_records_the_person_it_names(world, more):
    notice = more["notice"]
    notice.recipient = more["person"]
    notice.save()
    since = _last_id()
    assert world.client("director").get(f"/fieldwork/release-notices/{notice.pk}/").status_code == 200
    rows = [r for r in _rows(since) if r.changes.get("via") == "web:release-notice"]
    assert [(r.object_type, r.object_id, r.event_type) for r in rows] == [
        ("people.recipient", str(more["person"].pk), EventType.LISTED)]


def test_a_refused_form_writes_nothing(world, more):
    family = Family.objects.create(organisation=world.org, name="Семья Петровых", registered_department=world.home2)
    world.in_home2.family = family
    world.in_home2.save()
    worker, analyst = world.client("social_worker"), world.client("analyst")
    since = _last_id()
    assert worker.get(f"/people/{world.in_home2.pk}/edit/").status_code == 404
    assert worker.get(f"/families/{family.pk}/edit/").status_code == 404
    assert analyst.get("/money/aid/new/").status_code in (403, 404)
    assert analyst.get(f"/people/{world.in_caseload.pk}/edit/").status_code in (403, 404)
    assert _rows(since) == []


def test_a_social_workers_form_records_only_the_person_chosen(world, more):
    worker = world.client("social_worker")
    since = _last_id()
    assert worker.get(f"/fieldwork/visits/new/?recipient={world.in_caseload.pk}").status_code == 200
    assert worker.get(f"/fieldwork/visits/new/?recipient={world.in_home2.pk}").status_code == 200  # not theirs
    ids = {r.object_id for r in _rows(since) if r.object_type == "people.recipient"}
    assert ids == {str(world.in_caseload.pk)}
