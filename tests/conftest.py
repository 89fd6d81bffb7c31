"""The shared test base: one organisation with departments, and one named user per role
(healthchecks' hc/test.py habit), plus a second organisation whose data nobody here may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from opora.accounts.actions import do_create_user
from opora.accounts.actor import Actor
from opora.accounts.roles import Role
from tests import factories as f

# CI and the shared machines run the suite at a high load average: hypothesis must not fail a test because
# generating its inputs was slow, nor because one example met a busy core.
hypothesis_settings.register_profile("opora", suppress_health_check=[HealthCheck.too_slow], deadline=None)
hypothesis_settings.load_profile("opora")


@dataclass
class World:
    org: object
    other_org: object
    home1: object
    home2: object
    urgent: object
    worker: object  # the social worker employee of home1
    other_worker: object  # another social worker of home1
    users: dict
    # people
    in_caseload: object  # home1, worker's caseload
    in_home1_other_worker: object  # home1, another worker's caseload
    in_home2: object
    unenrolled_home1: object  # registered by home1, not enrolled yet
    other_org_person: object

    def actor(self, role: str) -> Actor:
        return Actor.for_user(self.users[role])

    def client(self, role: str) -> Client:
        c = Client()
        c.force_login(self.users[role])
        return c


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_report_cache(settings):
    # Tests roll back, so ids come back and two tests' data can share a version: reports/cache.py off
    # (tests/reports/test_report_cache.py turns it on).
    settings.OPORA_REPORT_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _default_language():
    """A request in another language activates it for the thread (LocaleMiddleware does not deactivate it): every
    test starts and ends in the default language, so no test depends on the order the runner chose."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def world(db) -> World:
    org = f.OrganisationFactory(code="kcson", name="КЦСОН Тестовый")
    other_org = f.OrganisationFactory(code="other", name="Другой центр")
    home1 = f.DepartmentFactory(organisation=org, code="home1", kind="home_care", name="ОСО на дому №1")
    home2 = f.DepartmentFactory(organisation=org, code="home2", kind="home_care", name="ОСО на дому №2")
    urgent = f.DepartmentFactory(organisation=org, code="urgent", kind="urgent", name="Срочное отделение")
    other_dept = f.DepartmentFactory(organisation=other_org, code="home1", kind="home_care")
    worker = f.EmployeeFactory(organisation=org, department=home1, position="social_worker")
    other_worker = f.EmployeeFactory(organisation=org, department=home1, position="social_worker")
    head = f.EmployeeFactory(organisation=org, department=home1, position="department_head")
    users = {}
    for role in Role.values:
        departments = [home1] if role in ("department_head", "social_worker") else []
        employee = worker if role == "social_worker" else head if role == "department_head" else None
        users[role] = do_create_user(role, role=role, organisation=org, departments=departments,
                                     password="demo-pass-1", employee=employee, check_password=False)
    # The analyst is regional: it reads the other organisation too.
    do_create_user("analyst", role="analyst", organisation=other_org)
    day = datetime.date(2020, 1, 10)
    in_caseload = f.RecipientFactory(organisation=org, last_name="Фёдорова", first_name="Алёна",
                                     patronymic="Петровна", birth_date=datetime.date(1940, 5, 1),
                                     snils="11223344595")
    f.EnrolmentFactory(recipient=in_caseload, department=home1, worker=worker, admitted_on=day)
    in_home1_other_worker = f.RecipientFactory(organisation=org, last_name="Иванов")
    f.EnrolmentFactory(recipient=in_home1_other_worker, department=home1, worker=other_worker, admitted_on=day)
    in_home2 = f.RecipientFactory(organisation=org, last_name="Петров")
    f.EnrolmentFactory(recipient=in_home2, department=home2, admitted_on=day)
    unenrolled = f.RecipientFactory(organisation=org, last_name="Сидорова", registered_department=home1)
    other_person = f.RecipientFactory(organisation=other_org, last_name="Чужой")
    f.EnrolmentFactory(recipient=other_person, department=other_dept, admitted_on=day)
    return World(org=org, other_org=other_org, home1=home1, home2=home2, urgent=urgent, worker=worker,
                 other_worker=other_worker, users=users, in_caseload=in_caseload,
                 in_home1_other_worker=in_home1_other_worker, in_home2=in_home2, unenrolled_home1=unenrolled,
                 other_org_person=other_person)
