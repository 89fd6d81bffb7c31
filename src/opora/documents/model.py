"""A neutral model of a printed document (programme, contract, act, receipt).

Builders return a :class:`Document`; the renderers in :mod:`opora.documents.render` turn it into
DOCX, HTML or PDF. Every value is an already-formatted string (see :mod:`opora.lib.formats`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right", "justify"]


@dataclass
class Heading:
    """A section heading; level 1 is the largest (the title itself is rendered separately)."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    align: Align = "left"


@dataclass
class Fields:
    """Label: value lines (``Ф.И.О.: Иванов И. И.``)."""

    items: list[tuple[str, str]]


@dataclass
class Table:
    """A table with a bold header row and an optional bold total row.

    ``widths`` are relative column widths (any positive numbers; they are normalised), or None for even widths.
    """

    columns: list[str]
    rows: list[list[str]]
    total: list[str] | None = None
    widths: list[float] | None = None


@dataclass
class Signatures:
    """Signature lines: (role, name) → ``role ____________ / name /`` and a date line."""

    items: list[tuple[str, str]]


Block = Heading | Paragraph | Fields | Table | Signatures


@dataclass
class Document:
    title: str
    blocks: list[Block]
    header: list[str] = field(default_factory=list)
    subtitle: str = ""
