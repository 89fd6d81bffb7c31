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

`--first` (issue 18: a download under 1 s, the first of each format of a data version too): for every report and
each of `--years` (default 2019,2020), with the report cache off, the ReportDocument is built once (CPU, wall,
queries) and then rendered once in each download format (`--formats`, default docx,xlsx,pdf,json), CPU and wall
each: what the first download of a format costs when the preview already built the document (the render) and when
nothing did (build + render). One unmeasured render of every format precedes the runs (the imports of python-docx,
openpyxl and ReportLab, as in a running server). `--runs` repeats each render (median; the build once).
`--markdown FILE` also writes the table there; `--save DIR` keeps every rendered file (REPORT_YEAR.FORMAT), to compare
the output of two versions of the renderers.

    OPORA_HOME=/tmp/opora-render python benchmarks/reports_warm.py --first [--years 2019,2020] [--runs 1]
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
    parser.add_argument("--first", action="store_true", help="build once, render once per format (see above)")
    parser.add_argument("--years", default="2019,2020", help="--first: the years, separated by commas")
    parser.add_argument("--formats", default="docx,xlsx,pdf,json", help="--first: the formats")
    parser.add_argument("--markdown", default="", help="--first: write the table to this file too")
    parser.add_argument("--save", default="", help="--first: keep the rendered files in this folder")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    if args.first:
        os.environ["OPORA_REPORT_CACHE_SECONDS"] = "0"  # every build and render is a first one
        django.setup()
        first_downloads(args)
        return
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


def _timed(call, *args, **kwargs):  # type: ignore[no-untyped-def]
    start, start_cpu = time.perf_counter(), time.process_time()
    result = call(*args, **kwargs)
    return result, time.perf_counter() - start, time.process_time() - start_cpu


def first_downloads(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opora.lib.periods import parse_period
    from opora.org.models import Organisation
    from opora.reports.registry import all_generators, build_report, system_actor
    from opora.reports.render import render

    org = Organisation.objects.get(code=args.organisation)
    actor = system_actor([org])
    formats = args.formats.split(",")
    years = [int(y) for y in args.years.split(",")]
    generators = [g for g in all_generators() if g.is_available_to(actor, org)
                  and (not args.reports or g.id in args.reports.split(","))]

    def options(report_id: str) -> dict[str, str] | None:
        return {"plan": args.plan} if report_id == "plan_execution" else None

    warm = build_report(generators[0].id, [org], parse_period({"year": str(years[0]), "period": args.period}),
                        actor=actor, options=options(generators[0].id))
    for fmt in formats:  # the imports, once (a running server has them)
        render(warm, fmt)
    load_before = os.getloadavg()
    header = ["report", "year", "queries", "build CPU / wall, ms"] + [f"{f} CPU / wall, ms" for f in formats] + [
        "first download, worst format: build + render CPU, ms"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    print(lines[0], flush=True)
    print(lines[1], flush=True)
    totals: dict[str, list[float]] = {f: [] for f in ["build", *formats]}
    for generator in generators:
        for year in years:
            period = parse_period({"year": str(year), "period": args.period})
            with CaptureQueriesContext(connection) as queries:
                doc, wall, cpu = _timed(build_report, generator.id, [org], period, actor=actor,
                                         options=options(generator.id))
            cells = [generator.id, str(year), str(len(queries)), f"{cpu * 1000:.0f} / {wall * 1000:.0f}"]
            totals["build"].append(cpu)
            worst = 0.0
            for fmt in formats:
                timed = [_timed(render, doc, fmt) for _ in range(max(args.runs, 1))]
                runs = [t[1:] for t in timed]
                if args.save:
                    os.makedirs(args.save, exist_ok=True)
                    with open(os.path.join(args.save, f"{generator.id}_{year}.{fmt}"), "wb") as out:
                        out.write(timed[0][0])
                r_wall = statistics.median(w for w, _c in runs)
                r_cpu = statistics.median(c for _w, c in runs)
                totals[fmt].append(r_cpu)
                worst = max(worst, r_cpu)
                cells.append(f"{r_cpu * 1000:.0f} / {r_wall * 1000:.0f}")
            cells.append(f"{(cpu + worst) * 1000:.0f}")
            line = "| " + " | ".join(cells) + " |"
            lines.append(line)
            print(line, flush=True)
    summary = ", ".join(f"{k} max {max(v) * 1000:.0f} ms CPU" for k, v in totals.items() if v)
    load = "load average before: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}".format(*load_before,
                                                                                           *os.getloadavg())
    lines += ["", summary, load]
    print(summary)
    print(load)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
