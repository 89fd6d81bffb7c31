"""The 500 page in the application's layout, translated, with a way back (issue 11); 403.html and 404.html are
rendered by Django's own handlers (with the request, so in the layout with the menu).

The 500 page is rendered with the request when it can be (the layout, the menu); if that fails too, without it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def _back(request: HttpRequest) -> str:
    """The page the user came from, when it is on this site and not the failing page itself."""
    referer = request.META.get("HTTP_REFERER", "")
    if (
        referer
        and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
        and not referer.endswith(request.get_full_path())
    ):
        return referer
    return ""


def _page(request: HttpRequest, code: int, title: str, text: str, detail: str = "") -> HttpResponse:
    context = {"error_title": title, "error_text": text, "error_detail": detail, "code": code, "back": _back(request)}
    try:
        body = loader.render_to_string("500.html", context, request)
    except Exception:  # noqa: BLE001 — the page of an error must not fail: the layout without the request
        body = loader.render_to_string("500.html", {**context, "back": ""})
    return HttpResponse(body, status=code)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        500,
        _("Something went wrong"),
        _(
            "The server could not complete the request; nothing was saved by it. Try again; if it happens "
            "again, tell the administrator the time and what you did."
        ),
    )
