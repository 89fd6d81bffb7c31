"""Throughput of `opora import DIR` on a year of a large centre (goal: ~530 000 journal lines in < 60 s).

    python benchmarks/import_speed.py [--runs 3] [--seed 2020] [--databases sqlite,postgresql]

It writes (deterministically, from the seed) an exchange directory into a temporary folder: one
organisation, 9 departments, ~150 workers, ~4 000 recipients with their enrolments, the 54 services of
catalogue/defaults.py and ~530 000 deliveries for 2020 (home care by far the largest; urgent, day
stay and social adaptation smaller), then for each database and each run: a fresh database
(SQLite: a new OPORA_HOME; PostgreSQL: DROP/CREATE DATABASE of --pg-url), `opora migrate`, and
times `opora import DIR --quiet` as a subprocess (wall time, start-up included), then the same import
again (the idempotent run: nothing created or updated). It prints the median of the runs, the
machine and the data size, as a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
sys.path.insert(0, str(SRC))

from opora.catalogue.defaults import DEFAULT_SERVICES  # noqa: E402
from opora.lib.snils import with_checksum  # noqa: E402

YEAR = 2020
CPU: list[float] = []  # CPU seconds of each `opora` subprocess, in order
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)

# code, name, kind, share of recipients, form, services per person per working day (mean)
DEPARTMENTS = [
    ("home1", "Отделение социального обслуживания на дому №1", "home_care", 0.14, "home"),
    ("home2", "Отделение социального обслуживания на дому №2", "home_care", 0.14, "home"),
    ("home3", "Отделение социального обслуживания на дому №3", "home_care", 0.14, "home"),
    ("home4", "Отделение социального обслуживания на дому №4", "home_care", 0.13, "home"),
    ("home5", "Отделение социального обслуживания на дому №5", "home_care", 0.13, "home"),
    ("urgent", "Отделение срочного социального обслуживания", "urgent", 0.17, "urgent"),
    ("day", "Отделение дневного пребывания", "day_stay", 0.07, "semi_stationary"),
    ("adapt", "Отделение социальной адаптации", "social_adaptation", 0.08, "semi_stationary"),
    ("admin", "Администрация", "administration", 0.0, ""),
]
MALE = [("Иванов", "Иван", "Петрович"), ("Смирнов", "Алексей", "Иванович"), ("Кузнецов", "Николай", "Сергеевич"),
        ("Попов", "Виктор", "Андреевич"), ("Соколов", "Юрий", "Михайлович"), ("Лебедев", "Геннадий", "Павлович")]
FEMALE = [("Иванова", "Мария", "Петровна"), ("Смирнова", "Анна", "Ивановна"), ("Кузнецова", "Нина", "Сергеевна"),
          ("Попова", "Валентина", "Андреевна"), ("Соколова", "Галина", "Михайловна"),
          ("Лебедева", "Зинаида", "Павловна"), ("Фёдорова", "Алёна", "Егоровна")]
CATEGORIES = ["pensioner", "disabled_1", "disabled_2", "disabled_3", "labour_veteran", "home_front_worker",
              "lonely", "lonely_living", "wwii_widow"]
SETTLEMENTS = [("Тверь", "city"), ("Тверь", "private"), ("Михайловка", "rural"), ("Заречье", "rural"),
               ("Сосновка", "rural")]


def write(directory: Path, name: str, header: list[str], rows: list[list[object]]) -> None:
    with open(directory / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(header)
        w.writerows(rows)


def generate(directory: Path, seed: int, target: int = 530_000) -> dict[str, int]:
    rng = random.Random(seed)
    write(directory, "organisation", ["code", "name", "region", "address", "founder"],
          [["bench", "ГБУ «Комплексный центр социального обслуживания населения»", "Тверская область",
            "г. Тверь, ул. Советская, 1", "Министерство социальной защиты населения Тверской области"]])
    write(directory, "departments", ["code", "name", "kind"], [[c, n, k] for c, n, k, _s, _f in DEPARTMENTS])

    workers: list[list[object]] = []
    by_dept: dict[str, list[str]] = {}

    def worker(dept: str, position: str) -> None:
        tab = f"{len(workers) + 1:04d}"
        last, first, patronymic = rng.choice(FEMALE if rng.random() < 0.9 else MALE)
        hired = datetime.date(rng.randint(2000, 2019), rng.randint(1, 12), rng.randint(1, 28))
        workers.append([tab, f"{last} {first} {patronymic}", position, dept, hired.isoformat(), ""])
        if position in ("social_worker", "social_work_specialist"):
            by_dept.setdefault(dept, []).append(tab)

    for position in ("director", "deputy_director", "accountant", "accountant", "lawyer", "hr_specialist", "driver"):
        worker("admin", position)
    for code, _n, kind, _s, _f in DEPARTMENTS[:-1]:
        worker(code, "department_head")
        count = 24 if kind == "home_care" else 4
        for _ in range(count):
            worker(code, "social_worker" if kind == "home_care" else "social_work_specialist")
    while len(workers) < 150:
        worker(rng.choice(["day", "adapt"]), rng.choice(["psychologist", "cultural_organiser", "medical_nurse"]))
    write(directory, "workers", ["tab_no", "full_name", "position", "department_code", "hired_on", "dismissed_on"],
          workers)

    recipients, enrolments = [], []
    people: list[tuple[str, str, datetime.date, datetime.date, str]] = []  # id, dept, from, to, worker
    n = 4000
    snils_used: set[str] = set()
    for i in range(n):
        ext = f"P{i + 1:05d}"
        female = rng.random() < 0.7
        last, first, patronymic = rng.choice(FEMALE if female else MALE)
        birth = datetime.date(rng.randint(1925, 1960), rng.randint(1, 12), rng.randint(1, 28))
        while True:
            nine = f"{rng.randint(2_000_000, 999_999_999):09d}"
            if nine not in snils_used:
                snils_used.add(nine)
                break
        settlement, sector = rng.choice(SETTLEMENTS)
        cats = "|".join(sorted(set(rng.sample(CATEGORIES, rng.randint(1, 3)))))
        recipients.append([ext, last, first, patronymic, "F" if female else "M", birth.isoformat(),
                           with_checksum(nine), settlement, sector, cats])
        dept = rng.choices([d for d in DEPARTMENTS[:-1]], weights=[d[3] for d in DEPARTMENTS[:-1]])[0]
        code, _name, kind, _share, form = dept
        if kind == "urgent":
            people.append((ext, code, START, END, ""))
            continue
        admitted = datetime.date(rng.randint(2014, 2020), rng.randint(1, 12), rng.randint(1, 28))
        if admitted.year == YEAR and admitted.month > 10:
            admitted = admitted.replace(year=2019)
        discharged = None
        if rng.random() < 0.12:
            discharged = max(admitted, START) + datetime.timedelta(days=rng.randint(30, 300))
            discharged = min(discharged, END)
        tab = rng.choice(by_dept[code])
        enrolments.append([ext, code, form, admitted.isoformat(), discharged.isoformat() if discharged else "",
                           rng.choice(["own_request", "death", "moved_away"]) if discharged else "", tab])
        people.append((ext, code, max(admitted, START), discharged or END, tab))
    write(directory, "recipients", ["external_id", "last_name", "first_name", "patronymic", "sex", "birth_date",
                                    "snils", "settlement", "sector", "categories"], recipients)
    write(directory, "enrolments", ["recipient_id", "department_code", "form", "admitted_on", "discharged_on",
                                    "discharge_reason", "worker_tab_no"], enrolments)
    write(directory, "services", ["code", "name", "type", "list", "unit", "tariff", "time_norm_min"],
          [[c, name, t, lst, unit, tariff, norm if norm is not None else ""]
           for c, name, t, lst, unit, norm, tariff in DEFAULT_SERVICES])

    home_basic = [s[0] for s in DEFAULT_SERVICES if s[3] == "basic" and s[2] in ("household", "medical")]
    home_extra = [s[0] for s in DEFAULT_SERVICES if s[3] == "additional" and s[2] != "urgent"]
    day_services = [s[0] for s in DEFAULT_SERVICES if s[3] == "basic" and s[2] in
                    ("psychological", "pedagogical", "labour", "communicative", "medical")]
    urgent_services = [s[0] for s in DEFAULT_SERVICES if s[2] == "urgent"]
    kind_of = {d[0]: d[2] for d in DEPARTMENTS}
    # Per person per week: home care ≈ 3 visits × ~1.9 services; day stay and adaptation lighter.
    days = [START + datetime.timedelta(days=k) for k in range((END - START).days + 1)]
    workdays = [d for d in days if d.weekday() < 5]
    deliveries: list[list[object]] = []
    for ext, code, start, end, tab in people:
        kind = kind_of[code]
        if kind == "urgent":
            for _ in range(rng.randint(1, 3)):
                day = rng.choice(days)
                deliveries.append([ext, code, rng.choice(urgent_services), day.isoformat(), 1, "", ""])
            continue
        own = [d for d in workdays if start <= d <= end]
        if kind == "home_care":
            visits = [d for d in own if rng.random() < 0.28]
            for day in visits:
                for _ in range(rng.choice((2, 3, 3, 4))):
                    deliveries.append([ext, code, rng.choice(home_basic), day.isoformat(), 1, tab, ""])
                if rng.random() < 0.04:
                    deliveries.append([ext, code, rng.choice(home_extra), day.isoformat(), rng.randint(1, 3), tab, ""])
        else:
            for day in own:
                if rng.random() < 0.3:
                    deliveries.append([ext, code, rng.choice(day_services), day.isoformat(), 1, tab, ""])
    # Trim or pad deterministically to about the target.
    if len(deliveries) > target:
        deliveries = deliveries[:target]
    write(directory, "deliveries", ["recipient_id", "department_code", "service_code", "date", "quantity",
                                    "worker_tab_no", "amount"], deliveries)
    per_dept: dict[str, int] = {}
    for d in deliveries:
        per_dept[str(d[1])] = per_dept.get(str(d[1]), 0) + 1
    write(directory, "assignment", ["department_code", "year", "services_plan", "recipients_plan"],
          [[c, YEAR, per_dept.get(c, 0) // 100 * 100, 100] for c, *_rest in DEPARTMENTS[:-1]])
    return {"recipients": len(recipients), "workers": len(workers), "enrolments": len(enrolments),
            "services": len(DEFAULT_SERVICES), "deliveries": len(deliveries), "departments": len(DEPARTMENTS),
            "bytes": sum(p.stat().st_size for p in directory.iterdir())}


def opora(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Run `opora ARGS`; return the wall time and the command's last line (its CPU time is added to CPU)."""
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "opora", *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"opora {' '.join(args)} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
    return seconds, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def fresh_postgres(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/h_exchange")
    parser.add_argument("--keep", help="write the exchange directory here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="opora-bench-") as tmp:
        data = Path(args.keep) if args.keep else Path(tmp) / "exchange"
        data.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        size = generate(data, args.seed)
        print(f"generated in {time.perf_counter() - t0:.1f} s: {size}", flush=True)
        results = []
        for database in args.databases.split(","):
            first, second = [], []
            for run in range(args.runs):
                home = Path(tmp) / f"home-{database}-{run}"
                home.mkdir()
                env = {**os.environ, "OPORA_HOME": str(home), "PYTHONPATH": str(SRC)}
                if database == "postgresql":
                    fresh_postgres(args.pg_url)
                    env["DATABASE_URL"] = args.pg_url
                else:
                    env.pop("DATABASE_URL", None)
                opora(["migrate", "-v", "0"], env)
                s1, line1 = opora(["import", str(data), "--quiet"], env)
                c1 = CPU[-1]
                s2, line2 = opora(["import", str(data), "--quiet"], env)
                c2 = CPU[-1]
                load = os.getloadavg()[0]
                print(f"{database} run {run + 1}: first {s1:.1f} s (CPU {c1:.1f} s; {line1}); "
                      f"again {s2:.1f} s (CPU {c2:.1f} s; {line2}); load average {load:.1f}", flush=True)
                first.append((s1, c1))
                second.append((s2, c2))
            results.append((database, statistics.median(s for s, _c in first), statistics.median(c for _s, c in first),
                            statistics.median(s for s, _c in second), statistics.median(c for _s, c in second)))
    print()
    print(f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"Data: {size['deliveries']:,} deliveries, {size['recipients']:,} recipients, {size['enrolments']:,} "
          f"enrolments, {size['workers']} workers, {size['departments']} departments, {size['services']} services; "
          f"{size['bytes'] / 1e6:.1f} MB of CSV")
    print()
    print(f"| database | first import: wall (median of {args.runs}) | its client CPU | "
          f"same files again: wall | its client CPU |")
    print("|---|---|---|---|---|")
    for database, a, ca, b, cb in results:
        print(f"| {database} | {a:.1f} s | {ca:.1f} s | {b:.1f} s | {cb:.1f} s |")


if __name__ == "__main__":
    main()
