"""core.schema.create_fresh (the demo's fast path on an empty database) ends where the migrations end: the same
tables, columns, indexes and constraints, and the same seed data (calendar, categories, fee rules, content types
and permissions), every migration recorded. Each way builds its own empty database in a subprocess: SQLite files,
or, when the tests run on PostgreSQL, two scratch PostgreSQL databases."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
FRESH = "from opora.core import schema; assert schema.is_empty(); schema.create_fresh()"
MIGRATE = "from django.core.management import call_command; call_command('migrate', verbosity=0)"
#: compared without: when a migration was applied; the ids of content types and permissions (created in the order of
#: the apps either way, not the same order), compared by their natural keys instead
IGNORED_COLUMNS = {"django_migrations": {"id", "applied"}, "django_content_type": {"id"},
                   "auth_permission": {"id", "content_type_id"}}
#: Django's own apps' many-to-many tables: their first migrations made `id` an integer, their models now a bigint
#: (what Django's test databases without migrations also show); a key's width, nothing Opora reads
DJANGO_M2M = {"auth_group_permissions", "auth_user_groups", "auth_user_user_permissions"}


def _build(how: str, home: Path, url: str | None) -> None:
    env = {**os.environ, "OPORA_HOME": str(home), "DJANGO_SETTINGS_MODULE": "opora.settings"}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    code = f"import django; django.setup(); {how}"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _sqlite(path: Path) -> tuple[dict, dict]:
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    shape, data = {}, {}
    for t in tables:
        columns = {r[1]: r[2:] for r in db.execute(f'PRAGMA table_info("{t}")')}
        indexes = {}
        for _seq, name, unique, _origin, partial in db.execute(f'PRAGMA index_list("{t}")'):
            cols = tuple(r[2] for r in db.execute(f'PRAGMA index_info("{name}")'))
            indexes[name if not name.startswith("sqlite_autoindex") else cols] = (unique, partial, cols)
        fks = sorted(r[2:5] for r in db.execute(f'PRAGMA foreign_key_list("{t}")'))
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name=?", (t,)).fetchone()[0]
        checks = sorted(part.strip().rstrip(")") for part in sql.split("CONSTRAINT")[1:])
        shape[t] = (columns, indexes, fks, checks)
        keep = [c for c in columns if c not in IGNORED_COLUMNS.get(t, set())]
        names = ", ".join(f'"{c}"' for c in sorted(keep))
        data[t] = sorted(map(repr, db.execute(f'SELECT {names} FROM "{t}"')))
    return shape, data


def _postgres(url: str) -> tuple[dict, dict]:
    import psycopg

    with psycopg.connect(url) as db:
        tables = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")]
        shape, data = {}, {}
        for t in tables:
            columns = {r[0]: r[1:] for r in db.execute(
                "SELECT column_name, data_type, is_nullable, column_default IS NOT NULL, character_maximum_length "
                "FROM information_schema.columns WHERE table_schema='public' AND table_name=%s", (t,))}
            indexes = sorted(r[0] for r in db.execute("SELECT indexdef FROM pg_indexes WHERE tablename=%s", (t,)))
            constraints = sorted(db.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass",
                (f'"{t}"',)).fetchall())
            shape[t] = (columns, indexes, constraints)
            keep = [c for c in columns if c not in IGNORED_COLUMNS.get(t, set())]
            names = ", ".join(f'"{c}"' for c in sorted(keep))
            data[t] = sorted(map(repr, db.execute(f'SELECT {names} FROM "{t}"').fetchall()))
    return shape, data


def test_the_fast_schema_of_an_empty_database_is_the_migrations_one(tmp_path):
    if ON_POSTGRES:
        import psycopg

        base = settings.DATABASES["default"]
        server = f"postgresql://{base['USER']}@{base['HOST']}:{base['PORT']}"
        names = [f"fresh_{uuid.uuid4().hex[:8]}_{way}" for way in ("migrated", "fast")]
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'CREATE DATABASE "{name}"')
        try:
            _build(MIGRATE, tmp_path / "a", f"{server}/{names[0]}")
            _build(FRESH, tmp_path / "b", f"{server}/{names[1]}")
            migrated, fast = _postgres(f"{server}/{names[0]}"), _postgres(f"{server}/{names[1]}")
        finally:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                for name in names:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    else:
        for way in ("a", "b"):
            (tmp_path / way).mkdir()
        _build(MIGRATE, tmp_path / "a", None)
        _build(FRESH, tmp_path / "b", None)
        migrated, fast = _sqlite(tmp_path / "a" / "opora.sqlite3"), _sqlite(tmp_path / "b" / "opora.sqlite3")
    assert set(fast[0]) == set(migrated[0])
    differ = [t for t in migrated[0] if fast[0][t] != migrated[0][t]]
    if ON_POSTGRES:  # only the width of `id` may differ there
        for t in DJANGO_M2M & set(differ):
            assert {**fast[0][t][0], "id": None} == {**migrated[0][t][0], "id": None}
            assert fast[0][t][1:] == migrated[0][t][1:]
        differ = [t for t in differ if t not in DJANGO_M2M]
    assert differ == []
    assert len(migrated[1]["django_migrations"]) >= 70
    assert migrated[1]["people_category"] and migrated[1]["billing_feerules"]  # the seeds are there to compare
    for table in migrated[1]:
        assert fast[1][table] == migrated[1][table], table


@pytest.mark.django_db
def test_it_refuses_a_database_that_is_not_empty():
    from opora.core import schema

    with pytest.raises(RuntimeError):
        schema.create_fresh()
