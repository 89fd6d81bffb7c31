"""Item 8 of issue 9: API tokens expire, can be listed and revoked, and record their last use."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from opora.accounts.actions import do_create_token
from opora.accounts.models import ApiToken
from opora.audit.models import AuditEvent, EventType


def call(raw: str):
    return Client().get("/api/v1/departments", HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_token_expires_after_its_days(world):
    raw = do_create_token(world.users["director"], days=30)
    token = ApiToken.objects.get()
    assert abs(token.expires_at - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)
    assert call(raw).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert call(raw).status_code == 401
    failed = AuditEvent.objects.get(event_type=EventType.LOGIN_FAILED)
    assert failed.changes["channel"] == "api"
    assert raw not in str(failed.changes) and failed.object_repr == raw[:8]


def test_the_default_life_is_90_days_and_bad_days_are_refused(world, capsys):
    call_command("token", "create", "director")
    token = ApiToken.objects.get()
    assert round((token.expires_at - token.created_at).total_seconds() / 86400) == 90
    with pytest.raises(CommandError, match="3660"):
        call_command("token", "create", "director", "--days", "0")
    assert ApiToken.objects.count() == 1


def test_last_used_is_written_at_most_once_a_minute(world, django_assert_num_queries):
    raw = do_create_token(world.users["director"])
    assert ApiToken.objects.get().last_used_at is None
    assert call(raw).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    assert call(raw).status_code == 200
    assert ApiToken.objects.get().last_used_at == first  # not rewritten within the minute
    ApiToken.objects.update(last_used_at=first - datetime.timedelta(minutes=2))
    assert call(raw).status_code == 200
    assert ApiToken.objects.get().last_used_at > first - datetime.timedelta(minutes=1)


def test_list_and_revoke(world, capsys):
    raw = do_create_token(world.users["director"], name="1C")
    other = do_create_token(world.users["accountant"])
    capsys.readouterr()
    call_command("token", "list", "director")
    out = capsys.readouterr().out
    assert raw[:8] in out and "1C" in out and "valid" in out
    assert other[:8] not in out
    call_command("token", "revoke", raw[:8])
    assert "revoked" in capsys.readouterr().out
    assert call(raw).status_code == 401
    assert call(other).status_code == 200
    token = ApiToken.objects.get(prefix=other[:8])
    call_command("token", "revoke", str(token.pk))
    assert call(other).status_code == 401
    capsys.readouterr()
    call_command("token", "list")
    out = capsys.readouterr().out
    assert out.count("revoked") == 2
    with pytest.raises(CommandError, match="no token"):
        call_command("token", "revoke", "op_zzzzz")
    assert AuditEvent.objects.filter(event_type=EventType.UPDATED, object_type="accounts.apitoken").count() == 2
