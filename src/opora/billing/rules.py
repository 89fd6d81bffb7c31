"""The fee for social services, art. 31–32 of 442-ФЗ (domain/RULES.md). Pure: no ORM, no models.

    T   = coefficient × ПМ                      (the income threshold; coefficient ≥ 1.5)
    home, semi-stationary:  I ≤ T → 0;  else fee = min(cost, 0.5 × (I − T))
    stationary:             fee = min(cost, 0.75 × I)
    urgent services, free categories, minors: 0

Money is Decimal throughout; the fee and the threshold are rounded half-up to kopecks only at the end.

Ukraine (art. 28 of 2671-VIII, КМУ resolution 429 of 01.06.2020), `compute_fee_ua`:

    I ≤ 2 × ПМ, or categorical grounds, or urgent → free
    2 × ПМ < I ≤ 4 × ПМ → differentiated: percentage × cost (the percentage is configurable data, unconfirmed;
                                           without it, the placeholder (I − 2ПМ) / 2ПМ of the cost)
    I > 4 × ПМ → the full cost
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext as _

from opora.core.reference import ServiceList
from opora.lib import formats
from opora.lib.dates import add_months, month_start
from opora.lib.errors import DomainError

KOPECK = Decimal("0.01")
MIN_COEFFICIENT = Decimal("1.5")
HOME_SHARE = Decimal("0.5")
STATIONARY_SHARE = Decimal("0.75")
FORMS = ("home", "semi_stationary", "stationary", "urgent")

# The free categories used when no fee rules are configured for a region (configurable data overrides it).
DEFAULT_FREE_CATEGORIES = ("wwii_invalid", "wwii_participant", "blockade_resident", "disabled_child", "combat_veteran")
# The code stored as the free category of a minor (free by age, art. 31 part 1).
MINOR = "minor"
ADULT_AGE = 18


class Branch(StrEnum):
    """Which rule set the fee; the same codes as billing.models.FeeBranch."""

    URGENT = "urgent"
    FREE_CATEGORY = "free_category"
    NO_COST = "no_cost"
    FREE_INCOME = "free_income"
    COST = "cost"
    INCOME_SHARE = "income_share"
    DIFFERENTIATED = "differentiated"  # Ukraine: between 2 and 4 subsistence minimums


@dataclass(frozen=True)
class FeeResult:
    fee: Decimal
    branch: Branch
    threshold: Decimal
    explanation: dict[str, Any] = field(default_factory=dict)


def money(value: Decimal) -> Decimal:
    """Round half-up to kopecks."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def _decimal(value: Any, name: str) -> Decimal:
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        raise DomainError(_("Enter a number."), field=name) from None
    if not result.is_finite():
        raise DomainError(_("Enter a number."), field=name)
    return result


