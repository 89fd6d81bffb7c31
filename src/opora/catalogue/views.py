from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.accounts.middleware import get_actor
from opora.accounts.roles import Perm
from opora.catalogue import actions, queries
from opora.catalogue.forms import ServiceForm, TariffForm
from opora.core.context import apply_errors
from opora.core.crud import Column, Crud
from opora.lib.collation import natural_key


def _tariffs(service, actor):
    return {"tariffs": service.tariffs.all(), "tariff_form": TariffForm()}


services = Crud(
    name="services", title=gettext_lazy("Service catalogue"), form_class=ServiceForm,
    view_perm=Perm.VIEW_CATALOGUE, edit_perm=Perm.MANAGE_CATALOGUE,
    list_query=lambda actor, org: queries.services_for(actor).filter(organisation=org),
    get_object=lambda actor, pk, perm: queries.get_service_for(actor, pk, perm),
    create=lambda org, data, actor: actions.do_create_service(org, data, actor=actor),
    update=lambda obj, data, actor: actions.do_update_service(obj, data, actor=actor),
    search=lambda qs, q: qs.filter(name__icontains=q) | qs.filter(code__istartswith=q),
    columns=[Column(gettext_lazy("Code"), lambda s: s.code, link=True),
             Column(gettext_lazy("Name"), lambda s: s.name),
             Column(gettext_lazy("Type"), lambda s: s.get_type_display()),
             Column(gettext_lazy("List"), lambda s: s.get_list_display()),
             Column(gettext_lazy("Unit"), lambda s: s.unit),
             Column(gettext_lazy("Tariff"), lambda s: s.tariff_on(_today()))],
    detail_template="catalogue/service_detail.html", detail_context=_tariffs,
    sort_key=lambda s: (natural_key(s.code), s.pk),
)


def _today():
    from django.utils import timezone

    return timezone.localdate()


@login_required
@require_POST
def tariff_add(request, pk: int):
    actor = get_actor(request)
    service = queries.get_service_for(actor, pk, Perm.MANAGE_CATALOGUE)
    form = TariffForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_tariff(service, form.cleaned_data, actor=actor)
        except ValidationError as exc:
            apply_errors(form, exc)
    if form.errors:
        return render(request, "catalogue/service_detail.html", {
            "crud": services, "form": ServiceForm(instance=service, organisation=service.organisation),
            "object": service, "can_edit": True, "tariffs": service.tariffs.all(), "tariff_form": form,
        }, status=422)
    messages.success(request, _("Tariff saved."))
    return redirect("services_edit", pk=service.pk)
