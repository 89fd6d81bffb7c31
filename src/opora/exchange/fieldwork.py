"""The exchange files of issue 14 (EXCHANGE.md Part 2): families, family_members, visits, release_notices.

`validate(v)` checks their rows inside the exchange Validator (after the recipients and workers, whose references
they use) and keeps the checked rows in `v.plan.fieldwork`; `load(loader)` writes them inside the import's
transaction: families and members by upsert (a family matched by external_id, a member by family and person),
visits and notices through the bulk writers of fieldwork.actions, the same rules as the forms. `export(...)` writes
the four files back. Settlements named by visits and notices must be known: held by the organisation, or named by
the recipients or families files of the same import (an unknown settlement is an error naming the line).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from opora.core.reference import DischargeReason, Sector
from opora.exchange.spec import COLUMNS, MULTI
from opora.fieldwork import actions as fw_actions
from opora.fieldwork import rules as fw_rules
from opora.fieldwork.models import ReleaseNotice, Visit
from opora.lib.errors import DomainError
from opora.org.models import Employee, Organisation, Settlement
from opora.people.models import Category, Family, FamilyMember, Recipient
from opora.people.rules import family_register_errors

if TYPE_CHECKING:
    from opora.exchange.load import Loader
    from opora.exchange.validate import Validator

RELATIONS = ("head", "spouse", "child", "parent", "other")
OWN_FAMILY_PREFIX = "opora-"


@dataclass
class FieldworkPlan:
    families: dict[str, dict[str, Any]] = field(default_factory=dict)  # external_id → values
    family_ids: dict[str, int] = field(default_factory=dict)  # a family reference → an existing family's id
    members: dict[tuple[str, str], str] = field(default_factory=dict)  # (family ref, recipient ref) → relation
    visits: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)


def _codes(choices: Any) -> set[str]:
    return {str(v) for v in choices.values}


def validate(v: Validator) -> None:
    plan = v.plan.fieldwork = FieldworkPlan()
    org_id = v.existing.organisation_id
    existing_families: dict[str, int] = {}
    if org_id is not None:
        for pk, ext in Family.objects.filter(organisation_id=org_id).values_list("id", "external_id"):
            existing_families[ext or f"{OWN_FAMILY_PREFIX}{pk}"] = pk
    plan.family_ids = existing_families
    settlements = set(Settlement.objects.filter(organisation_id=org_id).values_list("name", flat=True)) \
        if org_id is not None else set()
    settlements |= {r["settlement"] for r in v.plan.recipients.values() if r["settlement"]}
    _families(v, plan, settlements)
    known_families = set(existing_families) | set(plan.families)
    _members(v, plan, known_families)
    _visits(v, plan, known_families, settlements)
    _notices(v, plan, settlements)


def _person(v: Validator, file: str, line: int, ref: str) -> int | str | None:
    if not ref:
        return None
    person = v.known_person(ref)
    if person is None:
        v.problems.add(file, line, "recipient_id", _("Unknown recipient «%(code)s».") % {"code": ref})
    return person


def _families(v: Validator, plan: FieldworkPlan, settlements: set[str]) -> None:
    file = v.plan.files.get("families", "")
    sectors, reasons, categories = _codes(Sector), _codes(DischargeReason), v.existing.categories
    lines: dict[str, int] = {}
    for line, row in v.rows("families"):
        ok = v._required(file, line, row, COLUMNS["families"][0])
        ok &= v._code(file, line, row, "sector", sectors, _("Unknown sector «%(code)s»."))
        ok &= v._code(file, line, row, "deregistration_reason", reasons, _("Unknown discharge reason «%(code)s»."))
        codes = sorted({c.strip() for c in row["categories"].split(MULTI) if c.strip()})
        for code in codes:
            if code not in categories:
                v.problems.add(file, line, "categories", _("Unknown category «%(code)s».") % {"code": code})
                ok = False
        children = 0
        if row["children"]:
            try:
                children = v.integer(row["children"])
            except ValueError as exc:
                v.problems.add(file, line, "children", str(exc))
                ok = False
        registered = v._date(file, line, row, "registered_on")
        deregistered = v._date(file, line, row, "deregistered_on")
        ok &= (registered is not None or not row["registered_on"]) and (
            deregistered is not None or not row["deregistered_on"])
        for column, message in family_register_errors(registered, deregistered,
                                                      row["deregistration_reason"]).items():
            v.problems.add(file, line, column, message)
            ok = False
        ext = row["external_id"]
        if ext in lines:
            v._duplicate(file, line, "external_id", ext, lines[ext])
            continue
        lines[ext] = line
        if ok:
            if row["settlement"]:
                settlements.add(row["settlement"])
            plan.families[ext] = {
                "name": row["name"], "settlement": row["settlement"], "sector": row["sector"],
                "categories": tuple(codes), "children": children, "registered_on": registered,
                "deregistered_on": deregistered, "deregistration_reason": row["deregistration_reason"]}


def _members(v: Validator, plan: FieldworkPlan, known_families: set[str]) -> None:
    file = v.plan.files.get("family_members", "")
    lines: dict[tuple[str, int | str], int] = {}
    for line, row in v.rows("family_members"):
        ok = v._required(file, line, row, COLUMNS["family_members"][0])
        ok &= v._code(file, line, row, "family_id", known_families, _("Unknown family «%(code)s»."))
        ok &= v._code(file, line, row, "relation", set(RELATIONS),
                      _("Unknown relation «%(code)s» (expected head, spouse, child, parent or other)."))
        person = _person(v, file, line, row["recipient_id"])
        if person is None:
            continue
        key = (row["family_id"], person)
        if key in lines:
            v._duplicate(file, line, "recipient_id", row["recipient_id"], lines[key])
            continue
        lines[key] = line
        if ok:
            plan.members[(row["family_id"], row["recipient_id"])] = row["relation"]


def _memberships(v: Validator, plan: FieldworkPlan) -> dict[int | str, set[str]]:
    """person → the references of the families they belong to (held, and named by the family_members file)."""
    ref_of = {pk: ref for ref, pk in plan.family_ids.items()}
    result: dict[int | str, set[str]] = {}
    org_id = v.existing.organisation_id
    if org_id is not None:
        for pk, fam in Recipient.objects.filter(organisation_id=org_id, family__isnull=False).values_list(
                "id", "family_id"):
            result.setdefault(pk, set()).add(ref_of[fam])
        for pk, fam in FamilyMember.objects.filter(family__organisation_id=org_id, recipient__isnull=False
                                                   ).values_list("recipient_id", "family_id"):
            result.setdefault(pk, set()).add(ref_of[fam])
    for (fam_ref, person_ref) in plan.members:
        person = v.known_person(person_ref)
        if person is not None:
            result.setdefault(person, set()).add(fam_ref)
    return result


def _visits(v: Validator, plan: FieldworkPlan, known_families: set[str], settlements: set[str]) -> None:
    file = v.plan.files.get("visits", "")
    if "visits" not in v.tables:
        return
    kinds = _codes(fw_rules.VisitKind)
    memberships = _memberships(v, plan)
    for line, row in v.rows("visits"):
        ok = v._required(file, line, row, COLUMNS["visits"][0])
        ok &= v._code(file, line, row, "kind", kinds, _("Unknown kind of visit «%(code)s»."))
        ok &= v._code(file, line, row, "family_id", known_families, _("Unknown family «%(code)s»."))
        ok &= v._code(file, line, row, "settlement", settlements, _("Unknown settlement «%(code)s»."))
        ok &= v._code(file, line, row, "worker_tab_no", v.known_workers, _("Unknown worker «%(code)s»."))
        person = _person(v, file, line, row["recipient_id"])
        ok &= person is not None or not row["recipient_id"]
        day = v._date(file, line, row, "date")
        ok &= day is not None
        people = 1
        if row["people"]:
            try:
                people = v.integer(row["people"], minimum=1)
            except ValueError as exc:
                v.problems.add(file, line, "people", str(exc))
                ok = False
        if not ok:
            continue
        try:
            fw_rules.check_visit(kind=row["kind"], family_id=row["family_id"] or None, recipient_id=person,
                                 person_family_ids=memberships.get(person, set()) if person is not None else (),
                                 settlement_id=row["settlement"] or None)
        except DomainError as e:
            column = {"recipient": "recipient_id", "family": "family_id"}.get(e.field or "", e.field or "kind")
            v.problems.add(file, line, column, e.message)
            continue
        plan.visits.append({"date": day, "kind": row["kind"], "family": row["family_id"],
                            "recipient": row["recipient_id"], "settlement": row["settlement"],
                            "worker": row["worker_tab_no"], "people": people, "outcome": row["outcome"]})


def _notices(v: Validator, plan: FieldworkPlan, settlements: set[str]) -> None:
    file = v.plan.files.get("release_notices", "")
    outcomes = _codes(fw_rules.NoticeOutcome)
    lines: dict[tuple, int] = {}
    for line, row in v.rows("release_notices"):
        ok = v._required(file, line, row, COLUMNS["release_notices"][0])
        ok &= v._code(file, line, row, "outcome", outcomes, _("Unknown outcome «%(code)s»."))
        ok &= v._code(file, line, row, "settlement", settlements, _("Unknown settlement «%(code)s»."))
        person = _person(v, file, line, row["recipient_id"])
        ok &= person is not None or not row["recipient_id"]
        received = v._date(file, line, row, "received_on")
        birth = v._date(file, line, row, "birth_date")
        checked = v._date(file, line, row, "checked_on")
        release: datetime.date | str | None = None
        if row["release_date"]:
            release = v._parse_date(row["release_date"], future=True)
            if isinstance(release, str):
                v.problems.add(file, line, "release_date", release)
                release = None
        ok &= received is not None and birth is not None and release is not None and (
            checked is not None or not row["checked_on"])
        if not ok or received is None or birth is None or not isinstance(release, datetime.date):
            continue
        try:
            fw_rules.check_notice(received_on=received, release_date=release, outcome=row["outcome"],
                                  checked_on=checked, today=v.today)
        except DomainError as e:
            v.problems.add(file, line, e.field or "outcome", e.message)
            continue
        key = (row["full_name"], birth, release)
        if key in lines:
            v._duplicate(file, line, "full_name", row["full_name"], lines[key])
            continue
        lines[key] = line
        plan.notices.append({"received_on": received, "full_name": row["full_name"], "birth_date": birth,
                             "release_date": release, "settlement": row["settlement"],
                             "institution": row["institution"], "outcome": row["outcome"], "checked_on": checked,
                             "recipient": row["recipient_id"]})


# --- writing ----------------------------------------------------------------------------------------------------

def _count(counts: dict[str, dict[str, int]], file: str, created: int, updated: int) -> None:
    entry = counts.setdefault(file, {"created": 0, "updated": 0})
    entry["created"] += created
    entry["updated"] += updated


def load(loader: Loader) -> None:
    plan: FieldworkPlan | None = loader.plan.fieldwork
    if plan is None:
        return
    org = loader.org
    names = [f["settlement"] for f in plan.families.values()]
    names += [x["settlement"] for x in plan.visits] + [x["settlement"] for x in plan.notices]
    settlement_ids = loader.settlements(names)
    family_ids = dict(plan.family_ids)
    if plan.families:
        created = updated = 0
        held = {f.external_id: f for f in Family.objects.filter(organisation=org, external_id__in=list(plan.families))}
        code_ids = dict(Category.objects.values_list("code", "id"))
        for ext, values in plan.families.items():
            row = {k: val for k, val in values.items() if k not in ("settlement", "categories")}
            row["settlement_id"] = settlement_ids.get(values["settlement"])
            fam = held.get(ext) or (Family.objects.get(pk=family_ids[ext]) if ext in family_ids else None)
            wanted_cats = {code_ids[c] for c in values["categories"]}
            if fam is None:
                fam = Family(organisation=org, external_id=ext, **row)
                fam.save()
                created += 1
                fam.categories.set(wanted_cats)
            else:
                changed = any(getattr(fam, k) != val for k, val in row.items())
                if changed:
                    for k, val in row.items():
                        setattr(fam, k, val)
                    fam.save()
                if set(fam.categories.values_list("id", flat=True)) != wanted_cats:
                    fam.categories.set(wanted_cats)
                    changed = True
                updated += int(changed)
            family_ids[ext] = fam.pk
        _count(loader.counts, loader.file("families"), created, updated)
    people = loader.recipient_ids
    if plan.members:
        created = updated = 0
        held_members = {(m.family_id, m.recipient_id): m for m in FamilyMember.objects.filter(
            family__organisation=org, recipient__isnull=False)}
        names_of = {pk: " ".join(p for p in (a, b, c) if p) for pk, a, b, c in Recipient.objects.filter(
            organisation=org).values_list("id", "last_name", "first_name", "patronymic")}
        births = dict(Recipient.objects.filter(organisation=org).values_list("id", "birth_date"))
        for (fam_ref, person_ref), relation in plan.members.items():
            fam_id, person_id = family_ids[fam_ref], people[person_ref]
            member = held_members.get((fam_id, person_id))
            if member is None:
                FamilyMember.objects.create(family_id=fam_id, recipient_id=person_id, relation=relation,
                                            full_name=names_of[person_id], birth_date=births[person_id])
                created += 1
            elif member.relation != relation:
                FamilyMember.objects.filter(pk=member.pk).update(relation=relation)
                updated += 1
            Recipient.objects.filter(pk=person_id, family__isnull=True).update(family_id=fam_id)
        _count(loader.counts, loader.file("family_members"), created, updated)
    workers = dict(Employee.objects.filter(organisation=org).values_list("tab_no", "id"))
    if plan.visits:
        rows = [fw_actions.VisitRow(
            date=x["date"], kind=x["kind"], family_id=family_ids[x["family"]] if x["family"] else None,
            recipient_id=people[x["recipient"]] if x["recipient"] else None,
            settlement_id=settlement_ids.get(x["settlement"]) if x["settlement"] else None,
            worker_id=workers.get(x["worker"]) if x["worker"] else None, people=x["people"], outcome=x["outcome"])
            for x in plan.visits]
        created, updated = fw_actions.write_visits(org.pk, rows)
        _count(loader.counts, loader.file("visits"), created, updated)
    if plan.notices:
        notices = [fw_actions.NoticeRow(
            received_on=x["received_on"], full_name=x["full_name"], birth_date=x["birth_date"],
            release_date=x["release_date"], outcome=x["outcome"],
            settlement_id=settlement_ids.get(x["settlement"]) if x["settlement"] else None,
            institution=x["institution"], checked_on=x["checked_on"],
            recipient_id=people[x["recipient"]] if x["recipient"] else None) for x in plan.notices]
        created, updated = fw_actions.write_notices(org.pk, notices, today=loader.now.date())
        _count(loader.counts, loader.file("release_notices"), created, updated)


# --- export -----------------------------------------------------------------------------------------------------

HEADERS: dict[str, list[str]] = {
    "families": ["external_id", "name", "settlement", "sector", "categories", "children", "registered_on",
                 "deregistered_on", "deregistration_reason"],
    "family_members": ["family_id", "recipient_id", "relation"],
    "visits": ["date", "kind", "family_id", "recipient_id", "settlement", "worker_tab_no", "people", "outcome"],
    "release_notices": ["received_on", "full_name", "birth_date", "release_date", "settlement", "institution",
                        "outcome", "checked_on", "recipient_id"],
}


def export_rows(org: Organisation, ext: dict[int, str], tab: dict[int, str]) -> Iterator[tuple[str, Iterable[Any]]]:
    """(file, rows) of the four files, each only when the organisation holds such rows (so the export of a centre
    without them is unchanged); a family without an external id is written as `opora-<id>`."""
    held = {"families": Family.objects.filter(organisation=org).exists(),
            "family_members": FamilyMember.objects.filter(family__organisation=org, recipient__isnull=False).exists(),
            "visits": Visit.objects.filter(organisation=org).exists(),
            "release_notices": ReleaseNotice.objects.filter(organisation=org).exists()}
    for name, rows in _export_rows(org, ext, tab):
        if held[name]:
            yield name, rows


def _export_rows(org: Organisation, ext: dict[int, str], tab: dict[int, str]) -> Iterator[tuple[str, Iterable[Any]]]:
    fam = {pk: e or f"{OWN_FAMILY_PREFIX}{pk}" for pk, e in Family.objects.filter(organisation=org).values_list(
        "id", "external_id")}
    cats: dict[int, list[str]] = {}
    for fid, code in Family.categories.through.objects.filter(family__organisation=org).values_list(
            "family_id", "category__code"):
        cats.setdefault(fid, []).append(code)
    yield "families", (
        [fam[pk], name, settlement or "", sector, MULTI.join(sorted(cats.get(pk, []))), children, reg, dereg, reason]
        for pk, name, settlement, sector, children, reg, dereg, reason in Family.objects.filter(organisation=org)
        .order_by("id").values_list("id", "name", "settlement__name", "sector", "children", "registered_on",
                                    "deregistered_on", "deregistration_reason"))
    yield "family_members", (
        [fam[f], ext[r], relation if relation in RELATIONS else ("other" if relation else "")]
        for f, r, relation in FamilyMember.objects.filter(family__organisation=org, recipient__isnull=False)
        .order_by("id").values_list("family_id", "recipient_id", "relation"))
    yield "visits", (
        [day, kind, fam[f] if f else "", ext[r] if r else "", settlement or "", tab.get(w, "") if w else "", people,
         outcome]
        for day, kind, f, r, settlement, w, people, outcome in Visit.objects.filter(organisation=org)
        .order_by("date", "id").values_list("date", "kind", "family_id", "recipient_id", "settlement__name",
                                            "worker_id", "people", "outcome"))
    yield "release_notices", (
        [received, name, birth, release, settlement or "", institution, outcome, checked, ext[r] if r else ""]
        for received, name, birth, release, settlement, institution, outcome, checked, r in ReleaseNotice.objects
        .filter(organisation=org).order_by("received_on", "id").values_list(
            "received_on", "full_name", "birth_date", "release_date", "settlement__name", "institution", "outcome",
            "checked_on", "recipient_id"))
