"""A region: N centres (default 40) in one PostgreSQL, and the consolidated annual report over all of them
(goal: < 10 s for 40 centres of seed 000's size, ≈21 million services a year).

    createdb -h 127.0.0.1 -U postgres h_bench        # and build the centre demo in it (see report_speed.py)
    python benchmarks/region.py [--centres 40] [--runs 5] [--source h_bench] [--target h_region] [--markdown FILE]
    python benchmarks/region.py --drop                # drop the region's database afterwards (≈6 GB)

How the region is made (fast, all inside the database):
1. CREATE DATABASE <target> TEMPLATE <source>: a copy of the database holding ONE built `centre` demo
   (organisation `demo`, 2019–2020: 420 254 journal lines, 530 487 services in 2020).
2. The organisation is cloned N − 1 times in SQL: for each table of what the annual report reads —
   organisation, departments, settlements, services, employees, recipients (+ their categories), enrolments,
   assignment plans, the journal (delivery_delivery) and its monthly aggregates (reports_servicemonth,
   reports_recipientmonth, delivery_recipientservicemonth) and yearly aggregates (delivery_recipientyear,
   delivery_recipientserviceyear) — one INSERT … SELECT … CROSS JOIN generate_series(1, N − 1) AS k, with every id
   shifted by k × (the table's largest id) and every foreign key to a cloned table shifted by the offset of
   the table it points to (found from the catalogue); keys to tables that are not cloned (families, urgent
   acts) are set to NULL; the clones' codes are demo-02 … demo-40. The journal is cloned in batches of clones,
   with its secondary indexes and unique constraint dropped before and re-created after, and, for a superuser,
   `session_replication_role = replica` so that the copy does not re-check foreign keys the source had already
   checked; then the sequences are moved past the new ids and the database is VACUUMed and ANALYZEd (`VACUUM
   (ANALYZE)`: with autovacuum off the visibility map is never set, and no index-only scan is possible).
   The aggregates are cloned rather than recounted; `--verify` compares every organisation's services in the
   aggregates with a recount from the journal in SQL.
3. The consolidated report: `opora report annual --organisation all --year 2020 --format json --out FILE`
   (the system actor: an analyst of every organisation) as a fresh subprocess ("cold", wall time, Django
   start-up and system checks included; also with --skip-checks); and, warm, `build_report("annual", <all N
   organisations>, 2020)` in one process (one unmeasured build first) and its JSON rendering; each the median
   of --runs. The JSON's total of services is checked against N × the single centre's. These builds run with
   the report cache off (OPORA_REPORT_CACHE_SECONDS=0: the report built from the data every time); then, with the
   cache on (reports/cache.py), the same command after one build has filled it ("cached, cold": a new process
   that finds the document under the data's version) and `build_report` again in one process ("cached, warm").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report_bench import (  # noqa: E402
    Machine,
    child_env,
    median,
    opora_bin,
    pg_version,
    run,
    secs,
    table,
    thousands,
    wait_for_quiet,
    write_markdown,
)

#: The tables cloned, in the order of their foreign keys, and which rows of the source organisation they hold.
TABLES = [
    ("org_organisation", "id = {org}"),
    ("org_department", "organisation_id = {org}"),
    ("org_settlement", "organisation_id = {org}"),
    ("catalogue_service", "organisation_id = {org}"),
    ("org_employee", "organisation_id = {org}"),
    ("people_recipient", "organisation_id = {org}"),
    ("people_recipient_categories", "recipient_id IN (SELECT id FROM people_recipient WHERE organisation_id = {org})"),
    ("people_enrolment", "organisation_id = {org}"),
    ("org_assignmentplan", "organisation_id = {org}"),
    ("delivery_delivery", "organisation_id = {org}"),
    ("reports_servicemonth", "organisation_id = {org}"),
    ("reports_recipientmonth", "organisation_id = {org}"),
    ("delivery_recipientservicemonth", "organisation_id = {org}"),
    ("delivery_recipientyear", "organisation_id = {org}"),
    ("delivery_recipientserviceyear", "organisation_id = {org}"),
]
JOURNAL = "delivery_delivery"

CHILD = r"""
import json, sys, time
import django
django.setup()
from django.utils import translation
from opora.lib.periods import Period
from opora.org.models import Organisation
from opora.reports.registry import build_report, system_actor
from opora.reports.render import render
translation.activate("ru")
year, runs = int(sys.argv[1]), int(sys.argv[2])
orgs = list(Organisation.objects.order_by("code"))
actor, period = system_actor(orgs), Period.year_of(year)
t = time.perf_counter()
doc = build_report("annual", orgs, period, actor=actor)
first = time.perf_counter() - t
builds, renders, cpus = [], [], []
for _ in range(runs):
    t, c = time.perf_counter(), time.process_time()
    doc = build_report("annual", orgs, period, actor=actor)
    builds.append(time.perf_counter() - t)
    cpus.append(time.process_time() - c)
    t = time.perf_counter()
    body = render(doc, "json")
    renders.append(time.perf_counter() - t)
