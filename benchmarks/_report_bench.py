"""Shared helpers of the report benchmarks (report_speed.py, duckdb_ratio.py, region.py).

Machine facts, timing of `opora`/`python` subprocesses with a clean environment, waiting for a quiet machine,
medians and Markdown tables. Not a benchmark by itself.
"""

from __future__ import annotations

import datetime
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
#: Bytecode of the child processes goes here (not into the work tree): one unmeasured start fills it, as
#: `pip install` does for an installed Opora; PYTHONDONTWRITEBYTECODE of the shell is dropped for them.
PYCACHE = Path(os.environ.get("OPORA_BENCH_PYCACHE", "/tmp/opora-bench-pycache"))


def loadavg() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "?"


def pg_version(url: str) -> str:
    out = psql(url, "SHOW server_version", check=False)
    return f"PostgreSQL {out.strip().split()[0]}" if out.strip() else "PostgreSQL ?"


@dataclass
class Machine:
    """Machine facts, taken at the start of a run; `finish()` adds the load average at its end."""

    nproc: int = field(default_factory=lambda: os.cpu_count() or 0)
    cpu: str = field(default_factory=cpu_model)
    memory: str = field(default_factory=ram)
    python: str = field(default_factory=platform.python_version)
    sqlite: str = field(default_factory=lambda: sqlite3.sqlite_version)
    started: str = field(default_factory=lambda: datetime.datetime.now().isoformat(timespec="seconds"))
    load_start: str = field(default_factory=loadavg)
    load_end: str = ""
    extra: list[str] = field(default_factory=list)

    def finish(self) -> None:
        self.load_end = loadavg()

    def lines(self) -> list[str]:
        out = [f"Machine: {self.nproc} cores (`nproc`), {self.cpu}, {self.memory} RAM, Python {self.python}, "
               f"SQLite {self.sqlite}{''.join(', ' + e for e in self.extra)}; run started {self.started}.",
               f"Load average (1/5/15 min) at the start: {self.load_start}; at the end: {self.load_end or loadavg()}."]
        return out


def wait_for_quiet(max_load: float, timeout_min: float) -> None:
    """Poll the 1-minute load average every minute until it is below max_load (or the timeout passes)."""
    if max_load <= 0:
        return
    deadline = time.monotonic() + timeout_min * 60
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        print(f"  waiting for a quiet machine: load {loadavg()} (want < {max_load})", flush=True)
        time.sleep(60)
    print(f"  load average now {loadavg()}", flush=True)


def child_env(home: str | Path | None = None, database_url: str | None = None) -> dict[str, str]:
    """The environment of an `opora`/`python` child: our OPORA_HOME/DATABASE_URL, bytecode cached outside."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if home is not None:
        env["OPORA_HOME"] = str(home)
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    return env


def opora_bin() -> str:
    here = Path(sys.executable).parent / "opora"
    return str(here) if here.exists() else (shutil.which("opora") or "opora")


@dataclass
class Timed:
    wall: float
    cpu: float  # user + system CPU seconds of the child (its own process, not a database server)
    stdout: str
    stderr: str


def run(cmd: list[str], env: dict[str, str], *, check: bool = True, timeout: float | None = None) -> Timed:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout[-2000:]}\n"
                         f"{proc.stderr[-4000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timed(wall, cpu, proc.stdout, proc.stderr)


def psql(url: str, sql: str, *, check: bool = True, database: str | None = None) -> str:
    """Run SQL with psql against url (or another database on the same server); the unaligned output."""
    if database is not None:
        url = url.rsplit("/", 1)[0] + "/" + database
    proc = subprocess.run(["psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise SystemExit(f"psql failed: {sql[:300]}\n{proc.stderr}")
    return proc.stdout


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def secs(value: float) -> str:
    if value != value:  # nan
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def thousands(n: int | float) -> str:
    return f"{int(n):,}".replace(",", "\u202f")


def write_markdown(path: str | None, text: str) -> None:
    print()
    print(text)
    if path:
        Path(path).write_text(text + "\n", encoding="utf-8")
        print(f"\n(written to {path})")
