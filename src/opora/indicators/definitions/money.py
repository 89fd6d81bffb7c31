"""Indicators of material aid (issue 12): aid_amount and aid_recipients, read through money.queries.aid_totals.

Counting rules of EXCHANGE.md Part 2 (report `funds`): the amount is Σ of the aid dated in the period; the
recipients are distinct persons plus distinct families helped in it.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy

from opora.indicators.registry import Param, Query, indicator
from opora.money import queries
from opora.money.reference import AssistanceKind

AID_PARAMS = {
    "fund": Param(gettext_lazy("fund code")),
    "kind": Param(gettext_lazy("kind of aid"), tuple(str(v) for v in AssistanceKind.values)),
    "campaign": Param(gettext_lazy("campaign code")),
}


def _totals(q: Query) -> tuple[Decimal, int]:
    amount, recipients = Decimal("0.00"), 0
    for org_id in q.organisation_ids:
        a, r = queries.aid_totals(org_id, q.start, q.end, fund=q.get("fund") or None, kind=q.get("kind") or None,
                                  campaign=q.get("campaign") or None)
        amount, recipients = amount + a, recipients + r
    return amount, recipients


@indicator("aid_amount", title=gettext_lazy("Material aid given (amount)"), unit="money", params=AID_PARAMS)
def aid_amount(q: Query) -> Decimal:
    return _totals(q)[0]


@indicator("aid_recipients", title=gettext_lazy("People and families given material aid"), params=AID_PARAMS)
def aid_recipients(q: Query) -> int:
    return _totals(q)[1]