print(json.dumps({"organisations": len(orgs), "first": first, "builds": builds, "renders": renders,
                  "cpus": cpus, "bytes": len(body)}))
"""


def load() -> str:
    """The load average over 1, 5 and 15 minutes (the machine may be shared)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def connect(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def db_url(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


def make_copy(args) -> None:
    with connect(db_url(args.pg_url, "postgres")) as con:
        con.execute(f"DROP DATABASE IF EXISTS {args.target}")
        con.execute(f"CREATE DATABASE {args.target} TEMPLATE {args.source}")


def clone(url: str, args) -> dict:
    """Clone the organisation args.organisation N − 1 times inside the database; the rows made per table."""
    n = args.centres - 1
    made: dict[str, int] = {}
    timings: dict[str, float] = {}
    with connect(url) as con:
        con.execute("SET maintenance_work_mem = '512MB'")
        superuser = con.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        org = con.execute("SELECT id FROM org_organisation WHERE code = %s", [args.organisation]).fetchone()
        if org is None:
            raise SystemExit(f"no organisation {args.organisation!r} in {url}: build the centre demo first")
        org = org[0]
        if con.execute("SELECT count(*) FROM org_organisation").fetchone()[0] != 1:
            raise SystemExit("the source database must hold exactly one organisation (a fresh centre demo)")
        offsets = {t: con.execute(f"SELECT COALESCE(MAX(id), 0) FROM {t}").fetchone()[0] for t, _w in TABLES}
        fks = {}
        for t, col, ref, nullable in con.execute(
                "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, NOT a.attnotnull "
                "FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) "
                "WHERE c.contype = 'f'"):
            fks[(t, col)] = (ref, nullable)
        for table_name, where in TABLES:
            cols = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND table_schema = "
                "current_schema() ORDER BY ordinal_position", [table_name])]
            exprs = []
            for c in cols:
                if c == "id":
                    exprs.append(f"t.id + k * {offsets[table_name]}")
                elif table_name == "org_organisation" and c == "code":
                    exprs.append("t.code || '-' || lpad((k + 1)::text, 2, '0')")
                elif table_name == "org_organisation" and c == "name":
                    exprs.append("t.name || ' № ' || (k + 1)::text")
                elif (table_name, c) in fks:
                    ref, nullable = fks[(table_name, c)]
                    if ref in offsets:
                        exprs.append(f"t.{c} + k * {offsets[ref]}")
                    elif nullable and ref != "people_category":
                        exprs.append("NULL")  # a table that is not cloned (families, urgent acts)
                    else:
                        exprs.append(f"t.{c}")  # a shared table (categories)
                else:
                    exprs.append(f't."{c}"')
            collist = ", ".join(f'"{c}"' for c in cols)
            select = (f"SELECT {', '.join(exprs)} FROM {table_name} t CROSS JOIN generate_series({{lo}}, {{hi}}) k "
                      f"WHERE t.{where.format(org=org)}")
            started = time.perf_counter()
            if table_name == JOURNAL:
                made[table_name] = clone_journal(con, collist, select, n, args.batch, superuser)
            else:
                cur = con.execute(f"INSERT INTO {table_name} ({collist}) {select.format(lo=1, hi=n)}")
                made[table_name] = cur.rowcount
            timings[table_name] = time.perf_counter() - started
            print(f"  {table_name}: {thousands(made[table_name])} rows in {timings[table_name]:.1f} s", flush=True)
        started = time.perf_counter()
        for table_name, _w in TABLES:
            con.execute(f"SELECT setval(pg_get_serial_sequence('{table_name}', 'id'), "
                        f"(SELECT MAX(id) FROM {table_name}))")
        # VACUUM as well as ANALYZE: a server with autovacuum off (as this one was) never sets the cloned tables'
        # visibility map, and without it no index-only scan
        con.execute("VACUUM (ANALYZE)")
        timings["analyze"] = time.perf_counter() - started
    return {"made": made, "timings": timings, "superuser": superuser}


