"""The pages issue 11's last part changed, in the browser (Debian's Chromium), at 1366 and 390 px: the undo of a
termination says that the months already charged are recomputed and then says which were; the monthly grid writes
each volume with its unit («8 услуг в месяц»); the staff list offers its XLSX export. Screenshots to look at."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from opora.billing.actions import do_compute_charges
from opora.billing.models import Charge
from opora.programmes.actions import do_sign_contract, do_terminate_contract
from tests import factories_billing as fb
from tests import factories_programmes as fp
from tests.browser.test_safeguards import shoot, url

pytestmark = pytest.mark.browser

D = datetime.date


def test_the_undo_recomputes_the_months_charged_and_says_so(seeded, world, live_server, page, log_in):
    s = fp.make_services(world.org)
    programme = fp.make_programme(world, s, recipient=world.unenrolled_home1)
    contract = do_sign_contract(programme, {"signed_on": D(2020, 1, 14), "valid_from": D(2020, 1, 15),
                                            "payment": "partly_paid", "monthly_fee": Decimal("1300")},
                                actor=world.actor("director"))
    do_terminate_contract(contract, D(2020, 2, 10), "own_request", actor=world.actor("director"))
    fb.contract(world.in_caseload, fb.programme(world.in_caseload, world.home1), fee="800")
    for month in (3, 4):
        do_compute_charges(world.org, D(2020, month, 1), actor=world.actor("accountant"))
    assert not Charge.objects.filter(recipient=world.unenrolled_home1).exists()
    log_in("director")
    page.goto(url(live_server, "programmes:contract_undo_termination", contract.pk))
    assert "пересчитываются" in page.inner_text("section.confirm")
    shoot(page, "undo-with-charges")
    page.fill("#id_reason", "Расторгнут по ошибке")
    page.click("#confirm-undo")
    page.wait_for_url(url(live_server, "programmes:contract_detail", contract.pk))
    text = page.inner_text("body").lower()
    assert "март 2020" in text and "апрель 2020" in text
    shoot(page, "contract-after-undo")
    assert sorted(Charge.objects.filter(recipient=world.unenrolled_home1).values_list("total", flat=True)) == [
        Decimal("1300.00"), Decimal("1300.00")]


def test_the_grid_writes_volumes_with_their_units(seeded, world, live_server, page, log_in):
    s = fp.make_services(world.org)
    fp.make_programme(world, s, recipient=world.in_caseload)
    log_in("director")
    page.goto(url(live_server, "delivery:grid") + f"?department={world.home1.pk}&month=2020-03"
              f"&recipient={world.in_caseload.pk}")
    volumes = page.locator("table.month-grid td.vol").all_inner_texts()
    assert any(v.endswith("в месяц") and "услуг" in v for v in volumes), volumes
    shoot(page, "grid-volumes")


def test_the_staff_list_offers_its_export(seeded, world, live_server, page, log_in):
    log_in("hr")
    page.goto(url(live_server, "staff_list"))
    shoot(page, "staff-list")
    with page.expect_download() as download:
        page.click("#export-xlsx")
    path = download.value.path()
    rows = list(load_workbook(io.BytesIO(Path(path).read_bytes())).active.iter_rows(values_only=True))
    assert rows[0][0] == "Табельный номер" and len(rows) > 1
