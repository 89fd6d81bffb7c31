"""The catalogues are complete: every string of the interface is translated in ru, uk and en."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

import opora

LOCALE = Path(opora.__file__).parent / "locale"


@pytest.mark.parametrize("lang", ["ru", "uk", "en"])
def test_it_has_no_untranslated_or_fuzzy_entries(lang):
    po = polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert (LOCALE / lang / "LC_MESSAGES" / "django.mo").exists()


def test_it_shows_the_login_page_in_russian_by_default(client, db):
    body = client.get("/login/").content.decode()
    assert "Войти" in body or "Вход" in body
