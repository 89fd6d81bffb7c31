"""What the optional column `deliveries.trip_code` (and the file `brigade_trips`) costs the journal's import.

    python benchmarks/import_trip_code.py [--lines 120000] [--runs 2] [--baseline /work/main/src]

It writes the exchange directory of benchmarks/import_speed.py at a smaller size (--lines journal lines), then
times `opora import DIR --quiet` on a fresh SQLite database (wall and the subprocess's CPU, start-up included):
  A  the directory as it is (no trip_code column), with this tree's code;
  A0 the same with the code of --baseline (before the column existed), when given;
  B  the same journal with a `trip_code` column (empty but on ~1 line in 400: the urgent department's lines
     of the busiest days, on 36 trips of brigade_trips.csv).
It prints the medians as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_speed import CPU, SRC, generate, opora  # noqa: E402


def with_trips(source: Path, target: Path, trips: int = 36) -> int:
    """Copy `source` to `target` adding trip_code to the journal and a brigade_trips file; answers the lines
    joined to trips."""
    shutil.copytree(source, target)
    path = target / "deliveries.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=";,")
        rows = list(csv.reader(fh, dialect))
    header, body = rows[0], rows[1:]
    urgent = [r for r in body if r[1] == "urgent"]
    days = [d for d, _n in Counter(r[3] for r in urgent).most_common(trips)]
    code_of = {d: f"mb-{i:02d}" for i, d in enumerate(sorted(days), start=1)}
    joined = 0
    out = []
    for r in body:
        code = code_of.get(r[3], "") if r[1] == "urgent" else ""
        joined += bool(code)
        out.append([*r, code])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow([*header, "trip_code"])
        w.writerows(out)
    with open(target / "brigade_trips.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["code", "date", "settlement", "members", "purpose"])
        for d, code in sorted(code_of.items()):
            w.writerow([code, d, "Михайловка", "", "выезд"])
    return joined


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=120_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--baseline", help="the src/ of the code before the column (e.g. /work/main/src)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="opora-trip-bench-") as tmp:
        plain = Path(tmp) / "plain"
        plain.mkdir()
        size = generate(plain, args.seed, args.lines)
        joined = with_trips(plain, Path(tmp) / "trips")
        print(f"data: {size['deliveries']:,} journal lines; {joined} of them on trips", flush=True)
        cases = [("A: no trip_code", plain, str(SRC)), ("B: trip_code + brigade_trips", Path(tmp) / "trips",
                                                         str(SRC))]
        if args.baseline:
            cases.insert(0, ("A0: no trip_code, baseline code", plain, args.baseline))
        results = []
        for label, data, src in cases:
            walls, cpus = [], []
            for run in range(args.runs):
                home = Path(tmp) / f"home-{len(results)}-{run}"
                home.mkdir()
                env = {**os.environ, "OPORA_HOME": str(home), "PYTHONPATH": src}
                env.pop("DATABASE_URL", None)
                opora(["migrate", "-v", "0"], env)
                wall, line = opora(["import", str(data), "--quiet"], env)
                walls.append(wall)
                cpus.append(CPU[-1])
                print(f"{label} run {run + 1}: {wall:.1f} s wall, CPU {CPU[-1]:.1f} s ({line}); "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
            results.append((label, statistics.median(walls), statistics.median(cpus)))
    print()
    print(f"| case ({size['deliveries']:,} lines, SQLite) | wall (median of {args.runs}) | client CPU |")
    print("|---|---|---|")
    for label, wall, cpu in results:
        print(f"| {label} | {wall:.1f} s | {cpu:.1f} s |")


if __name__ == "__main__":
    main()
