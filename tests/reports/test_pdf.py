"""The PDF of a report (ReportLab, reports/render/pdf.py) read back with poppler: its text in Cyrillic with the figures
formatted, every table word whole (never broken inside), «Страница N из M» on every page, one picture per chart.

Skipped only where poppler-utils is not installed on a developer's machine; under CI (``CI`` or
``OPORA_REQUIRE_SOFFICE`` set) a missing ``pdftotext`` fails.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.http import Http404
from django.utils import translation

from opora.demo.builder import build_demo
from opora.lib.periods import Period
from opora.org.models import Organisation
from opora.reports import formatting
from opora.reports.model import ReportDocument
from opora.reports.registry import all_generators, build_report, system_actor
from opora.reports.render import render
from tests.reports.test_renderers import known_document

REQUIRED = bool(os.environ.get("CI") or os.environ.get("OPORA_REQUIRE_SOFFICE"))
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def poppler() -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo") and shutil.which("pdfimages")):
        message = "poppler-utils (pdftotext, pdfinfo, pdfimages) are needed to read the PDFs back"
        if REQUIRED:
            pytest.fail(message + " (required under CI)")
        pytest.skip(message)


def read_back(data: bytes, tmp_path: Path, name: str) -> tuple[str, int, int]:
    """(the text, the number of pages, the number of pictures) of a PDF."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)

    def run(*args: str) -> str:
        return subprocess.run([*args, str(path), *(["-"] if args[0] == "pdftotext" else [])], check=True,  # noqa: S603
                              capture_output=True, text=True, timeout=60).stdout

    info = run("pdfinfo")
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    pictures = len(run("pdfimages", "-list").splitlines()[2:])
    return re.sub(r"-\n", "-", run("pdftotext")), pages, pictures


def table_words(doc: ReportDocument) -> set[str]:
    """The words of the tables' headings and text cells (labels, names): four letters and more."""
    texts = []
    for table in doc.tables().values():
        texts += [table.label_heading, *(c.label for c in table.columns), *(r.label for r in table.rows)]
        texts += [str(r.values.get(c.field) or "") for r in table.rows for c in table.columns if c.kind == "text"]
    return {w for t in texts for w in WORD.findall(t) if len(w) >= 4}


def broken_words(doc: ReportDocument, text: str) -> list[str]:
    """The table words not found whole in the text (a hyphenated one may break after a hyphen: pdftotext then
    joins it, with or without its hyphen)."""
    found = set(WORD.findall(text))
    printed = found | {w.replace("-", "") for w in found}

    def whole(w: str) -> bool:
        return w in printed or w.replace("-", "") in printed or all(p in printed for p in w.split("-"))

    return sorted(w for w in table_words(doc) if not whole(w))


def page_numbers_problem(text: str, pages: int) -> str:
    numbers = re.findall(r"Страница (\d+) из (\d+)", text)
    expected = [(str(n), str(pages)) for n in range(1, pages + 1)]
    return "" if numbers == expected else f"page numbers {numbers[:3]}… for {pages} pages"


@pytest.fixture(autouse=True)
def _russian():
    with translation.override("ru"):
        yield


def test_the_pdf_reads_back_with_the_figures_formatted_and_numbered_pages(tmp_path):
    poppler()
    doc = known_document()
    text, pages, pictures = read_back(render(doc, "pdf"), tmp_path, "known")
    for expected in ["КЦСОН Тестовый", "Анализ работы", "2020 год (для сравнения: 2019 год)", "1. Итоги",
                     "Выполнение государственного задания", "Дневное пребывание", "Процент округлён",
                     "Текст раздела.", "Примечания", "1. Данные из журнала."]:
        assert expected in text, expected
    # the figures in the active language's format (pdftotext reads the no-break space as a space)
    for value, kind in [(530487, "int"), (Decimal("116.9262"), "percent"), (Decimal("13.7"), "percent"),
                        (521633, "int"), (Decimal("1234.5"), "money")]:
        assert formatting.cell(value, kind).replace("\u00a0", " ") in text.replace("\u00a0", " "), value
    assert "530 487" in text and "116,93 %" in text
    assert not page_numbers_problem(text, pages)
    assert pictures == len(doc.charts()) == 2
    assert not broken_words(doc, text)


def test_the_check_sees_a_missing_word():
    doc = known_document()
    assert broken_words(doc, "Показатель Услуг всего Доход") == sorted(table_words(doc) - {"Показатель", "Услуг",
                                                                                          "всего", "Доход"})


@pytest.mark.django_db
def test_every_report_of_the_demo_prints_whole_words_numbered_pages_and_its_charts(tmp_path, settings):
    poppler()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo("small", 2020)
    org = Organisation.objects.get(code="demo")
    problems, seen = [], []
    for generator in all_generators():
        try:
            doc = build_report(generator.id, [org], Period.year_of(2020), actor=system_actor([org]))
        except Http404:  # plan_execution needs a plan the small demo may not have
            continue
        seen.append(generator.id)
        text, pages, pictures = read_back(render(doc, "pdf"), tmp_path, generator.id)
        if problem := page_numbers_problem(text, pages):
            problems.append(f"{generator.id}: {problem}")
        if broken := broken_words(doc, text):
            problems.append(f"{generator.id}: broken inside a word: {', '.join(broken[:10])}")
        if pictures != len(doc.charts()):
            problems.append(f"{generator.id}: {pictures} pictures for {len(doc.charts())} charts")
        for table in doc.tables().values():
            if [w for w in WORD.findall(table.title) if w not in text]:
                problems.append(f"{generator.id}: no table {table.title!r}")
    assert {"annual", "state_assignment", "journal_summary"} <= set(seen)
    assert not problems, "\n".join(problems)
