"""core.db.sqlite_build_mode (the demo's build on a fresh SQLite database): what it turns off while the build runs,
and that everything is set back afterwards."""

from __future__ import annotations

import pytest
from django.db import connection

from opora.core.db import sqlite_build_mode

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's build mode")


def _pragmas() -> tuple[int, str, int]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA journal_mode")
        journal = str(cursor.fetchone()[0]).lower()
        cursor.execute("PRAGMA foreign_keys")
        return synchronous, journal, int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_a_fresh_build_runs_without_fsync_nor_key_lookups_and_everything_comes_back():
    before = _pragmas()
    assert before[2] == 1  # Django's connections check foreign keys
    with sqlite_build_mode(fresh=True):
        synchronous, journal, foreign_keys = _pragmas()
        assert synchronous == 0 and foreign_keys == 0
        assert journal == ("memory" if before[1] == "wal" else before[1])
    assert _pragmas() == before


@pytest.mark.django_db(transaction=True)
def test_a_build_into_a_database_holding_data_keeps_its_keys_checked():
    before = _pragmas()
    with sqlite_build_mode(fresh=False):
        synchronous, journal, foreign_keys = _pragmas()
        assert synchronous == 0 and journal == before[1] and foreign_keys == 1
    assert _pragmas() == before


@pytest.mark.django_db
def test_inside_a_transaction_it_changes_nothing():
    before = _pragmas()
    with sqlite_build_mode(fresh=True):
        assert _pragmas() == before
