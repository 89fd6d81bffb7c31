"""HTTP responses for printed documents."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from opora.documents.model import Document
from opora.documents.render import to_docx, to_pdf

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def document_response(doc: Document, fmt: str, filename: str) -> HttpResponse:
    """``doc`` rendered as ``fmt`` ("docx" or "pdf", else 404) and served as an attachment.

    ``filename`` may be Cyrillic and may omit the extension; the header carries an ASCII fallback and the
    RFC 5987 ``filename*=UTF-8''…`` form.
    """
    fmt = (fmt or "").lower()
    if fmt not in CONTENT_TYPES:
        raise Http404("unknown document format")
    body = to_docx(doc) if fmt == "docx" else to_pdf(doc)
    if not filename.lower().endswith("." + fmt):
        filename = f"{filename}.{fmt}"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Content-Length"] = str(len(body))
    return response


def xlsx_response(data: bytes, stem: str) -> HttpResponse:
    """An exported list (lib/xlsx.list_workbook) served as an attachment named ``<stem>-YYYY-MM-DD.xlsx``."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{timezone.localdate():%Y-%m-%d}.xlsx"'
    response["Content-Length"] = str(len(data))
    return response
