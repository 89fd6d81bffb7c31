"""Aid, funds and budget through the actions: rules, warnings, rights and scope, audit; the indicators' query."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from opora.audit.models import AuditEvent
from opora.lib.errors import DomainError
from opora.money import actions, queries
from opora.money.models import Aid, Fund, MoneySettings

D = datetime.date


@pytest.fixture
def fund(world):
    f = actions.do_save_fund(None, {"code": "reg", "name": "Областной", "source": "regional_budget"},
                             actor=world.actor("accountant"), organisation_id=world.org.pk)
    actions.do_add_receipt(f, {"date": D(2020, 1, 10), "amount": Decimal("1000")}, actor=world.actor("accountant"))
    return f


def aid(world, fund, **kw):
    data = {"fund": fund, "kind": "cash", "date": D(2020, 3, 1), "amount": Decimal("100"), "quantity": 1,
            "recipient": world.in_caseload}
    data.update(kw)
    return data


def test_only_the_accountant_and_director_record_funds(world):
    for role in ("specialist", "social_worker", "department_head"):
        with pytest.raises(PermissionDenied):
            actions.do_save_fund(None, {"code": "x", "name": "X", "source": "charity"}, actor=world.actor(role),
                                 organisation_id=world.org.pk)
    f = actions.do_save_fund(None, {"code": "x", "name": "X", "source": "charity"}, actor=world.actor("director"),
                             organisation_id=world.org.pk)
    assert AuditEvent.objects.filter(object_type="money.fund", object_id=str(f.pk)).exists()


def test_aid_to_both_or_neither_negative_or_future_is_refused(world, fund):
    actor = world.actor("specialist")
    cases = [
        (aid(world, fund, family=world.in_caseload.family or _family(world)), "family"),
        (aid(world, fund, recipient=None), "recipient"),
        (aid(world, fund, amount=Decimal("-1")), "amount"),
        (aid(world, fund, date=D(2999, 1, 1)), "date"),
        (aid(world, fund, quantity=0), "quantity"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as exc:
            actions.do_record_aid(data, actor=actor, organisation_id=world.org.pk)
        assert field in exc.value.message_dict
    assert not Aid.objects.exists()


def _family(world):
    from tests import factories as f

    return f.FamilyFactory(organisation=world.org)


def test_the_database_refuses_aid_to_both_or_neither(world, fund):
    from django.db import IntegrityError, transaction

    for kw in ({"recipient": None}, {"family": _family(world)}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Aid.objects.create(organisation=world.org, fund=fund, kind="cash", date=D(2020, 1, 1), amount=1,
                               **{"recipient": world.in_caseload, **kw})


def test_spending_beyond_the_balance_is_a_warning_unless_forbidden(world, fund):
    actor = world.actor("accountant")
    ok = actions.do_record_aid(aid(world, fund, amount=Decimal("900")), actor=actor, organisation_id=world.org.pk)
    assert ok.warning is None
    over = actions.do_record_aid(aid(world, fund, amount=Decimal("200")), actor=actor, organisation_id=world.org.pk)
    assert over.warning and "100,00" in over.warning.replace("\xa0", " ") or over.warning
    assert queries.fund_balance(fund, D(2020, 12, 31)) == Decimal("-100")
    actions.do_save_settings(world.org.pk, True, actor=actor)
    assert MoneySettings.objects.get(organisation=world.org).forbid_overspending
    with pytest.raises(DomainError):
        actions.do_record_aid(aid(world, fund, amount=Decimal("1")), actor=actor, organisation_id=world.org.pk)
    assert Aid.objects.count() == 2


def test_a_department_head_records_aid_only_in_scope(world, fund):
    head = world.actor("department_head")
    actions.do_record_aid(aid(world, fund), actor=head, organisation_id=world.org.pk)
    with pytest.raises(PermissionDenied):
        actions.do_record_aid(aid(world, fund, recipient=world.in_home2), actor=head, organisation_id=world.org.pk)
    with pytest.raises(PermissionDenied):
        actions.do_record_aid(aid(world, fund), actor=world.actor("social_worker"), organisation_id=world.org.pk)


def test_who_sees_which_aid(world, fund):
    acc = world.actor("accountant")
    mine = actions.do_record_aid(aid(world, fund), actor=acc, organisation_id=world.org.pk).aid
    other = actions.do_record_aid(aid(world, fund, recipient=world.in_home2), actor=acc,
                                  organisation_id=world.org.pk).aid
    assert set(queries.aid_for(world.actor("director"))) == {mine, other}
    # the social worker sees the aid of their caseload only
    assert set(queries.aid_for(world.actor("social_worker"))) == {mine}
    with pytest.raises(Http404):
        queries.get_aid_for(world.actor("social_worker"), other.pk)
    assert not queries.funds_for(world.actor("social_worker")).exists()
    assert list(queries.aid_of_person(world.actor("social_worker"), world.in_caseload)) == [mine]


def test_aid_totals_for_the_indicators(world, fund):
    acc = world.actor("accountant")
    fam = _family(world)
    for kw in ({}, {"amount": Decimal("50"), "kind": "food_set"}, {"recipient": None, "family": fam},
               {"date": D(2021, 1, 5)}):
        actions.do_record_aid(aid(world, fund, **kw), actor=acc, organisation_id=world.org.pk)
    assert queries.aid_totals(world.org, D(2020, 1, 1), D(2020, 12, 31)) == (Decimal("250"), 2)
    assert queries.aid_totals(world.org, D(2020, 1, 1), D(2020, 12, 31), kind="food_set") == (Decimal("50"), 1)
    assert queries.aid_totals(world.org, D(2020, 1, 1), D(2020, 12, 31), fund="none") == (Decimal("0"), 0)
    assert Fund.objects.get().code == "reg"
