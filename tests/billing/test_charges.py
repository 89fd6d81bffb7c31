"""Monthly charges from contracts and the journal, receipts, payments and balances; idempotency and scoping."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from opora.audit.models import AuditEvent
from opora.billing import queries
from opora.billing.actions import (
    do_compute_charges,
    do_compute_charges_months,
    do_record_payment,
    do_record_payments,
)
from opora.billing.models import Charge, PaymentReceived
from opora.lib.errors import DomainError
from opora.programmes.models import Payment
from tests import factories as f
from tests import factories_billing as b

D = Decimal
MARCH = datetime.date(2020, 3, 1)
FEB = datetime.date(2020, 2, 1)


@pytest.fixture
def journal(world):
    """A: contract 750 from 01.02, amended to 900 from 15.03, additional services 120 × 4 in March (and basic ones,
    not charged). B: no contract, additional 120 × 1 in March. C: free contract. D: contract 300 terminated 20.02."""
    basic = b.service(world.org, "B1", "200.00")
    extra = b.service(world.org, "X1", "120.00", list_="additional")
    a, bb, c = world.in_caseload, world.in_home2, world.in_home1_other_worker
    d = f.RecipientFactory(organisation=world.org, last_name="Дмитриев")
    f.EnrolmentFactory(recipient=d, department=world.home1, admitted_on=datetime.date(2020, 1, 10))
    ca = b.contract(a, b.programme(a, world.home1), fee="750")
    b.amendment(ca, 1, datetime.date(2020, 3, 15), "900")
    b.contract(c, b.programme(c, world.home1), fee="0", payment="free")
    b.contract(d, b.programme(d, world.home1), fee="300", terminated_on=datetime.date(2020, 2, 20),
               termination_reason="own_request")
    b.delivery(a, world.home1, extra, datetime.date(2020, 3, 2))
    b.delivery(a, world.home1, extra, datetime.date(2020, 3, 2))
    b.delivery(a, world.home1, extra, datetime.date(2020, 3, 20), quantity=2)
    b.delivery(a, world.home1, basic, datetime.date(2020, 3, 3), quantity=5)
    b.delivery(a, world.home1, extra, datetime.date(2020, 4, 1))  # April: not March
    b.delivery(bb, world.home2, extra, datetime.date(2020, 3, 5))
    other_extra = b.service(world.other_org, "X1", "120.00", list_="additional")
    b.delivery(world.other_org_person, world.other_org_person.enrolments.get().department, other_extra, MARCH)
    return {"a": a, "b": bb, "c": c, "d": d, "extra": extra}


def _charges(org, month):
    return {c.recipient_id: c for c in Charge.objects.filter(organisation=org, month=month)}


def test_it_charges_the_fee_in_force_and_additional_services_computed_by_hand(world, journal):
    result = do_compute_charges(world.org, MARCH, actor=world.actor("accountant"))
    assert result == {"created": 2, "updated": 0, "unchanged": 0}
    charges = _charges(world.org, MARCH)
    a, bb = charges[journal["a"].pk], charges[journal["b"].pk]
    assert (a.basic_fee, a.additional, a.total) == (D("900.00"), D("480.00"), D("1380.00"))
    assert (bb.basic_fee, bb.additional, bb.total) == (D("0.00"), D("120.00"), D("120.00"))
    assert set(charges) == {journal["a"].pk, journal["b"].pk}  # the free contract and the ended one: nothing
    assert sorted(c.receipt_number for c in charges.values()) == ["202003-00001", "202003-00002"]
    assert not Charge.objects.filter(organisation=world.other_org).exists()

    do_compute_charges(world.org, FEB, actor=world.actor("accountant"))
    feb = _charges(world.org, FEB)
    assert feb[journal["a"].pk].total == D("750.00")  # before the amendment
    assert feb[journal["d"].pk].total == D("300.00")  # terminated during February: still February's fee


def test_it_is_idempotent_and_follows_changes_of_the_journal(world, journal):
    actor = world.actor("accountant")
    do_compute_charges(world.org, MARCH, actor=actor)
    before = {c.pk: (c.receipt_number, c.total) for c in Charge.objects.all()}
    events = AuditEvent.objects.count()
    assert do_compute_charges(world.org, MARCH, actor=actor) == {"created": 0, "updated": 0, "unchanged": 2}
    assert {c.pk: (c.receipt_number, c.total) for c in Charge.objects.all()} == before
    assert AuditEvent.objects.count() == events

    b.delivery(journal["b"], world.home2, journal["extra"], datetime.date(2020, 3, 6), quantity=3)
    assert do_compute_charges(world.org, MARCH, actor=actor) == {"created": 0, "updated": 1, "unchanged": 1}
    charge = Charge.objects.get(recipient=journal["b"], month=MARCH)
    assert (charge.total, charge.receipt_number) == (D("480.00"), before[charge.pk][0])
    event = AuditEvent.objects.filter(object_type="billing.charge", object_id=str(charge.pk)).first()
    assert event.changes["total"] == ["120.00", "480.00"]


def test_new_charges_and_their_events_are_written_as_rows_like_model_instances(world, journal):
    """The new charges and their audit events are inserted as rows (lib.db.insert_rows), not model instances: read
    back, each event names its charge as the model would (key, str(), the actor, the figures), with a time."""
    actor = world.actor("accountant")
    do_compute_charges(world.org, MARCH, actor=actor)
    charges = list(Charge.objects.filter(organisation=world.org, month=MARCH))
    assert charges and all(c.created_at is not None and c.receipt_number for c in charges)
    for c in charges:
        event = AuditEvent.objects.get(object_type="billing.charge", object_id=str(c.pk), event_type="created")
        assert (event.organisation_id, event.actor_id, event.object_repr) == (world.org.pk, actor.user_id, str(c))
        assert event.changes["receipt_number"] == [None, c.receipt_number]
        assert [Decimal(event.changes[k][1]) for k in ("basic_fee", "additional", "total")] == [
            c.basic_fee, c.additional, c.total]
        assert event.created_at is not None and event.created_at == c.created_at


def test_the_bulk_entry_point_writes_what_month_by_month_writes(world, journal):
    """do_compute_charges_months (the demo's many months in one pass): the same charges, receipt numbers and audit
    events as do_compute_charges month by month, and idempotent."""
    actor = world.actor("accountant")
    months = [datetime.date(2020, m, 1) for m in (1, 2, 3, 4)]

    def state():
        charges = sorted((c.month, c.recipient_id, c.receipt_number, c.basic_fee, c.additional, c.total,
                          c.fee_decision_id) for c in Charge.objects.filter(organisation=world.org))
        events = sorted((e.event_type, e.object_repr, str(e.changes)) for e in AuditEvent.objects.filter(
            organisation=world.org, object_type="billing.charge"))
        return charges, events

    for month in months:
        do_compute_charges(world.org, month, actor=actor)
    by_month = state()
    assert len(by_month[0]) >= 5 and len(by_month[1]) == len(by_month[0])
    AuditEvent.objects.filter(object_type="billing.charge").delete()
    Charge.objects.all().delete()
    assert do_compute_charges_months(world.org, months, actor=actor)["created"] == len(by_month[0])
    bulk_state = state()
    assert bulk_state == by_month
    assert do_compute_charges_months(world.org, months, actor=actor) == {
        "created": 0, "updated": 0, "unchanged": len(by_month[0])}
    with pytest.raises(DomainError):
        do_compute_charges_months(world.org, [datetime.date.today().replace(day=1) + datetime.timedelta(days=40)],
                                  actor=actor)


def test_it_computes_in_a_fixed_number_of_queries(world, journal, django_assert_max_num_queries):
    for i in range(15):
        person = f.RecipientFactory(organisation=world.org)
        b.delivery(person, world.home1, journal["extra"], datetime.date(2020, 3, 10))
        b.contract(person, b.programme(person, world.home1, number=f"N{i}"), fee="100", number=f"K{i}")
    with django_assert_max_num_queries(14):
        result = do_compute_charges(world.org, MARCH, actor=world.actor("accountant"))
    assert result["created"] == 17


def test_it_refuses_a_future_month_and_strangers(world, journal):
    with pytest.raises(Exception) as exc:
        do_compute_charges(world.org, datetime.date(2027, 1, 1), actor=world.actor("accountant"))
    assert getattr(exc.value, "field", None) == "month"
    with pytest.raises(PermissionDenied):
        do_compute_charges(world.org, MARCH, actor=world.actor("social_worker"))
    with pytest.raises(PermissionDenied):
        do_compute_charges(world.other_org, MARCH, actor=world.actor("accountant"))
    assert not Charge.objects.exists()


def test_it_keeps_the_balance_after_payments(world, journal):
    actor = world.actor("accountant")
    do_compute_charges(world.org, MARCH, actor=actor)
    a, bb = journal["a"], journal["b"]
    do_record_payment(a, {"paid_on": datetime.date(2020, 4, 5), "amount": D("1000"), "method": "cash"}, actor=actor)
    do_record_payment(bb, {"paid_on": datetime.date(2020, 4, 5), "amount": D("200"), "method": "bank",
                           "charge": Charge.objects.get(recipient=bb)}, actor=actor)
    assert queries.balance_of(a) == {"charged": D("1380.00"), "paid": D("1000.00"), "balance": D("380.00")}
    debtors = list(queries.balances_for(actor, world.org.pk, "debtors"))
    overpaid = list(queries.balances_for(actor, world.org.pk, "overpaid"))
    assert [(r.pk, r.balance) for r in debtors] == [(a.pk, D("380.00"))]
    assert [(r.pk, r.balance) for r in overpaid] == [(bb.pk, D("-80.00"))]


@pytest.mark.parametrize(("data", "field"), [
    ({"amount": D("0")}, "amount"),
    ({"amount": D("-5")}, "amount"),
    ({"paid_on": datetime.date(2030, 1, 1)}, "paid_on"),
    ({"method": "barter"}, "method"),
])
def test_it_checks_payments(world, journal, data, field):
    payment = {"paid_on": datetime.date(2020, 4, 5), "amount": D("10"), "method": "cash", **data}
    with pytest.raises(ValidationError) as exc:
        do_record_payment(journal["a"], payment, actor=world.actor("accountant"))
    assert field in exc.value.message_dict
    assert not PaymentReceived.objects.exists()


def test_many_payments_at_once_are_written_and_audited_as_one_would_be(world, journal):
    actor = world.actor("accountant")
    do_compute_charges(world.org, MARCH, actor=actor)
    a, bb = journal["a"], journal["b"]
    charge = Charge.objects.get(recipient=bb)
    one = do_record_payment(a, {"paid_on": datetime.date(2020, 4, 5), "amount": D("1000"), "method": "cash",
                                "document": "№ 1"}, actor=actor)
    count = do_record_payments(world.org, [
        PaymentReceived(recipient_id=a.pk, paid_on=datetime.date(2020, 4, 5), amount=D("1000"), method="cash",
                        document="№ 1"),
        PaymentReceived(recipient_id=bb.pk, paid_on=datetime.date(2020, 4, 13), amount=D("120"), method="pension",
                        charge_id=charge.pk)], actor=actor)
    assert count == 2
    many = PaymentReceived.objects.exclude(pk=one.pk).order_by("pk")
    assert [(p.recipient_id, p.amount, p.method, p.charge_id) for p in many] == [
        (a.pk, D("1000.00"), "cash", None), (bb.pk, D("120.00"), "pension", charge.pk)]
    assert queries.balance_of(bb)["balance"] == D("0.00")

    def audited(pk):
        event = AuditEvent.objects.get(object_type="billing.paymentreceived", object_id=str(pk))
        return event.event_type, event.object_repr, event.actor_id, event.changes
    assert audited(many[0].pk) == audited(one.pk)  # the same event as the payment recorded alone


@pytest.mark.parametrize(("data", "field"), [
    ({"amount": D("0")}, "amount"),
    ({"paid_on": datetime.date(2030, 1, 1)}, "paid_on"),
    ({"method": "barter"}, "method"),
    ({"recipient": "other organisation"}, "recipient"),
    ({"charge": "another person's"}, "charge"),
])
def test_many_payments_are_checked_as_one_and_nothing_is_written_on_a_bad_one(world, journal, data, field):
    actor = world.actor("accountant")
    do_compute_charges(world.org, MARCH, actor=actor)
    good = {"recipient_id": journal["a"].pk, "paid_on": datetime.date(2020, 4, 5), "amount": D("10"),
            "method": "cash"}
    bad = dict(good)
    if field == "recipient":
        bad["recipient_id"] = world.other_org_person.pk
    elif field == "charge":
        bad["charge_id"] = Charge.objects.get(recipient=journal["b"]).pk
    else:
        bad.update(data)
    with translation.override("en"), pytest.raises(DomainError) as exc:
        do_record_payments(world.org, [PaymentReceived(**good), PaymentReceived(**bad)], actor=actor)
    assert exc.value.field == field and exc.value.message.startswith("Payment 2:")
    assert not PaymentReceived.objects.exists()
    with pytest.raises(PermissionDenied):
        do_record_payments(world.org, [PaymentReceived(**good)], actor=world.actor("social_worker"))


def test_it_shows_charges_balances_and_receipts_to_the_accountant(world, journal):
    client = world.client("accountant")
    response = client.post(reverse("billing:charges"), {"month": "2020-03"})
    assert response.status_code == 302
    page = client.get(reverse("billing:charges") + "?month=2020-03").content.decode().replace("\xa0", " ")
    assert "1 380,00" in page and "1 500,00" in page and "202003-00001" in page
    charge = Charge.objects.get(recipient=journal["a"])
    docx = client.get(reverse("billing:receipt", args=[charge.pk, "docx"]))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxml")
    pdf = client.get(reverse("billing:receipt", args=[charge.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    response = client.post(reverse("billing:payment_add", args=[journal["a"].pk]),
                           {"paid_on": "2020-04-05", "amount": "1380", "method": "pension"})
    assert response.status_code == 302
    person = client.get(reverse("billing:person", args=[journal["a"].pk])).content.decode().replace("\xa0", " ")
    assert 'id="balance">0,00<' in person
    bad = client.post(reverse("billing:payment_add", args=[journal["a"].pk]),
                      {"paid_on": "2020-04-05", "amount": "0", "method": "cash"})
    assert bad.status_code == 422
    assert client.get(reverse("billing:balances")).status_code == 200


def test_it_labels_the_amount_paid_apart_from_the_paid_payment_terms(world, journal):
    """«Оплачено» (the amount paid), not «За плату» (the payment terms of a contract), in ru, uk and en."""
    client = world.client("accountant")
    for lang, label in (("ru", "Оплачено"), ("uk", "Сплачено"), ("en", "Paid")):
        with translation.override(lang):
            person = client.get(reverse("billing:person", args=[journal["a"].pk]),
                                HTTP_ACCEPT_LANGUAGE=lang).content.decode()
            balances = client.get(reverse("billing:balances"), HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert f"<span>{label}</span>" in person
        assert f'<th class="n">{label}</th>' in balances
    assert "За плату" not in person
    with translation.override("ru"):
        assert str(Payment.PAID.label) == "За плату"


def test_it_scopes_billing_pages(world, journal):
    do_compute_charges(world.org, MARCH, actor=world.actor("accountant"))
    worker = world.client("social_worker")
    assert worker.get(reverse("billing:charges")).status_code == 403
    assert worker.get(reverse("billing:person", args=[journal["a"].pk])).status_code == 403
    accountant = world.client("accountant")
    assert accountant.get(reverse("billing:person", args=[world.other_org_person.pk])).status_code == 404
    # the head of home1 sees home1's people only
    head = world.client("department_head")
    page = head.get(reverse("billing:charges") + "?month=2020-03").content.decode()
    assert journal["a"].full_name in page and journal["b"].full_name not in page
    assert head.post(reverse("billing:charges"), {"month": "2020-03"}).status_code == 403
    charge_b = Charge.objects.get(recipient=journal["b"])
    assert head.get(reverse("billing:receipt", args=[charge_b.pk, "pdf"])).status_code == 404


def test_it_links_the_card_to_the_account_for_billing_staff(world, journal):
    url = reverse("recipient_detail", args=[journal["a"].pk])
    link = reverse("billing:person", args=[journal["a"].pk])
    assert link in world.client("accountant").get(url).content.decode()
    assert link not in world.client("social_worker").get(url).content.decode()
