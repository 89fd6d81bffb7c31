"""Every money write: funds, receipts, campaigns, aid, budget lines and spending. Atomic and audited.

`write_bulk` is the one bulk entry point the exchange import and the demo use: rows matched by their keys are
updated when they differ, the rest inserted with bulk_create; one audit event records the counts."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.audit.log import log_event
from opora.audit.models import AuditEvent, EventType
from opora.core.actions import create_object, delete_object, require, update_object
from opora.jurisdictions import jurisdiction_for
from opora.lib.errors import DomainError
from opora.money import queries, rules
from opora.money.models import Aid, BudgetLine, Campaign, Fund, FundReceipt, MoneySettings, Spending
from opora.org.models import Organisation
from opora.people.queries import families_for, recipients_for


def _not_future(day: datetime.date | None, field_name: str = "date") -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field_name: _("The date cannot be in the future.")})


def do_save_fund(instance: Fund | None, data: Mapping[str, Any], *, actor: Actor, organisation_id: int) -> Fund:
    require(actor, Perm.MANAGE_FUNDS, organisation_id)
    if instance is None:
        return create_object(Fund(organisation_id=organisation_id, **data), actor=actor)
    return update_object(instance, data, actor=actor)


def do_add_receipt(fund: Fund, data: Mapping[str, Any], *, actor: Actor) -> FundReceipt:
    require(actor, Perm.MANAGE_FUNDS, fund.organisation_id)
    _not_future(data.get("date"))
    return create_object(FundReceipt(fund=fund, **data), actor=actor)


def do_save_campaign(instance: Campaign | None, data: Mapping[str, Any], *, actor: Actor,
                     organisation_id: int) -> Campaign:
    require(actor, Perm.MANAGE_FUNDS, organisation_id)
    if data.get("start") and data.get("end") and data["end"] < data["start"]:
        raise ValidationError({"end": _("The end cannot be before the start.")})
    if instance is None:
        return create_object(Campaign(organisation_id=organisation_id, **data), actor=actor)
    return update_object(instance, data, actor=actor)


def _refuse_if_used(what: str, dependants: list[tuple[str, int]]) -> None:
    """A row others depend on is not deleted: the refusal names each kind of dependant and how many."""
    used = [f"{name}: {n}" for name, n in dependants if n]
    if used:
        raise DomainError(_("%(what)s cannot be deleted: it has %(used)s. Delete or move those first.")
                          % {"what": what, "used": "; ".join(used)})


@transaction.atomic
def do_delete_fund(fund: Fund, *, actor: Actor) -> None:
    """Delete a fund that has neither receipts nor aid (otherwise refused, naming them)."""
    require(actor, Perm.MANAGE_FUNDS, fund.organisation_id)
    _refuse_if_used(_("The fund «%(name)s»") % {"name": fund.name},
                    [(str(_("receipts")), fund.receipts.count()), (str(_("aid given")), fund.aid.count())])
    delete_object(fund, actor=actor)


@transaction.atomic
def do_delete_campaign(campaign: Campaign, *, actor: Actor) -> None:
    """Delete a campaign no aid was given within (otherwise refused, naming the aid)."""
    require(actor, Perm.MANAGE_FUNDS, campaign.organisation_id)
    _refuse_if_used(_("The campaign «%(name)s»") % {"name": campaign.name},
                    [(str(_("aid given")), campaign.aid.count())])
    delete_object(campaign, actor=actor)


@dataclass
class AidResult:
    aid: Aid
    warning: str | None = None


def _check_aid_target(actor: Actor, organisation_id: int, data: Mapping[str, Any]) -> None:
    """The person or family must be of the organisation and in the actor's scope for recording aid."""
    person, family = data.get("recipient"), data.get("family")
    if person is not None and not recipients_for(actor, Perm.RECORD_AID).filter(
            pk=person.pk, organisation_id=organisation_id).exists():
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))
    if family is not None and not families_for(actor, Perm.RECORD_AID).filter(
            pk=family.pk, organisation_id=organisation_id).exists():
        raise PermissionDenied(_("You do not have the right to do this in this organisation."))


@transaction.atomic
def do_record_aid(data: Mapping[str, Any], *, actor: Actor, organisation_id: int,
                  instance: Aid | None = None) -> AidResult:
    """Record aid given to a person or a family. Aid beyond what the fund holds on its date is a warning
    (returned), or refused when the organisation's money settings forbid it."""
    require(actor, Perm.RECORD_AID, organisation_id)
    problems = rules.aid_problem(person=data.get("recipient"), family=data.get("family"),
                                 amount=data.get("amount"), quantity=data.get("quantity"),
                                 day=data.get("date"), today=timezone.localdate())
    if problems:
        raise ValidationError({f: m for f, m in problems})
    fund: Fund = data["fund"]
    if fund.organisation_id != organisation_id:
        raise ValidationError({"fund": _("Unknown fund.")})
    campaign = data.get("campaign")
    if campaign is not None and campaign.organisation_id != organisation_id:
        raise ValidationError({"campaign": _("Unknown campaign.")})
    _check_aid_target(actor, organisation_id, data)
    balance = queries.fund_balance(fund, data["date"])
    if instance is not None and instance.fund_id == fund.pk and instance.date <= data["date"]:
        balance += instance.amount
    warning = None
    if rules.overspending(balance, data["amount"]) is not None:
        warning = rules.overspending_message(fund.name, balance, data["amount"])
        settings = MoneySettings.objects.filter(organisation_id=organisation_id).first()
        if settings is not None and settings.forbid_overspending:
            raise DomainError(warning, field="amount")
    if instance is None:
        aid = create_object(Aid(organisation_id=organisation_id, **data), actor=actor)
    else:
        aid = update_object(instance, data, actor=actor)
    return AidResult(aid, warning)


