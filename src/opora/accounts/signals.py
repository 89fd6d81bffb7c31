"""Logins into the audit log: every successful and every refused login (Django's auth signals), web and API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from opora.audit.log import log_login
from opora.lib import http


def client_address(request: HttpRequest | None) -> str:
    """The address logged with a login: the client's, behind the trusted reverse proxies too (lib/http.py)."""
    return http.client_address(request)[:64] if request is not None else ""


@receiver(user_logged_in, dispatch_uid="opora_audit_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    log_login(user=user, username=user.get_username(), success=True, channel="web", address=client_address(request))


@receiver(user_login_failed, dispatch_uid="opora_audit_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                  **kwargs: Any) -> None:
    username = str(credentials.get("username") or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    log_login(user=user, username=username, success=False, channel="web", address=client_address(request))
