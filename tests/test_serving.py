"""The production server and the database settings for many users at once (issue 18)."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection

from opora.core.management.commands import serve


def test_the_server_runs_one_process_per_core_by_default():
    cores = len(os.sched_getaffinity(0))
    assert serve.default_workers() == max(1, min(8, cores))


def test_gunicorn_gets_the_processes_and_threads_it_is_given():
    app = serve._Gunicorn(
        lambda environ, start: [],
        {"bind": "127.0.0.1:0", "workers": 2, "threads": 4, "worker_class": "gthread", "preload_app": True},
    )
    cfg = app._app.cfg
    assert (cfg.workers, cfg.threads, cfg.worker_class_str, cfg.preload_app) == (2, 4, "gthread", True)
    assert app._app.load()({}, None) == []


def test_connections_are_kept_and_checked_before_reuse():
    db = settings.DATABASES["default"]
    assert db["CONN_MAX_AGE"] == 600 and db["CONN_HEALTH_CHECKS"] is True


def test_the_cache_is_shared_by_the_server_processes():
    assert settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache")


@pytest.mark.django_db
def test_postgresql_compiles_no_query_just_in_time():
    """The balances of a centre's people spent 370 ms in JIT compilation for 60 ms of work (docs/benchmarks.md)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"

@pytest.mark.django_db
def test_sqlite_gets_its_planner_statistics():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    serve.analyse()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_postgresql_tables_without_statistics_get_them_and_the_others_are_left_alone():
    """Issue 18: a PostgreSQL database filled in bulk (the demo, a restore) with autovacuum off or not yet run had
    no statistics: the planner took thousands of people for two and a person's card took a second."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from opora.people.models import Recipient
    from tests import factories as f

    org = f.OrganisationFactory()
    for _ in range(3):
        f.RecipientFactory(organisation=org)
    table = Recipient._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM pg_statistic WHERE starelid = '{table}'::regclass")
    assert table in serve.analyse()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM pg_statistic WHERE starelid = '{table}'::regclass")
        assert cursor.fetchone()[0] > 0
    assert table not in serve.analyse()
