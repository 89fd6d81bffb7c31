from __future__ import annotations

import datetime

import factory

from opora.catalogue.models import Service, Tariff
from opora.lib.snils import with_checksum
from opora.org.models import Department, Employee, Organisation, Settlement
from opora.people.actions import refresh_status
from opora.people.models import Enrolment, Family, Recipient


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"org{n}")
    name = factory.Sequence(lambda n: f"Центр №{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"dept{n}")
    name = factory.Sequence(lambda n: f"Отделение {n}")
    kind = "home_care"


class SettlementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Settlement

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Село {n}")
    default_sector = "rural"


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    organisation = factory.SubFactory(OrganisationFactory)
    department = factory.SubFactory(DepartmentFactory, organisation=factory.SelfAttribute("..organisation"))
    tab_no = factory.Sequence(lambda n: f"{n:05d}")
    last_name = factory.Sequence(lambda n: f"Работникова{n}")
    first_name = "Мария"
    patronymic = "Ивановна"
    position = "social_worker"
    hired_on = datetime.date(2015, 3, 1)


class RecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recipient

    organisation = factory.SubFactory(OrganisationFactory)
    last_name = factory.Sequence(lambda n: f"Получатель{n}")
    first_name = "Анна"
    patronymic = "Сергеевна"
    sex = "F"
    birth_date = datetime.date(1945, 2, 3)
    snils = factory.Sequence(lambda n: with_checksum(f"{200000000 + n * 7919:09d}"))


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Семья {n}")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    recipient = factory.SubFactory(RecipientFactory)
    organisation = factory.SelfAttribute("recipient.organisation")
    department = factory.SubFactory(DepartmentFactory, organisation=factory.SelfAttribute("..organisation"))
    form = "home"
    admitted_on = datetime.date(2020, 1, 1)

    @factory.post_generation
    def status(obj, create, extracted, **kwargs):
        if create:
            refresh_status(obj.recipient)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.Sequence(lambda n: f"Услуга {n}")
    type = "household"
    list = "basic"
    unit = "услуга"


class TariffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tariff

    service = factory.SubFactory(ServiceFactory)
    valid_from = datetime.date(2020, 1, 1)
    price = "50.00"
