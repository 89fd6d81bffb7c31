"""The Ukrainian printed forms: the individual plan and the contract of a ua organisation come out in Ukrainian
(DOCX headings read with python-docx; once converted by LibreOffice and read back as text); the Russian forms
stay for a Russian organisation. A fee decision of a ua organisation follows КМУ resolution 429."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document as open_docx

from opora.billing.actions import do_decide_fee
from opora.billing.models import IncomeRecord, SubsistenceMinimum
from opora.org.models import Organisation
from opora.people.models import Recipient
from opora.programmes.actions import do_sign_contract
from tests.factories_programmes import D, make_programme, make_services


def docx_text(data: bytes) -> tuple[list[str], str]:
    d = open_docx(io.BytesIO(data))
    # the renderer writes the title and the headings as paragraphs in bold
    headings = [p.text for p in d.paragraphs if p.runs and all(r.bold for r in p.runs)]
    text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])
    return headings, text


@pytest.fixture
def ua_contract(world):
    programme = make_programme(world, make_services(world.org), recipient=world.unenrolled_home1)
    contract = do_sign_contract(programme, {"signed_on": D(2020, 1, 14), "valid_from": D(2020, 1, 15),
                                            "payment": "partly_paid", "monthly_fee": Decimal("250")},
                                actor=world.actor("director"))
    Organisation.objects.filter(pk=world.org.pk).update(jurisdiction="ua", name="Територіальний центр")
    Recipient.objects.filter(pk=world.unenrolled_home1.pk).update(snils="", rntrc="1759013776")
    return contract


def test_the_individual_plan_of_a_ukrainian_organisation_is_in_ukrainian(world, ua_contract):
    client = world.client("department_head")
    url = reverse("programmes:programme_print", args=[ua_contract.programme.pk])
    response = client.get(url + "?format=docx")
    assert response.status_code == 200
    headings, text = docx_text(response.content)
    assert "ІНДИВІДУАЛЬНИЙ ПЛАН НАДАННЯ СОЦІАЛЬНИХ ПОСЛУГ" in headings and "3. Соціальні послуги" in headings
    assert "1. Відомості про отримувача соціальних послуг" in text and "3. Соціальні послуги" in text
    assert "РНОКПП" in text and "1759013776" in text and "СНИЛС" not in text
    assert "1.01 Покупка и доставка продуктов питания" in text  # the service with its code


def test_the_contract_of_a_ukrainian_organisation_is_in_ukrainian_and_opens_in_libreoffice(world, ua_contract,
                                                                                          tmp_path):
    client = world.client("department_head")
    response = client.get(reverse("programmes:contract_print", args=[ua_contract.pk]) + "?format=docx")
    assert response.status_code == 200
    headings, text = docx_text(response.content)
    for expected in ("ДОГОВІР ПРО НАДАННЯ СОЦІАЛЬНИХ ПОСЛУГ", "1. Предмет договору", "2. Оплата",
                     "Тариф, грн", "Щомісячна плата, грн", "№ 429", "РНОКПП 1759013776", "Територіальний центр"):
        assert expected in text, expected
    assert "442" not in text and "руб" not in text
    assert {"ДОГОВІР ПРО НАДАННЯ СОЦІАЛЬНИХ ПОСЛУГ", "1. Предмет договору", "2. Оплата", "5. Підписи сторін"} <= set(
        headings), headings
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice or pdftotext is not installed")
    (tmp_path / "contract.docx").write_bytes(response.content)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "contract.docx")], check=True, timeout=180,
                   capture_output=True)
    pdf_text = subprocess.run(["pdftotext", str(tmp_path / "contract.pdf"), "-"], check=True, capture_output=True,
                              text=True).stdout
    assert "ДОГОВІР ПРО НАДАННЯ СОЦІАЛЬНИХ ПОСЛУГ" in pdf_text and "Предмет договору" in pdf_text


def test_a_russian_organisation_keeps_the_russian_forms(world):
    programme = make_programme(world, make_services(world.org), recipient=world.unenrolled_home1)
    url = reverse("programmes:programme_print", args=[programme.pk])
    _headings, text = docx_text(world.client("department_head").get(url + "?format=docx").content)
    assert "ІНДИВІДУАЛЬНИЙ" not in text and "РНОКПП" not in text


def test_a_fee_decision_of_a_ukrainian_organisation_follows_resolution_429(world):
    programme = make_programme(world, make_services(world.org), recipient=world.unenrolled_home1)
    Organisation.objects.filter(pk=world.org.pk).update(jurisdiction="ua")
    SubsistenceMinimum.objects.create(region="", year=2020, group="per_capita", amount=Decimal("2000"))
    person = world.unenrolled_home1
    # 6 months before January 2020 at 6 000 a month, 12 months ago much more (ignored by the 6-month rule)
    for month in range(7, 13):
        IncomeRecord.objects.create(organisation=world.org, recipient=person, source="pension",
                                    month=datetime.date(2019, month, 1), amount=Decimal("6000"))
    for month in range(1, 7):
        IncomeRecord.objects.create(organisation=world.org, recipient=person, source="salary",
                                    month=datetime.date(2019, month, 1), amount=Decimal("60000"))
    decision = do_decide_fee(programme, D(2020, 1, 12), actor=world.actor("accountant"), household_size=1)
    assert decision.income_per_capita == Decimal("6000.00")  # the average of the 6 months
    assert decision.threshold == Decimal("4000.00") and decision.branch == "differentiated"
    # placeholder: (6000 − 4000) / 4000 = 50 % of the monthly cost
    assert decision.fee == (decision.programme_cost * Decimal("0.5")).quantize(Decimal("0.01"))
    assert decision.explanation["rule"] == "KMU-429"

