"""Writing a checked Plan: rows matched by their codes are updated when they differ, the rest created.

Everything happens inside the caller's transaction. No query per row: existing rows of the
organisation are read once per table into dicts, new rows are inserted with bulk_create (and the
journal through the journal's one bulk writer, delivery.bulk.write_lines), changed rows with bulk_update.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.utils import timezone

from opora.catalogue.models import Service, Tariff
from opora.core.db import sqlite_big_cache
from opora.delivery import bulk
from opora.delivery.models import Delivery
from opora.exchange import activities, applications, fieldwork, outreach, quality
from opora.exchange import money as money_files
from opora.exchange import plans as exchange_plans
from opora.exchange.validate import OWN_ID_PREFIX, Plan
from opora.lib.text import search_key
from opora.org.models import AssignmentPlan, Department, Employee, Organisation, Settlement
from opora.people.actions import refresh_statuses
from opora.people.models import Category, Enrolment, Recipient

BATCH = 5000

Counts = dict[str, dict[str, int]]


def _count(counts: Counts, file: str, created: int, updated: int) -> None:
    entry = counts.setdefault(file, {"created": 0, "updated": 0})
    entry["created"] += created
    entry["updated"] += updated


def upsert(model: type[models.Model], existing: dict[Any, Any], wanted: dict[Any, dict[str, Any]],
           make: Any, extra_update: dict[str, Any] | None = None) -> tuple[int, int]:
    """Create the rows of `wanted` whose key is not in `existing` (`make(key, values)` builds the instance);
    update those whose values differ. `existing` maps a key to {"id": …, field: value…}."""
    new, changed, fields = [], [], set()
    for key, values in wanted.items():
        old = existing.get(key)
        if old is None:
            new.append(make(key, values))
            continue
        diff = {f: v for f, v in values.items() if old.get(f) != v}
        if diff:
            obj = model(pk=old["id"], **{**{f: old[f] for f in values}, **values}, **(extra_update or {}))
            changed.append(obj)
            fields |= set(values) | set(extra_update or {})
    model.objects.bulk_create(new, batch_size=BATCH)  # type: ignore[attr-defined]
    if changed:
        model.objects.bulk_update(changed, sorted(fields), batch_size=BATCH)  # type: ignore[attr-defined]
    return len(new), len(changed)


class Loader:
    def __init__(self, plan: Plan):
        self.plan = plan
        self.counts: Counts = {}
        self.now = timezone.now()

    def file(self, name: str) -> str:
        return self.plan.files.get(name, name)

    def run(self) -> Counts:
        self.organisation()
        self.departments()
        self.workers()
        self.recipients()
        self.enrolments()
        self.services()
        self.deliveries()
        self.assignment()
        money_files.load(self)
        exchange_plans.load(self)
        fieldwork.load(self)  # families, family_members, visits, release_notices (issue 14)
        quality.load(self)  # quality and staff development (EXCHANGE.md Part 2)
        applications.load(self)
        activities.load(self)
        outreach.load(self)  # day-stay shifts, brigade trips, their joins to enrolments and journal lines
        return self.counts

    # ---- organisation and departments ------------------------------------------------------------
    def organisation(self) -> None:
        code, values = self.plan.organisation_code, self.plan.organisation
        org = Organisation.objects.filter(code=code).first()
        created = updated = 0
        if org is None:
            org = Organisation.objects.create(code=code, **(values or {}))
            created = 1
        elif values and any(getattr(org, k) != v for k, v in values.items()):
            Organisation.objects.filter(pk=org.pk).update(**values)
            updated = 1
        self.org = org
        if values is not None:
            _count(self.counts, self.file("organisation"), created, updated)

    def departments(self) -> None:
        org = self.org
        existing = {d["code"]: d for d in Department.objects.filter(organisation=org).values("id", "code", "name",
                                                                                            "kind")}
        if self.plan.departments:
            created, updated = upsert(Department, existing, self.plan.departments,
                                      lambda code, v: Department(organisation=org, code=code, **v))
            _count(self.counts, self.file("departments"), created, updated)
        self.department_ids = dict(Department.objects.filter(organisation=org).values_list("code", "id"))

    # ---- workers ---------------------------------------------------------------------------------
    def workers(self) -> None:
        org = self.org
        if self.plan.workers:
            wanted = {}
            for tab_no, w in self.plan.workers.items():
                values = {k: v for k, v in w.items() if k != "department_code"}
                values["department_id"] = self.department_ids[w["department_code"]]
                values["search_name"] = search_key(w["last_name"], w["first_name"], w["patronymic"])
                wanted[tab_no] = values
            existing = {e["tab_no"]: e for e in Employee.objects.filter(organisation=org).values(
                "id", "tab_no", *next(iter(wanted.values())))}
            created, updated = upsert(Employee, existing, wanted,
                                      lambda tab_no, v: Employee(organisation=org, tab_no=tab_no, **v))
            _count(self.counts, self.file("workers"), created, updated)
        self.worker_ids = dict(Employee.objects.filter(organisation=org).values_list("tab_no", "id"))

    # ---- recipients ------------------------------------------------------------------------------
    def settlements(self, names: Iterable[str]) -> dict[str, int]:
        org = self.org
        ids = dict(Settlement.objects.filter(organisation=org).values_list("name", "id"))
        missing = sorted({n for n in names if n and n not in ids})
        if missing:
            Settlement.objects.bulk_create([Settlement(organisation=org, name=n) for n in missing])
            ids = dict(Settlement.objects.filter(organisation=org).values_list("name", "id"))
        return ids

    def recipients(self) -> None:
        """Rows matched to a registered person (plan.people) update that person; an external id is given to
        a person who had none (never replaced, and never the `opora-<id>` form of an export); others are new."""
        org = self.org
        people = self.plan.people
        if self.plan.recipients:
            settlement_ids = self.settlements(r["settlement"] for r in self.plan.recipients.values())
            fields = ["external_id", "last_name", "first_name", "patronymic", "sex", "birth_date", "snils", "rntrc",
                      "settlement_id", "sector", "search_name"]
            existing = {r["id"]: r for r in Recipient.objects.filter(organisation=org).values("id", *fields)}
            wanted: dict[int | str, dict[str, Any]] = {}
            categories: dict[str, tuple[str, ...]] = {}
            for ext, r in self.plan.recipients.items():
                key = people.get(ext, ext)
                old = existing.get(key) if isinstance(key, int) else None
                external_id: str | None
                if old is None:
                    external_id = ext
                elif old["external_id"]:
                    external_id = old["external_id"]
                else:
                    external_id = None if ext.startswith(OWN_ID_PREFIX) else ext
                values = {k: v for k, v in r.items() if k not in ("settlement", "categories")}
                values["external_id"] = external_id
                values["settlement_id"] = settlement_ids.get(r["settlement"])
                values["search_name"] = search_key(r["last_name"], r["first_name"], r["patronymic"])
                wanted[key] = values
                categories[ext] = r["categories"]
            created, updated = upsert(Recipient, existing, wanted,
                                      lambda key, v: Recipient(organisation=org, **v),
                                      extra_update={"updated_at": self.now})
            self.recipient_ids = self.recipient_refs()
            updated_ids = {key for key, v in wanted.items() if isinstance(key, int) and key in existing
                           and any(existing[key][f] != value for f, value in v.items())}
            new_ids = {self.recipient_ids[ext] for ext in self.plan.recipients if ext not in people}
            changed_categories = self.categories(categories)
            updated += len(changed_categories - updated_ids - new_ids)
            _count(self.counts, self.file("recipients"), created, updated)
        else:
            self.recipient_ids = self.recipient_refs()

    def recipient_refs(self) -> dict[str, int]:
        """recipient_id of the files → the person's id."""
        ids: dict[str, int] = {ext: pk for ext, pk in Recipient.objects.filter(
            organisation=self.org, external_id__isnull=False).values_list("external_id", "id") if ext}
        ids.update(self.plan.people)
        return ids

    def categories(self, wanted: dict[str, tuple[str, ...]]) -> set[int]:
        """Make each recipient's categories those of the file; return the ids of the recipients whose set changed."""
        through = Recipient.categories.through
        code_ids = dict(Category.objects.values_list("code", "id"))
        ids = {self.recipient_ids[ext]: {code_ids[c] for c in codes} for ext, codes in wanted.items()}
        current: dict[int, set[int]] = {}
        for rid, cid in through.objects.filter(recipient__organisation=self.org).values_list(
                "recipient_id", "category_id"):
            current.setdefault(rid, set()).add(cid)
        add, remove, changed = [], [], set()
        for rid, want in ids.items():
            have = current.get(rid, set())
            if want != have:
                changed.add(rid)
                add += [through(recipient_id=rid, category_id=c) for c in want - have]
                remove += [(rid, c) for c in have - want]
        through.objects.bulk_create(add, batch_size=BATCH)
        for rid in {r for r, _ in remove}:
            through.objects.filter(recipient_id=rid, category_id__in=[c for r, c in remove if r == rid]).delete()
        return changed

    # ---- enrolments ------------------------------------------------------------------------------
    def enrolments(self) -> None:
        org = self.org
        if not self.plan.enrolments:
            return
        wanted = {}
        for (ext, dept, admitted), e in self.plan.enrolments.items():
            wanted[(self.recipient_ids[ext], self.department_ids[dept], admitted)] = {
                "form": e["form"], "discharged_on": e["discharged_on"], "discharge_reason": e["discharge_reason"],
                "worker_id": self.worker_ids.get(e["worker_tab_no"]) if e["worker_tab_no"] else None,
            }
        existing = {(e["recipient_id"], e["department_id"], e["admitted_on"]): e
                    for e in Enrolment.objects.filter(organisation=org).values(
                        "id", "recipient_id", "department_id", "admitted_on", "form", "discharged_on",
                        "discharge_reason", "worker_id")}
        created, updated = upsert(Enrolment, existing, wanted, lambda k, v: Enrolment(
            organisation=org, recipient_id=k[0], department_id=k[1], admitted_on=k[2], **v))
        _count(self.counts, self.file("enrolments"), created, updated)
        self.refresh_statuses()

    def refresh_statuses(self) -> None:
        """The status of every person of the organisation, by people's bulk entry point (people.rules)."""
        refresh_statuses(self.org.pk)

    # ---- services --------------------------------------------------------------------------------
    def services(self) -> None:
        org = self.org
        if self.plan.services:
            wanted = {code: {k: v for k, v in s.items() if k != "tariffs"} for code, s in self.plan.services.items()}
            existing: dict[str, Any] = {s["code"]: s for s in Service.objects.filter(organisation=org).values(
                "id", "code", "name", "type", "list", "unit", "time_norm_min", "innovative")}
            created, updated = upsert(Service, existing, wanted,
                                      lambda code, v: Service(organisation=org, code=code, **v))
            ids = dict(Service.objects.filter(organisation=org).values_list("code", "id"))
            # tariffs are matched by service and start date; the file's replace those of the same dates
            tariffs = {(t["service_id"], t["valid_from"]): t for t in Tariff.objects.filter(
                service__organisation=org).values("id", "service_id", "valid_from", "price")}
            wanted_tariffs = {(ids[code], valid_from): {"price": price} for code, s in self.plan.services.items()
                              for valid_from, price in s["tariffs"].items()}
            upsert(Tariff, tariffs, wanted_tariffs, lambda key, v: Tariff(service_id=key[0], valid_from=key[1], **v))
            changed_services = {existing[c]["id"] for c in wanted if c in existing
                                and any(existing[c][f] != v for f, v in wanted[c].items())}
            tariff_changed = {sid for (sid, valid_from), v in wanted_tariffs.items()
                              if (sid, valid_from) not in tariffs or tariffs[(sid, valid_from)]["price"] != v["price"]}
            updated = len(changed_services | {existing[c]["id"] for c in wanted if c in existing
                                              and existing[c]["id"] in tariff_changed})
            _count(self.counts, self.file("services"), created, updated)
        self.service_ids = dict(Service.objects.filter(organisation=org).values_list("code", "id"))

    # ---- the journal -----------------------------------------------------------------------------
    def deliveries(self) -> None:
        """New lines go through the journal's one bulk writer (delivery/bulk.py), changed ones are updated; the
        lines of urgent departments or services are put on acts of urgent services, one per person, department
        and day (bulk.urgent_acts)."""
        if not self.plan.deliveries:
            return
        org_id = self.org.pk
        r_ids, d_ids, s_ids, w_ids = self.recipient_ids, self.department_ids, self.service_ids, self.worker_ids
        existing: dict[tuple, tuple] = {}
        money: dict[Any, Decimal] = {}  # SQLite hands decimals back as int/float: convert each distinct value once
        cent = Decimal("0.01")
        with connection.cursor() as cursor:
            # raw rows: the ORM's per-value converters cost seconds on half a million lines
            cursor.execute(
                f"SELECT recipient_id, department_id, service_id, date, worker_id, seq, id, quantity, list, tariff, "
                f"amount FROM {Delivery._meta.db_table} WHERE organisation_id = %s", [org_id])
            while chunk := cursor.fetchmany(20000):
                for row in chunk:
                    tariff, amount = row[9], row[10]
                    t = money.get(tariff)
                    if t is None:
                        t = money[tariff] = Decimal(str(tariff)).quantize(cent)
                    a = money.get(amount)
                    if a is None:
                        a = money[amount] = Decimal(str(amount)).quantize(cent)
                    existing[row[:6]] = (row[6], row[7], row[8], t, a)
        # The new lines are built once, in the form both databases take (dates as ISO text, money as text).
        texts = bulk.Texts()  # the days and amounts of the new lines, as written
        seqs: dict[tuple, int] = {}
        new: list[list[Any]] = []
        append = new.append
        acts: dict[tuple[int, int, datetime.date], int | None] = {}
        on_acts: list[tuple[int, tuple[int, int, datetime.date]]] = []  # (index in new, act key)
        changed: list[Delivery] = []
        months: set[datetime.date] = set()
        created = bulk.now_value()
        # issue 17: the lines marked online (None: the file has no column `online`, the lines keep their mark)
        online_rows = self.plan.online_deliveries
        marked: set[int] | frozenset[int] = online_rows or frozenset()
        online_before = self._online_lines(org_id) if online_rows is not None and existing else set()
        flips: list[tuple[int, bool]] = []
        for index, (ext, dept, code, day, tab, quantity, kind, tariff, amount, urgent) in enumerate(
                self.plan.deliveries):
            w = w_ids[tab] if tab else None
            five = (r_ids[ext], d_ids[dept], s_ids[code], day, w)
            seq = seqs.get(five, 0)
            seqs[five] = seq + 1
            if existing:
                old = existing.get((*five, seq))
                if old is not None:
                    if old[1:] != (quantity, kind, tariff, amount):
                        changed.append(Delivery(pk=old[0], quantity=quantity, list=kind, tariff=tariff, amount=amount))
                        months.add(day.replace(day=1))
                    if online_rows is not None and (old[0] in online_before) != (index in marked):
                        flips.append((old[0], index in marked))
                    continue
            if urgent:
                key = (five[0], five[1], day)
                acts.setdefault(key, w)
                on_acts.append((len(new), key))
            append([five[0], five[1], five[2], texts[day], w, seq, quantity, kind, texts[tariff], texts[amount],
                    org_id, "", None, created, index in marked])
        if on_acts:
            act_ids = bulk.urgent_acts(org_id, acts)
            for index, key in on_acts:
                new[index][12] = act_ids[key]
        if changed:
            Delivery.objects.bulk_update(changed, ["quantity", "list", "tariff", "amount"], batch_size=BATCH)
        with sqlite_big_cache():
            bulk.write_lines(org_id, new, months=months,  # and the monthly aggregates of the months touched
                             extra_columns=("online",))
        for flag in (True, False):  # issue 17: existing lines whose online mark the file changes
            ids = [pk for pk, value in flips if value is flag]
            for start in range(0, len(ids), BATCH):
                Delivery.objects.filter(pk__in=ids[start:start + BATCH]).update(online=flag)
        changed_pks = {d.pk for d in changed}
        _count(self.counts, self.file("deliveries"), len(new), len(changed) + len({pk for pk, _f in flips}
                                                                                  - changed_pks))

    @staticmethod
    def _online_lines(org_id: int) -> set[int]:
        """The ids of the organisation's journal lines marked online (the partial index delivery_online_date)."""
        return set(Delivery.objects.filter(organisation_id=org_id, online=True).values_list("id", flat=True))

    # ---- assignment ------------------------------------------------------------------------------
    def assignment(self) -> None:
        if not self.plan.assignment:
            return
        org = self.org
        wanted = {(self.department_ids[d], y): v for (d, y), v in self.plan.assignment.items()}
        existing = {(a["department_id"], a["year"]): a for a in AssignmentPlan.objects.filter(
            organisation=org).values("id", "department_id", "year", "services_plan", "recipients_plan")}
        created, updated = upsert(AssignmentPlan, existing, wanted, lambda k, v: AssignmentPlan(
            organisation=org, department_id=k[0], year=k[1], **v))
        _count(self.counts, self.file("assignment"), created, updated)
