"""Where a page's time goes (issue 18): queries and time of the pages of the load mix, one request at a time.

    opora demo --size centre --no-serve                     # once, in the database of OPORA_HOME/DATABASE_URL
    python benchmarks/page_profile.py [--runs 3] [--profile "caseload of a day"]

Each page of benchmarks/load.py is asked through Django's test client as the demo login of its role (the same
middleware, views and templates as the server, without the network): the number of SQL queries
(CaptureQueriesContext), their time and the page's time (median of --runs after one warm-up). `--profile NAME`
prints the cProfile of that page's warm requests (top functions by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
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
    ("API recipients search", "specialist", "/api/v1/recipients?q=Ив"),
    ("charges of a month", "accountant", "/billing/charges/?month=2020-11"),
    ("balances", "accountant", "/billing/balances/"),
    ("account of a person", "accountant", "/billing/person/{account}/"),
    ("report preview (annual)", "director", "/reports/?report=annual&year=2020&period=year"),
    ("report download (annual docx)", "director", "/reports/annual.docx?year=2020&period=year"),
    ("report download (annual xlsx)", "director", "/reports/annual.xlsx?year=2020&period=year"),
]
SOURCES = {
    "enrolment": ("caseload of a day", r"enrolment=(\d+)"),
    "recipient": ("monthly grid (people)", r"recipient=(\d+)"),
    "person": ("people search (page)", r'href="/people/(\d+)/"'),
    "account": ("charges of a month", r'href="/billing/person/(\d+)/"'),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", help="the name of a page to profile")
    parser.add_argument("--only", help="only the pages whose name contains this")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from opora.accounts.models import User

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
        contents[name] = client.get(path).content.decode(errors="replace")  # warm-up
        if args.only and args.only not in name:
            continue
        times, cpu, sql = [], [], []
        profiler = cProfile.Profile() if args.profile == name else None
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                answer = client.get(path)
                if profiler:
                    profiler.disable()
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            assert answer.status_code == 200, (name, path, answer.status_code)
            sql.append((len(queries.captured_queries), sum(float(q["time"]) for q in queries.captured_queries) * 1000))
        print(
            f"{name:<34} {sql[-1][0]:>7} {statistics.median(s[1] for s in sql):>8.1f} {statistics.median(times):>8.1f}"
            f" {statistics.median(cpu):>8.1f}"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(45)
    return 0


if __name__ == "__main__":
    sys.exit(main())
