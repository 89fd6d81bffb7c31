"""`opora serve`: the production WSGI server.

On Linux and other POSIX systems: gunicorn with `--workers` processes (default: one per CPU core) of
`--threads` threads each (gthread). Python runs one thread at a time per process, so only several processes use
several cores; the threads overlap the waits on the database. The defaults were chosen by measurement
(docs/benchmarks.md, «Many users at once»). On Windows (no fork) or with `--server waitress`: waitress, one process.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.core.wsgi import get_wsgi_application
from django.db import connections

DEFAULT_THREADS = 4
#: The collector's thresholds in the serving processes (Python's default: 700, 10, 10), see tune_gc.
GC_THRESHOLDS = (20_000, 50, 100)


def tune_gc() -> None:
    """Python's cyclic garbage collector in a serving process (issue 18): a page allocates tens of thousands of
    objects (query compilers, model instances, template nodes), so at the default thresholds the collector runs
    every few hundred allocations and, now and then, walks every object of Django and Opora loaded at start.
    Everything loaded so far is moved out of its sight (``gc.freeze``: it is never garbage; done before the fork,
    the workers share those pages too) and the youngest generation is collected every 20 000 allocations.
    Measured on the load mix's pages: 11–18 % of a request's CPU (docs/benchmarks.md, «Halving the CPU»)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def default_workers() -> int:
    """One worker process per core this process may run on (at least 1, at most 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(8, cores))


def analyse() -> list[str]:
    """Give the database's query planner the statistics of the tables; returns the tables analysed.

    SQLite: ANALYZE, sampled (a fraction of a second). Without statistics SQLite picks an index by its shape only:
    the monthly grid's people, for one, walked a department's enrolments once per person (150 ms) instead of each
    person's own (13 ms) on the centre demo.

    PostgreSQL: ANALYZE of the tables that have no statistics at all (never analysed: a database just filled by
    `opora demo`, a restored dump, a template copy; a server with autovacuum off). Autovacuum keeps them up to date
    afterwards where it runs; without them the planner takes a person's 4 144 registered neighbours for 2 and a
    person's card took 0.7–1.2 s instead of tens of milliseconds (docs/benchmarks.md). Tables that have statistics
    are left alone, so a start costs little on a database in use (empty tables have none and are analysed again:
    milliseconds each)."""
    connection = connections["default"]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
            return ["*"]
        if connection.vendor != "postgresql":
            return []
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = current_schema() "
            "AND NOT EXISTS (SELECT 1 FROM pg_statistic s WHERE s.starelid = c.oid) ORDER BY c.relname"
        )
        tables = [name for (name,) in cursor.fetchall()]
        for name in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")
        return tables


class Command(BaseCommand):
    help = (
        "Serve Opora with the production WSGI server (gunicorn: processes × threads; waitress on Windows); "
        "static files through whitenoise."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("OPORA_WORKERS") or 0) or None,
            help="processes (default: OPORA_WORKERS, else one per CPU core)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("OPORA_THREADS") or DEFAULT_THREADS),
            help="threads per process (default: OPORA_THREADS, else %(default)s)",
        )
        parser.add_argument(
            "--server", choices=["gunicorn", "waitress"], default="waitress" if sys.platform == "win32" else "gunicorn"
        )
        parser.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations first")

    def handle(self, *args: Any, **opts: Any) -> None:
        application = get_wsgi_application()  # what opora/wsgi.py serves; core does not import the top

        if not opts["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        analyse()
        connections.close_all()  # no connection may be shared by the forked workers
        tune_gc()
        host, port, threads = opts["host"], opts["port"], max(1, opts["threads"])
        if opts["server"] == "waitress":
            import waitress  # type: ignore[import-untyped]  # only the serving process needs the server

            self.stdout.write(
                f"Opora is serving on http://{host}:{port}/ (waitress, {threads} threads; Ctrl+C to stop)"
            )
            waitress.serve(application, host=host, port=port, threads=threads, ident="opora")
            return
        workers = max(1, opts["workers"] or default_workers())
        self.stdout.write(
            f"Opora is serving on http://{host}:{port}/ (gunicorn, {workers} processes × {threads} "
            f"threads; Ctrl+C to stop)"
        )
        self.stdout.flush()
        _Gunicorn(
            application,
            {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "preload_app": True,  # Django is set up once, before the fork: workers start fast and share memory
                "timeout": 120,  # a report of a large region may take a while; a stuck worker is restarted after it
                "graceful_timeout": 30,
                # Idle keep-alive connections wait in the poller, not in a thread: keep them longer than people think
                # between clicks, or a click races the server's close ("connection reset", seen at 5 s).
                "keepalive": 75,
                "backlog": 256,
                "max_requests": 20000,
                "max_requests_jitter": 2000,  # recycle workers now and then (memory)
                "accesslog": None,
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "opora",
            },
        ).run()


def _gunicorn_base() -> type:
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped]  # POSIX only

    return BaseApplication  # type: ignore[no-any-return]


class _Gunicorn:
    """Run gunicorn on the already loaded WSGI application with the given settings (no configuration file)."""

    def __init__(self, application: Any, settings: dict[str, Any]) -> None:
        base = _gunicorn_base()

        class App(base):  # type: ignore[valid-type,misc]
            def load_config(self) -> None:
                for key, value in settings.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        self._app = App()

    def run(self) -> None:
        self._app.run()
