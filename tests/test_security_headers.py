"""Security headers: no-store on every page, API answer, export and print; a Content-Security-Policy that allows
only Opora's own resources, no inline script and inline <style> only with the request's nonce."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

PATHS = ["/", "/people/", "/people/{pk}/", "/families/", "/api/v1/recipients", "/api/v1/recipients/{pk}",
         "/people/?export=xlsx", "/audit/", "/reports/", "/api/v1/docs", "/api/v1/openapi.json"]


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_with_personal_data_is_no_store_and_carries_the_csp(world, path):
    response = world.client("director").get(path.format(pk=world.in_caseload.pk))
    assert response.status_code == 200, path
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_the_login_page_and_errors_are_no_store_too(client, db):
    assert client.get("/login/")["Cache-Control"] == "no-store"
    assert client.get("/api/v1/recipients")["Cache-Control"] == "no-store"


def test_static_files_stay_cacheable(client, db):
    response = client.get("/static/opora/opora.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_an_inline_style_carries_the_nonce_of_its_answer(world):
    client = world.client("director")
    response = client.get("/reports/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    again = re.search(r"'nonce-([^']+)'", client.get("/reports/")["Content-Security-Policy"]).group(1)
    assert nonce != again  # a fresh nonce per answer
    html = response.content.decode()
    for tag in re.findall(r"<style[^>]*>", html):
        assert f'nonce="{nonce}"' in tag


def test_no_template_has_inline_script_handlers_or_style_attributes():
    from pathlib import Path

    import opora

    root = Path(opora.__file__).parent / "templates"
    offenders = []
    for path in root.rglob("*.html"):
        if path.parts[-2] == "documents" or path.name == "document.html":
            continue  # self-contained print documents (PDF/DOCX sources, or served with their own policy)
        text = path.read_text()
        if re.search(r"\son[a-z]+=", text) or re.search(r"\sstyle=", text) or re.search(r"<script(?![^>]*src=)", text):
            offenders.append(path.name)
        if re.search(r"<style(?![^>]*nonce)", text):
            offenders.append(path.name)
    assert offenders == []
