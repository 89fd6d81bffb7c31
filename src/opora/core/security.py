"""Security headers on every answer Opora makes itself (static files are served before this, by WhiteNoise).

- ``Cache-Control: no-store``: pages, API answers, exports and prints carry personal data; no browser or proxy
  cache may keep them (the back button of a shared computer, a proxy's disk).
- ``Content-Security-Policy``: everything the browser loads comes from Opora itself; no inline script at all;
  inline ``<style>`` only with the request's nonce (``request.csp_nonce``, in templates ``{{ request.csp_nonce }}``);
  no framing. An answer that sets its own policy keeps it (a self-contained HTML report does).

HTTPS, HSTS and the redirect from HTTP are the reverse proxy's job (docs/operations.md, "Data protection").
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          "frame-ancestors 'none'")

#: The policy of a self-contained HTML document (a report shown or saved as HTML): its own inline CSS, nothing else.
DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; " \
                  "form-action 'none'; frame-ancestors 'none'"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = POLICY.format(nonce=nonce)
        return response
