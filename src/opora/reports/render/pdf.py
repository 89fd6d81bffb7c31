"""The report as PDF: the HTML renderer's standalone page through WeasyPrint (DejaVu fonts, inline SVG charts,
``base_url=None``: nothing is fetched, the network is never touched)."""

from __future__ import annotations

import logging

from opora.reports.model import ReportDocument
from opora.reports.render import html


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"reports fetch nothing: {url}")


def render(doc: ReportDocument) -> bytes:
    from weasyprint import HTML  # imported lazily: loading Pango takes a moment

    logging.getLogger("fontTools").setLevel(logging.WARNING)
    pdf = HTML(string=html.page(doc), base_url=None, url_fetcher=_no_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)
