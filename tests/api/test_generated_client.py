"""A client generated from /api/v1/openapi.json with openapi-python-client works with typed models against the
running application: it lists recipients, reads the questionnaire, a service's money and a typed 404."""

from __future__ import annotations

import datetime
import importlib
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opora.accounts.actions import do_create_token
from opora.intake import questionnaire
from tests.factories_delivery import make_catalogue

PACKAGE = "opora_api_client"


def generate(schema_text: bytes, where: Path) -> float:
    """Write the schema, generate the client package into ``where`` (no network); the seconds it took."""
    spec = where / "openapi.json"
    spec.write_bytes(schema_text)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    done = subprocess.run([str(bin_dir / "openapi-python-client"), "generate", "--path", str(spec),
                           "--output-path", str(where / PACKAGE), "--meta", "none"],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr  # every schema understood
    return time.perf_counter() - started


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_lists_recipients_and_reads_the_questionnaire(world, live_server, tmp_path):
    make_catalogue(world.org)
    schema = world.client("director").get("/api/v1/openapi.json")
    assert schema.status_code == 200
    seconds = generate(schema.content, tmp_path)
    assert seconds < 60, f"generation took {seconds:.1f} s"

    sys.path.insert(0, str(tmp_path))
    try:
        client_mod = importlib.import_module(f"{PACKAGE}.client")
        models = importlib.import_module(f"{PACKAGE}.models")
        list_recipients = importlib.import_module(f"{PACKAGE}.api.people.list_recipients")
        get_recipient = importlib.import_module(f"{PACKAGE}.api.people.get_recipient")
        get_questionnaire = importlib.import_module(f"{PACKAGE}.api.intake.get_questionnaire")
        list_services = importlib.import_module(f"{PACKAGE}.api.catalogue.list_services")

        client = client_mod.AuthenticatedClient(base_url=live_server.url, token=do_create_token(
            world.users["director"]), raise_on_unexpected_status=True)
        with client:
            page = list_recipients.sync(client=client, search="федорова")
            assert isinstance(page, models.RecipientPage)
            assert page.count == 1 and page.page == 1
            person = page.results[0]
            assert isinstance(person, models.RecipientOut)
            assert (person.id, person.last_name, person.organisation, person.birth_date, person.snils) == (
                world.in_caseload.pk, "Фёдорова", "kcson", datetime.date(1940, 5, 1), "112-233-445 95")
            everyone = list_recipients.sync(client=client, page_size=2, page=2)
            assert isinstance(everyone, models.RecipientPage) and everyone.count == 4 and len(everyone.results) == 2

            form = get_questionnaire.sync(client=client)
            assert isinstance(form, models.QuestionnaireOut)
            assert form.max_score == questionnaire.MAX_SCORE
            assert [item.code for item in form.items] == [item.code for item in questionnaire.ITEMS]
            first = form.items[0]
            assert isinstance(first, models.QuestionnaireItemOut) and isinstance(first.options[0], models.OptionOut)
            assert [o.value for o in first.options] == [o.value for o in questionnaire.ITEMS[0].options]

            services = list_services.sync(client=client)
            assert services is not None and not isinstance(services, models.Error)
            prices = {s.code: s.tariffs[0].price for s in services if s.tariffs}
            assert prices["1.01"] == 100.0 and prices["9.01"] in (50.0, 60.0)

            hidden = get_recipient.sync_detailed(client=client, pk=world.other_org_person.pk)
            assert hidden.status_code == 404
            assert isinstance(hidden.parsed, models.Error) and hidden.parsed.detail == "Not Found"
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]