def do_delete_aid(aid: Aid, *, actor: Actor) -> None:
    require(actor, Perm.RECORD_AID, aid.organisation_id)
    _check_aid_target(actor, aid.organisation_id, {"recipient": aid.recipient, "family": aid.family})
    delete_object(aid, actor=actor)


def _check_budget_code(organisation_id: int, data: Mapping[str, Any]) -> None:
    """The economic code must be one of the organisation's budget classifier (КЕКВ in Ukraine; КОСГУ unchecked)."""
    if data.get("code"):
        jurisdiction = Organisation.objects.filter(pk=organisation_id).values_list("jurisdiction", flat=True).first()
        jurisdiction_for(jurisdiction or "ru").check_budget_code(str(data["code"]))


def do_save_budget_line(instance: BudgetLine | None, data: Mapping[str, Any], *, actor: Actor,
                        organisation_id: int) -> BudgetLine:
    require(actor, Perm.MANAGE_FUNDS, organisation_id)
    _check_budget_code(organisation_id, data)
    if instance is None:
        return create_object(BudgetLine(organisation_id=organisation_id, **data), actor=actor)
    return update_object(instance, data, actor=actor)


@transaction.atomic
def do_delete_budget_line(line: BudgetLine, *, actor: Actor) -> None:
    """Delete an approved line (nothing refers to a budget line: the spending is matched by fund and code)."""
    require(actor, Perm.MANAGE_FUNDS, line.organisation_id)
    delete_object(line, actor=actor)


def do_record_spending(data: Mapping[str, Any], *, actor: Actor, organisation_id: int) -> Spending:
    require(actor, Perm.MANAGE_FUNDS, organisation_id)
    _not_future(data.get("date"))
    _check_budget_code(organisation_id, data)
    return create_object(Spending(organisation_id=organisation_id, **data), actor=actor)


def do_save_settings(organisation_id: int, forbid_overspending: bool, *, actor: Actor) -> MoneySettings:
    require(actor, Perm.MANAGE_FUNDS, organisation_id)
    obj = MoneySettings.objects.filter(organisation_id=organisation_id).first()
    if obj is None:
        return create_object(MoneySettings(organisation_id=organisation_id, forbid_overspending=forbid_overspending),
                             actor=actor)
    return update_object(obj, {"forbid_overspending": forbid_overspending}, actor=actor)


# ---- the bulk path ------------------------------------------------------------------------------------------
@dataclass
class Bulk:
    """Rows to write, by their keys (codes resolved by the caller to ids where they are references).

    funds: code → {name, source}; campaigns: code → {name, start, end};
    receipts: (fund code, date, kind, amount, note) — matched by all of them with a position among equals;
    aid: (fund code, kind, date, amount, recipient_id, family_id, quantity, campaign code, note);
    budget: (year, month, fund, code) → {name, approved};
    spending: (date, fund, code, amount)."""

    funds: dict[str, dict[str, Any]] = field(default_factory=dict)
    campaigns: dict[str, dict[str, Any]] = field(default_factory=dict)
    receipts: list[tuple[str, datetime.date, str, Decimal, str]] = field(default_factory=list)
    aid: list[tuple[str, str, datetime.date, Decimal, int | None, int | None, int, str | None, str]] = field(
        default_factory=list)
    budget: dict[tuple[int, int, str, str], dict[str, Any]] = field(default_factory=dict)
    spending: list[tuple[datetime.date, str, str, Decimal]] = field(default_factory=list)


def _upsert(model: type[models.Model], existing: Mapping[Any, Any], wanted: dict[Any, dict[str, Any]],
            make: Any) -> tuple[int, int]:
    new, changed, fields = [], [], set()
    for key, values in wanted.items():
        old = existing.get(key)
        if old is None:
            new.append(make(key, values))
            continue
        diff = {f: v for f, v in values.items() if old.get(f) != v}
        if diff:
            changed.append(model(pk=old["id"], **{**{f: old[f] for f in values if f in old}, **values}))
            fields |= set(values)
    model._default_manager.bulk_create(new, batch_size=2000)
    if changed:
        model._default_manager.bulk_update(changed, sorted(fields), batch_size=2000)
    return len(new), len(changed)


