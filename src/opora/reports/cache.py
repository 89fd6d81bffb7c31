"""Built reports kept in Django's cache, keyed by a version of the data (issue 18: heavy reports once per change).

A report is built from the journal's monthly aggregates and the registry; a director who opens the preview and then
downloads the DOCX and the XLSX asks the same document three times, and the whole administration asks the same
annual report at the end of a year. :func:`cached_document` keeps the built ``ReportDocument``, and
:func:`cached_render` the rendered file, under a key made of the request (report, organisations, period, options,
language, today's date) and of :func:`data_version`:

- the journal's monthly service totals (``ServiceMonth``) of the report's organisations over its months and the year
  before them (what a report compares with): every write of the journal recounts the keys it touched, DELETE +
  INSERT, the service key always with the person keys in the same transaction (delivery/aggregates.py), so the
  largest id or the row count there changes with every journal change in those months — a visit written today
  does not rebuild last year's annual report. (The person-month tables are recounted with it and are 6–35 times
  larger: counting them cost 1.3 s for a region of 40 centres.)
- the latest audited write (``created``/``updated``/``deleted`` in the audit log) other than of a journal line:
  every change of the registry, the staff, money and rule data is an audited ``do_*`` action (the import and the
  demo too); journal lines are already counted by the aggregates.

A write whose transaction commits after a later one has been seen may leave its id below the latest: entries
therefore also expire after ``OPORA_REPORT_CACHE_SECONDS`` (default 300 s; 0 turns the cache off), which bounds
how long such a race can show an older report. Reports with parameters of their own (``options``: e.g. a plan
chosen by code, checked against the actor) are never cached.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from opora.audit.models import JOURNAL_OBJECTS, WRITES, AuditEvent
from opora.delivery.models import ServiceMonth
from opora.lib.dates import month_start
from opora.lib.periods import Period
from opora.reports.model import ReportDocument

_KEY_ATTRIBUTE = "_opora_cache_key"


def seconds() -> int:
    return int(getattr(settings, "OPORA_REPORT_CACHE_SECONDS", 300))


def latest_write() -> Any:
    """The id of the audit log's latest write other than of a journal line, as a query (its `.first()`), served by
    the partial index `audit_write_id` on PostgreSQL."""
    return (AuditEvent.objects.filter(event_type__in=WRITES).exclude(object_type__in=JOURNAL_OBJECTS)
            .order_by("-id").values_list("id", flat=True))


def data_version(organisation_ids: Sequence[int], start: datetime.date, end: datetime.date) -> str:
    """A fingerprint of the data a report of these organisations from `start` to `end` is built from (see the
    module's docstring): MAX(id) and COUNT(*) of the service totals along their (organisation, month) index, and the
    audit log's last write other than a journal line (audit.models: its partial index `audit_write_id`)."""
    since = month_start(start).replace(year=start.year - 1)
    marks = ", ".join(["%s"] * len(organisation_ids)) or "NULL"
    month = connection.ops.quote_name("month")
    parts: list[Any] = []
    with connection.cursor() as cursor:
        for model in (ServiceMonth,):
            cursor.execute(
                f"SELECT MAX(id), COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)} "
                f"WHERE organisation_id IN ({marks}) AND {month} BETWEEN %s AND %s",
                [
                    *organisation_ids,
                    connection.ops.adapt_datefield_value(since),
                    connection.ops.adapt_datefield_value(end),
                ],
            )
            parts.append(cursor.fetchone())
    parts.append(latest_write().first())
    return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def document_key(report_id: str, organisation_ids: Sequence[int], period: Period) -> str:
    raw = json.dumps(
        [
            report_id,
            list(organisation_ids),
            period.start.isoformat(),
            period.end.isoformat(),
            period.label(),
            translation.get_language(),
            timezone.localdate().isoformat(),
            data_version(organisation_ids, period.start, period.end),
        ],
        default=str,
    )
    return "opora:report:" + hashlib.sha1(raw.encode()).hexdigest()


def cached_document(key: str, build: Callable[[], ReportDocument]) -> ReportDocument:
    """The document under `key`, built (and kept) when absent."""
    ttl = seconds()
    doc: ReportDocument | None = cache.get(key) if ttl > 0 else None
    if doc is None:
        doc = build()
        if ttl > 0:
            cache.set(key, doc, ttl)
    if ttl > 0:
        object.__setattr__(doc, _KEY_ATTRIBUTE, key)  # the renderers' key (cached_render)
    return doc


def cached_render(doc: ReportDocument, fmt: str, render: Callable[[], bytes]) -> bytes:
    """The document rendered in `fmt`, kept beside the document when the document came from the cache."""
    key = getattr(doc, _KEY_ATTRIBUTE, None)
    ttl = seconds()
    if key is None or ttl <= 0:
        return render()
    body: bytes | None = cache.get(f"{key}:{fmt}")
    if body is None:
        body = render()
        cache.set(f"{key}:{fmt}", body, ttl)
    return body
