"""`activities`: the services beyond casework (EXCHANGE.md Part 2, "Services beyond casework"), for any period.

Tables (ids, row keys and fields are a contract):
- `groups`: one row per group (key = its code; `ORG:code` over several organisations) with a membership
  overlapping the period or a session in it: `members` (memberships overlapping the period), `sessions`,
  `attendance` (Σ of the sessions held in the period); row `all`: `groups` (with a session in the period),
  `members` (distinct people over those memberships), `sessions`, `attendance`.
- `events`: one row per kind with events in the period, then `all`: `events`, `participants` (Σ).

A membership overlaps the period when it began on or before its last day (or has no start) and did not end
before its first day (or has no end). The same tables go into `annual` when the year has such records
(`activity_sections(..., only_with_records=True)`). Four queries, whatever the number of rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.accounts.actor import Actor
from opora.activities.models import Event, Group, GroupMember, Rental, Session, TaxiTrip, VolunteerWork  # issue 13
from opora.activities.rules import (
    AidKind,  # issue 13
    Destination,
    EventKind,
)
from opora.lib.periods import Period
from opora.org.models import Organisation
from opora.reports.generators.outreach_tables import outreach_sections
from opora.reports.model import Column, ReportDocument, ReportTable, Row, Section, Text
from opora.reports.registry import ReportGenerator, register


def _overlapping(period: Period) -> Q:
    return ((Q(joined_on__isnull=True) | Q(joined_on__lte=period.end))
            & (Q(left_on__isnull=True) | Q(left_on__gte=period.start)))


def groups_table(organisation_ids: Sequence[int], period: Period, consolidated: bool) -> ReportTable | None:
    """The table `groups`; None when no group has a member or a session in the period."""
    memberships = list(GroupMember.objects.filter(organisation_id__in=organisation_ids).filter(
        _overlapping(period)).values_list("group_id", "recipient_id"))
    held = {r["group_id"]: (r["n"], int(r["a"])) for r in Session.objects.filter(
        organisation_id__in=organisation_ids, date__gte=period.start, date__lte=period.end)
        .values("group_id").annotate(n=Count("id"), a=Sum("attendance")).order_by()}
    members = Counter(g for g, _r in memberships)
    ids = set(members) | set(held)
    if not ids:
        return None
    rows = []
    for g in Group.objects.filter(pk__in=ids).select_related("organisation").order_by("organisation__code", "code"):
        n, a = held.get(g.pk, (0, 0))
        key = f"{g.organisation.code}:{g.code}" if consolidated else g.code
        rows.append(Row(key, g.name, {"groups": None, "members": members[g.pk], "sessions": n, "attendance": a}))
    rows.append(Row("all", _("Total"), {
        "groups": len(held), "members": len({r for _g, r in memberships}),
        "sessions": sum(n for n, _a in held.values()), "attendance": sum(a for _n, a in held.values())},
        is_total=True))
    return ReportTable(
        id="groups", title=_("Groups, clubs and classes"), label_heading=_("Group or club"),
        columns=[Column("groups", _("Groups with sessions"), "int"), Column("members", _("Members of groups"), "int"),
                 Column("sessions", _("Sessions"), "int"), Column("attendance", _("Attendance"), "int")],
        rows=rows,
        note=_("Members: memberships overlapping the period; the total counts each person once."))


def events_table(organisation_ids: Sequence[int], period: Period) -> ReportTable | None:
    """The table `events`; None when no event is dated in the period."""
    by_kind = {r["kind"]: (r["n"], int(r["p"])) for r in Event.objects.filter(
        organisation_id__in=organisation_ids, date__gte=period.start, date__lte=period.end)
        .values("kind").annotate(n=Count("id"), p=Sum("participants")).order_by()}
    if not by_kind:
        return None
    rows = [Row(code, str(label), {"events": by_kind[code][0], "participants": by_kind[code][1]})
            for code, label in EventKind.choices if code in by_kind]
    rows.append(Row("all", _("Total"), {"events": sum(n for n, _p in by_kind.values()),
                                        "participants": sum(p for _n, p in by_kind.values())}, is_total=True))
    return ReportTable(id="events", title=_("Events"), label_heading=_("Kind of event"),
                       columns=[Column("events", _("Events"), "int"),
                                Column("participants", _("Participants"), "int")], rows=rows)


def taxi_table(organisation_ids: Sequence[int], period: Period, *, empty: bool = False) -> ReportTable | None:
    """The table `taxi`; None when no trip is dated in the period (unless `empty`: zeros)."""
    trips = TaxiTrip.objects.filter(organisation_id__in=organisation_ids, date__gte=period.start,
                                    date__lte=period.end)
    total = trips.aggregate(trips=Count("id"), people=Count("recipient_id", distinct=True),
                            out=Count("recipient_id", distinct=True, filter=Q(out_of_district=True)),
                            km=Sum("km", default=Decimal("0")), income=Sum("amount", default=Decimal("0")))
    if not total["trips"] and not empty:
        return None
    by_dest = {r["destination"]: (r["n"], r["p"]) for r in trips.values("destination").annotate(
        n=Count("id"), p=Count("recipient_id", distinct=True)).order_by()}
    rows = [Row("all", _("Total"), {"trips": total["trips"], "people": total["people"],
                                     "people_out_of_district": total["out"], "km": Decimal(total["km"]),
                                     "income": Decimal(total["income"]).quantize(Decimal("0.01"))}, is_total=True)]
    rows += [Row(code, str(label), {"trips": by_dest[code][0], "people": by_dest[code][1]})
             for code, label in Destination.choices if code in by_dest]
    return ReportTable(id="taxi", title=_("Social taxi"), label_heading=_("Destination"),
                       columns=[Column("trips", _("Trips"), "int"), Column("people", _("People"), "int"),
                                Column("people_out_of_district", _("People taken outside the district"), "int"),
                                Column("km", _("Kilometres"), "decimal"), Column("income", _("Income"), "money")],
                       rows=rows, note=_("People are counted once each, whatever the number of their trips."))


# ---- the rental point and volunteers (issue 13) -------------------------------------------------------------------
def rental_table(organisation_ids: Sequence[int], period: Period, *, empty: bool = False) -> ReportTable | None:
    """The table `rental`: row `all` — `issues` (issued in the period), `people` (distinct people of those
    issues), `income` (Σ amount of those issues), `out_at_end` (issued on or before the period's last day and not
    returned by then: no return, or a return after it); one row per item kind: `issues`. None when nothing was
    issued in the period and nothing is out at its end (unless `empty`: zeros)."""
    rentals = Rental.objects.filter(organisation_id__in=organisation_ids)
    in_period = Q(issued_on__gte=period.start, issued_on__lte=period.end)
    out = Q(issued_on__lte=period.end) & (Q(returned_on__isnull=True) | Q(returned_on__gt=period.end))
    total = rentals.aggregate(issues=Count("id", filter=in_period),
                              people=Count("recipient_id", distinct=True, filter=in_period),
                              income=Sum("amount", filter=in_period, default=Decimal("0")),
                              out_at_end=Count("id", filter=out))
    out_at_end = total["out_at_end"]
    if not total["issues"] and not out_at_end and not empty:
        return None
    by_kind = dict(rentals.filter(in_period).values_list("item__kind").annotate(n=Count("id")).order_by()) \
        if total["issues"] else {}
    rows = [Row("all", _("Total"), {"issues": total["issues"], "people": total["people"],
                                     "income": Decimal(total["income"]).quantize(Decimal("0.01")),
                                     "out_at_end": out_at_end}, is_total=True)]
    rows += [Row(code, str(label), {"issues": by_kind[code]})
             for code, label in AidKind.choices if code in by_kind]
    return ReportTable(id="rental", title=_("Rental point of technical aids"), label_heading=_("Kind of item"),
                       columns=[Column("issues", _("Issues"), "int"), Column("people", _("People"), "int"),
                                Column("income", _("Income"), "money"),
                                Column("out_at_end", _("Out at the end of the period"), "int")],
                       rows=rows, note=_("Issues and income by the date of issue; people are counted once each. "
                                         "Out at the end: issued by the period's last day and not returned by then."))


def volunteers_table(organisation_ids: Sequence[int], period: Period, *, empty: bool = False) -> ReportTable | None:
    """The table `volunteers`: row `all` — `volunteers` (with work in the period), `actions` (rows of work),
    `hours` (Σ), `people_helped` (distinct people helped). None when no work is dated in the period (unless
    `empty`: zeros)."""
    total = VolunteerWork.objects.filter(organisation_id__in=organisation_ids, date__gte=period.start,
                                         date__lte=period.end).aggregate(
        volunteers=Count("volunteer_id", distinct=True), actions=Count("id"),
        hours=Sum("hours", default=Decimal("0")), people=Count("recipient_id", distinct=True))
    if not total["actions"] and not empty:
        return None
    return ReportTable(id="volunteers", title=_("Volunteers"), label_heading="",
                       columns=[Column("volunteers", _("Volunteers who worked"), "int"),
                                Column("actions", _("Pieces of work"), "int"),
                                Column("hours", _("Hours"), "decimal"),
                                Column("people_helped", _("People helped"), "int")],
                       rows=[Row("all", _("Total"), {"volunteers": total["volunteers"], "actions": total["actions"],
                                                     "hours": Decimal(total["hours"]),
                                                     "people_helped": total["people"]}, is_total=True)],
                       note=_("People helped are counted once each, whatever the number of pieces of work."))


def _empty_groups() -> ReportTable:
    return ReportTable(
        id="groups", title=_("Groups, clubs and classes"), label_heading=_("Group or club"),
        columns=[Column("groups", _("Groups with sessions"), "int"), Column("members", _("Members of groups"), "int"),
                 Column("sessions", _("Sessions"), "int"), Column("attendance", _("Attendance"), "int")],
        rows=[Row("all", _("Total"), {"groups": 0, "members": 0, "sessions": 0, "attendance": 0}, is_total=True)])


def _empty_events() -> ReportTable:
    return ReportTable(id="events", title=_("Events"), label_heading=_("Kind of event"),
                       columns=[Column("events", _("Events"), "int"),
                                Column("participants", _("Participants"), "int")],
                       rows=[Row("all", _("Total"), {"events": 0, "participants": 0}, is_total=True)])


def activity_sections(organisations: Sequence[Organisation], period: Period, *,
                      only_with_records: bool = False) -> list[Section]:
    """The sections of the services beyond casework. With `only_with_records` (the annual report) a table
    without records is left out; otherwise it is shown with zeros."""
    ids = [o.pk for o in organisations]
    groups = groups_table(ids, period, len(organisations) > 1)
    events = events_table(ids, period)
    if not only_with_records:
        groups = groups or _empty_groups()
        events = events or _empty_events()
    sections = []
    taxi = taxi_table(ids, period, empty=not only_with_records)
    if taxi is not None:
        sections.append(Section(_("Social taxi"), [taxi]))
    if groups is not None:
        sections.append(Section(_("Groups, clubs and classes"), [groups]))
    if events is not None:
        sections.append(Section(_("Events"), [events]))
    # issue 13: the rental point and volunteers
    rental = rental_table(ids, period, empty=not only_with_records)
    if rental is not None:
        sections.append(Section(_("Rental point of technical aids"), [rental]))
    volunteer_work = volunteers_table(ids, period, empty=not only_with_records)
    if volunteer_work is not None:
        sections.append(Section(_("Volunteers"), [volunteer_work]))
    sections += outreach_sections(ids, period, only_with_records=only_with_records)  # brigade, day-stay shifts
    return sections


class Activities(ReportGenerator):
    id = "activities"
    title = gettext_lazy("Services beyond casework")

    def build(self, organisations: Sequence[Organisation], period: Period, *, actor: Actor) -> ReportDocument:
        code, name = self.organisation_fields(organisations)
        sections = activity_sections(organisations, period)
        sections.append(Section(_("How it is counted"), [Text(_(
            "Members of a group are its memberships overlapping the period; the total counts each person once. "
            "Attendance is the sum of the sessions' attendance; participants of events are the sums recorded "
            "for each event."))]))
        return ReportDocument(report_id=self.id, title=str(self.title), organisation_code=code,
                              organisation_name=name, period=self.document_period(period), sections=sections)


register(Activities)