def _seq(rows: list[tuple]) -> dict[tuple, int]:
    """Identical rows numbered by their position: (row, seq) → index."""
    seen: dict[tuple, int] = {}
    out: dict[tuple, int] = {}
    for i, row in enumerate(rows):
        n = seen.get(row, 0)
        seen[row] = n + 1
        out[(row, n)] = i
    return out


@transaction.atomic
def write_bulk(organisation_id: int, data: Bulk, *, actor: Actor | None = None) -> dict[str, dict[str, int]]:
    """Write funds, campaigns, receipts, aid, budget lines and spending of one organisation; re-writing the same
    rows changes nothing (receipts, aid and spending are matched by all their values and their position among
    identical rows). `actor` None is the command line; a user needs manage_funds (and record_aid for aid)."""
    if actor is not None:
        require(actor, Perm.MANAGE_FUNDS, organisation_id)
        if data.aid:
            require(actor, Perm.RECORD_AID, organisation_id)
    counts: dict[str, dict[str, int]] = {}

    def count(name: str, created: int, updated: int) -> None:
        counts[name] = {"created": created, "updated": updated}

    ex_funds = {f["code"]: f for f in Fund.objects.filter(organisation_id=organisation_id).values(
        "id", "code", "name", "source")}
    if data.funds:
        count("funds", *_upsert(Fund, ex_funds, data.funds,
                                lambda k, v: Fund(organisation_id=organisation_id, code=k, **v)))
    fund_ids = dict(Fund.objects.filter(organisation_id=organisation_id).values_list("code", "id"))
    ex_camp = {c["code"]: c for c in Campaign.objects.filter(organisation_id=organisation_id).values(
        "id", "code", "name", "start", "end")}
    if data.campaigns:
        count("campaigns", *_upsert(Campaign, ex_camp, data.campaigns,
                                    lambda k, v: Campaign(organisation_id=organisation_id, code=k, **v)))
    campaign_ids = dict(Campaign.objects.filter(organisation_id=organisation_id).values_list("code", "id"))

    if data.receipts:
        have = _seq([(fc, d, k, a, n) for fc, d, k, a, n in FundReceipt.objects.filter(
            fund__organisation_id=organisation_id).order_by("id").values_list(
            "fund__code", "date", "kind", "amount", "note")])
        new = [FundReceipt(fund_id=fund_ids[r[0]], date=r[1], kind=r[2], amount=r[3], note=r[4])
               for key in _seq(data.receipts) if key not in have for r in [key[0]]]
        FundReceipt.objects.bulk_create(new, batch_size=2000)
        count("fund_receipts", len(new), 0)

    if data.aid:
        have = _seq([tuple(v) for v in Aid.objects.filter(organisation_id=organisation_id).order_by("id").values_list(
            "fund__code", "kind", "date", "amount", "recipient_id", "family_id", "quantity", "campaign__code",
            "note")])
        new_aid = [Aid(organisation_id=organisation_id, fund_id=fund_ids[r[0]], kind=r[1], date=r[2], amount=r[3],
                       recipient_id=r[4], family_id=r[5], quantity=r[6],
                       campaign_id=campaign_ids[r[7]] if r[7] else None, note=r[8], seq=key[1])
                   for key in _seq(data.aid) if key not in have for r in [key[0]]]
        Aid.objects.bulk_create(new_aid, batch_size=2000)
        count("aid", len(new_aid), 0)

    if data.budget:
        ex_budget = {(b["year"], b["month"], b["fund"], b["code"]): b for b in BudgetLine.objects.filter(
            organisation_id=organisation_id).values("id", "year", "month", "fund", "code", "name", "approved")}
        count("budget", *_upsert(BudgetLine, ex_budget, data.budget, lambda k, v: BudgetLine(
            organisation_id=organisation_id, year=k[0], month=k[1], fund=k[2], code=k[3], **v)))

    if data.spending:
        have = _seq([tuple(v) for v in Spending.objects.filter(organisation_id=organisation_id).order_by(
            "id").values_list("date", "fund", "code", "amount")])
        new_sp = [Spending(organisation_id=organisation_id, date=r[0], fund=r[1], code=r[2], amount=r[3], seq=key[1])
                  for key in _seq(data.spending) if key not in have for r in [key[0]]]
        Spending.objects.bulk_create(new_sp, batch_size=2000)
        count("spending", len(new_sp), 0)

    if any(c["created"] or c["updated"] for c in counts.values()):
        AuditEvent.objects.create(
            organisation_id=organisation_id, actor_id=getattr(actor, "user_id", None), event_type=EventType.CREATED,
            object_type="money.bulk", object_id=str(organisation_id), object_repr="money", changes=counts)
    return counts


__all__ = ["AidResult", "Bulk", "do_add_receipt", "do_delete_aid", "do_delete_budget_line", "do_delete_campaign",
           "do_delete_fund", "do_record_aid", "do_record_spending",
           "do_save_budget_line", "do_save_campaign", "do_save_fund", "do_save_settings", "log_event",
           "write_bulk"]
