"""The demo's money: seed 000's funds and their use in 2020 (the table «Источник финансирования … Остаток» and
the table of use by source and kind of aid), written through the money app's bulk writer.

The funds table of the seed adds up: 164 897 opening, 8 193 208 received, 5 151 993 used for adults and
2 945 050 for families with children, 261 062 closing; the demo reproduces it exactly, fund by fund. The table
by kind does not always add up to it, and the demo keeps the fund totals and says where it differs (NOTES):
- the municipal programme's kinds add up to 418 541 ₽ for 485 adults and 362 549 ₽ for 465 families, against
  956 743 ₽ / 615 people and 748 844 ₽ / 586 families in the funds table: the rest (538 202 ₽ for 130 adults, of
  them 2 000 ₽ for one «other» person; 386 295 ₽ for 121 families) is aid of kind `other` («не расшифровано»);
- the seed prints the clothing row of the municipal programme as «6000 3 4000 2 8000 4»; the demo reads 4 000 ₽ /
  2 people as «others» (so that the disabled add up to the seed's 119 817 ₽ / 258 people) and 8 000 ₽ / 4 as
  families;
- the charity row of the kind table includes the charity coal (1 286 974 ₽ / 130 people; 1 195 458 ₽ / 121
  families), which the funds table shows as its own source «Другие источники (уголь)»; the demo follows the
  funds table (coal: a fund of source `other`), and the charity fund's 18 847 ₽ for adults and 41 528 ₽ for
  families are split by the kinds the seed names, the rest of the families' sum (14 911 ₽) as gifts;
- the coal's people are not split into disabled and others in the seed: the demo gives it to pensioners;
- people are counted once per fund in the seed (the kinds' counts add up to the fund's): the demo gives each
  person and family of a fund one kind only; where the demo centre has fewer such people than the seed counts,
  people are reused and the counts come out lower.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import cycle

from opora.demo.years import later_years, moved
from opora.money.actions import Bulk, write_bulk
from opora.money.models import Aid, BudgetLine, Campaign, Fund, FundReceipt, MoneySettings, Spending
from opora.money.reference import DISABILITY_CATEGORIES, PENSIONER
from opora.org.models import Organisation
from opora.people.models import Family, Recipient

YEAR = 2020

NOTES = __doc__ or ""

FUNDS = {
    "regional": ("Областной бюджет", "regional_budget"),
    "municipal": ("Муниципальная целевая программа «Повышение качества жизни населения»", "local_budget"),
    "own": ("Доходы Центра", "own_income"),
    "coal": ("Другие источники (уголь)", "other"),
    "charity": ("Благотворительные поступления", "charity"),
}
OPENING = {"municipal": "20310", "charity": "144587"}
RECEIVED = {"regional": "3804132", "municipal": "1775236", "own": "44517", "coal": "2482432", "charity": "86891"}

# (fund, kind, adults amount, adults people, of them disabled amount, people, others amount, people,
#  families amount, families, campaign, note)
ROWS: list[tuple[str, str, int, int, int, int, int, int, int, int, str | None, str]] = [
    ("regional", "cash", 2720200, 101, 407900, 30, 269900, 4, 907500, 24, None, "Материальная помощь"),
    ("regional", "vegetable_set", 119540, 139, 103200, 120, 0, 0, 0, 0, None, "Овощные наборы"),
    ("regional", "insurance", 1724, 1, 0, 0, 0, 0, 27584, 16, None, "Страхование от паводка"),
    ("regional", "insurance", 3448, 2, 0, 0, 1724, 1, 24136, 14, None, "Страхование от лесных пожаров"),
    ("municipal", "cash", 186000, 56, 26000, 9, 50000, 16, 154000, 54, None, "Материальная помощь"),
    ("municipal", "fuel", 46000, 23, 10000, 5, 12000, 6, 34000, 17, None, "Топливо"),
    ("municipal", "food_set", 7443, 31, 880, 4, 3495, 16, 2488, 7, None, "Продуктовые наборы"),
    ("municipal", "housing_repair", 68000, 31, 25000, 11, 8000, 4, 44000, 22, None, "Ремонт жилья"),
    ("municipal", "treatment", 26000, 13, 6000, 3, 8000, 4, 9000, 3, None, "Лечение"),
    ("municipal", "fire_detector", 54098, 189, 30337, 106, 0, 0, 36061, 126, None, "Извещатели, саморезы"),
    ("municipal", "clothing", 6000, 3, 0, 0, 4000, 2, 8000, 4, None, "Одежда, обувь"),
    ("municipal", "vegetable_set", 25000, 139, 21600, 120, 0, 0, 0, 0, None, "Доставка овощных наборов"),
    ("municipal", "gifts", 0, 0, 0, 0, 0, 0, 75000, 232, "new_year", "Новогодние подарки"),
    ("municipal", "other", 538202, 130, 0, 0, 2000, 1, 386295, 121, None, "Не расшифровано в отчёте"),
    ("own", "other", 3598, 31, 267, 1, 0, 0, 0, 0, None, "Услуги ОДП"),
    ("own", "other", 40919, 19, 4296, 4, 23902, 8, 0, 0, None, "Услуги социального такси"),
    ("coal", "fuel", 1286974, 130, 0, 0, 0, 0, 1195458, 121, "coal", "Благотворительный уголь"),
    ("charity", "cash", 10000, 10, 0, 0, 0, 0, 0, 0, None, "Материальная помощь"),
    ("charity", "food_set", 999, 12, 0, 0, 618, 8, 7303, 20, None, "Продукты"),
    ("charity", "clothing", 427, 3, 0, 0, 0, 0, 9112, 9, None, "Одежда, обувь"),
    ("charity", "other", 2423, 17, 0, 0, 959, 8, 0, 0, None, "Культурно-массовые мероприятия"),
    ("charity", "other", 4998, 22, 0, 0, 0, 0, 1111, 16, None, "Услуги проката, обмена, взаимопомощи"),
    ("charity", "seed_potato", 0, 0, 0, 0, 0, 0, 9091, 51, "seed_potato", "Семенной картофель"),
    ("charity", "gifts", 0, 0, 0, 0, 0, 0, 14911, 14, None, "Подарки (остаток по таблице источников)"),
]
CAMPAIGNS = {
    "new_year": ("Новогодние подарки", datetime.date(2020, 12, 1), datetime.date(2020, 12, 31)),
    "coal": ("Благотворительный уголь", datetime.date(2020, 9, 1), datetime.date(2020, 12, 31)),
    "seed_potato": ("Семенной картофель", datetime.date(2020, 4, 15), datetime.date(2020, 5, 31)),
}
# The budget's execution (КОСГУ), general fund: approved per month and spent — illustrative round figures.
BUDGET = [("211", "Заработная плата", 1_450_000), ("213", "Начисления на выплаты по оплате труда", 437_900),
          ("223", "Коммунальные услуги", 52_000), ("226", "Прочие работы, услуги", 18_500)]


def _split(total: int, n: int) -> list[Decimal]:
    """`total` roubles in n parts that differ by at most a kopeck and add up exactly."""
    if n <= 0:
        return []
    kopecks = total * 100
    base, rest = divmod(kopecks, n)
    return [Decimal(base + (1 if i < rest else 0)) / 100 for i in range(n)]


def build(org: Organisation, seed: int, *, until: datetime.date | None = None,
          recipient_ids: Iterable[int] | None = None, family_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Write the demo's funds, receipts, campaigns, aid, budget and spending; return the counts. The aid of 2020
    goes to `recipient_ids` and `family_ids` (the people of 2020; default: all of the organisation's); the budget
    and its spending go on after 2020 up to `until` (the demo's today)."""
    rng = random.Random(seed * 7919 + 12)
    cats: dict[int, set[str]] = {}
    for pk, code in Recipient.categories.through.objects.filter(recipient__organisation=org).values_list(
            "recipient_id", "category__code"):
        cats.setdefault(pk, set()).add(code)
    people = list(Recipient.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True))
    if recipient_ids is not None:
        known = set(recipient_ids)
        people = [p for p in people if p in known]
    disabled = [p for p in people if cats.get(p, set()) & DISABILITY_CATEGORIES]
    others = [p for p in people if not cats.get(p, set()) & (DISABILITY_CATEGORIES | {PENSIONER})]
    pensioners = [p for p in people if PENSIONER in cats.get(p, set()) and not cats[p] & DISABILITY_CATEGORIES]
    families = list(Family.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True))
    if family_ids is not None:
        known = set(family_ids)
        families = [f for f in families if f in known]
    for pool in (disabled, others, pensioners, families):
        rng.shuffle(pool)
    if not (people and families):
        return {}

    data = Bulk(
        funds={c: {"name": n, "source": s} for c, (n, s) in FUNDS.items()},
        campaigns={c: {"name": n, "start": a, "end": b} for c, (n, a, b) in CAMPAIGNS.items()},
    )
    for code, amount in OPENING.items():
        data.receipts.append((code, datetime.date(YEAR, 1, 1), "opening_balance", Decimal(amount), ""))
    for code, amount in RECEIVED.items():
        for quarter, part in enumerate(_split(int(amount), 4)):
            data.receipts.append((code, datetime.date(YEAR, 3 * quarter + 1, 10), "allocation", part, ""))
    by_fund: dict[str, dict[str, Iterator[int]]] = {}
    for fund in FUNDS:
        # each fund walks its own pools, so a person gets one kind of a fund's aid (counted once, as the seed)
        by_fund[fund] = {"disabled": cycle(disabled or people), "others": cycle(others or people),
                         "pensioners": cycle(pensioners or people), "families": cycle(families)}
    for fund, kind, a_amt, a_n, d_amt, d_n, o_amt, o_n, f_amt, f_n, campaign, note in ROWS:
        pools = by_fund[fund]
        groups = [("disabled", d_amt, d_n), ("others", o_amt, o_n), ("pensioners", a_amt - d_amt - o_amt,
                                                                     a_n - d_n - o_n)]
        for group, roubles, n in groups:
            assert n > 0 or roubles == 0, (fund, kind, group)
            for part in _split(roubles, n):
                data.aid.append((fund, kind, _date(campaign, rng), part, next(pools[group]), None, 1, campaign, note))
        quantities = [1] * f_n
        if campaign == "new_year":  # 500 children of 232 families
            quantities = [2] * f_n
            for i in range(500 - 2 * f_n):
                quantities[i % f_n] += 1
        for part, qty in zip(_split(f_amt, f_n), quantities, strict=True):
            data.aid.append((fund, kind, _date(campaign, rng), part, None, next(pools["families"]), qty, campaign,
                             note))
    for code, name, monthly in BUDGET:
        for month in range(1, 13):
            data.budget[(YEAR, month, "general", code)] = {"name": name, "approved": Decimal(monthly)}
            spent = Decimal(monthly) * Decimal(rng.choice(["0.93", "0.97", "0.99", "1"]))
            data.spending.append((datetime.date(YEAR, month, 25), "general", code, spent.quantize(Decimal("0.01"))))
    if until is not None:
        _later_aid(data, until)
    later = random.Random(f"money-later-{seed}")
    for year in range(YEAR + 1, (until or datetime.date(YEAR, 12, 31)).year + 1):  # the years after 2020
        rise = Decimal("1.06") ** (year - YEAR)
        for code, name, monthly in BUDGET:
            approved = (Decimal(monthly) * rise).quantize(Decimal("1"))
            for month in range(1, 13):
                data.budget[(year, month, "general", code)] = {"name": name, "approved": approved}
                day = datetime.date(year, month, 25)
                if until is not None and day <= until:
                    spent = approved * Decimal(later.choice(["0.93", "0.97", "0.99", "1"]))
                    data.spending.append((day, "general", code, spent.quantize(Decimal("0.01"))))
    counts = write_bulk(org.pk, data)
    return {f"money_{name}": c["created"] for name, c in counts.items()}


