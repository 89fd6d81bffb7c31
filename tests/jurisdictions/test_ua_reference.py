"""Ukraine's reference data in one place, opora.jurisdictions.ua (the classifier of social services, the department
kinds with their Ukrainian names, КЕКВ): what domain/RULES.md and REFERENCE.md give, and no second copy."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from opora.jurisdictions import get, ua


def test_the_classifier_is_one_list_with_its_confirmed_codes_marked():
    codes = [row[0] for row in ua.DEFAULT_SERVICES]
    assert len(codes) == len(set(codes)) and set(codes) == ua.SERVICE_CODES
    # RULES.md, "Ukraine": 001.0 інформування, 002.0 консультування, 015.1 догляд вдома
    assert {"001.0", "002.0", "015.1"} == ua.CONFIRMED_SERVICE_CODES
    names = {row[0]: row[1] for row in ua.DEFAULT_SERVICES}
    assert (names["001.0"], names["002.0"], names["015.1"]) == ("Інформування", "Консультування", "Догляд вдома")
    assert ua.DEFAULT_INNOVATIVE_CODES <= ua.SERVICE_CODES
    assert get("ua").default_services is ua.DEFAULT_SERVICES
    # the second list (catalogue/ua_classifier.py) is gone
    assert importlib.util.find_spec("opora.catalogue.ua_classifier") is None


def test_the_department_kinds_have_the_ukrainian_names_of_reference_md():
    assert get("ua").department_kinds == tuple(ua.DEPARTMENT_NAMES) == ua.DEPARTMENT_KINDS
    assert ua.DEPARTMENT_NAMES["home_care"] == "Відділення соціальної допомоги вдома"
    assert ua.DEPARTMENT_NAMES["homeless"] == "Відділення обліку та соціального супроводу бездомних громадян"
    assert "family_children" not in ua.DEPARTMENT_NAMES


def test_kekv_holds_the_codes_rules_md_names():
    rules = {
        "2110": "Оплата праці",
        "2120": "Нарахування на оплату праці",
        "2230": "Продукти харчування",
        "2240": "Оплата послуг (крім комунальних)",
        "2700": "Соціальне забезпечення",
        "3110": "Придбання обладнання і предметів довгострокового користування",
    }
    assert {code: ua.KEKV[code] for code in rules} == rules
    assert {"2210", "2250", "2270", "2730"} <= set(ua.KEKV)


def test_russia_is_found_when_the_ukrainian_module_was_imported_first():
    """Importing opora.jurisdictions.ua registers Ukraine; the first look-up must still load Russia."""
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    code = "from opora.jurisdictions import ua, get; print(get('ru').currency, get('ua').currency)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["RUB", "UAH"]
