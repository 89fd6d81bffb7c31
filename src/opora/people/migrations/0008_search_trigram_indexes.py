"""PostgreSQL: trigram indexes for the name search (issue 18).

The search finds a name part anywhere in the normalised name (`search_name LIKE '%смир%'`), which no B-tree index
serves: every search read the whole register (3 ms for 4 000 people, 12 ms for the 15 000 of the demo up to today,
twice a page: the count and the page), 15 % of PostgreSQL's work in the load test. A GIN index of trigrams
(extension pg_trgm, trusted since PostgreSQL 13: the database's owner may create it) answers a part of three letters
or more in a fraction of a millisecond; shorter parts are still read through. SQLite: nothing (its search of a
centre's register takes a few milliseconds)."""

from django.db import migrations

INDEXES = (("recipient_search_trgm", "people_recipient"), ("family_search_trgm", "people_family"))


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_name gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0007_family_search_name"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
