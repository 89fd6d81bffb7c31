"""Speed of the annual report (`annual`) on a centre the size of seed 000 (goal: JSON < 2 s, DOCX < 3 s cold).

Prerequisite: the `centre` demo built in each database (≈2 min each; or pass --build):

    OPORA_HOME=/tmp/opora-bench opora demo --size centre --no-serve --reset                      # SQLite
    createdb -h 127.0.0.1 -U postgres h_bench
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/h_bench OPORA_HOME=/tmp/opora-bench-pg \\
        opora demo --size centre --no-serve --reset                                              # PostgreSQL

Then:

    python benchmarks/report_speed.py speed   [--runs 5] [--databases sqlite,postgresql] [--markdown FILE]
    python benchmarks/report_speed.py history [--runs 5] [--extra-years 4] [--databases …] [--markdown FILE]

`speed` — what is timed, per database (each figure the median of --runs fresh processes):
- "API cold": a new `python` process that imports Django, runs django.setup(), logs the `director` in on
  Django's test client (`Client.force_login`: one session row written) and sends
  GET /api/v1/reports/annual?organisation=demo&year=2020&format=json|docx through the whole Django stack
  (middleware, URL resolving — which imports every app's views and the API — authentication, the report's
  build and render). Timed from just before the parent spawns the process until the child holds the response
  body; the breakdown splits it into start-up (interpreter + django.setup()), login and the first request,
  and shows the part of the first request that imports the URLconf (forced just before it, to time it).
  No socket or WSGI server is involved (that adds ≈1 ms per request with waitress).
- "API warm": the same request again in the same process, median of 5.
- "command": `opora report annual --organisation demo --year 2020 --format json|docx --out FILE` as a
  subprocess, wall time; Django runs its system checks before every management command (they import the
  URLconf) — also timed with `--skip-checks`.
Bytecode is cached (PYTHONPYCACHEPREFIX, as after `pip install`), and one unmeasured start precedes the runs;
the OS page cache is warm (the database was read before): "cold" means a new process, not a cold disk.

`history` — does the report's time grow with years of journal? It copies the demo database (SQLite: the file
into a new OPORA_HOME; PostgreSQL: CREATE DATABASE h_bench_hist TEMPLATE h_bench), copies the 2019 journal to
each of the --extra-years years before it with INSERT … SELECT and shifted dates, recounts the monthly
aggregates (`opora aggregates --rebuild`, timed) and times "API cold" and "API warm" for 2020 on the original
(2019–2020) and on the copy. The copy is dropped at the end unless --keep.

`--wait-quiet 2` waits (polling every minute, up to --wait-minutes) for the 1-minute load average to fall
below 2 before measuring; the load at the start and the end is printed with the results either way.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
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
    psql,
    run,
    secs,
    table,
    thousands,
    wait_for_quiet,
    write_markdown,
)

# The child: a fresh process that starts Django and asks the API for a report (see the module's docstring).
CHILD = r"""
import json, sys, time
spawned = float(sys.argv[1])
report, org, year, fmt, user, warm_runs = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6], \
    int(sys.argv[7])
import django
django.setup()
t_setup = time.time()
from django.contrib.auth import get_user_model
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(get_user_model().objects.get(username=user))
t_login = time.time()
from django.urls import get_resolver
get_resolver().url_patterns  # imports the URLconf: every app's views and the API (the first request would)
t_urls = time.time()
url = f"/api/v1/reports/{report}?organisation={org}&year={year}&format={fmt}"
response = client.get(url)
body = response.content
t_first = time.time()
if response.status_code != 200:
    sys.exit(f"HTTP {response.status_code}: {body[:500]!r}")
warm = []
for _ in range(warm_runs):
    started = time.perf_counter()
    again = client.get(url)
    assert again.status_code == 200 and len(again.content) > 0
    warm.append(time.perf_counter() - started)
