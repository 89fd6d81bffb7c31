"""The answer to a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE): the login page with a message that says
when to try again (HTTP 429). The lockout ends one cool-off period after the last attempt."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from opora.lib import formats


def lockout_message() -> str:
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, int(cooloff.total_seconds() // 60))
    until = timezone.localtime(timezone.now() + cooloff)
    return ngettext(
        "Too many failed logins. Try again in %(minutes)s minute, after %(time)s.",
        "Too many failed logins. Try again in %(minutes)s minutes, after %(time)s.",
        minutes,
    ) % {"minutes": formats.integer(minutes), "time": until.strftime("%H:%M")}


def lockout_response(request: HttpRequest, original_response: HttpResponse | None = None,
                     credentials: dict[str, Any] | None = None) -> HttpResponse:
    return render(request, "registration/login.html",
                  {"lockout": lockout_message()}, status=429)