def _later_aid(data: Bulk, until: datetime.date) -> None:
    """The years after 2020 up to `until` (issue 11): the same receipts (a quarter's allocation on its 10th) and aid
    of 2020 moved by whole years to the same people, the campaigns with them (codes suffixed by the year); nothing
    dated after `until`, so the current year holds its part up to today."""
    receipts = [r for r in data.receipts if r[2] == "allocation"]
    aid = list(data.aid)
    for year in later_years(until):
        for code, (name, start, end) in CAMPAIGNS.items():
            if moved(start, year) <= until:
                data.campaigns[f"{code}{year}"] = {"name": f"{name} {year}", "start": moved(start, year),
                                                   "end": moved(end, year)}
        for fund, day, kind, amount, note in receipts:
            if moved(day, year) <= until:
                data.receipts.append((fund, moved(day, year), kind, amount, note))
        for fund, kind, day, amount, person, family, qty, campaign, note in aid:
            if moved(day, year) <= until:
                data.aid.append((fund, kind, moved(day, year), amount, person, family, qty,
                                 f"{campaign}{year}" if campaign else None, note))


def _date(campaign: str | None, rng: random.Random) -> datetime.date:
    """A day of 2020, inside the campaign's dates for aid of a campaign."""
    start, end = (CAMPAIGNS[campaign][1], CAMPAIGNS[campaign][2]) if campaign in CAMPAIGNS else (
        datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31))
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def delete(org: Organisation) -> None:
    Aid.objects.filter(organisation=org).delete()
    FundReceipt.objects.filter(fund__organisation=org).delete()
    Campaign.objects.filter(organisation=org).delete()
    Fund.objects.filter(organisation=org).delete()
    BudgetLine.objects.filter(organisation=org).delete()
    Spending.objects.filter(organisation=org).delete()
    MoneySettings.objects.filter(organisation=org).delete()
