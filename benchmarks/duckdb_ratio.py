"""Opora's annual report against a columnar engine's bare aggregate over the same year (goal: within 10×).

Prerequisite: the `centre` demo in each database (see report_speed.py; `pip install -e ".[dev]"` brings duckdb).

    python benchmarks/duckdb_ratio.py [--runs 7] [--databases sqlite,postgresql] [--markdown FILE]

Per database:
1. Export: the journal of --year (organisation code, department code, service code, service type, date,
   quantity, amount, list, recipient id — one SQL join over delivery_delivery) to CSV, then with DuckDB to
   Parquet (the export is not timed against anything; its size is recorded).
2. DuckDB (in-process, default threads): the bare aggregate the report's main tables need —
   (a) services and amount by department, service type and list; (b) distinct recipients by department;
   (c) distinct recipients in all — as three queries, timed together, warm (one unmeasured round first),
   median of --runs: over the Parquet file (read on every query) and over a DuckDB in-memory table.
3. Opora, in a fresh process on the same database: `build_report("annual", …)` for the year — the whole
   analysis (ten queries over the monthly aggregates and the registry, previous year included), without
   rendering — warm (one unmeasured build first), median of --runs; and, for scale, the same three GROUP BYs
   as plain SQL over the journal in the database itself (no aggregates), median of --runs.
The ratio is Opora's warm build ÷ DuckDB's warm aggregate (the in-memory table and the Parquet file); the
larger of the two (against the faster DuckDB variant) is the one in bold, the one the goal is judged by.
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
    pg_version,
    run,
    secs,
    table,
    thousands,
    wait_for_quiet,
    write_markdown,
)

# A child on one database: export the year's journal to CSV, time Opora's build and the bare SQL GROUP BYs.
CHILD = r"""
import csv, json, statistics, sys, time
import django
django.setup()
from django.db import connection
from django.utils import translation
from opora.lib.periods import Period
from opora.org.models import Organisation
from opora.reports.registry import build_report, system_actor
year, code, runs, out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
translation.activate("ru")
start, end = f"{year}-01-01", f"{year}-12-31"
with connection.cursor() as cur, open(out, "w", newline="", encoding="utf-8") as fh:
    cur.execute(
        "SELECT o.code, dep.code, s.code, s.type, d.date, d.quantity, d.amount, d.list, d.recipient_id "
        "FROM delivery_delivery d JOIN org_organisation o ON o.id = d.organisation_id "
        "JOIN org_department dep ON dep.id = d.department_id JOIN catalogue_service s ON s.id = d.service_id "
        "WHERE o.code = %s AND d.date BETWEEN %s AND %s", [code, start, end])
    w = csv.writer(fh)
    w.writerow(["organisation", "department", "service", "type", "date", "quantity", "amount", "list",
                "recipient"])
    rows = 0
    while True:
        chunk = cur.fetchmany(20000)
        if not chunk:
            break
        w.writerows(chunk)
        rows += len(chunk)
orgs = [Organisation.objects.get(code=code)]
actor, period = system_actor(orgs), Period.year_of(year)
build_report("annual", orgs, period, actor=actor)  # unmeasured
builds = []
for _ in range(runs):
    t = time.perf_counter()
    build_report("annual", orgs, period, actor=actor)
    builds.append(time.perf_counter() - t)
org_id = orgs[0].pk
sqls = [
    "SELECT d.department_id, s.type, d.list, SUM(d.quantity), SUM(d.amount) FROM delivery_delivery d "
    "JOIN catalogue_service s ON s.id = d.service_id WHERE d.organisation_id = %s AND d.date BETWEEN %s AND %s "
    "GROUP BY d.department_id, s.type, d.list",
    "SELECT department_id, COUNT(DISTINCT recipient_id) FROM delivery_delivery "
    "WHERE organisation_id = %s AND date BETWEEN %s AND %s GROUP BY department_id",
    "SELECT COUNT(DISTINCT recipient_id) FROM delivery_delivery WHERE organisation_id = %s AND date BETWEEN %s AND %s",
]
def journal_sql():
    with connection.cursor() as cur:
        for sql in sqls:
            cur.execute(sql, [org_id, start, end])
            cur.fetchall()
journal_sql()
journal = []
for _ in range(runs):
    t = time.perf_counter()
    journal_sql()
    journal.append(time.perf_counter() - t)
