"""The public survey page: the only page of Opora without a login.

Per organisation (`/survey/<code>/`), anonymous, phone-first (390 px), no personal data asked. One answer per
device and day: the device carries a random token in a signed cookie; the answer stores only a keyed hash of it
(HMAC with the installation's secret), and the database refuses a second answer of the same device on the same
day (`survey_response_one_per_device_day`). Floods: at most OPORA_SURVEY_RATE_LIMIT submissions per address per
hour (the address behind OPORA_TRUSTED_PROXIES reverse proxies: see client_address), counted in Django's cache
under a hash of the address (the default cache is per process: with several worker processes configure a shared
cache). CSRF-protected like every form. Served with a Content-Security-Policy that allows only Opora's own
stylesheet and images: the page has no script at all, inline or not.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from io import BytesIO

import segno
from django.conf import settings
from django.core.signing import BadSignature
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from opora.lib.errors import DomainError
from opora.lib.http import public_headers, rate_limited
from opora.org.models import Department, Organisation
from opora.quality import actions
from opora.quality.models import Survey, SurveyResponse
from opora.quality.rules import QUESTIONS

DEVICE_COOKIE = "opora_device"
COOKIE_SALT = "opora.quality.device"
RATE_WINDOW = 3600
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")

# The questions as the public reads them (short, one per line on a phone).
PUBLIC_QUESTIONS = {
    "info_satisfied": gettext_lazy(
        "Are you satisfied with the information about the centre on its stands and website?"),
    "comfort_satisfied": gettext_lazy("Are you satisfied with the comfort of the premises?"),
    "waiting_ok": gettext_lazy("Did you get the service on time, without waiting longer than set?"),
    "access_satisfied": gettext_lazy("Is the centre accessible for people with disabilities?"),
    "courtesy_first_contact": gettext_lazy("Were the staff courteous when you first came?"),
    "courtesy_during": gettext_lazy("Were the staff courteous while serving you?"),
    "courtesy_remote": gettext_lazy("Were the staff courteous by phone or online?"),
    "recommend": gettext_lazy("Would you recommend the centre to relatives and friends?"),
    "schedule_satisfied": gettext_lazy("Are you satisfied with the centre's opening hours?"),
    "overall_satisfied": gettext_lazy("Are you satisfied with the services overall?"),
}


def public_survey(organisation: Organisation) -> Survey | None:
    """The survey the public page feeds: the organisation's public survey open today (the latest started)."""
    today = timezone.localdate()
    return (Survey.objects.filter(organisation=organisation, is_public=True)
            .exclude(start__gt=today).exclude(end__lt=today).order_by("-start", "-id").first())


def device_key(token: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


def _token(request: HttpRequest) -> tuple[str, bool]:
    """The device's token from its signed cookie, or a new one (then True: to be set)."""
    try:
        token = request.get_signed_cookie(DEVICE_COOKIE, salt=COOKIE_SALT)
        if token:
            return token, False
    except (KeyError, BadSignature):
        pass
    return secrets.token_urlsafe(24), True


@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, code=code)
    survey = public_survey(organisation)
    departments = list(Department.objects.filter(organisation=organisation).exclude(kind="administration")
                       .order_by("name").values_list("id", "name"))
    token, new_token = _token(request)
    key = device_key(token)
    today = timezone.localdate()
    context: dict = {"organisation": organisation, "survey": survey, "departments": departments,
                     "questions": [(q, PUBLIC_QUESTIONS[q]) for q in QUESTIONS], "error": ""}
    status = 200
    state = "form"
    if survey is None:
        state = "closed"
    elif SurveyResponse.objects.filter(survey=survey, device_key=key, date=today).exists():
        state = "answered"
    elif request.method == "POST":
        if rate_limited(request, "survey", settings.OPORA_SURVEY_RATE_LIMIT, RATE_WINDOW):
            state, status = "limited", 429
        else:
            answers = {q: request.POST.get(q, "") for q in QUESTIONS}
            answers = {q: ("" if v == "skip" else v) for q, v in answers.items()}
            department = None
            dept_id = request.POST.get("department", "")
            if dept_id:
                department = Department.objects.filter(organisation=organisation, pk=dept_id).first() \
                    if dept_id.isdigit() else None
            if not any(answers.values()):
                context["error"] = _("Please answer at least one question.")
                status = 400
            else:
                try:
                    actions.do_record_public_response(survey, day=today, answers=answers, device_key=key,
                                                      department=department)
                    state = "thanks"
                except actions.AlreadyAnswered:
                    state = "answered"
                except DomainError as exc:
                    context["error"] = exc.message
                    status = 400
    context["state"] = state
    response = render(request, "quality/public_survey.html", context, status=status)
    if new_token:
        response.set_signed_cookie(DEVICE_COOKIE, token, salt=COOKIE_SALT, max_age=400 * 24 * 3600,
                                   httponly=True, samesite="Lax", secure=request.is_secure())
    return public_headers(response, CSP)


def survey_qr(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The QR code of the organisation's public survey page, to print on the stand and the programme (SVG or PNG,
    drawn here by segno; nothing from outside)."""
    organisation = get_object_or_404(Organisation, code=code)
    if fmt not in ("svg", "png"):
        raise Http404
    url = request.build_absolute_uri(reverse("public_survey", args=[organisation.code]))
    qr = segno.make(url, error="m")
    out = BytesIO()
    if fmt == "svg":
        qr.save(out, kind="svg", scale=8, border=2, xmldecl=True, title=_("Survey of %(name)s")
                % {"name": organisation.name})
        content_type = "image/svg+xml"
    else:
        qr.save(out, kind="png", scale=10, border=2)
        content_type = "image/png"
    response = HttpResponse(out.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="survey-{organisation.code}.{fmt}"'
    return public_headers(response, CSP)
