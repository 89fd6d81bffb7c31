"""The printed fee decision writes every figure with one kind of space: lib.formats's, in the page's language.

Before lib.formats was the only formatter, the fields of the decision came from lib/formats.py (a plain space)
and its explanation from Django's ru locale (a no-break space), so one printed page mixed both.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document as open_docx

from opora.billing.actions import do_decide_fee
from opora.billing.printing import fee_decision_document
from opora.documents.render import to_html
from opora.lib.formats import NBSP
from tests import factories_billing as b

GROUPED = re.compile(r"\d([ \u00a0,])\d{3}(?!\d)")  # a thousands separator between digits


@pytest.fixture
def decision(world):
    """ПМ 15 000, income 24 000 a month for the year before: threshold 22 500, cost 5 000, fee 750."""
    b.region(world.org, per_capita="15000")
    svc = b.service(world.org, "H1", "250.00")
    prog = b.programme(world.in_caseload, world.home1, items=[(svc, 20, "month")],
                       received_on=datetime.date(2020, 1, 15))
    b.monthly_income(world.in_caseload, datetime.date(2019, 1, 1), 12, "24000")
    return do_decide_fee(prog, datetime.date(2020, 1, 25), actor=world.actor("accountant"))


def _docx_text(content: bytes) -> str:
    doc = open_docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _separators(text: str) -> set[str]:
    return {m.group(1) for m in GROUPED.finditer(text)}


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_the_printed_decision_uses_the_no_break_space_throughout(world, decision, lang):
    client = world.client("accountant")
    with translation.override(lang):
        response = client.get(reverse("billing:fee_print", args=[decision.pk, "docx"]),
                              HTTP_ACCEPT_LANGUAGE=lang)
        html = to_html(fee_decision_document(decision))
    text = _docx_text(response.content)
    for figure in ("288 000,00", "24 000,00", "22 500,00", "5 000,00", "15 000,00"):
        assert figure.replace(" ", NBSP) in text, figure  # the fields
    explanation = decision.explanation["text"]
    assert explanation  # stored in the language of the decision; the printed one is re-described
    assert _separators(text) == {NBSP}, text  # fields and explanation alike
    assert len(GROUPED.findall(text)) >= 8  # the fields and the sentence both carry grouped figures
    assert _separators(html) == {NBSP}
    assert "1,5" in text and "1.5" not in text  # the coefficient is a number of the language too


def test_in_english_the_decision_groups_with_commas(world, decision):
    with translation.override("en"):
        html = to_html(fee_decision_document(decision))
    assert "24,000.00" in html and "22,500.00" in html
    assert _separators(html) == {","}
