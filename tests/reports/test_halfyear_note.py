"""Issue 17: the half-year note of a Ukrainian centre (seed 002), each table on a small centre whose figures are known.

The centre (jurisdiction ua): a home-care department dh and a day stay dd; services 015.1 (догляд вдома) and 012.0
(соціальна адаптація, marked innovative).
H1 2021: p1 dh 015.1 ×3 (10.01) and ×2 (10.02); p2 dh 012.0 ×4 online (05.03); p3 dd 012.0 ×5 (01.04);
p3 dd 015.1 ×1 online (30.06); p1 dd 015.1 ×1 (05.05); outside: p4 dh 015.1 ×10 (01.07.2021).
H1 2020: p4 dh 015.1 ×6 (01.03); p2 dh 012.0 ×3 (01.04); outside: p4 dh 012.0 ×100 (01.07.2020).
So dh: 9 against 9 (0 %), 2 people; dd: 7 against 0 (no change), 2 people; total 16 against 9 (+77,78 %), 3 people
(p1 served by both). Innovative: 9 against 3 (+200 %), online 5.
Applications: received in H1 2021 a1 (online, recognised), a2 (online, refused 03.02.2021), a3 (in person); a5 by
phone received 28.12.2020 and refused 02.01.2021; a4 online of 20.12.2020 outside → received 3, electronic 2,
refused 2. Admitted in H1 2021: p1 to dh (09.01.2021), p3 to dd (30.03.2021) → 2.
"""

from __future__ import annotations

import datetime
import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from opora.catalogue.models import Service
from opora.delivery import aggregates
from opora.delivery.models import Delivery
from opora.intake.models import Application
from opora.lib.periods import Period, parse_period
from opora.money.models import BudgetLine, Spending
from opora.reports.registry import build_report, system_actor
from opora.reports.render import render
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
H1_2021 = Period.half_of(2021, 1)


class Centre:
    def __init__(self, jurisdiction: str = "ua") -> None:
        self.org = org = f.OrganisationFactory(code="tc", jurisdiction=jurisdiction)
        self.dh = f.DepartmentFactory(organisation=org, code="dh", kind="home_care",
                                      name="Відділення соціальної допомоги вдома")
        self.dd = f.DepartmentFactory(organisation=org, code="dd", kind="day_stay",
                                      name="Відділення денного перебування")
        self.care = Service.objects.create(organisation=org, code="015.1", name="Догляд вдома", type="household",
                                           list="basic", unit="послуга")
        self.adapt = Service.objects.create(organisation=org, code="012.0", name="Соціальна адаптація",
                                            type="pedagogical", list="basic", unit="послуга", innovative=True)
        p1, p2, p3, p4 = (f.RecipientFactory(organisation=org) for _ in range(4))
        for p, d, admitted in ((p1, self.dh, D(2021, 1, 9)), (p2, self.dh, D(2019, 5, 1)),
                               (p3, self.dd, D(2021, 3, 30)), (p1, self.dd, D(2020, 1, 1)),
                               (p4, self.dh, D(2019, 2, 1))):
            f.EnrolmentFactory(recipient=p, department=d, admitted_on=admitted)

        def line(p, d, s, day, qty, online=False):
            Delivery.objects.create(organisation=org, recipient=p, department=d, service=s, date=day, quantity=qty,
                                    list="basic", online=online)

        line(p1, self.dh, self.care, D(2021, 1, 10), 3)
        line(p1, self.dh, self.care, D(2021, 2, 10), 2)
        line(p2, self.dh, self.adapt, D(2021, 3, 5), 4, online=True)
        line(p3, self.dd, self.adapt, D(2021, 4, 1), 5)
        line(p3, self.dd, self.care, D(2021, 6, 30), 1, online=True)
        line(p1, self.dd, self.care, D(2021, 5, 5), 1)
        line(p4, self.dh, self.care, D(2021, 7, 1), 10)
        line(p4, self.dh, self.care, D(2020, 3, 1), 6)
        line(p2, self.dh, self.adapt, D(2020, 4, 1), 3)
        line(p4, self.dh, self.adapt, D(2020, 7, 1), 100)
        aggregates.refresh_organisation(org.pk)

        def apply(p, number, channel, received, status="registered", decided=None):
            Application.objects.create(
                organisation=org, number=number, received_on=received, channel=channel, recipient=p,
                requested_form="home", department=self.dh, status=status, decided_on=decided,
                decision_due=received + datetime.timedelta(days=7),
                refusal_reason="немає підстав" if status == "refused" else "")

        apply(p1, "1", "online", D(2021, 1, 5), "recognised", D(2021, 1, 8))
        apply(p2, "2", "online", D(2021, 2, 1), "refused", D(2021, 2, 3))
        apply(p3, "3", "in_person", D(2021, 3, 1))
        apply(p4, "4", "online", D(2020, 12, 20))
        apply(p4, "5", "phone", D(2020, 12, 28), "refused", D(2021, 1, 2))
        for month in range(1, 7):
            BudgetLine.objects.create(organisation=org, year=2021, month=month, fund="general", code="2110",
                                      name="Оплата праці", approved=Decimal("1000.00"))
        BudgetLine.objects.create(organisation=org, year=2021, month=7, fund="general", code="2110",
                                  approved=Decimal("999.00"))
        Spending.objects.create(organisation=org, date=D(2021, 3, 1), fund="general", code="2110",
                                amount=Decimal("5800.00"))


