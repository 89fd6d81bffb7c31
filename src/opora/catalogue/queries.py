from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.catalogue.models import Service
from opora.core.scoping import org_q


def services_for(actor: Actor, perm: str = Perm.VIEW_CATALOGUE) -> QuerySet[Service]:
    return Service.objects.filter(org_q(actor, perm)).prefetch_related("tariffs")


def get_service_for(actor: Actor, pk: int, perm: str = Perm.VIEW_CATALOGUE) -> Service:
    return get_object_or_404(services_for(actor, perm), pk=pk)
