"""Warm build time of every report of a centre-year (issue 10's goal: each under 0.3 s), and its number of queries.

    OPORA_HOME=/tmp/opora-reports-bench opora demo --size centre --no-serve --reset
    OPORA_HOME=/tmp/opora-reports-bench python benchmarks/reports_warm.py [--runs 5] [--organisation demo]
        [--year 2020] [--period year|q2|…] [--reports ID,ID]

The Ukrainian centre (issue 17): `opora demo --jurisdiction ua --no-serve`, then
    python benchmarks/reports_warm.py --organisation demo_ua --year 2021 --period h1 --reports halfyear_note

In one process: each report is built once unmeasured, then --runs times (build + JSON render); the median and the
best are printed with the queries of one build. The load average is printed before and after.
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
    print("| report | median, s | best, s | queries |")
    print("|---|---|---|---|")
    for generator in all_generators():
        if not generator.is_available_to(actor, org):
            continue
        if args.reports and generator.id not in args.reports.split(","):
            continue
        options = {"plan": args.plan} if generator.id == "plan_execution" else None
        render(build_report(generator.id, [org], period, actor=actor, options=options), "json")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            render(build_report(generator.id, [org], period, actor=actor, options=options), "json")
            times.append(time.perf_counter() - start)
        with CaptureQueriesContext(connection) as queries:
            build_report(generator.id, [org], period, actor=actor, options=options)
        print(f"| {generator.id} | {statistics.median(times):.3f} | {min(times):.3f} | {len(queries)} |")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
