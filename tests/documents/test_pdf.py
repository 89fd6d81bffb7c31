"""Every printed form of the demo as PDF (ReportLab, documents/render.to_pdf) read back with pdftotext: its text in
Cyrillic, no table word broken inside, «Страница N из M» on every page (tests/reports/test_pdf.py for reports)."""

from __future__ import annotations

import pytest
from django.utils import translation

from opora.billing.models import Charge, FeeDecision
from opora.billing.printing import fee_decision_document, receipt_document
from opora.delivery.models import Delivery, UrgentAct
from opora.delivery.printing import monthly_act_document, urgent_act_document
from opora.delivery.queries import monthly_act_lines
from opora.demo.builder import build_demo
from opora.documents.model import Document, Table
from opora.documents.render import to_pdf
from opora.org.models import Department
from opora.programmes.models import Contract, Programme
from opora.programmes.printing import contract_document, programme_document
from tests.reports.test_pdf import WORD, page_numbers_problem, poppler, read_back

pytestmark = pytest.mark.django_db


def forms() -> dict[str, Document]:
    programme = max(Programme.objects.prefetch_related("items"), key=lambda p: p.items.count())
    line = Delivery.objects.filter(service__list="additional").select_related("recipient").order_by("id").first()
    assert line is not None
    department = Department.objects.get(pk=line.department_id)
    found = {
        "programme": programme_document(programme),
        "contract": contract_document(Contract.objects.order_by("id").first()),
        "fee_decision": fee_decision_document(FeeDecision.objects.order_by("id").first()),
        "urgent_act": urgent_act_document(UrgentAct.objects.order_by("id").first()),
        "monthly_act": monthly_act_document(monthly_act_lines(line.recipient, department.pk, line.date.replace(day=1)),
                                            department, None),
    }
    charge = Charge.objects.order_by("id").first()
    if charge is not None:
        found["receipt"] = receipt_document(charge)
    return found


def test_every_printed_form_prints_whole_words_and_numbered_pages(tmp_path, settings):
    poppler()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo("small", 2020)
    problems = []
    with translation.override("ru"):
        documents = forms()
        assert {"programme", "contract", "monthly_act", "urgent_act"} <= set(documents)
        for name, doc in documents.items():
            text, pages, _pictures = read_back(to_pdf(doc), tmp_path, name)
            found = set(WORD.findall(text))
            printed = found | {w.replace("-", "") for w in found}
            cells = [c for b in doc.blocks if isinstance(b, Table) for row in [b.columns, *b.rows, b.total or []]
                     for c in row]
            words = {w for c in cells for w in WORD.findall(c) if len(w) >= 4}
            broken = sorted(w for w in words if w not in printed and w.replace("-", "") not in printed
                            and not all(p in printed for p in w.split("-")))
            if broken:
                problems.append(f"{name}: broken inside a word: {', '.join(broken[:10])}")
            if problem := page_numbers_problem(text, pages):
                problems.append(f"{name}: {problem}")
            if [w for w in WORD.findall(doc.title) if w not in text]:
                problems.append(f"{name}: no title {doc.title!r}")
    assert not problems, "\n".join(problems)
