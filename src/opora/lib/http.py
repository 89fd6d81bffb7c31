"""What the pages open to the public (the survey, the electronic applications) share: the client's address behind
the trusted reverse proxies, a rate limit per address, and their strict headers."""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or behind OPORA_TRUSTED_PROXIES reverse proxies the address the outermost
    trusted proxy saw (the N-th from the right of X-Forwarded-For; what a client writes on the left of it is never
    trusted)."""
    if request is None:
        return ""
    proxies = settings.OPORA_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", "") or "") or "?"


def client_ip(request: HttpRequest | None) -> str | None:
    """:func:`client_address` for django-axes (AXES_CLIENT_IP_CALLABLE), so the login lockout counts failures per
    client and not per proxy: the address if it is an IP address (axes keeps it in an IP column), else None."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def rate_limited(request: HttpRequest, name: str, limit: int, window: int = 3600) -> bool:
    """Count this request against the address's `limit` per `window` seconds of the page `name` (in Django's cache,
    shared by the server's processes, under a hash of the address); True once the limit is passed."""
    key = f"opora-{name}-rate:" + hashlib.sha256(client_address(request).encode()).hexdigest()
    cache.add(key, 0, window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count > limit


def public_headers(response: HttpResponse, csp: str) -> HttpResponse:
    """A public page's headers: its own Content-Security-Policy, no caching, and the referrer kept to the site
    (same-origin, not no-referrer: with no-referrer Chromium posts a form with `Origin: null`, which Django's CSRF
    check refuses — the browser test found it)."""
    response["Content-Security-Policy"] = csp
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response
