"""Built reports kept in Django's cache, keyed by a version of the data (issue 18: heavy reports once per change).

A report is built from the journal's monthly aggregates and the registry; a director who opens the preview and then
downloads the DOCX and the XLSX asks the same document three times, and the whole administration asks the same
annual report at the end of a year. :func:`cached_document` keeps the built ``ReportDocument``, and
:func:`cached_render` the rendered file, under a key made of the request (report, organisations, period, options,
language, today's date) and of :func:`data_version`:

- the journal's aggregates (delivery/aggregates.py): every write of the journal recounts its keys (DELETE + INSERT),
  so the largest id and the row count of the three aggregate tables change with every journal change;
- the latest audited write (``created``/``updated``/``deleted`` in the audit log): every other change of the
  registry, the staff, money and rule data is an audited ``do_*`` action (the import and the demo too).

A write whose transaction commits after a later one has been seen may leave its id below the latest: entries
therefore also expire after ``OPORA_REPORT_CACHE_SECONDS`` (default 300 s; 0 turns the cache off), which bounds
how long such a race can show an older report. Reports with parameters of their own (``options``: e.g. a plan
chosen by code, checked against the actor) are never cached.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone, translation

from opora.audit.models import AuditEvent, EventType
from opora.delivery.models import RecipientMonth, RecipientServiceMonth, ServiceMonth
from opora.lib.periods import Period
from opora.reports.model import ReportDocument

WRITES = (EventType.CREATED, EventType.UPDATED, EventType.DELETED)
_KEY_ATTRIBUTE = "_opora_cache_key"


def seconds() -> int:
    return int(getattr(settings, "OPORA_REPORT_CACHE_SECONDS", 300))


def data_version() -> str:
    """A fingerprint of the data reports are built from (see the module's docstring). A handful of cheap queries:
    the aggregates' MAX(id)/COUNT(*), and the audit log's last write read backwards along its primary key."""
    parts: list[Any] = []
    with connection.cursor() as cursor:
        for model in (ServiceMonth, RecipientMonth, RecipientServiceMonth):
            cursor.execute(f"SELECT MAX(id), COUNT(*) FROM {connection.ops.quote_name(model._meta.db_table)}")
            parts.append(cursor.fetchone())
    parts.append(AuditEvent.objects.filter(event_type__in=WRITES).order_by("-id").values_list("id", flat=True)
                 .first())
    return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def document_key(report_id: str, organisation_ids: Sequence[int], period: Period) -> str:
    raw = json.dumps([report_id, list(organisation_ids), period.start.isoformat(), period.end.isoformat(),
                      period.label(), translation.get_language(), timezone.localdate().isoformat(), data_version()],
                     default=str)
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