print(json.dumps({"rows": rows, "builds": builds, "journal_sql": journal}))
"""

QUERIES = [
    "SELECT department, type, list, SUM(quantity) AS services, SUM(amount) AS amount FROM {src} "
    "GROUP BY department, type, list",
    "SELECT department, COUNT(DISTINCT recipient) AS recipients FROM {src} GROUP BY department",
    "SELECT COUNT(DISTINCT recipient) FROM {src}",
]


def duckdb_times(parquet: Path, runs: int) -> tuple[list[float], list[float], dict]:
    import duckdb

    con = duckdb.connect()
    con.execute(f"CREATE TABLE journal AS SELECT * FROM read_parquet('{parquet}')")
    result = {}
    out: list[list[float]] = []
    for src in (f"read_parquet('{parquet}')", "journal"):
        def once(src: str = src) -> float:
            t = time.perf_counter()
            for q in QUERIES:
                con.execute(q.format(src=src)).fetchall()
            return time.perf_counter() - t
        once()  # unmeasured
        out.append([once() for _ in range(runs)])
    total = con.execute("SELECT SUM(quantity), SUM(amount), COUNT(DISTINCT recipient) FROM journal").fetchone()
    result = {"services": int(total[0]), "amount": str(total[1]), "persons": int(total[2]),
              "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
              "version": duckdb.__version__}
    return out[0], out[1], result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sqlite-home", default="/tmp/opora-bench")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/h_bench")
    parser.add_argument("--pg-home", default="/tmp/opora-bench-pg")
    parser.add_argument("--organisation", default="demo")
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "opora-bench-duckdb"))
    parser.add_argument("--wait-quiet", type=float, default=0.0)
    parser.add_argument("--wait-minutes", type=float, default=25.0)
    parser.add_argument("--markdown")
    args = parser.parse_args()
    import duckdb

    machine = Machine()
    machine.extra.append(f"DuckDB {duckdb.__version__}")
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    rows, notes = [], []
    wait_for_quiet(args.wait_quiet, args.wait_minutes)
    for name in args.databases.split(","):
        if name == "sqlite":
            label, env = "SQLite", child_env(args.sqlite_home)
        else:
            label, env = "PostgreSQL", child_env(args.pg_home, args.pg_url)
            machine.extra.append(pg_version(args.pg_url) + " on 127.0.0.1")
        csv_path, parquet = work / f"journal-{name}.csv", work / f"journal-{name}.parquet"
        child = run([sys.executable, "-c", CHILD, str(args.year), args.organisation, str(args.runs), str(csv_path)],
                    env)
        opora = json.loads(child.stdout.strip().splitlines()[-1])
        con = duckdb.connect()
        con.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', header=true, columns={{'organisation': 'VARCHAR', "
                    "'department': 'VARCHAR', 'service': 'VARCHAR', 'type': 'VARCHAR', 'date': 'DATE', "
                    "'quantity': 'INTEGER', 'amount': 'DECIMAL(12,2)', 'list': 'VARCHAR', 'recipient': 'BIGINT'}))"
                    f" TO '{parquet}' (FORMAT parquet)")
        con.close()
        on_file, in_memory, facts = duckdb_times(parquet, args.runs)
        build = median(opora["builds"])
        duck_mem, duck_file = median(in_memory), median(on_file)
        print(f"{label}: {thousands(opora['rows'])} lines, {thousands(facts['services'])} services; Opora build "
              + ", ".join(secs(b) for b in opora["builds"]) + "; DuckDB in memory "
              + ", ".join(secs(b) for b in in_memory) + "; Parquet " + ", ".join(secs(b) for b in on_file),
              flush=True)
        rows.append([label, thousands(opora["rows"]), secs(build), secs(median(opora["journal_sql"])),
                     secs(duck_mem), secs(duck_file),
                     *[f"**{r:.1f}×**" if r == build / min(duck_mem, duck_file) else f"{r:.1f}×"
                       for r in (build / duck_mem, build / duck_file)]])
        notes.append(f"{label}: export {thousands(opora['rows'])} lines ({thousands(facts['services'])} services, "
                     f"{facts['persons']} persons), CSV {csv_path.stat().st_size / 1e6:.1f} MB, Parquet "
                     f"{parquet.stat().st_size / 1e6:.1f} MB; DuckDB threads {facts['threads']}.")
    machine.finish()
    header = ["database", f"journal lines {args.year}", "Opora `annual` build (warm)",
              "same GROUP BYs in the database over the journal", "DuckDB: in-memory table",
              "DuckDB: Parquet file", "ratio (in-memory)", "ratio (Parquet)"]
    text = "\n".join([f"#### Opora against DuckDB (median of {args.runs} warm runs)", "",
                      f"Command: `python benchmarks/duckdb_ratio.py --runs {args.runs}`", "", *machine.lines(), "",
                      table(header, rows), "", *[f"- {n}" for n in notes]])
    write_markdown(args.markdown, text)


if __name__ == "__main__":
    main()
