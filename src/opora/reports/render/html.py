"""The report as HTML: the in-app preview (a fragment) and a standalone page (the HTML download).

Charts are inline SVG drawn by :func:`opora.reports.charts.svg` (no JavaScript, nothing fetched).
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from opora.reports import charts, formatting
from opora.reports.model import Chart, ReportDocument, ReportTable, Text


def context(doc: ReportDocument) -> dict[str, Any]:
    """What the templates show: every number already formatted in the active language."""
    sections = []
    for section in doc.sections:
        blocks: list[dict[str, Any]] = []
        for block in section.blocks:
            if isinstance(block, ReportTable):
                blocks.append({
                    "type": "table", "id": block.id, "title": block.title, "note": block.note,
                    "label_heading": block.label_heading,
                    "columns": [{"label": c.label, "kind": c.kind} for c in block.columns],
                    "rows": [{"label": r.label, "key": r.key, "is_total": r.is_total,
                              "cells": [{"text": formatting.cell(r.values.get(c.field), c.kind), "kind": c.kind}
                                        for c in block.columns]}
                             for r in block.rows],
                })
            elif isinstance(block, Chart):
                blocks.append({"type": "chart", "id": block.id, "title": block.title,
                               "svg": mark_safe(charts.svg(block))})  # noqa: S308 — our own escaped markup
            elif isinstance(block, Text):
                blocks.append({"type": "text", "text": block.text})
        sections.append({"title": section.title, "blocks": blocks})
    return {"doc": doc, "sections": sections, "period_label": doc.period.label,
            "previous_label": doc.previous_period.label if doc.previous_period else ""}


def fragment(doc: ReportDocument) -> str:
    """The document's body, to embed in a page (the preview)."""
    return render_to_string("reports/_document.html", context(doc))


def page(doc: ReportDocument) -> str:
    """A standalone HTML page with its CSS inline and no external resources."""
    return render_to_string("reports/document.html", context(doc))


def render(doc: ReportDocument) -> bytes:
    return page(doc).encode("utf-8")