print(json.dumps({"cold": t_first - spawned, "startup": t_setup - spawned, "login": t_login - t_setup,
                  "urls": t_urls - t_login,
                  "first_request": t_first - t_login, "warm": warm, "bytes": len(body)}))
"""


def api_cold(env: dict[str, str], fmt: str, args, warm_runs: int = 5) -> dict:
    spawned = time.time()
    out = run([sys.executable, "-c", CHILD, repr(spawned), "annual", args.organisation, str(args.year), fmt,
               args.user, str(warm_runs)], env)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["cpu"] = out.cpu
    result["wall"] = out.wall
    return result


def command(env: dict[str, str], fmt: str, args, skip_checks: bool) -> float:
    target = Path(tempfile.gettempdir()) / f"opora-bench-annual.{fmt}"
    cmd = [opora_bin(), "report", "annual", "--organisation", args.organisation, "--year", str(args.year),
           "--format", fmt, "--out", str(target)]
    if skip_checks:
        cmd.append("--skip-checks")
    wall = run(cmd, env).wall
    if target.stat().st_size == 0:
        raise SystemExit(f"empty report from {' '.join(cmd)}")
    return wall


def databases(args) -> list[tuple[str, dict[str, str]]]:
    out = []
    for name in args.databases.split(","):
        if name == "sqlite":
            out.append(("SQLite", child_env(args.sqlite_home)))
        elif name in ("postgresql", "pg"):
            out.append(("PostgreSQL", child_env(args.pg_home, args.pg_url)))
        else:
            raise SystemExit(f"unknown database {name!r}")
    return out


def journal_facts(env: dict[str, str]) -> tuple[int, int, int]:
    """(journal lines in all years, lines in --year, services in --year) of the database of env."""
    code = ("import django, json; django.setup()\n"
            "from django.db.models import Count, Sum\n"
            "from opora.delivery.models import Delivery\n"
            "import sys; y = int(sys.argv[1])\n"
            "a = Delivery.objects.count()\n"
            "b = Delivery.objects.filter(date__year=y).aggregate(n=Count('id'), q=Sum('quantity'))\n"
            "print(json.dumps([a, b['n'], b['q'] or 0]))")
    return tuple(json.loads(run([sys.executable, "-c", code, str(YEAR[0])], env).stdout.strip()))


YEAR = [2020]


def build(env: dict[str, str]) -> None:
    print("  building the centre demo …", flush=True)
    t = run([opora_bin(), "demo", "--size", "centre", "--no-serve", "--reset"], env)
    print(f"  built in {t.wall:.1f} s", flush=True)


def measure_speed(args) -> str:
    machine = Machine()
    if "postgresql" in args.databases or "pg" in args.databases:
        machine.extra.append(pg_version(args.pg_url) + " on 127.0.0.1")
    rows, details = [], []
    for name, env in databases(args):
        if args.build:
            build(env)
        lines, year_lines, services = journal_facts(env)
        print(f"{name}: {thousands(lines)} journal lines, {thousands(year_lines)} in {args.year} "
              f"({thousands(services)} services)", flush=True)
        api_cold(env, "json", args, warm_runs=0)  # unmeasured: fills the bytecode cache and the page cache
        wait_for_quiet(args.wait_quiet, args.wait_minutes)
        results: dict[str, list] = {"json": [], "docx": []}
        for fmt in ("json", "docx"):
            for i in range(args.runs):
                r = api_cold(env, fmt, args)
                results[fmt].append(r)
                print(f"  API {fmt} run {i + 1}: cold {secs(r['cold'])} (start-up {secs(r['startup'])}, login "
                      f"{secs(r['login'])}, first request {secs(r['first_request'])} of which URLconf "
                      f"{secs(r['urls'])}), warm "
                      f"{secs(median(r['warm']))}, {r['bytes']} bytes", flush=True)
        cli = {}
        for fmt in ("json", "docx"):
            for skip in (False, True):
                walls = [command(env, fmt, args, skip) for _ in range(args.runs)]
                cli[(fmt, skip)] = walls
                print(f"  command {fmt}{' --skip-checks' if skip else ''}: "
                      + ", ".join(secs(w) for w in walls), flush=True)
        for fmt, goal in (("json", 2.0), ("docx", 3.0)):
            rs = results[fmt]
            cold = median([r["cold"] for r in rs])
            rows.append([name, fmt.upper(), f"**{secs(cold)}**", secs(median([r["startup"] for r in rs])),
                         secs(median([r["first_request"] for r in rs])),
                         secs(median([r["urls"] for r in rs])),
                         secs(median([w for r in rs for w in r["warm"]])),
                         secs(median(cli[(fmt, False)])), secs(median(cli[(fmt, True)])),
                         f"< {goal:.0f} s: {'met' if cold < goal else 'NOT met'}"])
        details.append(f"{name}: {thousands(lines)} journal lines in all, {thousands(year_lines)} lines "
                       f"({thousands(services)} services) in {args.year}; cold runs JSON "
                       + " / ".join(secs(r["cold"]) for r in results["json"]) + ", DOCX "
                       + " / ".join(secs(r["cold"]) for r in results["docx"]) + ".")
    machine.finish()
    header = ["database", "format", "API cold (median)", "of it: start-up", "of it: first request",
              "of that: URLconf import", "API warm", "`opora report`", "`opora report --skip-checks`", "goal"]
    text = "\n".join([
        f"#### Annual report, cold and warm ({args.runs} runs each)", "",
        "Command: `python benchmarks/report_speed.py speed --runs " + str(args.runs) + "`", "",
        *machine.lines(), "",
        table(header, rows), "", *[f"- {d}" for d in details]])
    return text


def add_years(env: dict[str, str], name: str, args) -> None:
    """Copy the journal of --year - 1 to the --extra-years years before it (one INSERT … SELECT per year)."""
    source = args.year - 1
    if name == "SQLite":
        db = sqlite3.connect(Path(env["OPORA_HOME"]) / "opora.sqlite3")
        cols = [r[1] for r in db.execute("PRAGMA table_info(delivery_delivery)") if r[1] != "id"]
        for k in range(1, args.extra_years + 1):
            exprs = [f"date(date, '-{k} years')" if c == "date" else "NULL" if c == "urgent_act_id" else c
                     for c in cols]
            db.execute(f"INSERT INTO delivery_delivery ({', '.join(cols)}) SELECT {', '.join(exprs)} "
                       f"FROM delivery_delivery WHERE date BETWEEN '{source}-01-01' AND '{source}-12-31'")
        db.commit()
        db.close()
        return
    url = env["DATABASE_URL"]
    cols = [c for c in psql(url, "SELECT column_name FROM information_schema.columns WHERE "
                                 "table_name = 'delivery_delivery' ORDER BY ordinal_position").split() if c != "id"]
    for k in range(1, args.extra_years + 1):
        exprs = [f"(date - interval '{k} years')::date" if c == "date" else "NULL" if c == "urgent_act_id"
                 else f'"{c}"' for c in cols]
        psql(url, f"INSERT INTO delivery_delivery ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                  f"SELECT {', '.join(exprs)} FROM delivery_delivery "
                  f"WHERE date BETWEEN '{source}-01-01' AND '{source}-12-31'")
    psql(url, "ANALYZE")


def copy_database(name: str, env: dict[str, str], args) -> dict[str, str]:
    if name == "SQLite":
        src = Path(env["OPORA_HOME"])
        db = sqlite3.connect(src / "opora.sqlite3")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
        dst = Path(tempfile.gettempdir()) / "opora-bench-hist"
        shutil.rmtree(dst, ignore_errors=True)
        dst.mkdir()
        for f in ("opora.sqlite3", "secret_key"):
            if (src / f).exists():
                shutil.copy2(src / f, dst / f)
        return child_env(dst)
    url = env["DATABASE_URL"]
    source_db, copy_db = url.rsplit("/", 1)[1], args.pg_copy
    psql(url, f"DROP DATABASE IF EXISTS {copy_db}", database="postgres")
    psql(url, f"CREATE DATABASE {copy_db} TEMPLATE {source_db}", database="postgres")
    return child_env(env["OPORA_HOME"], url.rsplit("/", 1)[0] + "/" + copy_db)


def drop_copy(name: str, env: dict[str, str], args) -> None:
    if args.keep:
        return
    if name == "SQLite":
        shutil.rmtree(env["OPORA_HOME"], ignore_errors=True)
    else:
        psql(env["DATABASE_URL"], f"DROP DATABASE IF EXISTS {args.pg_copy}", database="postgres")


def measure_history(args) -> str:
    machine = Machine()
    if "postgresql" in args.databases or "pg" in args.databases:
        machine.extra.append(pg_version(args.pg_url) + " on 127.0.0.1")
    rows = []
    for name, env in databases(args):
        copy_env = copy_database(name, env, args)
        try:
            started = time.perf_counter()
            add_years(copy_env, name, args)
            inserted = time.perf_counter() - started
            rebuild = run([opora_bin(), "aggregates", "--rebuild", "--organisation", args.organisation], copy_env)
            print(f"{name}: extra years inserted in {inserted:.1f} s, aggregates rebuilt in {rebuild.wall:.1f} s",
                  flush=True)
            wait_for_quiet(args.wait_quiet, args.wait_minutes)
            for label, e in ((f"{args.year - 1}–{args.year}", env),
                             (f"{args.year - 1 - args.extra_years}–{args.year}", copy_env)):
                lines, _year_lines, services = journal_facts(e)
                api_cold(e, "json", args, warm_runs=0)  # unmeasured
                rs = [api_cold(e, "json", args) for _ in range(args.runs)]
                cold = [r["cold"] for r in rs]
                print(f"  {label}: {thousands(lines)} lines; cold " + ", ".join(secs(c) for c in cold), flush=True)
                rows.append([name, label, thousands(lines), thousands(services),
                             secs(median(cold)), secs(median([r["first_request"] for r in rs])),
                             secs(median([w for r in rs for w in r["warm"]]))])
            rows[-1].append(f"{rebuild.wall:.1f} s")
            rows[-2].append("—")
        finally:
            drop_copy(name, copy_env, args)
    machine.finish()
    header = ["database", "journal years", "journal lines", f"services in {args.year}", "API cold JSON",
              "of it: first request", "API warm JSON", "`opora aggregates --rebuild`"]
    return "\n".join([
        f"#### Years of history (annual {args.year}, JSON, {args.runs} runs each)", "",
        f"Command: `python benchmarks/report_speed.py history --runs {args.runs} --extra-years {args.extra_years}`",
        "", *machine.lines(), "", table(header, rows)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["speed", "history"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sqlite-home", default="/tmp/opora-bench")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/h_bench")
    parser.add_argument("--pg-home", default="/tmp/opora-bench-pg", help="OPORA_HOME (secret key) for PostgreSQL")
    parser.add_argument("--pg-copy", default="h_bench_hist", help="the copy made by `history`")
    parser.add_argument("--organisation", default="demo")
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--user", default="director")
    parser.add_argument("--extra-years", type=int, default=4)
    parser.add_argument("--build", action="store_true", help="build the centre demo first (--reset)")
    parser.add_argument("--keep", action="store_true", help="keep the history copy")
    parser.add_argument("--wait-quiet", type=float, default=0.0, help="wait for a 1-min load average below this")
    parser.add_argument("--wait-minutes", type=float, default=25.0)
    parser.add_argument("--markdown", help="also write the Markdown block to this file")
    args = parser.parse_args()
    YEAR[0] = args.year
    text = measure_speed(args) if args.what == "speed" else measure_history(args)
    write_markdown(args.markdown, text)


if __name__ == "__main__":
    main()
