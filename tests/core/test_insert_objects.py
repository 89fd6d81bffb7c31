"""core.db.insert_objects / reserve_keys (the demo's writer of the registry and the casework): keys given before the
rows are written, foreign keys taken from the objects they point at, auto_now dates set, and the table's own key
counter moved past them, so that a later ordinary save never collides (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from opora.core.db import insert_objects, reserve_keys
from opora.people.models import Family, Recipient


def _recipient(world, family: Family, last_name: str) -> Recipient:
    return Recipient(organisation=world.org, family=family, last_name=last_name, first_name="Анна", sex="F",
                     birth_date=datetime.date(1950, 3, 1))


@pytest.mark.django_db(transaction=False)
def test_objects_get_keys_and_their_relations(world):
    family = Family(organisation=world.org, name="Семёновы")
    people = [_recipient(world, family, name) for name in ("Семёнова", "Стрельцова")]
    insert_objects(Family, [family])
    insert_objects(Recipient, people)

    assert family.pk is not None and not family._state.adding
    keys = [p.pk for p in people]
    assert keys[1] == keys[0] + 1 or connection.vendor == "postgresql"
    stored = {r.pk: r for r in Recipient.objects.filter(pk__in=keys)}
    assert {r.last_name for r in stored.values()} == {"Семёнова", "Стрельцова"}
    assert {r.family_id for r in stored.values()} == {family.pk}  # from the object, saved just before
    assert all(r.created_at is not None and r.updated_at is not None for r in stored.values())

    # the table's own counter is past them: an ordinary save gets a new key
    later = Recipient.objects.create(organisation=world.org, last_name="Новикова", first_name="Ольга", sex="F",
                                     birth_date=datetime.date(1960, 1, 1))
    assert later.pk not in keys and later.pk > max(keys)


@pytest.mark.django_db(transaction=False)
def test_an_unsaved_object_pointed_at_is_refused(world):
    family = Family(organisation=world.org, name="Петровы")
    with pytest.raises(ValueError, match="family"):
        insert_objects(Recipient, [_recipient(world, family, "Петрова")])


@pytest.mark.django_db(transaction=False)
def test_keys_of_deleted_rows_are_not_given_again(world):
    family = Family.objects.create(organisation=world.org, name="Ивановы")
    deleted = family.pk
    family.delete()
    (key,) = reserve_keys(Family, 1)
    assert key > deleted
    assert list(reserve_keys(Family, 0)) == []
    two = reserve_keys(Family, 2)
    assert len(set(two)) == 2 and min(two) > key
