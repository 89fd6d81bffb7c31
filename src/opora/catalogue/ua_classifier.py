"""The Ukrainian reference data in one place (issue 17): the classifier of social services, the department kinds of a
територіальний центр and the budget codes КЕКВ. Plain data, no ORM: the demo (`opora demo --jurisdiction ua`) builds
its centre from it, and the jurisdictions layer can import it as Ukraine's default reference data.

Sources: domain/RULES.md "Ukraine" and REFERENCE.md. The classifier of social services (наказ Мінсоцполітики
№ 429 від 23.06.2020) names the codes 001.0 інформування, 002.0 консультування and 015.1 догляд вдома quoted by
RULES.md; the other codes below follow the same classifier as we read it and are marked `confirmed=False` here until
checked against the order's text. Names are in Ukrainian: they are a Ukrainian centre's own data (the names users
see may be edited in the catalogue).
"""

from __future__ import annotations

from typing import NamedTuple


class ClassifiedService(NamedTuple):
    code: str  # the classifier's code, e.g. "015.1"
    name: str  # its name in Ukrainian
    type: str  # the nearest service type of Opora's catalogue (core.reference.ServiceType)
    unit: str
    innovative: bool  # a default mark; each centre decides which of its services are innovative
    confirmed: bool  # the code is one RULES.md quotes


# code, name, service type, unit, innovative by default, confirmed
SERVICES: tuple[ClassifiedService, ...] = (
    ClassifiedService("001.0", "Інформування", "communicative", "послуга", False, True),
    ClassifiedService("002.0", "Консультування", "psychological", "послуга", False, True),
    ClassifiedService("003.0", "Посередництво (медіація)", "legal", "послуга", False, False),
    ClassifiedService("004.0", "Представництво інтересів", "legal", "послуга", False, False),
    ClassifiedService("005.0", "Соціальна профілактика", "pedagogical", "послуга", False, False),
    ClassifiedService("006.0", "Соціальний супровід", "legal", "послуга", False, False),
    ClassifiedService("007.0", "Соціальна адаптація", "pedagogical", "послуга", False, False),
    ClassifiedService("008.0", "Соціальна інтеграція та реінтеграція", "pedagogical", "послуга", False, False),
    ClassifiedService("009.0", "Соціальна реабілітація", "medical", "послуга", False, False),
    ClassifiedService("010.0", "Фізичний супровід осіб з інвалідністю, які мають порушення опорно-рухового апарату "
                               "та пересуваються на кріслах колісних, порушення зору", "household", "послуга",
                      True, False),
    ClassifiedService("011.0", "Переклад жестовою мовою", "communicative", "послуга", False, False),
    ClassifiedService("012.0", "Натуральна допомога", "household", "послуга", False, False),
    ClassifiedService("013.0", "Кризове та екстрене втручання", "urgent", "послуга", True, False),
    ClassifiedService("014.0", "Надання притулку", "household", "послуга", False, False),
    ClassifiedService("015.1", "Догляд вдома", "household", "послуга", False, True),
    ClassifiedService("015.2", "Денний догляд", "household", "послуга", False, False),
    ClassifiedService("015.3", "Паліативний догляд", "medical", "послуга", False, False),
)
SERVICE_CODES: frozenset[str] = frozenset(s.code for s in SERVICES)

# The department kinds of a територіальний центр (REFERENCE.md, the column uk): code → name.
DEPARTMENT_KINDS: dict[str, str] = {
    "home_care": "Відділення соціальної допомоги вдома",
    "urgent": "Відділення термінової допомоги",
    "day_stay": "Відділення денного перебування",
    "social_adaptation": "Відділення соціальної адаптації",
    "family_children": "Відділення соціальної допомоги сім'ям і дітям",
    "rehabilitation": "Відділення соціальної реабілітації",
    "homeless": "Відділення обліку та соціального супроводу бездомних громадян",
    "administration": "Адміністрація",
}

# The economic classification of expenditure КЕКВ (RULES.md "Ukraine"): code → name.
KEKV: dict[str, str] = {
    "2110": "Оплата праці",
    "2120": "Нарахування на оплату праці",
    "2210": "Предмети, матеріали, обладнання та інвентар",
    "2230": "Продукти харчування",
    "2240": "Оплата послуг (крім комунальних)",
    "2250": "Видатки на відрядження",
    "2270": "Оплата комунальних послуг та енергоносіїв",
    "2700": "Соціальне забезпечення",
    "2730": "Інші виплати населенню",
    "3110": "Придбання обладнання і предметів довгострокового користування",
}

CURRENCY = "UAH"  # hryvnias (грн)
