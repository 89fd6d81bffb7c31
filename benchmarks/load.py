"""Many users at once (issue 18): a load benchmark of a running `opora serve` on the centre demo.

The staff of a centre, by role, as they work (the demo logins, password `demo`):
- social workers (the most): today's caseload on a date, a person's visit form, a visit written (one service);
- department heads: the monthly grid of their department and of one person, searches and cards;
- specialists: searches of the register (web page and the JSON API) and the cards they lead to;
- the accountant: the charges of a month, the balances, a person's account;
- the director: the dashboard, the annual report's preview (of 2019 or 2020) and the DOCX/XLSX download of the
  last closed year's (2019; the visits are written into 2020, as a centre records the current year).
Each simulated person logs in once (as people do in the morning) and then works with think times of
5–20 s between clicks (`--think realistic`), or none at all (`--think none`: the saturation throughput).

Run (loopback only; the server must be running, e.g. `opora serve --no-migrate`):

    python benchmarks/load.py --users 50 --duration 150                 # a centre's morning
    python benchmarks/load.py --users 24 --duration 90 --think none     # saturation: requests per second

It runs locust headless for a bounded time and prints requests per second and the median and 95th
percentile of pages/API calls and of report downloads (apart), with the load average before and after.
The visits it writes go into the demo's journal (2020): rebuild with `opora demo --no-serve --reset`
when the demo must be pristine again.

On a shared Linux machine the kernel shares the CPU between sessions (autogroup), not processes: a server started
from a busy shell gets that session's share whatever its `nice`. To measure the server rather than the neighbours,
start it and this script in a session of their own, given priority (`setsid sh -c 'echo -10 >
/proc/$$/autogroup; …'`), and say so beside the figures (docs/benchmarks.md, «Where the tail came from»).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, constant, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo")
THINK = os.environ.get("LOAD_THINK", "realistic")
YEAR = 2020
SURNAME_PREFIXES = [
    "Ив",
    "Пет",
    "Смир",
    "Кузн",
    "Попо",
    "Васил",
    "Соко",
    "Михай",
    "Нов",
    "Фёд",
    "Мороз",
    "Волк",
    "Алекс",
    "Лебед",
    "Семён",
    "Егор",
    "Павл",
    "Козл",
    "Степ",
    "Никол",
    "Орл",
    "Андр",
    "Макар",
]
REPORT_DOWNLOAD = "report download"  # the name prefix of the requests judged against the 1 s target

_ENROLMENT = re.compile(r"enrolment=(\d+)")
_QUANTITY = re.compile(r'name="q-(\d+)"')
_RECIPIENT = re.compile(r"recipient=(\d+)")
_PERSON = re.compile(r'href="/people/(\d+)/"')
_BILLING_PERSON = re.compile(r'href="/billing/person/(\d+)/"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# (name, milliseconds, failed, finished at) of every request: exact percentiles, and the throughput after the logins
_SAMPLES: list[tuple[str, float, bool, float]] = []


@events.request.add_listener
def _sample(name: str, response_time: float, exception: BaseException | None = None, **_: object) -> None:
    _SAMPLES.append((name, response_time, exception is not None, time.time()))


@events.quitting.add_listener
def _write_samples(**_: object) -> None:
    path = os.environ.get("LOAD_SAMPLES")
    if path:
        Path(path).write_text(json.dumps(_SAMPLES))


def _wait():  # noqa: ANN202 - locust's wait_time callable
    return constant(0) if THINK == "none" else between(5, 20)


def _working_day(rng: random.Random, months: tuple[int, int] = (1, 12)) -> datetime.date:
    while True:
        day = datetime.date(YEAR, rng.randint(*months), rng.randint(1, 28))
        if day.weekday() < 5:
            return day


class Staff(HttpUser):
    abstract = True
    username = ""
    wait_time = _wait()

    def on_start(self) -> None:
        self.rng = random.Random()
        page = self.client.get("/login/", name="login page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": self.host + "/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login of {self.username} refused: {answer.status_code}")
        del page

    def search_and_card(self) -> None:
        q = self.rng.choice(SURNAME_PREFIXES)
        page = self.client.get("/people/", params={"q": q}, name="people search (page)")
        ids = _PERSON.findall(page.text)
        if ids:
            self.client.get(f"/people/{self.rng.choice(ids)}/", name="person card")

    def api_search(self) -> None:
        q = self.rng.choice(SURNAME_PREFIXES)
        answer = self.client.get("/api/v1/recipients", params={"search": q}, name="API recipients search")
        if answer.ok:
            items = answer.json().get("items") or []
            if items:
                self.client.get(f"/api/v1/recipients/{self.rng.choice(items)['id']}", name="API recipient")


class SocialWorker(Staff):
    weight = 30
    username = "social_worker"

    @task(6)
    def visit(self) -> None:
        day = _working_day(self.rng, (10, 12))
        caseload = self.client.get("/journal/today/", params={"date": day.isoformat()}, name="caseload of a day")
        enrolments = _ENROLMENT.findall(caseload.text)
        if not enrolments:
            return
        enrolment = self.rng.choice(enrolments)
        form = self.client.get(
            "/journal/today/", params={"date": day.isoformat(), "enrolment": enrolment}, name="visit form"
        )
        services = _QUANTITY.findall(form.text)
        token = _CSRF.search(form.text)
        if not services or token is None:
            return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "date": day.isoformat(),
            "enrolment": enrolment,
            f"q-{self.rng.choice(services)}": "1",
        }
        with self.client.post(
            "/journal/today/",
            data=data,
            headers={"Referer": self.host + "/journal/today/"},
            name="visit written",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            # 302: recorded; 200: the form again with the journal's refusal (e.g. over the programme's volume):
            # both are the application working; anything else is an error.
            if answer.status_code not in (200, 302):
                answer.failure(f"visit: {answer.status_code}")

    @task(1)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")


class DepartmentHead(Staff):
    weight = 7
    username = "department_head"

    @task(3)
    def grid(self) -> None:
        month = f"{YEAR}-{self.rng.randint(1, 12):02d}"
        page = self.client.get("/journal/grid/", params={"month": month}, name="monthly grid (people)")
        people = _RECIPIENT.findall(page.text)
        if people:
            self.client.get(
                "/journal/grid/",
                params={"month": month, "recipient": self.rng.choice(people)},
                name="monthly grid of a person",
            )

    @task(2)
    def search(self) -> None:
        self.search_and_card()

    @task(1)
    def applications(self) -> None:
        self.client.get("/intake/", name="applications")


class Specialist(Staff):
    weight = 6
    username = "specialist"

    @task(3)
    def search(self) -> None:
        self.search_and_card()

    @task(2)
    def api(self) -> None:
        self.api_search()


class Accountant(Staff):
    weight = 4
    username = "accountant"

    @task(3)
    def charges(self) -> None:
        page = self.client.get(
            "/billing/charges/", params={"month": f"{YEAR}-{self.rng.randint(1, 12):02d}"}, name="charges of a month"
        )
        people = _BILLING_PERSON.findall(page.text)
        if people:
            self.client.get(f"/billing/person/{self.rng.choice(people)}/", name="account of a person")

    @task(1)
    def balances(self) -> None:
        self.client.get("/billing/balances/", name="balances")


class Director(Staff):
    weight = 3
    username = "director"

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/", name="dashboard")

    @task(2)
    def report(self) -> None:
        # The annual report of the last closed year (2019: the visits written meanwhile are of 2020) or of the
        # current one, whose figures the visits keep changing.
        year, period = self.rng.choice([YEAR - 1, YEAR]), self.rng.choice(["year", "h1", "q4"])
        params = {"report": "annual", "year": str(year), "period": period}
        self.client.get("/reports/", params=params, name="report preview (annual)")

    @task(1)
    def download(self) -> None:
        fmt = self.rng.choice(["docx", "xlsx"])
        self.client.get(
            f"/reports/annual.{fmt}",
            params={"year": str(YEAR - 1), "period": "year"},
            name=f"{REPORT_DOWNLOAD} (annual {fmt})",
        )

    @task(1)
    def search(self) -> None:
        self.search_and_card()


# --- the runner --------------------------------------------------------------------------------------------------


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1)


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its living children (gunicorn's workers)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(proc.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's id
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


class _CpuSampler:
    """Marks (time, CPU seconds of the server) every second while locust runs."""

    def __init__(self, pid: int, marks: list[tuple[float, float]]) -> None:
        import threading

        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(pid, marks), daemon=True)
        self._thread.start()

    def _run(self, pid: int, marks: list[tuple[float, float]]) -> None:
        while not self._stop.wait(1.0):
            marks.append((time.time(), _cpu_seconds(pid)))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=2.0, help="users started per second")
    parser.add_argument("--duration", type=int, default=150, help="seconds (after which locust stops)")
    parser.add_argument("--think", choices=["realistic", "none"], default="realistic")
    parser.add_argument("--out", help="write the summary as JSON to this file")
    parser.add_argument(
        "--server-pid",
        type=int,
        help="the server's process id: its CPU time (and its children's) per request after the logins",
    )
    args = parser.parse_args(argv)
    if urlparse(args.host).hostname not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("loopback only: --host must be 127.0.0.1 or localhost")
    before = _loadavg()
    cpu_marks: list[tuple[float, float]] = []
    sampler = _CpuSampler(args.server_pid, cpu_marks) if args.server_pid else None
    with tempfile.TemporaryDirectory() as tmp:
        prefix, samples_path = os.path.join(tmp, "load"), os.path.join(tmp, "samples.json")
        command = [
            sys.executable,
            "-m",
            "locust",
            "-f",
            __file__,
            "--headless",
            "--host",
            args.host,
            "-u",
            str(args.users),
            "-r",
            str(args.spawn_rate),
            "-t",
            f"{args.duration}s",
            "--csv",
            prefix,
            "--only-summary",
            "--stop-timeout",
            "30",
            "--loglevel",
            "WARNING",
        ]
        client_cpu = _children_cpu()
        subprocess.run(command, env={**os.environ, "LOAD_THINK": args.think, "LOAD_SAMPLES": samples_path}, check=False)
        client_cpu = _children_cpu() - client_cpu  # locust's own CPU, on the same cores as the server
        if sampler:
            sampler.stop()
        samples: list[tuple[str, float, bool, float]] = json.loads(Path(samples_path).read_text())
        with open(prefix + "_stats.csv", encoding="utf-8") as f:
            total = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
        with open(prefix + "_failures.csv", encoding="utf-8") as f:
            failures = list(csv.DictReader(f))
    after = _loadavg()
    by_name: dict[str, list[float]] = {}
    for name, ms, _failed, _at in samples:
        by_name.setdefault(name, []).append(ms)
    work = [ms for name, ms, _f, _at in samples if not name.startswith(("login", REPORT_DOWNLOAD))]
    downloads = [ms for name, ms, _f, _at in samples if name.startswith(REPORT_DOWNLOAD)]
    errors = sum(1 for _n, _ms, failed, _at in samples if failed)
    # Throughput once everybody has logged in (the logins' password hashing is a morning's one-off).
    logged_in = max((at for name, _ms, _f, at in samples if name == "login"), default=0.0)
    steady = [at for name, _ms, _f, at in samples if at > logged_in]
    steady_rps = round(len(steady) / (steady[-1] - logged_in), 1) if len(steady) > 1 else 0.0
    # The same percentiles once everybody has logged in: the morning's fifty logins queue every page behind them.
    work_after = [
        ms for name, ms, _f, at in samples if at > logged_in and not name.startswith(("login", REPORT_DOWNLOAD))
    ]
    cpu_ms = None
    if len(steady) > 1 and cpu_marks:
        # The server's CPU between the first mark after the logins and the last mark, per request finished in between.
        after_logins = [m for m in cpu_marks if m[0] >= logged_in]
        if len(after_logins) > 1:
            (t0, c0), (t1, c1) = after_logins[0], after_logins[-1]
            n = sum(1 for at in steady if t0 <= at <= t1)
            cpu_ms = round((c1 - c0) * 1000 / n, 1) if n else None
    summary = {
        "users": args.users,
        "think": args.think,
        "duration_s": args.duration,
        "requests": len(samples),
        "errors": errors,
        "rps": round(float(total["Requests/s"]), 1),
        "rps_after_logins": steady_rps,
        "server_cpu_ms_per_request": cpu_ms,
        "client_cpu_ms_per_request": round(client_cpu * 1000 / len(samples), 1) if samples else None,
        "pages_median_ms": _percentile(work, 0.5),
        "pages_p95_ms": _percentile(work, 0.95),
        "pages_after_logins_median_ms": _percentile(work_after, 0.5),
        "pages_after_logins_p95_ms": _percentile(work_after, 0.95),
        "downloads_median_ms": _percentile(downloads, 0.5),
        "downloads_p95_ms": _percentile(downloads, 0.95),
        "loadavg_before": before,
        "loadavg_after": after,
        "by_name": {
            name: {
                "n": len(v),
                "median": _percentile(v, 0.5),
                "p95": _percentile(v, 0.95),
                "errors": sum(1 for n, _ms, f, _at in samples if n == name and f),
            }
            for name, v in by_name.items()
        },
        "failures": [{"name": f["Name"], "error": f["Error"], "n": f["Occurrences"]} for f in failures],
    }
    requests = len(samples)
    print(f"{'request':<40} {'n':>6} {'median':>8} {'p95':>8} {'errors':>6}")
    for name, s in sorted(summary["by_name"].items()):
        print(f"{name:<40} {s['n']:>6} {s['median']:>8.0f} {s['p95']:>8.0f} {s['errors']:>6}")
    print(
        f"users {args.users} ({args.think} think), {args.duration} s: {requests} requests, {errors} errors, "
        f"{summary['rps']} req/s ({steady_rps} after the logins); "
        f"pages+API median {summary['pages_median_ms']:.0f} ms, "
        f"p95 {summary['pages_p95_ms']:.0f} ms; report downloads median {summary['downloads_median_ms']:.0f} ms, "
        f"p95 {summary['downloads_p95_ms']:.0f} ms; load average {before} → {after}"
    )
    print(
        f"after the logins: pages+API median {summary['pages_after_logins_median_ms']:.0f} ms, "
        f"p95 {summary['pages_after_logins_p95_ms']:.0f} ms ({len(work_after)} requests)"
    )
    if cpu_ms is not None:
        print(
            f"server CPU per request (after the logins): {cpu_ms} ms, i.e. at most "
            f"{round(1000 * (os.cpu_count() or 1) / cpu_ms, 1)} requests/s on {os.cpu_count()} idle cores"
        )
    print(f"locust's own CPU per request (the whole run, logins included): {summary['client_cpu_ms_per_request']} ms")
    for failure in summary["failures"]:
        print("failure:", failure)
    if args.out:
        Path(args.out).write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