def check_inputs(form: str, income_per_capita: Any, subsistence_minimum: Any, coefficient: Any,
                 programme_cost: Any) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Validate the inputs of compute_fee; DomainError names the field that is wrong."""
    if form not in FORMS:
        raise DomainError(_("Unknown form of service: %(form)s.") % {"form": form}, field="form")
    income = _decimal(income_per_capita, "income_per_capita")
    if income < 0:
        raise DomainError(_("The income cannot be negative."), field="income_per_capita")
    minimum = _decimal(subsistence_minimum, "subsistence_minimum")
    if minimum <= 0:
        raise DomainError(_("The subsistence minimum must be more than zero."), field="subsistence_minimum")
    coef = _decimal(coefficient, "coefficient")
    if coef < MIN_COEFFICIENT:
        raise DomainError(_("The threshold coefficient cannot be less than 1.5 (art. 31 of 442-FZ)."),
                          field="coefficient")
    cost = _decimal(programme_cost, "programme_cost")
    if cost < 0:
        raise DomainError(_("The cost of the programme cannot be negative."), field="programme_cost")
    return income, minimum, coef, cost


def compute_fee(
    form: str,
    income_per_capita: Decimal,
    subsistence_minimum: Decimal,
    coefficient: Decimal = MIN_COEFFICIENT,
    programme_cost: Decimal = Decimal("0"),
    free_category: str = "",
) -> FeeResult:
    """The monthly fee for the basic services of a programme (art. 31–32 of 442-ФЗ)."""
    income, minimum, coef, cost = check_inputs(form, income_per_capita, subsistence_minimum, coefficient,
                                               programme_cost)
    threshold = coef * minimum
    fee = Decimal("0")
    if form == "urgent":
        branch = Branch.URGENT
    elif free_category:
        branch = Branch.FREE_CATEGORY
    elif cost == 0:
        branch = Branch.NO_COST
    elif form == "stationary":
        share = STATIONARY_SHARE * income
        fee, branch = (cost, Branch.COST) if cost <= share else (share, Branch.INCOME_SHARE)
    elif income <= threshold:
        branch = Branch.FREE_INCOME
    else:
        share = HOME_SHARE * (income - threshold)
        fee, branch = (cost, Branch.COST) if cost <= share else (share, Branch.INCOME_SHARE)
    fee = money(fee)
    explanation: dict[str, Any] = {
        "form": form,
        "income_per_capita": str(money(income)),
        "subsistence_minimum": str(money(minimum)),
        "coefficient": str(coef),
        "threshold": str(money(threshold)),
        "programme_cost": str(money(cost)),
        "free_category": free_category,
        "branch": str(branch),
        "fee": str(fee),
    }
    explanation["text"] = describe(explanation)
    return FeeResult(fee=fee, branch=branch, threshold=money(threshold), explanation=explanation)


# --- Ukraine: КМУ resolution 429 ------------------------------------------------------------------------------------

UA_INCOME_MONTHS = 6  # the average monthly income over the last 6 months (КМУ resolution 429)
UA_FREE_MULTIPLE = Decimal("2")
UA_FULL_MULTIPLE = Decimal("4")
HUNDRED = Decimal("100")
RULE_442 = "442-FZ"
RULE_429 = "KMU-429"


def check_percentage(value: Any, field_name: str = "percentage") -> Decimal | None:
    """A differentiated percentage: None, or a number from 0 to 100 (DomainError naming the field otherwise)."""
    if value is None or value == "":
        return None
    pct = _decimal(value, field_name)
    if not Decimal("0") <= pct <= HUNDRED:
        raise DomainError(_("The percentage must be from 0 to 100."), field=field_name)
    return pct


def placeholder_percentage(income: Decimal, minimum: Decimal) -> Decimal:
    """The placeholder of RULES.md for the differentiated band: (I − 2ПМ) / 2ПМ × 100, within 0–100."""
    free = UA_FREE_MULTIPLE * minimum
    return max(Decimal("0"), min(HUNDRED, (income - free) / free * HUNDRED))


def compute_fee_ua(
    form: str,
    income_per_capita: Decimal,
    subsistence_minimum: Decimal,
    programme_cost: Decimal = Decimal("0"),
    free_category: str = "",
    percentage: Decimal | None = None,
) -> FeeResult:
    """The monthly payment for social services in Ukraine (art. 28 of 2671-VIII, КМУ resolution 429).

    `percentage` is the configured differentiated percentage (0–100); None applies the placeholder rule."""
    income, minimum, _coef, cost = check_inputs(form, income_per_capita, subsistence_minimum, MIN_COEFFICIENT,
                                                programme_cost)
    pct = check_percentage(percentage)
    lower, upper = UA_FREE_MULTIPLE * minimum, UA_FULL_MULTIPLE * minimum
    fee = Decimal("0")
    applied: Decimal | None = None
    if form == "urgent":
        branch = Branch.URGENT
    elif free_category:
        branch = Branch.FREE_CATEGORY
    elif cost == 0:
        branch = Branch.NO_COST
    elif income <= lower:
        branch = Branch.FREE_INCOME
    elif income <= upper:
        branch = Branch.DIFFERENTIATED
        applied = pct if pct is not None else placeholder_percentage(income, minimum)
        fee = cost * applied / HUNDRED
    else:
        branch, fee = Branch.COST, cost
    fee = money(fee)
    explanation: dict[str, Any] = {
        "rule": RULE_429,
        "form": form,
        "income_per_capita": str(money(income)),
        "subsistence_minimum": str(money(minimum)),
        "coefficient": str(UA_FREE_MULTIPLE),
        "threshold": str(money(lower)),
        "upper_threshold": str(money(upper)),
        "percentage": str(applied.quantize(KOPECK, rounding=ROUND_HALF_UP)) if applied is not None else None,
        "percentage_configured": pct is not None,
        "programme_cost": str(money(cost)),
        "free_category": free_category,
        "branch": str(branch),
        "fee": str(fee),
    }
    explanation["text"] = describe(explanation)
    return FeeResult(fee=fee, branch=branch, threshold=money(lower), explanation=explanation)


def compute_fee_by(
    rule: str,
    form: str,
    income_per_capita: Decimal,
    subsistence_minimum: Decimal,
    coefficient: Decimal = MIN_COEFFICIENT,
    programme_cost: Decimal = Decimal("0"),
    free_category: str = "",
    percentage: Decimal | None = None,
) -> FeeResult:
    """The fee by the rule of a jurisdiction (its `fee_rule`: "442-FZ" or "KMU-429")."""
    if rule == RULE_429:
        return compute_fee_ua(form, income_per_capita, subsistence_minimum, programme_cost, free_category,
                              percentage)
    return compute_fee(form, income_per_capita, subsistence_minimum, coefficient, programme_cost, free_category)


def _localised(value: Any, places: int | None) -> str:
    """A number as the active language writes it (24000.00 → «24 000,00» in Russian, with the no-break space of
    :mod:`opora.lib.formats`); anything else as it is."""
    return formats.number(str(value), places) if value not in (None, "") else ""


def describe(e: dict[str, Any]) -> str:
    """The explanation as one sentence in the current language (so a stored decision reads in any language)."""
    params = {k: e.get(k, "") for k in ("income_per_capita", "subsistence_minimum", "coefficient", "threshold",
                                          "programme_cost", "fee", "free_category")}
    # The stored figures are raw ("24000.00"); the sentence shows them as the active locale writes numbers.
    for key in ("income_per_capita", "subsistence_minimum", "threshold", "programme_cost", "fee"):
        params[key] = _localised(params[key], 2)
    params["coefficient"] = _localised(params["coefficient"], None)
    branch = e.get("branch")
    if e.get("rule") == RULE_429 and branch not in (Branch.URGENT, Branch.FREE_CATEGORY, Branch.NO_COST):
        return _describe_ua(e, params)
    if branch == Branch.URGENT:
        return _("Urgent social services are free of charge.")
    if branch == Branch.FREE_CATEGORY:
        if params["free_category"] == MINOR:
            return _("Minors are served free of charge.")
        return _("Free of charge: the person belongs to a category served free (%(free_category)s).") % params
    if branch == Branch.NO_COST:
        return _("Nothing to pay: the programme's services cost nothing a month.")
    if branch == Branch.FREE_INCOME:
        return _("Free of charge: the income per capita %(income_per_capita)s is at or below the threshold "
                 "%(threshold)s (%(coefficient)s × subsistence minimum %(subsistence_minimum)s).") % params
    if e.get("form") == "stationary":
        if branch == Branch.COST:
            return _("The fee is the full monthly cost of the programme %(programme_cost)s, which is not more than "
                     "75%% of the income per capita %(income_per_capita)s.") % params
        return _("The fee is 75%% of the income per capita %(income_per_capita)s = %(fee)s, which is less than the "
                 "monthly cost of the programme %(programme_cost)s.") % params
    if branch == Branch.COST:
        return _("The fee is the full monthly cost of the programme %(programme_cost)s, which is not more than 50%% "
                 "of the income above the threshold (%(income_per_capita)s − %(threshold)s).") % params
    return _("The fee is 50%% of the income above the threshold: 0.5 × (%(income_per_capita)s − %(threshold)s) = "
             "%(fee)s, which is less than the monthly cost of the programme %(programme_cost)s.") % params


def _describe_ua(e: dict[str, Any], params: dict[str, Any]) -> str:
    params = dict(params, upper_threshold=_localised(e.get("upper_threshold", ""), 2),
                  percentage=_localised(e.get("percentage") or "", 2))
    branch = e.get("branch")
    if branch == Branch.FREE_INCOME:
        return _("Free of charge: the average monthly income %(income_per_capita)s is at or below two subsistence "
                 "minimums %(threshold)s (КМУ resolution 429).") % params
    if branch == Branch.COST:
        return _("The full monthly cost of the services %(programme_cost)s: the average monthly income "
                 "%(income_per_capita)s is above four subsistence minimums %(upper_threshold)s (КМУ resolution "
                 "429).") % params
    if e.get("percentage_configured"):
        return _("Differentiated payment: the average monthly income %(income_per_capita)s is between two and four "
                 "subsistence minimums (%(threshold)s – %(upper_threshold)s); the fee is %(percentage)s%% of the "
                 "monthly cost %(programme_cost)s = %(fee)s (the percentage is configured data, unconfirmed).") % params
    return _("Differentiated payment: the average monthly income %(income_per_capita)s is between two and four "
             "subsistence minimums (%(threshold)s – %(upper_threshold)s); the fee is %(percentage)s%% of the monthly "
             "cost %(programme_cost)s = %(fee)s by the placeholder rule (I − 2 ПМ) / 2 ПМ: no percentage is "
             "configured (unconfirmed).") % params


def months_before(application_date: datetime.date, count: int = 12) -> tuple[datetime.date, datetime.date]:
    """[first, end): the `count` whole months before the month of application, as first days of months."""
    end = month_start(application_date)
    return add_months(end, -count), end


def missing_months(record_months: Iterable[datetime.date], application_date: datetime.date,
                   count: int = 12) -> list[datetime.date]:
    """The months of the period the rule asks for (the ``count`` whole months before the month of application)
    with no income record at all: the decision divides by 12 anyway, so each is counted as no income (issue 11:
    the user is warned and shown them)."""
    first, end = months_before(application_date, count)
    have = {month_start(m) for m in record_months}
    out, month = [], first
    while month < end:
        if month not in have:
            out.append(month)
        month = add_months(month, 1)
    return out


def per_capita_income(records: Iterable[tuple[datetime.date, Decimal]], household_size: int,
                      application_date: datetime.date, months: int = 12) -> Decimal:
    """The average monthly income per member of the household over the 12 whole months before the month of
    application: Σ amounts / 12 / household size, rounded half-up to kopecks (it is itself a money figure
    that the decision shows). Records outside the 12 months are ignored."""
    if household_size < 1:
        raise DomainError(_("The household has at least one member."), field="household_size")
    first, end = months_before(application_date, months)
    total = sum((Decimal(amount) for month, amount in records if first <= month < end), Decimal("0"))
    return money(total / months / household_size)


def payment_problems(amount: Any, paid_on: datetime.date | None, method: Any, methods: Collection[str],
                     today: datetime.date, charge_is_theirs: bool | None = None) -> dict[str, str]:
    """What is wrong with a payment received, field → message (empty: none): the amount more than zero, a date
    not in the future, a known method, and the charge it pays, if one is named (`charge_is_theirs` not None), the
    payer's own. The one check of a payment for the form, the API and the bulk writer."""
    problems = {}
    try:
        positive = amount is not None and Decimal(amount) > 0
    except (ArithmeticError, TypeError, ValueError):
        positive = False
    if not positive:
        problems["amount"] = _("The amount must be more than zero.")
    if paid_on is None:
        problems["paid_on"] = _("Enter the date of payment.")
    elif paid_on > today:
        problems["paid_on"] = _("The date of payment cannot be in the future.")
    if method not in methods:
        problems["method"] = _("Choose the method of payment.")
    if charge_is_theirs is False:
        problems["charge"] = _("This charge is another person's.")
    return problems


