"""The demo's plans for 2020: a work plan like seed 001's (sections, items with a deadline and a responsible
department, execution marks quoting the quarter's figures) and a roadmap like seed 004's (indicators with a
target; the report shows the percentage achieved). Written through plans.actions.write_plans, the bulk entry
point the import uses too."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from opora.demo.years import later_years
from opora.org.models import Organisation
from opora.plans.actions import ItemData, PlanData, write_plans
from opora.plans.models import Plan

YEAR = 2020
HOME1 = "Отделение социального обслуживания на дому № 1"
URGENT = "Отделение срочного социального обслуживания"

S1 = "1. Организационно-методическая работа"
S2 = "2. Социальное обслуживание граждан"
S3 = "3. Платные услуги"

WORK_PLAN = PlanData("wp2020", "Перспективный план работы на 2020 год", "work_plan", YEAR, [
    ItemData("1.1", "Приём и регистрация заявлений о предоставлении социального обслуживания", S1, "q2",
             "Администрация",
             "Принято {{ applications }} заявлений, из них {{ applications channel=online }} в электронном виде; "
             "признаны нуждающимися {{ applications status=recognised }}."),
    ItemData("1.2", "Выявление граждан, нуждающихся в социальном обслуживании на дому", S1, "year", HOME1,
             "Принято на обслуживание на дому {{ admitted kind=home_care }} граждан, снято с обслуживания "
             "{{ discharged kind=home_care }}."),
    ItemData("2.1", "Предоставление социальных услуг на дому гражданам пожилого возраста и инвалидам", S2, "q2",
             HOME1,
             "Обслужено {{ recipients kind=home_care }} граждан, из них {{ recipients category=disabled_2 }} "
             "инвалидов II группы; предоставлено {{ services }} услуг, в том числе социально-бытовых "
             "{{ services type=household }}, социально-медицинских {{ services type=medical }}."),
    ItemData("2.2", "Оказание срочных социальных услуг", S2, "q2", URGENT,
             "Срочные социальные услуги получили {{ recipients department=urgent }} человек, предоставлено "
             "{{ services department=urgent }} услуг."),
    ItemData("2.3", "Проверка качества предоставления социальных услуг", S2, "2020-06-30", "Администрация"),
    ItemData("3.1", "Предоставление дополнительных (платных) социальных услуг", S3, "q2", HOME1,
             "Платных услуг {{ services list=additional }} на сумму {{ income list=additional }} руб.; "
             "всего доходов от оказания услуг {{ income }} руб."),
])

ROADMAP = PlanData("rm2020", "Дорожная карта развития социального обслуживания на дому на 2020 год", "roadmap",
                   YEAR, [
    ItemData("1", "Число граждан, получивших социальные услуги на дому", "Показатели дорожной карты", "year",
             HOME1, indicator="recipients", params={"kind": "home_care"}, target=Decimal("900")),
    ItemData("2", "Число социальных услуг, предоставленных на дому", "Показатели дорожной карты", "year", HOME1,
             indicator="services", params={"type": "household"}, target=Decimal("300000")),
    ItemData("3", "Число дополнительных (платных) услуг", "Показатели дорожной карты", "year", HOME1,
             indicator="services", params={"list": "additional"}, target=Decimal("300000")),
    ItemData("4", "Доходы от оказания платных услуг, руб.", "Показатели дорожной карты", "year", "Администрация",
             indicator="income", params={"list": "additional"}, target=Decimal("30000000")),
    ItemData("5", "Заявления, поданные в электронном виде", "Показатели дорожной карты", "year", "Администрация",
             indicator="applications", params={"channel": "online"}, target=Decimal("100")),
])

PLANS = (WORK_PLAN, ROADMAP)


def make_plans(org: Organisation, today: datetime.date | None = None) -> int:
    """The demo's plans: 2020's, and the same work plan and roadmap for every later year up to `today`'s (issue 11:
    the list opens on the current year); returns the number of items written."""
    return write_plans(org.pk, [*PLANS, *(plan_of(p, year) for year in later_years(today) for p in PLANS)])[
        "items"][0]


def plan_of(plan: PlanData, year: int) -> PlanData:
    """`plan` (of 2020) for `year`: its code, title and dated deadlines moved to the year."""
    return dataclasses.replace(
        plan, code=plan.code.replace(str(YEAR), str(year)), title=plan.title.replace(str(YEAR), str(year)),
        year=year, items=[dataclasses.replace(item, deadline=item.deadline.replace(str(YEAR), str(year)))
                          for item in plan.items])


def delete_plans(org: Organisation) -> None:
    Plan.objects.filter(organisation=org).delete()
