"""The fee rule of art. 31–32 of 442-ФЗ: the worked examples of domain/RULES.md, and properties checked against an
independent restatement in exact fractions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opora.billing.models import FeeBranch
from opora.billing.rules import MINOR, Branch, compute_fee, free_category, is_minor, months_before, per_capita_income
from opora.lib.errors import DomainError

D = Decimal
PM = D("15000")
COST = D("5000")


@pytest.mark.parametrize(("income", "fee", "branch"), [
    (D("20000"), D("0.00"), Branch.FREE_INCOME),
    (D("22500"), D("0.00"), Branch.FREE_INCOME),  # at the threshold: still free
    (D("24000"), D("750.00"), Branch.INCOME_SHARE),
    (D("30000"), D("3750.00"), Branch.INCOME_SHARE),
    (D("40000"), D("5000.00"), Branch.COST),
])
def test_it_reproduces_the_worked_examples_for_home_service(income, fee, branch):
    result = compute_fee("home", income, PM, D("1.5"), COST)
    assert result.fee == fee
    assert result.branch == branch
    assert result.threshold == D("22500.00")
    assert result.explanation["threshold"] == "22500.00"
    assert result.explanation["income_per_capita"] == str(income.quantize(D("0.01")))
    assert result.explanation["branch"] == branch.value
    assert result.explanation["text"]


def test_it_reproduces_the_worked_example_for_stationary_service():
    result = compute_fee("stationary", D("30000"), PM, D("1.5"), D("40000"))
    assert result.fee == D("22500.00")
    assert result.branch == Branch.INCOME_SHARE
    cheap = compute_fee("stationary", D("30000"), PM, D("1.5"), D("20000"))
    assert (cheap.fee, cheap.branch) == (D("20000.00"), Branch.COST)


def test_it_writes_the_numbers_of_the_explanation_in_the_active_locale_and_stores_them_raw():
    from django.utils import translation

    from opora.billing.rules import describe

    with translation.override("ru"):
        result = compute_fee("home", D("24000"), PM, D("1.5"), COST)
        text = result.explanation["text"].replace("\xa0", " ")
        assert "0,5 × (24 000,00 − 22 500,00) = 750,00" in text and "5 000,00" in text
        free = compute_fee("home", D("20000"), PM, D("1.5"), COST).explanation["text"].replace("\xa0", " ")
        assert "20 000,00" in free and "(1,5 × " in free and "15 000,00" in free
    assert (result.explanation["income_per_capita"], result.explanation["threshold"], result.explanation["fee"],
            result.explanation["coefficient"]) == ("24000.00", "22500.00", "750.00", "1.5")  # raw for JSON/API
    with translation.override("en"):
        assert "0.5 × (24,000.00 − 22,500.00) = 750.00" in describe(result.explanation)


def test_it_treats_semi_stationary_like_home():
    assert compute_fee("semi_stationary", D("24000"), PM, D("1.5"), COST).fee == D("750.00")


def test_it_serves_urgent_free_categories_and_zero_cost_free():
    assert compute_fee("urgent", D("90000"), PM, D("1.5"), COST).branch == Branch.URGENT
    r = compute_fee("home", D("90000"), PM, D("1.5"), COST, free_category="wwii_invalid")
    assert (r.fee, r.branch) == (D("0.00"), Branch.FREE_CATEGORY)
    assert "wwii_invalid" in r.explanation["text"]
    r = compute_fee("stationary", D("90000"), PM, D("1.5"), D("0"))
    assert (r.fee, r.branch) == (D("0.00"), Branch.NO_COST)


def test_it_rounds_half_up_only_at_the_end():
    # 0.5 × (22 500.03 − 22 500) = 0.015 → 0.02 (half-up), not 0.01 (banker's) nor 0.00 (truncated)
    assert compute_fee("home", D("22500.03"), PM, D("1.5"), COST).fee == D("0.02")
    # T = 1.51 × 10 000.02 = 15 100.0302 stays unrounded inside: 0.5 × (15 100.04 − 15 100.0302) = 0.0049 → 0.00;
    # rounding T first to 15 100.03 would give 0.005 → 0.01.
    r = compute_fee("home", D("15100.04"), D("10000.02"), D("1.51"), COST)
    assert (r.fee, r.threshold, r.branch) == (D("0.00"), D("15100.03"), Branch.INCOME_SHARE)


def test_it_uses_a_higher_regional_coefficient():
    r = compute_fee("home", D("30000"), PM, D("2"), COST)
    assert (r.threshold, r.fee) == (D("30000.00"), D("0.00"))


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"form": "nowhere"}, "form"),
    ({"income_per_capita": D("-1")}, "income_per_capita"),
    ({"coefficient": D("1.49")}, "coefficient"),
    ({"subsistence_minimum": D("0")}, "subsistence_minimum"),
    ({"programme_cost": D("-0.01")}, "programme_cost"),
    ({"income_per_capita": "abc"}, "income_per_capita"),
])
def test_it_names_the_wrong_input(kwargs, field):
    args = {"form": "home", "income_per_capita": D("1"), "subsistence_minimum": PM, "coefficient": D("1.5"),
            "programme_cost": COST, **kwargs}
    with pytest.raises(DomainError) as exc:
        compute_fee(**args)
    assert exc.value.field == field


def test_it_has_the_same_branch_codes_as_the_model():
    assert {b.value for b in Branch} == set(FeeBranch.values)


# --- an independent restatement, in exact fractions, written from the text of the law --------------------------

def law_fee(form: str, income: Fraction, pm: Fraction, coef: Fraction, cost: Fraction, free: bool) -> Fraction:
    if form == "urgent" or free:
        return Fraction(0)
    if form == "stationary":
        return min(cost, income * 3 / 4)
    limit = pm * coef
    if income <= limit:
        return Fraction(0)
    return min(cost, (income - limit) / 2)


def kopecks_half_up(x: Fraction) -> Decimal:
    cents = x * 100
    whole = cents.numerator // cents.denominator
    if cents - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole) / 100


amounts = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False)
minimums = st.decimals(min_value=D("0.01"), max_value=50_000, places=2, allow_nan=False, allow_infinity=False)
coefficients = st.decimals(min_value=D("1.5"), max_value=D("4"), places=2, allow_nan=False, allow_infinity=False)
forms = st.sampled_from(["home", "semi_stationary", "stationary", "urgent"])


@settings(max_examples=400, deadline=None)
@given(form=forms, income=amounts, pm=minimums, coef=coefficients, cost=amounts, free=st.booleans())
def test_it_agrees_with_an_independent_restatement(form, income, pm, coef, cost, free):
    result = compute_fee(form, income, pm, coef, cost, free_category="combat_veteran" if free else "")
    expected = law_fee(form, Fraction(income), Fraction(pm), Fraction(coef), Fraction(cost), free)
    assert result.fee == kopecks_half_up(expected)


@settings(max_examples=300, deadline=None)
@given(form=forms, income=amounts, pm=minimums, coef=coefficients, cost=amounts)
def test_it_never_charges_more_than_the_cost_nor_less_than_zero(form, income, pm, coef, cost):
    fee = compute_fee(form, income, pm, coef, cost).fee
    assert D("0") <= fee <= cost


@settings(max_examples=300, deadline=None)
@given(form=forms, a=amounts, b=amounts, pm=minimums, coef=coefficients, cost=amounts)
def test_it_is_monotone_in_income(form, a, b, pm, coef, cost):
    low, high = sorted((a, b))
    assert compute_fee(form, low, pm, coef, cost).fee <= compute_fee(form, high, pm, coef, cost).fee


@settings(max_examples=300, deadline=None)
@given(form=st.sampled_from(["home", "semi_stationary"]), pm=minimums, coef=coefficients, cost=amounts,
       share=st.fractions(min_value=0, max_value=1))
def test_it_is_free_at_or_below_the_threshold(form, pm, coef, cost, share):
    income = (pm * coef * D(share.numerator) / D(share.denominator)).quantize(D("0.01"), rounding="ROUND_DOWN")
    assert compute_fee(form, income, pm, coef, cost).fee == 0


# --- per-capita income ---------------------------------------------------------------------------------------

def test_it_averages_the_12_whole_months_before_the_month_of_application():
    applied = datetime.date(2020, 3, 17)
    assert months_before(applied) == (datetime.date(2019, 3, 1), datetime.date(2020, 3, 1))
    records = [(datetime.date(2019, m, 1), D("12000")) for m in range(3, 13)]
    records += [(datetime.date(2020, 1, 1), D("12000")), (datetime.date(2020, 2, 1), D("12000"))]
    records += [(datetime.date(2020, 3, 1), D("99999")), (datetime.date(2019, 2, 1), D("99999"))]  # outside
    assert per_capita_income(records, 1, applied) == D("12000.00")
    assert per_capita_income(records, 3, applied) == D("4000.00")
    # 10 000 in total over the year for 3 people: 277.777… → 277.78
    assert per_capita_income([(datetime.date(2019, 6, 1), D("10000"))], 3, applied) == D("277.78")


def test_it_refuses_an_empty_household():
    with pytest.raises(DomainError) as exc:
        per_capita_income([], 0, datetime.date(2020, 1, 1))
    assert exc.value.field == "household_size"


def test_it_tells_minors_by_age_on_the_date():
    born = datetime.date(2002, 5, 10)
    assert is_minor(born, datetime.date(2020, 5, 9))
    assert not is_minor(born, datetime.date(2020, 5, 10))


def test_it_names_one_free_ground_a_minor_first_then_the_first_free_category_by_code():
    free = ["wwii_invalid", "combat_veteran", "disabled_child"]
    born = datetime.date(2002, 5, 10)
    # a minor is free by age whatever their categories (art. 31 part 1)
    assert free_category(["combat_veteran"], free, born, datetime.date(2020, 5, 9)) == MINOR
    # an adult: the first of their categories, in code order, that the fee rules make free
    assert free_category(["wwii_invalid", "pensioner", "combat_veteran"], free, born,
                         datetime.date(2020, 5, 10)) == "combat_veteran"
    assert free_category(["pensioner", "lonely_living"], free) == ""
    assert free_category([], free) == ""
