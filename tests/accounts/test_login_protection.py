"""Item 3 of issue 9: the login is protected (django-axes), audited, and passwords are checked."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opora.accounts.models import User
from opora.audit.models import AuditEvent, EventType


def post_login(client: Client, username: str, password: str, addr: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=addr)


def test_a_successful_login_is_audited(world):
    client = Client()
    response = post_login(client, "director", "demo-pass-1")
    assert response.status_code == 302
    event = AuditEvent.objects.get(event_type=EventType.LOGIN)
    assert event.actor_id == world.users["director"].pk
    assert event.object_id == str(world.users["director"].pk)
    assert event.changes == {"channel": "web", "address": "10.0.0.1"}


def test_a_failed_login_is_audited_without_the_password(world):
    response = post_login(Client(), "director", "wrong-password-9")
    assert response.status_code == 200  # the form again, with its error
    event = AuditEvent.objects.get(event_type=EventType.LOGIN_FAILED)
    assert event.actor_id is None
    assert event.object_repr == "director"
    assert "wrong-password-9" not in str(event.changes)
    post_login(Client(), "nobody-here", "x")
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED, object_repr="nobody-here",
                                     object_id="").exists()


@pytest.mark.parametrize("lang,expected", [("ru", "Слишком много неудачных попыток входа"),
                                           ("uk", "Забагато невдалих спроб входу"),
                                           ("en", "Too many failed logins")])
def test_repeated_failures_lock_the_user_at_that_address_and_say_when_to_try_again(world, settings, lang, expected):
    limit = settings.AXES_FAILURE_LIMIT
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    for _ in range(limit - 1):
        assert post_login(client, "director", "wrong-password-9").status_code == 200
    locked = post_login(client, "director", "wrong-password-9")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert expected in text
    assert "15" in text  # the cool-off, in minutes
    # the right password does not help while locked out
    again = post_login(client, "director", "demo-pass-1")
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(event_type=EventType.LOGIN).exists()
    assert AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED).count() == limit + 1
    # another address, or another user at this address, is not locked
    assert post_login(Client(), "director", "demo-pass-1", addr="10.0.0.2").status_code == 302
    assert post_login(Client(), "accountant", "demo-pass-1").status_code == 302


def test_the_lockout_ends_after_the_cool_off(world, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(Client(), "director", "wrong-password-9")
    assert post_login(Client(), "director", "demo-pass-1").status_code == 429
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time
                                 - settings.AXES_COOLOFF_TIME - settings.AXES_COOLOFF_TIME)
    assert post_login(Client(), "director", "demo-pass-1").status_code == 302


def test_a_password_like_the_user_name_or_short_is_refused(world):
    user = User(username="ivanova.marina")
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        validate_password("ivanova.marina", user)
    assert any("similar" in m for m in exc.value.messages)
    with translation.override("en"), pytest.raises(ValidationError):
        validate_password("short", user)


def test_createuser_with_a_weak_password_names_the_rule(world):
    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("createuser", "petrova.olga", "--role", "director", "--organisation", "kcson",
                     "--password", "petrova.olga")
    assert "password:" in str(exc.value)
    assert "similar" in str(exc.value)
    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("createuser", "petrova.olga", "--role", "director", "--organisation", "kcson",
                     "--password", "1234")
    assert "too short" in str(exc.value)
    assert not User.objects.filter(username="petrova.olga").exists()
    call_command("createuser", "petrova.olga", "--role", "director", "--organisation", "kcson",
                 "--password", "Kv4rtal-Sever-17")
    assert User.objects.filter(username="petrova.olga").exists()


def test_behind_a_trusted_proxy_the_lockout_counts_the_client_not_the_proxy(world, settings):
    """axes takes the address from lib/http.client_address (AXES_CLIENT_IP_CALLABLE): behind one trusted proxy,
    the address the proxy appended to X-Forwarded-For. One client locked out does not lock out every user coming
    through the proxy, and what the client writes on the left of the header does not get it out."""
    from axes.models import AccessAttempt

    settings.OPORA_TRUSTED_PROXIES = 1
    proxy = "10.0.0.254"

    def through_proxy(username: str, password: str, client: str, spoof: str = ""):
        forwarded = f"{spoof}, {client}" if spoof else client
        return Client().post(reverse("login"), {"username": username, "password": password},
                             REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded)

    for n in range(settings.AXES_FAILURE_LIMIT):
        through_proxy("director", "wrong-password-9", "203.0.113.5", spoof=f"198.51.100.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    # locked: that client, whatever it writes on the left of the header
    assert through_proxy("director", "demo-pass-1", "203.0.113.5", spoof="198.51.100.77").status_code == 429
    # another client through the same proxy is not locked
    assert through_proxy("director", "demo-pass-1", "203.0.113.6").status_code == 302
    # the login audit names the same address
    assert set(AuditEvent.objects.filter(event_type=EventType.LOGIN_FAILED).values_list(
        "changes__address", flat=True)) == {"203.0.113.5"}


def test_without_a_trusted_proxy_the_header_is_ignored(world, settings):
    from axes.models import AccessAttempt

    settings.OPORA_TRUSTED_PROXIES = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("login"), {"username": "director", "password": "wrong-password-9"},
                      REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.0.0.9"}
    assert post_login(Client(), "director", "demo-pass-1", addr="10.0.0.9").status_code == 429
