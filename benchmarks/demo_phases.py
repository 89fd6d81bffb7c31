"""Where the centre demo's build spends its time (issue 11: `opora demo` under a minute): wall time of each phase.

    python benchmarks/demo_phases.py [--runs 1] [--today YYYY-MM-DD]

Each run builds the `centre` demo into a fresh SQLite database in a temporary OPORA_HOME, as `opora demo` does (the
schema in one pass, then the build in SQLite's build mode), with timers wrapped around the builder's phases: the
people and the casework generated, the later years, the registry and casework rows written, the journal (its rows
prepared and inserted, its indexes re-created, its monthly aggregates stored), the charges and the other domains.
Phases nest (the journal holds its aggregates), so they do not add up to the total. No profiler: the figures are
the build's own wall time. Print one block per run, with the load average before and after; compare only runs
taken together (this VM's speed varies by ±15 % from one quarter of an hour to the next).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

CHILD = r'''
import contextlib, datetime, functools, json, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
import django
django.setup()
from opora.core import schema
from opora.core.db import sqlite_build_mode
from opora.delivery import aggregates, bulk
from opora.demo import activities, builder, casework, fieldwork, later, money, outreach, quality

spent = {}


def timed(owner, name, label):
    function = getattr(owner, name)

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.perf_counter() - began

    setattr(owner, name, wrapper)


original_rebuilt = bulk._indexes_rebuilt


@contextlib.contextmanager
def rebuilt(*args, **kwargs):
    manager = original_rebuilt(*args, **kwargs)
    manager.__enter__()
    began = time.perf_counter()
    try:
        yield
    finally:
        spent["journal: rows inserted"] = spent.get("journal: rows inserted", 0.0) + time.perf_counter() - began
        began = time.perf_counter()
        manager.__exit__(None, None, None)
        spent["journal: indexes re-created"] = time.perf_counter() - began


bulk._indexes_rebuilt = rebuilt
timed(builder._Generator, "generate_people", "people generated")
timed(casework.Casework, "generate", "casework 2019-2020 generated")
timed(later, "extend", "later years generated")
timed(builder, "_bulk", "registry and casework rows written")
timed(casework, "insert_lines", "journal (rows prepared + everything below)")
timed(aggregates, "store_counted", "journal: monthly aggregates stored")
timed(casework, "make_charges", "charges")
timed(casework, "make_payments", "payments")
for module, label in ((money, "money"), (fieldwork, "fieldwork"), (quality, "quality"), (activities, "activities"),
                      (outreach, "outreach")):
    timed(module, "build", label)
today = datetime.date.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else None
began = time.perf_counter()
with sqlite_build_mode(fresh=True):
    schema.create_fresh()
spent["schema"] = time.perf_counter() - began
began, cpu = time.perf_counter(), time.process_time()
with sqlite_build_mode(fresh=True):
    builder.build_demo("centre", today=today)
spent["build (total)"] = time.perf_counter() - began
spent["build CPU (this process)"] = time.process_time() - cpu
print(json.dumps(spent))
'''


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--today", default="", help="the demo's today (default: the real date)")
    args = parser.parse_args()
    import json
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="opora-demo-phases-") as home:
            before = os.getloadavg()[0]
            env = {**os.environ, "OPORA_HOME": home}
            env.pop("DATABASE_URL", None)
            done = subprocess.run([sys.executable, "-c", CHILD, *([args.today] if args.today else [])], env=env,
                                  capture_output=True, text=True, check=True)
            spent = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"run {run}: load average {before:.2f} -> {os.getloadavg()[0]:.2f}")
            for label, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
                print(f"  {seconds:7.2f} s  {label}")


if __name__ == "__main__":
    main()
