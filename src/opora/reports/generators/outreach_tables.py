"""The tables `mobile_brigade` and `day_stay_shifts` of the report `activities` (and of `annual` when the year has
such records): EXCHANGE.md Part 2, ids, row keys and fields are a contract.

- `mobile_brigade`, row `all`: `trips` (dated in the period), `settlements` (distinct, of those trips), `people` and
  `services` (distinct people and Σ quantity of the journal lines joined to those trips).
- `day_stay_shifts`, row `all`: `shifts` (starting in the period), `one_day` (of them, start = end), `people`
  (distinct people enrolled for those shifts).
Two queries each, whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from opora.activities import queries
from opora.lib.periods import Period
from opora.reports.model import Column, ReportTable, Row, Section


def brigade_table(organisation_ids: Sequence[int], period: Period, *, empty: bool = False) -> ReportTable | None:
    """The table `mobile_brigade`; None when no trip is dated in the period (unless `empty`: zeros)."""
    figures = queries.brigade_figures(organisation_ids, period.start, period.end)
    if not figures["trips"] and not empty:
        return None
    return ReportTable(
        id="mobile_brigade", title=_("Mobile brigade"), label_heading=_("Trips"),
        columns=[Column("trips", _("Trips"), "int"), Column("settlements", _("Settlements"), "int"),
                 Column("people", _("People served"), "int"), Column("services", _("Services"), "int")],
        rows=[Row("all", _("Total"), dict(figures), is_total=True)],
        note=_("People and services: the journal lines delivered on the trips (people counted once each)."))


def shifts_table(organisation_ids: Sequence[int], period: Period, *, empty: bool = False) -> ReportTable | None:
    """The table `day_stay_shifts`; None when no shift starts in the period (unless `empty`: zeros)."""
    figures = queries.shift_figures(organisation_ids, period.start, period.end)
    if not figures["shifts"] and not empty:
        return None
    return ReportTable(
        id="day_stay_shifts", title=_("Day-stay shifts"), label_heading=_("Shifts"),
        columns=[Column("shifts", _("Shifts"), "int"), Column("one_day", _("One-day shifts"), "int"),
                 Column("people", _("People"), "int")],
        rows=[Row("all", _("Total"), dict(figures), is_total=True)],
        note=_("Shifts starting in the period; people enrolled for them, counted once each."))


def outreach_sections(organisation_ids: Sequence[int], period: Period, *, only_with_records: bool) -> list[Section]:
    sections = []
    brigade = brigade_table(organisation_ids, period, empty=not only_with_records)
    if brigade is not None:
        sections.append(Section(_("Mobile brigade"), [brigade]))
    shifts = shifts_table(organisation_ids, period, empty=not only_with_records)
    if shifts is not None:
        sections.append(Section(_("Day-stay shifts"), [shifts]))
    return sections
