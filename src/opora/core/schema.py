"""An empty database's schema in one pass (`opora demo` on a fresh installation).

Applying the migrations one by one re-renders Django's model states after every operation: ≈7 s of CPU for Opora's
72 migrations, a tenth of the demo's build. On a database with no table at all the same end can be reached directly,
as Django's own test runner does without migrations: the tables of the models as they are now (the state the
migrations end in — `makemigrations --check` in CI holds the two equal, and tests/core/test_fresh_schema.py compares
the schemas made both ways on SQLite and PostgreSQL), every migration recorded as applied, then the data migrations'
functions (the calendar, the categories, the fee rules …) run in the migrations' order. A database that holds
anything is migrated as always.

The pass is not one transaction (SQLite's schema editor refuses to run inside one): while it runs, the row UNFINISHED
stands in the migrations' table, so that a database left half made by an interrupted pass is recognised
(`unfinished()`) instead of being migrated on top of tables that already exist.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings

#: recorded as applied while create_fresh runs, removed when it ends
UNFINISHED = ("core", "0000_fresh_schema_unfinished")


def unfinished() -> bool:
    """Whether an earlier create_fresh was interrupted: the database holds part of its schema, not all of it."""
    if MigrationRecorder.Migration._meta.db_table not in connection.introspection.table_names():
        return False
    return MigrationRecorder(connection).migration_qs.filter(app=UNFINISHED[0], name=UNFINISHED[1]).exists()


def is_empty() -> bool:
    """No table at all in the default database."""
    return not connection.introspection.table_names()


def create_fresh() -> int:
    """On an empty database: the models' tables, the migrations recorded, the data migrations run. Returns the
    number of migrations recorded. Raises RuntimeError if the database is not empty."""
    if not is_empty():
        raise RuntimeError("the database is not empty: migrate it instead")
    loader = MigrationLoader(connection)
    order: list[tuple[str, str]] = []
    for leaf in sorted(loader.graph.leaf_nodes()):
        order += [key for key in loader.graph.forwards_plan(leaf) if key not in order]
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    recorder.record_applied(*UNFINISHED)
    with override_settings(MIGRATION_MODULES={app.label: None for app in apps.get_app_configs()}):
        call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    for app_label, name in order:
        for operation in loader.graph.nodes[(app_label, name)].operations:
            if isinstance(operation, migrations.RunPython):
                with connection.schema_editor() as schema_editor:
                    operation.code(apps, schema_editor)  # type: ignore[arg-type]  # the models as they are
        recorder.record_applied(app_label, name)
    recorder.record_unapplied(*UNFINISHED)
    return len(order)
