"""The one delete step (core/crud.confirm_delete, Crud.delete): the confirmation names the record and what goes
with it, the POST deletes through the app's action and flashes, a refusal is shown instead of the Delete button."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from opora.audit.models import AuditEvent
from opora.money.models import Fund, FundReceipt
from opora.quality.models import QualityCheck

D = datetime.date


def test_a_crud_with_a_delete_asks_naming_the_record_then_deletes_and_flashes(world):
    check = QualityCheck.objects.create(organisation=world.org, department=world.home1, planned_on=D(2020, 4, 1),
                                        subject="Документация")
    c = world.client("director")
    url = reverse("quality_checks_delete", args=[check.pk])
    page = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Delete the check?</h1>" in page
    assert f"<p>01.04.2020 · {world.home1.name} · Документация</p>" in page
    assert 'id="qualitycheck-holds">This cannot be undone; the audit log keeps what was deleted.' in page
    assert f'href="{reverse("quality_checks_edit", args=[check.pk])}">Cancel' in page
    r = c.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert r.redirect_chain == [(reverse("quality_checks_list"), 302)]
    assert "Deleted." in r.content.decode()
    assert AuditEvent.objects.filter(object_type="quality.qualitycheck", object_id=str(check.pk),
                                     event_type="deleted").count() == 1


def test_a_crud_without_a_delete_has_no_delete_address():
    with pytest.raises(NoReverseMatch):
        reverse("trainings_delete", args=[1])


def test_a_refusal_of_the_action_is_shown_and_nothing_is_deleted(world):
    fund = Fund.objects.create(organisation=world.org, code="spare", name="Запасной", source="charity")
    FundReceipt.objects.create(fund=fund, date=D(2020, 3, 1), amount=Decimal("10.00"))
    c = world.client("director")
    url = reverse("money:fund_delete", args=[fund.pk])
    assert '<button type="submit">Delete</button>' in c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    r = c.post(url, HTTP_ACCEPT_LANGUAGE="en")
    body = r.content.decode()
    assert r.status_code == 422
    assert 'role="alert"><p>The fund «Запасной» cannot be deleted: it has receipts: 1.' in body
    assert '<button type="submit">Delete</button>' not in body
    assert Fund.objects.filter(pk=fund.pk).exists()
    assert not AuditEvent.objects.filter(object_type="money.fund", event_type="deleted").exists()
