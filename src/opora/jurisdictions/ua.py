"""Ukraine: the Law «Про соціальні послуги» (2671-VIII) (domain/RULES.md, "Ukraine").

The reference data here (the classifier of social services, КЕКВ) is the one place Opora keeps it: the catalogue,
the budget, the import and the Ukrainian demo take it from here.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opora.jurisdictions.base import Jurisdiction, ServiceRow, register
from opora.lib.errors import DomainError

# The taxpayer number of a person, РНОКПП (реєстраційний номер облікової картки платника податків): 10 digits,
# the last a check digit (python-stdnum's stdnum.ua.rntrc).
RNTRC_DIGITS = 10


def compact_rntrc(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "")


def validate_rntrc(value: str) -> str:
    """A РНОКПП in its compact form (10 digits, the check digit right), or a DomainError on the field `rntrc`.

    A SNILS (11 digits, the Russian number) on a Ukrainian person is named as such."""
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.ua import rntrc

    number = compact_rntrc(value)
    if len(number) == 11 and number.isdigit():
        raise DomainError(gettext("This looks like a SNILS (a Russian number): a person of a Ukrainian organisation "
                                  "has an RNOKPP, 10 digits."), field="rntrc")
    if len(number) != RNTRC_DIGITS or not number.isdigit():
        raise DomainError(gettext("An RNOKPP has 10 digits."), field="rntrc")
    try:
        return str(rntrc.validate(number))
    except StdnumError as exc:
        raise DomainError(gettext("The RNOKPP check digit does not match: check the number."),
                          field="rntrc") from exc


# The classifier of social services (наказ Мінсоцполітики від 23.06.2020 № 429, z0643-20). One list, decided once
# (issue 17 had two that disagreed): the codes in CONFIRMED_SERVICE_CODES are those domain/RULES.md quotes and that
# published copies of the order's list of basic services give with the same names (001.0 Інформування,
# 002.0 Консультування, 015.1 Догляд вдома); the order's own text was not at hand, so the other codes follow the
# classifier as we read it and are UNCONFIRMED: a centre checks them (it edits its catalogue). Tariffs: hryvnias per
# unit, plausible values for a new centre to replace.
_B = "basic"
DEFAULT_SERVICES: tuple[ServiceRow, ...] = (
    ("001.0", "Інформування", "communicative", _B, "послуга", 15, "20.00"),
    ("002.0", "Консультування", "psychological", _B, "послуга", 30, "40.00"),
    ("003.0", "Посередництво (медіація)", "legal", _B, "послуга", 60, "80.00"),
    ("004.0", "Представництво інтересів", "legal", _B, "послуга", 60, "80.00"),
    ("005.0", "Соціальна профілактика", "pedagogical", _B, "послуга", 45, "60.00"),
    ("006.0", "Натуральна допомога", "urgent", _B, "послуга", 20, "0.00"),
    ("011.0", "Соціальний супровід", "communicative", _B, "послуга", 60, "80.00"),
    ("012.0", "Соціальна адаптація", "communicative", _B, "послуга", 60, "60.00"),
    ("014.0", "Соціальна реабілітація", "medical", _B, "послуга", 60, "80.00"),
    ("015.1", "Догляд вдома", "household", _B, "година", 60, "75.00"),
    ("016.0", "Денний догляд", "household", _B, "день", 240, "120.00"),
    ("020.0", "Кризове та екстрене втручання", "urgent", _B, "послуга", 60, "0.00"),
)
SERVICE_CODES: frozenset[str] = frozenset(row[0] for row in DEFAULT_SERVICES)
CONFIRMED_SERVICE_CODES: frozenset[str] = frozenset({"001.0", "002.0", "015.1"})
# The services a centre starts with marked innovative (seed 002 counts innovative services; each centre decides):
# social adaptation (the day stay's University of the Third Age) and crisis intervention.
DEFAULT_INNOVATIVE_CODES: frozenset[str] = frozenset({"012.0", "020.0"})

# The economic classification of expenditure, КЕКВ (наказ Мінфіну від 12.03.2012 № 333): code → name.
KEKV: dict[str, str] = {
    "2000": "Поточні видатки",
    "2100": "Оплата праці і нарахування на заробітну плату",
    "2110": "Оплата праці",
    "2111": "Заробітна плата",
    "2112": "Грошове забезпечення військовослужбовців",
    "2120": "Нарахування на оплату праці",
    "2200": "Використання товарів і послуг",
    "2210": "Предмети, матеріали, обладнання та інвентар",
    "2220": "Медикаменти та перев'язувальні матеріали",
    "2230": "Продукти харчування",
    "2240": "Оплата послуг (крім комунальних)",
    "2250": "Видатки на відрядження",
    "2260": "Видатки та заходи спеціального призначення",
    "2270": "Оплата комунальних послуг та енергоносіїв",
    "2271": "Оплата теплопостачання",
    "2272": "Оплата водопостачання та водовідведення",
    "2273": "Оплата електроенергії",
    "2274": "Оплата природного газу",
    "2275": "Оплата інших енергоносіїв та інших комунальних послуг",
    "2276": "Оплата енергосервісу",
    "2280": "Дослідження і розробки, окремі заходи по реалізації державних (регіональних) програм",
    "2281": "Дослідження і розробки, окремі заходи розвитку по реалізації державних (регіональних) програм",
    "2282": "Окремі заходи по реалізації державних (регіональних) програм, не віднесені до заходів розвитку",
    "2400": "Обслуговування боргових зобов'язань",
    "2410": "Обслуговування внутрішніх боргових зобов'язань",
    "2420": "Обслуговування зовнішніх боргових зобов'язань",
    "2600": "Поточні трансферти",
    "2610": "Субсидії та поточні трансферти підприємствам (установам, організаціям)",
    "2620": "Поточні трансферти органам державного управління інших рівнів",
    "2630": "Поточні трансферти урядам іноземних держав та міжнародним організаціям",
    "2700": "Соціальне забезпечення",
    "2710": "Виплата пенсій і допомоги",
    "2720": "Стипендії",
    "2730": "Інші виплати населенню",
    "2800": "Інші поточні видатки",
    "3000": "Капітальні видатки",
    "3100": "Придбання основного капіталу",
    "3110": "Придбання обладнання і предметів довгострокового користування",
    "3120": "Капітальне будівництво (придбання)",
    "3121": "Капітальне будівництво (придбання) житла",
    "3122": "Капітальне будівництво (придбання) інших об'єктів",
    "3130": "Капітальний ремонт",
    "3131": "Капітальний ремонт житлового фонду (приміщень)",
    "3132": "Капітальний ремонт інших об'єктів",
    "3140": "Реконструкція та реставрація",
    "3141": "Реконструкція житлового фонду (приміщень)",
    "3142": "Реконструкція та реставрація інших об'єктів",
    "3143": "Реставрація пам'яток культури, історії та архітектури",
    "3150": "Створення державних запасів і резервів",
    "3160": "Придбання землі та нематеріальних активів",
    "3200": "Капітальні трансферти",
    "3210": "Капітальні трансферти підприємствам (установам, організаціям)",
    "3220": "Капітальні трансферти органам державного управління інших рівнів",
    "3230": "Капітальні трансферти урядам іноземних держав та міжнародним організаціям",
    "3240": "Капітальні трансферти населенню",
    "9000": "Нерозподілені видатки",
}

# The department kinds of a територіальний центр (codes of core.reference.DepartmentKind) and their Ukrainian names
# (domain/REFERENCE.md, the column uk). Not family_children: in Ukraine families with children are served by the
# centres of social services (центри соціальних служб), not by a територіальний центр.
DEPARTMENT_NAMES: dict[str, str] = {
    "home_care": "Відділення соціальної допомоги вдома",
    "day_stay": "Відділення денного перебування",
    "social_adaptation": "Відділення соціальної адаптації",
    "rehabilitation": "Відділення соціальної реабілітації",
    "homeless": "Відділення обліку та соціального супроводу бездомних громадян",
    "urgent": "Відділення термінової допомоги",
    "administration": "Адміністрація",
}
DEPARTMENT_KINDS = tuple(DEPARTMENT_NAMES)

UKRAINE = register(Jurisdiction(
    code="ua",
    law="2671-VIII",
    currency="UAH",
    currency_name=_("hryvnias"),
    currency_short="грн",
    language="uk",
    calendar_country="UA",
    identity_field="rntrc",
    identity_name=_("RNOKPP (taxpayer number)"),
    validate_identity=validate_rntrc,
    fee_rule="KMU-429",
    department_kinds=DEPARTMENT_KINDS,
    default_services=DEFAULT_SERVICES,
    budget_classifier="КЕКВ",
    budget_codes=KEKV,
    service_code_pattern=re.compile(r"\d{3}\.\d"),
))