def is_minor(birth_date: datetime.date, on: datetime.date) -> bool:
    """Under 18 on the given date."""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return age < ADULT_AGE


def free_category(codes: Iterable[str], free_codes: Iterable[str], birth_date: datetime.date | None = None,
                  on: datetime.date | None = None) -> str:
    """The ground on which the services are free, as the decision stores it: ``MINOR`` for a person under 18 on
    ``on`` (art. 31 part 1), else the first, in code order, of the person's category ``codes`` that the fee rules
    make free (``free_codes``), else "" (no free category)."""
    if birth_date is not None and on is not None and is_minor(birth_date, on):
        return MINOR
    return min(set(codes) & set(free_codes), default="")


# --- income from services (domain/RULES.md): what the reports' income tables and the `income` indicator count ---

@dataclass
class Income:
    """A department's income from services in a period: `basic` = the monthly fees for basic services charged under
    contracts + the amounts on basic journal lines; `additional` = the amounts on additional journal lines."""

    basic: Decimal = Decimal(0)
    additional: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.basic + self.additional


def income_by_department(journal: Mapping[tuple[int, str, str], tuple[int, Decimal]],
                         fees: Mapping[int | None, Decimal]) -> dict[int | None, Income]:
    """Journal sums {(department, type, list): (quantity, amount)} + the fees charged {department: Σ fee} (the
    charges whose month begins in the period, billing.queries.fees_by_department) → Income per department."""
    out: dict[int | None, Income] = defaultdict(Income)
    for (dept, _type, lst), (_q, amount) in journal.items():
        inc = out[dept]
        if lst == ServiceList.ADDITIONAL:
            inc.additional += amount
        else:
            inc.basic += amount
    for fee_dept, fee in fees.items():
        out[fee_dept].basic += fee
    return dict(out)
