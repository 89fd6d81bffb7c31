"""core.validation.full_clean: Django's full_clean without the queries a write need not ask (issue 18), and with the
same answers."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.db.models.constraints import CheckConstraint
from django.test.utils import CaptureQueriesContext

from opora.catalogue.models import Service
from opora.core.validation import _UNSUPPORTED, _references, evaluate, full_clean
from opora.delivery.models import Delivery
from opora.people.models import Recipient
from tests import factories_billing as fb


def _constants(condition: Q) -> list:
    found = []
    for child in condition.children:
        found += _constants(child) if isinstance(child, Q) else [child[1]]
    return found


def _candidates(field: models.Field, constants: list) -> list:
    """Values around the condition's constants, and NULL where the column allows it."""
    values: list = [None] if field.null else []
    for c in constants:
        if isinstance(c, bool) or c is None:
            values += [True, False] if isinstance(field, models.BooleanField) else []
        elif isinstance(c, (int, Decimal)) and not isinstance(c, bool):
            values += [c - 1, c, c + 1]
        elif isinstance(c, datetime.date):
            values += [c - datetime.timedelta(days=1), c, c + datetime.timedelta(days=1)]
        elif isinstance(c, str):
            values += [c, c + "x"]
        elif isinstance(c, (list, tuple)):
            values += list(c)[:2] + (["zz"] if isinstance(field, models.CharField) else [])
    if isinstance(field, (models.IntegerField, models.DecimalField)) and not values:
        values += [-1, 0, 1]
    if isinstance(field, models.DecimalField):
        values = [Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in values]
    return list(dict.fromkeys(values)) or ([None] if field.null else [])


def _evaluable_checks():
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, CheckConstraint) and isinstance(constraint.condition, Q):
                yield model, constraint


@pytest.mark.django_db
def test_every_check_constraint_evaluated_here_agrees_with_the_database():
    checked = evaluated = 0
    for model, constraint in _evaluable_checks():
        names = sorted({ref.split("__")[0] for ref in _references(constraint.condition)})
        try:
            fields = [model._meta.get_field(name) for name in names]
        except Exception:
            continue
        constants = _constants(constraint.condition)
        choices = [_candidates(field, constants) for field in fields]
        if not all(choices):
            continue
        for combination in itertools.islice(itertools.product(*choices), 200):
            instance = model()
            for field, value in zip(fields, combination, strict=True):
                setattr(instance, field.attname, value)
            ours = evaluate(constraint.condition, instance)
            if ours is _UNSUPPORTED:
                continue
            against = instance._get_field_expression_map(meta=model._meta)
            theirs = Q(constraint.condition).check(against)
            assert (ours is not False) == theirs, (model.__name__, constraint.name, combination, ours)
            evaluated += 1
        checked += 1
    assert checked > 20 and evaluated > 100  # the project's checks of constants, each around its boundaries


def test_three_valued_logic_as_sql():
    line = Delivery(quantity=None)
    assert evaluate(Q(quantity__gte=1), line) is None  # unknown: the check passes, as in the database
    assert evaluate(~Q(quantity__gte=1), line) is None
    assert evaluate(Q(quantity__gte=1) | Q(quantity__isnull=True), line) is True
    assert evaluate(Q(quantity__gte=1) & Q(quantity__isnull=False), line) is False
    line.quantity = 0
    assert evaluate(Q(quantity__gte=1), line) is False
    assert evaluate(Q(quantity__gte=models.F("seq")), line) is _UNSUPPORTED  # asked of the database
    assert evaluate(Q(recipient__last_name="x"), line) is _UNSUPPORTED  # a join: asked of the database


def _line(world, **changes) -> Delivery:
    service = (Service.objects.filter(organisation=world.org, code="9.9").first()
               or fb.service(world.org, "9.9", "10.00"))
    values = {"organisation": world.org, "recipient": Recipient.objects.get(pk=world.in_caseload.pk),
              "department": world.home1, "service": service, "worker": world.worker,
              "date": datetime.date(2020, 3, 2), "quantity": 1, "list": "basic", "tariff": Decimal("10.00"),
              "amount": Decimal("10.00")}
    values.update(changes)
    return Delivery(**values)


def test_a_line_holding_its_rows_is_validated_without_asking_for_them(world):
    line = _line(world)
    with CaptureQueriesContext(connection) as queries:
        full_clean(line)
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if "LIMIT 1" in s and "delivery_delivery" not in s], sql  # no row looked up again
    assert not [s for s in sql if "_check" in s], sql  # the checks of constants answered here
    assert len(sql) == 1  # the unique line's check, which needs the journal
    line.quantity = 0
    with pytest.raises(ValidationError) as refused:
        full_clean(line)
    with pytest.raises(ValidationError) as django:
        line.full_clean()
    assert refused.value.message_dict == django.value.message_dict


def test_a_key_to_no_row_or_changed_after_reading_is_still_looked_up(world):
    line = _line(world)
    line.recipient_id = 10**9  # the object read is no longer the one the key names
    with pytest.raises(ValidationError) as refused:
        full_clean(line)
    assert "recipient" in refused.value.message_dict
    bare = Delivery(**{f.attname: getattr(_line(world), f.attname) for f in Delivery._meta.concrete_fields})
    bare.worker_id = 10**9  # only the key, no object: asked of the database
    with pytest.raises(ValidationError) as refused:
        full_clean(bare)
    assert set(refused.value.message_dict) == {"worker"}
