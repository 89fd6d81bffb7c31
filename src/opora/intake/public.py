"""The public page of electronic applications: a person or a relative applies for a service without a login.

Per organisation (`/apply/<code>/`), in the language of the organisation's documents (Ukrainian for a `ua`
organisation). The page shows nothing but the organisation's name, its departments and its services; what is
sent becomes an application with the channel `online` in the applications journal, for a specialist to process.
CSRF-protected like every form; at most OPORA_APPLY_RATE_LIMIT applications per address per hour (counted in
Django's cache under a hash of the address, as the public survey does); no script on the page (CSP).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from opora.catalogue.models import Service
from opora.core.reference import Sex
from opora.intake import actions
from opora.jurisdictions import jurisdiction_for
from opora.lib.errors import DomainError
from opora.lib.http import public_headers, rate_limited
from opora.org.models import Department, Organisation

RATE_WINDOW = 3600
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")


class OnlineApplicationForm(forms.Form):
    who = forms.ChoiceField(label=_("Who applies"), widget=forms.RadioSelect, initial="self",
                            choices=[("self", _("I apply for myself")),
                                     ("relative", _("I apply for a relative or another person"))])
    applicant_name = forms.CharField(label=_("Your name (if you apply for another person)"), max_length=300,
                                     required=False)
    last_name = forms.CharField(label=_("Last name of the person who needs the service"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    department = forms.ChoiceField(label=_("Department (if you know it)"), required=False)
    service = forms.ChoiceField(label=_("The service needed"), required=False)
    request = forms.CharField(label=_("What help is needed"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    consent = forms.BooleanField(label=_("I agree to the processing of these personal data to consider the "
                                         "application"))

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        departments = (Department.objects.filter(organisation=organisation, is_active=True)
                       .exclude(kind="administration").order_by("name").values_list("id", "name"))
        self.fields["department"].choices = [("", _("Not chosen"))] + [  # type: ignore[attr-defined]
            (str(pk), n) for pk, n in departments]
        services = Service.objects.filter(organisation=organisation, is_active=True).order_by("code")
        self.fields["service"].choices = [("", _("Not chosen"))] + [  # type: ignore[attr-defined]
            (s.code, f"{s.code} {s.name}") for s in services]

    def clean(self):
        data = super().clean()
        if data.get("who") == "relative" and not (data.get("applicant_name") or "").strip():
            self.add_error("applicant_name", _("Give your name: you apply for another person."))
        birth = data.get("birth_date")
        if birth is not None and (birth > timezone.localdate() or birth.year < 1890):
            self.add_error("birth_date", _("Check the birth date."))
        return data


@require_http_methods(["GET", "POST"])
def apply_page(request: HttpRequest, code: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, code=code)
    with translation.override(jurisdiction_for(organisation).language):
        return public_headers(_apply(request, organisation), CSP)


def _apply(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = OnlineApplicationForm(request.POST or None, organisation=organisation)
    state, status = "form", 200
    if request.method == "POST":
        if rate_limited(request, "apply", settings.OPORA_APPLY_RATE_LIMIT, RATE_WINDOW):
            state, status = "limited", 429
        elif form.is_valid():
            data = form.cleaned_data
            department = (Department.objects.filter(organisation=organisation, pk=int(data["department"])).first()
                          if data["department"] else None)
            contacts = ", ".join(v for v in (data["phone"], data["email"]) if v)
            choices = dict(form.fields["service"].choices)  # type: ignore[attr-defined]
            service = choices.get(data["service"], "") if data["service"] else ""
            try:
                actions.do_receive_online_application(
                    organisation, data, department=department, request=data["request"],
                    applicant_name=data["applicant_name"] if data["who"] == "relative" else "",
                    service=str(service), contacts=contacts)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                state = "thanks"
        if state == "form":
            status = 400
    return render(request, "intake/public_apply.html",
                  {"organisation": organisation, "form": form, "state": state}, status=status)
