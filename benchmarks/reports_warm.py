"""Warm build time of every report of a centre-year (issue 10's goal: each under 0.3 s), and its number of queries.

    OPORA_HOME=/tmp/opora-reports-bench opora demo --size centre --no-serve --reset
    OPORA_HOME=/tmp/opora-reports-bench python benchmarks/reports_warm.py [--runs 5] [--organisation demo]
        [--year 2020] [--period year|q2|…] [--reports ID,ID]

The Ukrainian centre (issue 17): `opora demo --jurisdiction ua --no-serve`, then
    python benchmarks/reports_warm.py --organisation demo_ua --year 2021 --period h1 --reports halfyear_note

In one process: each report is built once unmeasured, then --runs times (build + JSON render); the median and the
best are printed with the queries of one build, and the median CPU time of the process (on SQLite the database's
work too: a figure that a loaded machine inflates much less than the wall time). The load average is printed before
and after. Set OPORA_REPORT_CACHE_SECONDS=0, or the runs after the first are read from the report cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--organisation", default="demo")
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--period", default="year")
    parser.add_argument("--plan", default="wp2020", help="the plan of plan_execution (the demo's work plan)")
    parser.add_argument("--reports", default="", help="only these report ids, separated by commas (default: all)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opora.lib.periods import parse_period
    from opora.org.models import Organisation
    from opora.reports.registry import all_generators, build_report, system_actor
    from opora.reports.render import render

    org = Organisation.objects.get(code=args.organisation)
    actor = system_actor([org])
    period = parse_period({"year": str(args.year), "period": args.period})
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("| report | median, s | best, s | CPU median, s | queries |")
    print("|---|---|---|---|---|")
    for generator in all_generators():
        if not generator.is_available_to(actor, org):
            continue
        if args.reports and generator.id not in args.reports.split(","):
            continue
        options = {"plan": args.plan} if generator.id == "plan_execution" else None
        render(build_report(generator.id, [org], period, actor=actor, options=options), "json")
        times, cpu = [], []
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            render(build_report(generator.id, [org], period, actor=actor, options=options), "json")
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        with CaptureQueriesContext(connection) as queries:
            build_report(generator.id, [org], period, actor=actor, options=options)
        print(f"| {generator.id} | {statistics.median(times):.3f} | {min(times):.3f} | {statistics.median(cpu):.3f} "
              f"| {len(queries)} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
