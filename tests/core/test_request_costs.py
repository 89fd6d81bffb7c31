"""What every page costs (issue 18): the menu rendered once per language and permissions, the organisation read
with the actor's memberships, the session read through the cache — without changing what anyone sees."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.core.context import current_organisation
from opora.core.templatetags import opora as opora_tags


@pytest.fixture
def _menu_kept(settings):
    settings.DEBUG = False
    opora_tags._NAV.clear()
    yield
    opora_tags._NAV.clear()


@pytest.mark.usefixtures("_menu_kept")
def test_the_menu_kept_for_one_role_is_not_shown_to_another_nor_in_another_language(world):
    accountant, worker = world.client("accountant"), world.client("social_worker")
    for _round in range(2):  # the second round from the kept menus
        ours = accountant.get("/").content.decode()
        theirs = worker.get("/").content.decode()
        assert 'href="/billing/charges/"' in ours
        assert 'href="/billing/charges/"' not in theirs
        assert 'href="/journal/today/"' in theirs
        assert ">Начисления<" in ours
    english = accountant.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Charges<" in english
    assert ">Начисления<" not in english
    assert len(opora_tags._NAV) == 3  # (ru, accountant), (ru, social worker), (en, accountant)


def test_a_page_reads_no_session_row_and_no_organisation_of_its_own(world):
    client = world.client("social_worker")
    client.get("/journal/today/?date=1990-01-02")  # the session is in the cache now
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/journal/today/?date=1990-01-02")
    assert answer.status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "django_session" not in tables
    assert tables.count('FROM "accounts_membership"') == 1  # the actor's memberships, with their organisations
    assert 'FROM "accounts_user"' not in tables  # the user of the session came with them (accounts.backends)


def test_the_user_of_a_session_read_with_memberships_is_refused_when_inactive_and_found_without_any(world):
    from opora.accounts.backends import ModelBackend
    from opora.accounts.models import User

    worker = world.users["social_worker"]
    nobody = User.objects.create_user("nobody", password="demo-pass-1")
    backend = ModelBackend()
    assert backend.get_user(worker.pk).pk == worker.pk
    assert backend.get_user(nobody.pk).pk == nobody.pk  # no membership: read alone
    assert backend.get_user(999_999) is None
    client = world.client("social_worker")
    assert client.get("/").status_code == 200
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    assert backend.get_user(worker.pk) is None
    answer = client.get("/")  # the session's user is no longer active: logged out
    assert answer.status_code == 302
    assert "/login/" in answer["Location"]


def test_the_organisation_worked_in_comes_from_the_actor_and_follows_the_session_choice(world, rf):
    from opora.accounts.models import Membership

    user = world.users["specialist"]
    Membership.objects.create(user=user, organisation=world.other_org, role="specialist")
    request = rf.get("/")
    request.user = user
    request.session = {"opora_organisation_id": world.other_org.pk}
    with CaptureQueriesContext(connection) as queries:
        assert current_organisation(request) == world.other_org
    assert len(queries.captured_queries) == 1  # the memberships with their organisations and departments
    request = rf.get("/")
    request.user = user
    request.session = {"opora_organisation_id": 999_999}  # not the user's: their first
    assert current_organisation(request).pk == min(world.org.pk, world.other_org.pk)


def test_a_logout_ends_the_session_though_it_is_read_through_the_cache(world):
    client = world.client("social_worker")
    assert client.get("/").status_code == 200
    cookie = client.cookies["sessionid"].value
    client.post("/logout/")
    client.cookies["sessionid"] = cookie  # the old session's cookie again
    answer = client.get("/")
    assert answer.status_code == 302
    assert "/login/" in answer["Location"]
