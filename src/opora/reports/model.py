"""The neutral report model: every report generator builds a ReportDocument; every renderer reads one.

Values are raw numbers (int for counts, Decimal for money, percentages and ratios), never formatted
strings: the JSON renderer writes them as numbers, the DOCX/XLSX/PDF/HTML renderers format them in the
user's locale (``530 487``, ``116,92 %``). A value of None is an empty cell ("no data"), never a zero.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Kind = Literal["text", "int", "money", "percent", "decimal"]
Value = int | Decimal | str | None


@dataclass
class Column:
    field: str  # stable id used in JSON rows (EXCHANGE.md), e.g. "services_plan"
    label: str  # translated heading
    kind: Kind = "int"


@dataclass
class Row:
    key: str  # stable id (EXCHANGE.md), e.g. a department code or "total"
    label: str  # what the first column shows (translated name of the row)
    values: dict[str, Value]
    is_total: bool = False


@dataclass
class ReportTable:
    id: str  # stable id (EXCHANGE.md), e.g. "state_assignment"
    title: str
    columns: list[Column]
    rows: list[Row]
    label_heading: str = ""  # heading of the first (label) column
    note: str = ""


@dataclass
class Series:
    name: str
    values: list[int | Decimal]


@dataclass
class Chart:
    id: str
    title: str
    kind: Literal["pie", "bar"]
    categories: list[str]
    series: list[Series]
    note: str = ""  # printed under the chart (e.g. «a person in several categories is counted in each»)


@dataclass
class Text:
    text: str


Block = ReportTable | Chart | Text


@dataclass
class Section:
    title: str
    blocks: list[Block]


@dataclass
class Period:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str  # translated, e.g. "2020 год", "I квартал 2020 г."


@dataclass
class ReportDocument:
    report_id: str
    title: str
    organisation_code: str
    organisation_name: str
    period: Period
    sections: list[Section]
    previous_period: Period | None = None
    notes: list[str] = field(default_factory=list)
    #: the language the document was built in when it is not the active one (issue 17: `uk` for a Ukrainian centre's
    #: note); the renderers format in it
    language: str = ""
    signatures: list[tuple[str, str]] = field(default_factory=list)  # (role, name) under a signed report

    def tables(self) -> dict[str, ReportTable]:
        return {b.id: b for s in self.sections for b in s.blocks if isinstance(b, ReportTable)}

    def charts(self) -> list[Chart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Chart)]