@pytest.fixture
def centre() -> Centre:
    return Centre()


def note(centre: Centre, period: Period = H1_2021, fmt: str = "json"):
    doc = build_report("halfyear_note", [centre.org], period, actor=system_actor([centre.org]))
    return doc if fmt == "doc" else render(doc, fmt)


def rows(centre: Centre, table: str, period: Period = H1_2021) -> dict[str, dict]:
    data = json.loads(note(centre, period))
    return {r["key"]: {k: v for k, v in r.items() if k != "key"} for r in data["tables"][table]["rows"]}


def test_it_counts_services_by_department_against_the_same_period_a_year_before(centre):
    assert rows(centre, "services_by_department") == {
        "dd": {"current": 7, "previous": 0, "change_pct": None, "people": 2},
        "dh": {"current": 9, "previous": 9, "change_pct": 0.0, "people": 2},
        "total": {"current": 16, "previous": 9, "change_pct": 77.78, "people": 3},
    }


def test_it_counts_innovative_services_and_the_lines_delivered_online(centre):
    assert rows(centre, "innovative") == {"all": {"current": 9, "previous": 3, "change_pct": 200.0, "online": 5}}


def test_it_reads_the_journal_for_a_period_cut_inside_a_month(centre):
    cut = parse_period({"start": "2021-01-01", "end": "2021-06-29"})
    assert rows(centre, "services_by_department", cut)["dd"] == {"current": 6, "previous": 0, "change_pct": None,
                                                                 "people": 2}
    assert rows(centre, "innovative", cut)["all"]["online"] == 4


def test_it_counts_applications_electronic_admitted_and_refused(centre):
    assert rows(centre, "applications") == {"all": {"received": 3, "electronic": 2, "admitted": 2, "refused": 2}}


def test_its_budget_is_the_table_of_budget_execution(centre):
    budget = build_report("budget_execution", [centre.org], H1_2021, actor=system_actor([centre.org]))
    expected = {r["key"]: r for r in json.loads(render(budget, "json"))["tables"]["budget"]["rows"]}
    got = {r["key"]: r for r in json.loads(note(centre))["tables"]["budget"]["rows"]}
    assert got == expected
    assert got["general"] == {"key": "general", "approved": 6000.0, "spent": 5800.0, "savings": 200.0,
                              "pct": 96.67}


def test_it_is_ukrainian_by_default_for_a_ukrainian_centre_and_quotes_the_figures(centre):
    doc = note(centre, fmt="doc")
    assert doc.language == "uk"
    assert doc.title.startswith("Аналітична записка роботи територіального центру")
    texts = [b.text for s in doc.sections for b in s.blocks if hasattr(b, "text")]
    assert any("перевищує відповідний період попереднього року на 200,00" in t and "складає 9" in t for t in texts)
    assert any("надано соціальних послуг: 16" in t for t in texts)
    assert "Загалом обслужено осіб: 3." in texts


def test_it_keeps_the_language_chosen_and_a_russian_centre_in_russian(centre):
    with translation.override("en"):
        assert note(centre, fmt="doc").title.startswith("Analytical note on the work of the centre")
    centre.org.jurisdiction = "ru"
    centre.org.save()
    doc = note(centre, fmt="doc")
    assert doc.language == ""
    assert doc.title.startswith("Аналитическая записка")


def test_it_renders_in_every_format(centre):
    for fmt in ("json", "html", "docx", "xlsx", "pdf"):
        assert len(note(centre, fmt=fmt)) > 500, fmt


def test_its_docx_has_ukrainian_headings_and_opens_in_libreoffice(centre, tmp_path: Path):
    import docx

    body = note(centre, fmt="docx")
    document = docx.Document(io.BytesIO(body))
    text = [p.text for p in document.paragraphs]
    for heading in ("Соціальні послуги", "Інноваційні та онлайн послуги", "Електронні заяви та взяття на "
                    "обслуговування", "Моніторинг надходжень та видатків"):
        assert heading in text
    assert any(t.startswith("Аналітична записка роботи територіального центру") for t in text)
    (tmp_path / "note.docx").write_bytes(body)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(tmp_path / "note.docx")], check=True, capture_output=True, timeout=180,
                   env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "note.pdf"), "-"], check=True, capture_output=True,
                              text=True).stdout
    assert "Послуги за відділеннями" in pdf_text
    assert "Виконання кошторису" in pdf_text
