"""Where a page's time goes (issue 18): queries and time of the pages of the load mix, one request at a time.

    opora demo --size centre --no-serve                     # once, in the database of OPORA_HOME/DATABASE_URL
    python benchmarks/page_profile.py [--runs 3] [--profile "caseload of a day"]

Each page of benchmarks/load.py is asked through Django's test client as the demo login of its role (the same
middleware, views and templates as the server, without the network): the number of SQL queries
(CaptureQueriesContext), their time and the page's time (median of --runs after one warm-up). `--profile NAME`
prints the cProfile of that page's warm requests (top functions by cumulative time); `--profile mix` the cProfile
of every page's warm requests, each page's runs in proportion to its share of the mix.

"visit written" posts one service of the visit form's programme for a working day of Oct–Dec 2020 (as the load
test does; a day already recorded answers with the form and the journal's refusal): it writes into the demo.
The last line is the load mix's weighted CPU and queries per request (MIX: the share of each request in the load
test's requests, from its people's weights and tasks), the figure the saturation throughput follows.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import re
import statistics
import sys
import time
from pathlib import Path

PAGES = [  # (name, login, path); {x} is the first id the page named by SOURCES[x] links to
    ("dashboard (director)", "director", "/"),
    ("dashboard (social worker)", "social_worker", "/"),
    ("caseload of a day", "social_worker", "/journal/today/?date=2020-12-15"),
    ("visit form", "social_worker", "/journal/today/?date=2020-12-15&enrolment={enrolment}"),
    ("monthly grid (people)", "department_head", "/journal/grid/?month=2020-11"),
    ("monthly grid of a person", "department_head", "/journal/grid/?month=2020-11&recipient={recipient}"),
    ("applications", "department_head", "/intake/"),
    ("people search (page)", "specialist", "/people/?q=Ив"),
    ("person card", "specialist", "/people/{person}/"),
    ("API recipients search", "specialist", "/api/v1/recipients?search=Ив"),
    ("API recipient", "specialist", "/api/v1/recipients/{api_person}"),
    ("charges of a month", "accountant", "/billing/charges/?month=2020-11"),
    ("balances", "accountant", "/billing/balances/"),
    ("account of a person", "accountant", "/billing/person/{account}/"),
    ("report preview (annual)", "director", "/reports/?report=annual&year=2020&period=year"),
    ("report download (annual docx)", "director", "/reports/annual.docx?year=2020&period=year"),
    ("report download (annual xlsx)", "director", "/reports/annual.xlsx?year=2020&period=year"),
    ("visit written", "social_worker", "POST /journal/today/"),
]
# The share of each request in benchmarks/load.py's mix: a person's weight × the requests of their tasks (a task's
# weight × its requests), per person normalised to one request; the dashboard of both roles counted apart.
_PEOPLE = {  # weight: {request: per task round}
    30: {"caseload of a day": 6, "visit form": 6, "visit written": 6, "dashboard (social worker)": 1},
    7: {"monthly grid (people)": 3, "monthly grid of a person": 3, "people search (page)": 2, "person card": 2,
        "applications": 1},
    6: {"people search (page)": 3, "person card": 3, "API recipients search": 2, "API recipient": 2},
    4: {"charges of a month": 3, "account of a person": 3, "balances": 1},
    3: {"dashboard (director)": 3, "report preview (annual)": 2, "report download (annual docx)": 0.5,
        "report download (annual xlsx)": 0.5, "people search (page)": 1, "person card": 1},
}
MIX: dict[str, float] = {}
for _weight, _requests in _PEOPLE.items():
    for _name, _n in _requests.items():
        MIX[_name] = MIX.get(_name, 0.0) + _weight * _n / sum(_requests.values())
MIX = {name: share / sum(MIX.values()) for name, share in MIX.items()}
SOURCES = {
    "enrolment": ("caseload of a day", r"enrolment=(\d+)"),
    "recipient": ("monthly grid (people)", r"recipient=(\d+)"),
    "person": ("people search (page)", r'href="/people/(\d+)/"'),
    "account": ("charges of a month", r'href="/billing/person/(\d+)/"'),
    "api_person": ("API recipients search", r'"id": ?(\d+)'),
}


def _visit_data(client, rng) -> dict[str, str]:  # noqa: ANN001 - a django.test.Client, a random.Random
    """A visit as load.py posts it: a working day of Oct–Dec 2020, a person of that day's caseload, one service."""
    import datetime

    while True:
        day = datetime.date(2020, rng.randint(10, 12), rng.randint(1, 28))
        if day.weekday() >= 5:
            continue
        caseload = client.get(f"/journal/today/?date={day.isoformat()}").content.decode()
        enrolments = re.findall(r"enrolment=(\d+)", caseload)
        if not enrolments:
            continue
        enrolment = rng.choice(enrolments)
        form = client.get(f"/journal/today/?date={day.isoformat()}&enrolment={enrolment}").content.decode()
        services = re.findall(r'name="q-(\d+)"', form)
        if services:
            return {"date": day.isoformat(), "enrolment": enrolment, f"q-{rng.choice(services)}": "1"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", help="the name of a page to profile, or 'mix': every page in the mix's proportion")
    parser.add_argument("--only", help="only the pages whose name contains this")
    parser.add_argument("--sql", action="store_true", help="print the SQL of each page's last run (with --only)")
    parser.add_argument("--seed", type=int, default=18, help="the visits' random days and services")
    parser.add_argument("--no-gc-tuning", action="store_true", help="Python's default collector, not opora serve's")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from opora.accounts.models import User

    if not args.no_gc_tuning:  # the serving processes' collector (opora serve)
        from opora.core.management.commands.serve import tune_gc

        tune_gc()
    rng = random.Random(args.seed)
    mix_profiler = cProfile.Profile(time.process_time) if args.profile == "mix" else None
    mix_cpu = mix_queries = 0.0

    clients: dict[str, Client] = {}
    contents: dict[str, str] = {}
    loadavg = Path("/proc/loadavg").read_text().split()[:3]
    print(f"database: {connection.vendor}; load average {' '.join(loadavg)}")
    print(f"{'page':<34} {'queries':>7} {'SQL ms':>8} {'page ms':>8} {'CPU ms':>8}")
    for name, login, path in PAGES:
        for key, (source, pattern) in SOURCES.items():
            if f"{{{key}}}" in path:
                found = re.findall(pattern, contents.get(source, ""))
                path = path.replace(f"{{{key}}}", found[0] if found else "0")
        client = clients.get(login)
        if client is None:
            client = clients[login] = Client(HTTP_HOST="127.0.0.1")
            client.force_login(User.objects.get(username=login))
        post = path.startswith("POST ")
        if not post:  # warm-up, and the ids the next pages open
            contents[name] = client.get(path).content.decode(errors="replace")
        if args.only and args.only not in name:
            continue
        if post:
            client.post(path[5:], _visit_data(client, rng))  # warm-up
        times, cpu, sql = [], [], []
        profiler = cProfile.Profile(time.process_time) if args.profile == name else None
        runs = args.runs
        if mix_profiler:  # every page, its runs in the mix's proportion (the average page: --runs)
            profiler, runs = mix_profiler, max(1, round(MIX.get(name, 0.0) * len(MIX) * args.runs))
        for _ in range(runs):
            data = _visit_data(client, rng) if post else None
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                answer = client.post(path[5:], data) if post else client.get(path)
                if profiler:
                    profiler.disable()
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            assert answer.status_code in ((200, 302) if post else (200,)), (name, path, answer.status_code)
            sql.append((len(queries.captured_queries), sum(float(q["time"]) for q in queries.captured_queries) * 1000))
        if args.sql:
            for query in queries.captured_queries:
                print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:300]}")
        print(
            f"{name:<34} {sql[-1][0]:>7} {statistics.median(s[1] for s in sql):>8.1f} {statistics.median(times):>8.1f}"
            f" {statistics.median(cpu):>8.1f}"
        )
        mix_cpu += MIX.get(name, 0.0) * statistics.median(cpu)
        mix_queries += MIX.get(name, 0.0) * sql[-1][0]
        if profiler and profiler is not mix_profiler:
            pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(45)
    if not args.only:
        print(f"{'the load mix, weighted':<34} {mix_queries:>7.1f} {'':>8} {'':>8} {mix_cpu:>8.1f}")
    if mix_profiler:
        pstats.Stats(mix_profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(60)
    return 0


if __name__ == "__main__":
    sys.exit(main())