def clone_journal(con, collist: str, select: str, n: int, batch: int, superuser: bool) -> int:
    """The journal's clones in batches, without its secondary indexes and unique constraint (re-created after)."""
    indexes = [r for r in con.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND i.indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)", [JOURNAL, JOURNAL])]
    uniques = [r for r in con.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
        "AND contype = 'u'", [JOURNAL])]
    for name, _d in indexes:
        con.execute(f"DROP INDEX {name}")
    for name, _d in uniques:
        con.execute(f"ALTER TABLE {JOURNAL} DROP CONSTRAINT {name}")
    if superuser:
        con.execute("SET session_replication_role = replica")
    total, lo = 0, 1
    while lo <= n:
        hi = min(n, lo + batch - 1)
        started = time.perf_counter()
        cur = con.execute(f"INSERT INTO {JOURNAL} ({collist}) {select.format(lo=lo, hi=hi)}")
        total += cur.rowcount
        print(f"    clones {lo + 1}–{hi + 1}: {thousands(cur.rowcount)} journal lines in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
        lo = hi + 1
    if superuser:
        con.execute("SET session_replication_role = DEFAULT")
    started = time.perf_counter()
    for name, definition in uniques:
        con.execute(f"ALTER TABLE {JOURNAL} ADD CONSTRAINT {name} {definition}")
    for _name, definition in indexes:
        con.execute(definition)
    print(f"    journal indexes re-created in {time.perf_counter() - started:.1f} s", flush=True)
    return total


def verify(url: str) -> str:
    with connect(url) as con:
        rows = con.execute(
            "SELECT o.code, j.q, a.q, y.q, s.q FROM org_organisation o "
            "LEFT JOIN (SELECT organisation_id, SUM(quantity) q FROM delivery_delivery GROUP BY 1) j "
            "ON j.organisation_id = o.id "
            "LEFT JOIN (SELECT organisation_id, SUM(quantity) q FROM reports_servicemonth GROUP BY 1) a "
            "ON a.organisation_id = o.id "
            "LEFT JOIN (SELECT organisation_id, SUM(quantity) q FROM delivery_recipientyear GROUP BY 1) y "
            "ON y.organisation_id = o.id "
            "LEFT JOIN (SELECT organisation_id, SUM(quantity) q FROM delivery_recipientserviceyear GROUP BY 1) s "
            "ON s.organisation_id = o.id").fetchall()
    bad = [r for r in rows if not r[1] == r[2] == r[3] == r[4]]
    if bad:
        raise SystemExit(f"aggregates differ from the journal: {bad[:5]}")
    return (f"the aggregates of all {len(rows)} organisations (the services' months and the people's years) agree "
            f"with a recount of the journal (Σ quantity)")


def facts(url: str, year: int) -> dict:
    with connect(url) as con:
        orgs = con.execute("SELECT count(*) FROM org_organisation").fetchone()[0]
        lines = con.execute("SELECT count(*) FROM delivery_delivery").fetchone()[0]
        year_lines, services = con.execute(
            "SELECT count(*), COALESCE(SUM(quantity), 0) FROM delivery_delivery WHERE date BETWEEN %s AND %s",
            [f"{year}-01-01", f"{year}-12-31"]).fetchone()
        size = con.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    return {"organisations": orgs, "lines": lines, "year_lines": year_lines, "services": int(services),
            "size": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--centres", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/h_bench",
                        help="the server (its database part is ignored)")
    parser.add_argument("--source", default="h_bench", help="the database holding one built centre demo")
    parser.add_argument("--target", default="h_region", help="the region's database (dropped and re-made)")
    parser.add_argument("--home", default="/tmp/opora-bench-pg", help="OPORA_HOME (secret key)")
    parser.add_argument("--organisation", default="demo")
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--batch", type=int, default=10, help="clones of the journal per INSERT")
    parser.add_argument("--reuse", action="store_true", help="measure an existing region database, don't make it")
    parser.add_argument("--verify", action="store_true", help="compare the aggregates with the journal in SQL")
    parser.add_argument("--drop", action="store_true", help="only drop the region's database")
    parser.add_argument("--wait-quiet", type=float, default=0.0)
    parser.add_argument("--wait-minutes", type=float, default=25.0)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    if args.drop:
        with connect(db_url(args.pg_url, "postgres")) as con:
            con.execute(f"DROP DATABASE IF EXISTS {args.target}")
        print(f"dropped {args.target}")
        return

    machine = Machine()
    machine.extra.append(pg_version(args.pg_url) + " on 127.0.0.1")
    url = db_url(args.pg_url, args.target)
    single = facts(db_url(args.pg_url, args.source), args.year)
    made: dict = {}
    generate = copy_time = 0.0
    if not args.reuse:
        wait_for_quiet(args.wait_quiet, args.wait_minutes)
        started = time.perf_counter()
        make_copy(args)
        copy_time = time.perf_counter() - started
        print(f"copied {args.source} → {args.target} in {copy_time:.1f} s", flush=True)
        started = time.perf_counter()
        made = clone(url, args)
        generate = time.perf_counter() - started
        print(f"cloned in {generate:.1f} s", flush=True)
    checked = verify(url) if args.verify else ""
    if checked:
        print(checked)
    region = facts(url, args.year)
    print(f"region: {region}", flush=True)
    env = {**child_env(args.home, url), "OPORA_REPORT_CACHE_SECONDS": "0"}  # built from the data every time
    cached_env = {**env, "OPORA_REPORT_CACHE_SECONDS": "600"}
    wait_for_quiet(args.wait_quiet, args.wait_minutes)
    out = Path(tempfile.gettempdir()) / "opora-bench-region.json"
    cmd = [opora_bin(), "report", "annual", "--organisation", "all", "--year", str(args.year), "--format", "json",
           "--out", str(out)]
    run(cmd + ["--skip-checks"], env)  # unmeasured: bytecode and page cache
    total = json.loads(out.read_text())["tables"]["totals"]["rows"][0]["services_total"]
    cold_runs = [run(cmd, env) for _ in range(args.runs)]
    cold_skip_runs = [run(cmd + ["--skip-checks"], env) for _ in range(args.runs)]
    cold, cold_cpu = [r.wall for r in cold_runs], [r.cpu for r in cold_runs]
    cold_skip = [r.wall for r in cold_skip_runs]
    print("cold: " + ", ".join(secs(c) for c in cold) + " (CPU of the process " + ", ".join(secs(c) for c in cold_cpu)
          + "); --skip-checks: " + ", ".join(secs(c) for c in cold_skip) + f"; load {load()}", flush=True)
    warm = json.loads(run([sys.executable, "-c", CHILD, str(args.year), str(args.runs)], env).stdout.splitlines()[-1])
    print(f"warm: {warm}; load {load()}", flush=True)
    run(cmd + ["--skip-checks"], cached_env)  # fills the cache
    cached_cold = [run(cmd, cached_env).wall for _ in range(args.runs)]
    cached_warm = json.loads(run([sys.executable, "-c", CHILD, str(args.year), str(args.runs)],
                                 cached_env).stdout.splitlines()[-1])
    print("cached: cold " + ", ".join(secs(c) for c in cached_cold) + "; warm builds "
          + ", ".join(secs(b) for b in cached_warm["builds"]), flush=True)
    machine.finish()
    expected = single["services"] * region["organisations"]
    rows = [[str(region["organisations"]), thousands(region["lines"]), thousands(region["year_lines"]),
             thousands(region["services"]), region["size"], f"**{secs(median(cold))}**", secs(median(cold_skip)),
             secs(warm["first"]), secs(median(warm["builds"])), secs(median(warm["renders"])),
             secs(median(cached_cold)), secs(median(cached_warm["builds"])),
             f"< 3 s cold: {'met' if median(cold) < 3 else 'NOT met'}, < 1 s warm: "
             f"{'met' if median(warm['builds']) < 1 else 'NOT met'}"]]
    header = ["centres", "journal lines (2 years)", f"lines in {args.year}", f"services in {args.year}",
              "database size", "`opora report … --organisation all` (cold)", "same, --skip-checks",
              "first build in a process", "build (warm)", "JSON render (warm)",
              "cached: the command (cold)", "cached: build_report (warm)", "goal (built from the data)"]
    notes = [f"The consolidated JSON's services total: {thousands(total)} "
             f"({'=' if total == expected else '≠'} {region['organisations']} × {thousands(single['services'])}).",
             f"Cold runs: {', '.join(secs(c) for c in cold)} (CPU of the process: "
             f"{', '.join(secs(c) for c in cold_cpu)}); with --skip-checks: "
             f"{', '.join(secs(c) for c in cold_skip)}; warm builds: "
             f"{', '.join(secs(b) for b in warm['builds'])} (CPU of the process: "
             f"{', '.join(secs(c) for c in warm.get('cpus', []))})."]
    if made:
        rows_made = sum(made["made"].values())
        notes.insert(0, f"Generated: {thousands(rows_made)} rows in {generate:.0f} s (after a {copy_time:.0f} s "
                     f"template copy of the one-centre database), of them {thousands(made['made'][JOURNAL])} journal "
                     f"lines in {made['timings'][JOURNAL]:.0f} s (with re-creating its indexes); per table: "
                     + ", ".join(f"{t} {thousands(c)}" for t, c in made["made"].items())
                     + ("" if made["superuser"] else "; not a superuser: foreign keys re-checked row by row") + ".")
    if checked:
        notes.append(checked[0].upper() + checked[1:] + ".")
    text = "\n".join([f"#### A region: {region['organisations']} centres in one PostgreSQL (median of {args.runs})",
                      "", f"Command: `python benchmarks/region.py --centres {args.centres} --runs {args.runs}"
                      f"{' --verify' if args.verify else ''}`", "", *machine.lines(), "", table(header, rows), "",
                      *[f"- {n}" for n in notes]])
    write_markdown(args.markdown, text)


if __name__ == "__main__":
    main()
