"""Writes to the service catalogue: services and their tariffs."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm
from opora.catalogue.defaults import DEFAULT_TARIFF_DATE
from opora.catalogue.models import Service, Tariff
from opora.core.actions import create_object, require, update_object
from opora.jurisdictions import jurisdiction_for
from opora.org.models import Organisation


def do_create_service(organisation: Organisation, data: Mapping[str, Any], *, actor: Actor) -> Service:
    require(actor, Perm.MANAGE_CATALOGUE, organisation.pk)
    return create_object(Service(organisation=organisation, **data), actor=actor)


def do_update_service(service: Service, data: Mapping[str, Any], *, actor: Actor) -> Service:
    require(actor, Perm.MANAGE_CATALOGUE, service.organisation_id)
    return update_object(service, data, actor=actor)


@transaction.atomic
def do_set_tariff(service: Service, data: Mapping[str, Any], *, actor: Actor) -> Tariff:
    """A tariff from a date: a new date adds a price; the same date corrects it."""
    require(actor, Perm.MANAGE_CATALOGUE, service.organisation_id)
    existing = Tariff.objects.filter(service=service, valid_from=data["valid_from"]).first()
    if existing is not None:
        return update_object(existing, {"price": data["price"]}, actor=actor)
    return create_object(Tariff(service=service, **data), actor=actor)


@transaction.atomic
def install_default_catalogue(organisation: Organisation) -> int:
    """The default catalogue of the organisation's jurisdiction for a new organisation (services and their first
    tariffs): the Russian regional list, or the Ukrainian classifier of social services."""
    default_services = jurisdiction_for(organisation).default_services
    existing = set(Service.objects.filter(organisation=organisation).values_list("code", flat=True))
    services = [
        Service(organisation=organisation, code=code, name=name, type=type_, list=list_, unit=unit,
                time_norm_min=minutes)
        for code, name, type_, list_, unit, minutes, _price in default_services
        if code not in existing
    ]
    Service.objects.bulk_create(services)
    codes = [s.code for s in services]
    by_code = {s.code: s for s in Service.objects.filter(organisation=organisation, code__in=codes)}
    Tariff.objects.bulk_create(
        Tariff(service=by_code[code], valid_from=DEFAULT_TARIFF_DATE, price=Decimal(price))
        for code, *_rest, price in default_services
        if code in by_code
    )
    return len(services)
