"""A row's validation before it is written: Django's `full_clean`, without the queries it need not ask.

`Model.full_clean` asks the database two kinds of questions whose answers a write already holds:

- for every foreign key, whether the related row exists (`SELECT 1 … LIMIT 1`), also when the instance carries that
  row as it was just read (a journal line's person, department, service and worker: four queries a visit, for rows
  its checks have just read and scoped);
- for every check constraint, whether the values satisfy it (`SELECT 1 WHERE …` in a savepoint: three statements
  for `quantity >= 1`).

`full_clean` here runs the same steps in the same order, with the same messages, and answers those two from the
instance: a foreign key whose related object was read from the database (and is still the one the key names, with
no `limit_choices_to`) is not looked up again, and a check constraint made of comparisons of the row's own fields
with constants is evaluated in Python, with SQL's three-valued logic (a comparison with NULL is unknown, and a check
passes unless its condition is false, as the database decides). Anything else (expressions, joins, other lookups)
is asked of the database as before. The database's own constraints stay, and still refuse what slips through (a row
deleted by someone else in between).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models import Q
from django.db.models.constraints import CheckConstraint
from django.db.models.expressions import Combinable

_UNSUPPORTED = object()
_LOOKUPS = {"exact", "gt", "gte", "lt", "lte", "in", "isnull"}


def loaded_relations(instance: models.Model) -> set[str]:
    """The foreign keys whose related object the instance holds as read from the database."""
    cache = instance._state.fields_cache
    names = set()
    field: Any
    for field in instance._meta.concrete_fields:
        if not (field.many_to_one and field.name in cache) or field.remote_field.parent_link:
            continue
        related = cache[field.name]
        if (related is None or related._state.adding or field.get_limit_choices_to()
                or getattr(related, field.target_field.attname) != getattr(instance, field.attname)):
            continue
        names.add(field.name)
    return names


def _compare(lookup: str, value: Any, constant: Any) -> bool | None | object:
    """One lookup of a field's value against a constant, as SQL would answer it (None: unknown)."""
    if lookup not in _LOOKUPS:
        return _UNSUPPORTED
    if lookup == "isnull":
        return (value is None) == bool(constant)
    if lookup == "exact" and constant is None:
        return value is None
    if value is None or constant is None:
        return None
    if lookup != "exact" and lookup != "in" and (isinstance(value, str) or isinstance(constant, str)):
        return _UNSUPPORTED  # text ordered by the database's collation
    try:
        if lookup == "exact":
            return bool(value == constant)
        if lookup == "gt":
            return bool(value > constant)
        if lookup == "gte":
            return bool(value >= constant)
        if lookup == "lt":
            return bool(value < constant)
        if lookup == "lte":
            return bool(value <= constant)
        if value in constant:
            return True
        return None if None in constant else False
    except TypeError:
        return _UNSUPPORTED


def evaluate(condition: Q, instance: models.Model) -> bool | None | object:
    """The condition on the instance's values: True, False, None (unknown), or _UNSUPPORTED."""
    answers = []
    child: Any
    for child in condition.children:
        if isinstance(child, Q):
            answer = evaluate(child, instance)
        else:
            name, constant = child
            if isinstance(constant, Combinable) or hasattr(constant, "resolve_expression"):
                return _UNSUPPORTED
            field_name, _sep, lookup = name.partition("__")
            lookup = lookup or "exact"
            if "__" in lookup:
                return _UNSUPPORTED
            field: Any
            try:
                field = instance._meta.get_field(field_name)
            except Exception:
                return _UNSUPPORTED
            if not getattr(field, "concrete", False) or field.many_to_many or field.one_to_many:
                return _UNSUPPORTED
            value = getattr(instance, field.attname)
            if hasattr(value, "resolve_expression"):
                return _UNSUPPORTED
            answer = _compare(lookup, value, constant)
        if answer is _UNSUPPORTED:
            return _UNSUPPORTED
        answers.append(answer)
    if condition.connector == Q.AND:
        result = False if False in answers else (None if None in answers else True)
    else:
        result = True if True in answers else (None if None in answers else False)
    if condition.negated and result is not None:
        result = not result
    return result


def _validate_constraints(instance: models.Model, exclude: set[str]) -> None:
    """Model.validate_constraints, with the check constraints of constants evaluated here."""
    using = router.db_for_write(instance.__class__, instance=instance)
    errors: dict[str, Any] = {}
    constraint: Any
    for model_class, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                if isinstance(constraint, CheckConstraint) and isinstance(constraint.condition, Q):
                    fields = {ref.split("__")[0] for ref in _references(constraint.condition)}
                    if fields & exclude:
                        continue  # as Django: a check on a field that failed its own validation is not asked
                    verdict = evaluate(constraint.condition, instance)
                    if verdict is not _UNSUPPORTED:
                        if verdict is False:
                            raise ValidationError(constraint.get_violation_error_message(),
                                                  code=constraint.violation_error_code)
                        continue
                constraint.validate(model_class, instance, exclude=exclude, using=using)
            except ValidationError as e:
                if getattr(e, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
                    errors.setdefault(constraint.fields[0], []).append(e)
                else:
                    errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _references(condition: Q) -> list[str]:
    names = []
    child: Any
    for child in condition.children:
        names += _references(child) if isinstance(child, Q) else [child[0]]
    return names


def full_clean(instance: models.Model) -> None:
    """Validate a row before it is written: Model.full_clean's steps, messages and order (see the module)."""
    errors: dict[str, Any] = {}
    try:
        instance.clean_fields(exclude=loaded_relations(instance))
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    exclude = {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        instance.validate_unique(exclude=exclude)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    try:
        _validate_constraints(instance, exclude)
    except ValidationError as e:
        errors = e.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
