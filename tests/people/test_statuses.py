"""The stored status: one person at a time (do_enrol, do_discharge) and in bulk (the exchange import)."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from opora.core.reference import DischargeReason
from opora.people.actions import do_discharge, do_enrol, refresh_statuses
from opora.people.models import Enrolment, Recipient
from opora.people.rules import RecipientStatus

D = datetime.date


def test_the_actions_store_the_rules_status(world):
    actor = world.actor("director")
    person = world.unenrolled_home1
    assert person.status == RecipientStatus.INACTIVE
    first = do_enrol(person, {"department": world.home1, "form": "home", "admitted_on": D(2020, 2, 3)}, actor=actor)
    second = do_enrol(person, {"department": world.home2, "form": "home", "admitted_on": D(2020, 2, 10)},
                      actor=actor)
    assert Recipient.objects.get(pk=person.pk).status == RecipientStatus.ACTIVE
    do_discharge(first, discharged_on=D(2020, 3, 2), reason=DischargeReason.MOVED_AWAY, actor=actor)
    assert Recipient.objects.get(pk=person.pk).status == RecipientStatus.ACTIVE  # still served in home2
    do_discharge(second, discharged_on=D(2020, 3, 5), reason=DischargeReason.DEATH, actor=actor)
    assert Recipient.objects.get(pk=person.pk).status == RecipientStatus.DECEASED


def test_the_bulk_entry_point_corrects_every_stale_status_of_the_organisation_only(world):
    # Rows written in bulk (as the import writes them) leave the stored statuses stale.
    Enrolment.objects.filter(recipient=world.in_home2).update(discharged_on=D(2020, 6, 2),
                                                              discharge_reason=DischargeReason.DEATH)
    Enrolment.objects.create(organisation=world.org, recipient=world.unenrolled_home1, department=world.home1,
                             form="home", admitted_on=D(2020, 2, 3))
    Recipient.objects.filter(pk=world.other_org_person.pk).update(status=RecipientStatus.INACTIVE)  # stale too

    with CaptureQueriesContext(connection) as queries:
        assert refresh_statuses(world.org.pk) == 2
    assert len(queries) == 4  # two reads, one update per changed status

    status = dict(Recipient.objects.values_list("pk", "status"))
    assert status[world.in_home2.pk] == RecipientStatus.DECEASED
    assert status[world.unenrolled_home1.pk] == RecipientStatus.ACTIVE
    assert status[world.in_caseload.pk] == RecipientStatus.ACTIVE
    assert status[world.other_org_person.pk] == RecipientStatus.INACTIVE  # another organisation: untouched
    assert refresh_statuses(world.org.pk) == 0
