"""Latency of the people search, as the list page runs it, on the `centre` demo.

    opora demo --size centre --no-serve          # once, in the database chosen by OPORA_HOME/DATABASE_URL
    python benchmarks/search_latency.py [--runs N]

It logs in as `director` through the query layer (Actor.for_user, recipients_for, search_recipients,
for_list), and for each of ~200 search terms derived deterministically from the data (surname
prefixes in various cases, «ё»/«е» spellings, name pairs, SNILS prefixes with and without dashes,
full birth dates DD.MM.YYYY) it times the first page of 50 rows, evaluated with list(), and the
page's count (what a paginator asks). It prints the median and the 95th percentile in milliseconds,
with the machine, the database and the number of rows, so results can be copied to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def search_terms(org_id: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, term): ~200 terms drawn from the data with a fixed seed."""
    from opora.people.models import Recipient

    people = list(Recipient.objects.filter(organisation_id=org_id).order_by("pk").values_list(
        "last_name", "first_name", "patronymic", "snils", "birth_date"))
    if not people:
        raise SystemExit("No people in the demo organisation: run `opora demo --size centre --no-serve` first.")
    terms: list[tuple[str, str]] = []
    cases = (str.lower, str.upper, str.title, lambda s: s)
    for last, *_rest in rng.sample(people, 60):
        prefix = last[: rng.randint(3, min(6, len(last)))]
        terms.append(("surname prefix", rng.choice(cases)(prefix)))
    with_yo = [p for p in people if "ё" in (p[0] + p[1] + p[2]).lower()]
    for last, first, patronymic, *_rest in rng.sample(with_yo, min(15, len(with_yo))):
        word = next(w for w in (last, first, patronymic) if "ё" in w.lower())
        terms.append(("ё as written", word.lower()))
        terms.append(("ё typed as е", word.lower().replace("ё", "е")))
    for last, first, *_rest in rng.sample(people, 30):
        terms.append(("surname + name", f"{last.lower()} {first[: rng.randint(1, len(first))].lower()}"))
    for _last, _first, patronymic, *_rest in rng.sample(people, 10):
        terms.append(("patronymic", patronymic[: rng.randint(5, max(5, len(patronymic)))]))
    numbers = [p[3] for p in people if p[3]]
    for number in rng.sample(numbers, 35):
        cut = rng.randint(3, 11)
        term = number[:cut]
        if cut > 6 and rng.random() < 0.5:
            term = f"{number[:3]}-{number[3:6]}-{number[6:cut]}"
        terms.append(("SNILS prefix", term))
    for *_rest, birth in rng.sample(people, 30):
        terms.append(("birth date", f"{birth:%d.%m.%Y}"))
    terms.append(("no match", "Щщщъ"))
    terms.append(("no match", "01.01.1890"))
    return terms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed passes over all terms (default 5)")
    parser.add_argument("--user", default="director")
    parser.add_argument("--org", default="demo", help="organisation code (default demo)")
    parser.add_argument("--seed", type=int, default=2020, help="seed for choosing the terms")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opora.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from opora.accounts.actor import Actor
    from opora.accounts.models import User
    from opora.org.models import Organisation
    from opora.people.models import Recipient
    from opora.people.queries import for_list, recipients_for, search_recipients

    org = Organisation.objects.filter(code=args.org).first()
    user = User.objects.filter(username=args.user).first()
    if org is None or user is None:
        raise SystemExit(f"No organisation {args.org!r} or user {args.user!r}: "
                         "run `opora demo --size centre --no-serve` first.")
    actor = Actor.for_user(user)
    terms = search_terms(org.pk, random.Random(args.seed))
    page_size = getattr(settings, "PAGE_SIZE", 50)

    def page(term: str) -> tuple[int, int]:
        qs = search_recipients(recipients_for(actor), term)
        total = qs.count()
        rows = list(for_list(qs)[:page_size])
        return total, len(rows)

    def rows_only(term: str) -> int:
        return len(list(for_list(search_recipients(recipients_for(actor), term))[:page_size]))

    for _kind, term in terms:  # warm-up: caches, connection, query compilation paths
        page(term)

    list_ms: list[float] = []
    page_ms: list[float] = []
    by_kind: dict[str, list[float]] = {}
    hits = 0
    for _ in range(args.runs):
        for kind, term in terms:
            t0 = time.perf_counter()
            rows_only(term)
            t1 = time.perf_counter()
            total, _n = page(term)
            t2 = time.perf_counter()
            list_ms.append((t1 - t0) * 1000)
            page_ms.append((t2 - t1) * 1000)
            by_kind.setdefault(kind, []).append((t1 - t0) * 1000)
            hits += total > 0

    vendor = connection.vendor
    if vendor == "sqlite":
        import sqlite3

        db = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cur:
            cur.execute("select version()")
            db = cur.fetchone()[0].split(" on ")[0]
    visible = recipients_for(actor).count()
    print(f"machine   {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}")
    print(f"database  {db} ({vendor})")
    print(f"rows      {Recipient.objects.filter(organisation=org).count()} people in {args.org!r} "
          f"({Recipient.objects.count()} in all), {visible} visible to {args.user!r}")
    print(f"terms     {len(terms)} × {args.runs} runs, {hits / (len(terms) * args.runs):.0%} with matches")
    print(f"first page of {page_size} (list):   median {statistics.median(list_ms):6.2f} ms   "
          f"p95 {percentile(list_ms, 95):6.2f} ms   max {max(list_ms):6.2f} ms")
    print(f"page with count (count + list): median {statistics.median(page_ms):6.2f} ms   "
          f"p95 {percentile(page_ms, 95):6.2f} ms   max {max(page_ms):6.2f} ms")
    for kind, values in by_kind.items():
        print(f"  {kind:<16} median {statistics.median(values):6.2f} ms   p95 {percentile(values, 95):6.2f} ms")


if __name__ == "__main__":
    sys.exit(main())
