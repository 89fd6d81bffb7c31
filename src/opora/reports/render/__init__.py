"""Renderers of a ReportDocument: json, html, docx, xlsx, pdf. Each module is imported only when used."""

from __future__ import annotations

import importlib

from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header

from opora.core.security import DOCUMENT_POLICY
from opora.reports.cache import cached_render
from opora.reports.model import ReportDocument

FORMATS = ["json", "html", "docx", "xlsx", "pdf"]
CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def render(doc: ReportDocument, fmt: str) -> bytes:
    """The document in a format; ValueError for an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    module = importlib.import_module(f"opora.reports.render.{fmt}")
    if doc.language:  # built in its own language (reports/model.py): rendered in it too
        with translation.override(doc.language):
            return module.render(doc)
    return module.render(doc)


def filename(doc: ReportDocument, fmt: str) -> str:
    """``annual_kcson_2020-01-01_2020-12-31.docx``."""
    org = doc.organisation_code.replace(",", "+") or "all"
    return f"{doc.report_id}_{org}_{doc.period.start.isoformat()}_{doc.period.end.isoformat()}.{fmt}"


def report_response(doc: ReportDocument, fmt: str, *, attachment: bool | None = None) -> HttpResponse:
    """The rendered document as an HTTP response: JSON and HTML inline, the others as attachments."""
    if fmt not in FORMATS:
        raise Http404("unknown report format")
    body = cached_render(doc, fmt, lambda: render(doc, fmt))  # kept with a cached document (reports/cache.py)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if attachment if attachment is not None else fmt not in ("json", "html"):
        response["Content-Disposition"] = content_disposition_header(True, filename(doc, fmt)) or "attachment"
    response["Content-Length"] = str(len(body))
    if fmt == "html":  # a self-contained document with its own inline CSS (core.security.DOCUMENT_POLICY)
        response["Content-Security-Policy"] = DOCUMENT_POLICY
    return response
