"""Services beyond casework: groups and clubs with their members and sessions, and events."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opora.activities.rules import (  # issue 13: rental point, volunteers
    AidKind,
    Destination,
    EventKind,
    GroupKind,
    VolunteerKind,
)


class Group(models.Model):
    """A club, a class, a university of the third age, a project or a school: people who meet in sessions."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="activity_groups")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=GroupKind.choices)
    department = models.ForeignKey("org.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="activity_groups")
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("group or club")
        ordering = ["organisation_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="activity_group_code_unique"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=F("start")),
                                   name="activity_group_end_after_start",
                                   violation_error_message=_("The end is before the start.")),
        ]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A person of the registry in a group; one membership per person and group."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("person"), on_delete=models.PROTECT,
                                  related_name="group_memberships")
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("group member")
        ordering = ["group_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "recipient"], name="activity_member_unique"),
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True)
                                   | Q(left_on__gte=F("joined_on")), name="activity_member_left_after_joined",
                                   violation_error_message=_("The date of leaving is before the date of joining.")),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}: {self.recipient_id}"


class Session(models.Model):
    """A meeting of a group on a date, with the number who came; one per group and date."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    attendance = models.PositiveIntegerField(_("attendance"))
    topic = models.CharField(_("topic"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("session")
        ordering = ["group_id", "date"]
        constraints = [models.UniqueConstraint(fields=["group", "date"], name="activity_session_unique")]
        indexes = [models.Index(fields=["organisation", "date"], name="activity_session_org_date")]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}"


class Event(models.Model):
    """A holiday, an excursion, an exhibition, a seminar, a consultation day, a campaign … with its participants."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="activity_events")
    code = models.SlugField(_("code"), max_length=40)
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    department = models.ForeignKey("org.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="activity_events")
    participants = models.PositiveIntegerField(_("participants"))

    class Meta:
        verbose_name = _("public event")
        ordering = ["organisation_id", "-date", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="activity_event_code_unique")]
        indexes = [models.Index(fields=["organisation", "date"], name="activity_event_org_date")]

    def __str__(self) -> str:
        return self.name


class TaxiTariff(models.Model):
    """The social taxi's price from a date (see activities.rules.taxi_fee)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("valid from"))
    per_trip = models.DecimalField(_("price of a trip"), max_digits=10, decimal_places=2)
    per_km = models.DecimalField(_("price of a kilometre outside the district"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("taxi tariff")
        ordering = ["organisation_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "valid_from"], name="taxi_tariff_unique"),
            models.CheckConstraint(condition=Q(per_trip__gte=0) & Q(per_km__gte=0), name="taxi_tariff_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.valid_from:%d.%m.%Y}"


class TaxiTrip(models.Model):
    """A trip of the social taxi for a person: where, in or out of the district, how far, for how much, who drove.

    Identical trips (person, date, destination) are told apart by `seq`, their position among them."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="taxi_trips")
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("person"), on_delete=models.PROTECT,
                                  related_name="taxi_trips")
    date = models.DateField(_("date"))
    destination = models.CharField(_("destination"), max_length=16, choices=Destination.choices)
    out_of_district = models.BooleanField(_("outside the district"), default=False)
    km = models.DecimalField(_("km"), max_digits=8, decimal_places=1, null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    driver = models.ForeignKey("org.Employee", verbose_name=_("driver"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="taxi_trips")
    seq = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("taxi trip")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "recipient", "date", "destination", "seq"],
                                    name="taxi_trip_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="taxi_trip_amount_not_negative",
                                   violation_error_message=_("The amount cannot be negative.")),
            models.CheckConstraint(condition=Q(km__isnull=True) | Q(km__gte=0), name="taxi_trip_km_not_negative",
                                   violation_error_message=_("The distance cannot be negative.")),
        ]
        indexes = [models.Index(fields=["organisation", "date"], name="taxi_trip_org_date")]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}"


# ---- the rental point of technical aids (issue 13) ----------------------------------------------------------------
class RentalItem(models.Model):
    """A technical aid of the rental point (a wheelchair, a walker, crutches, a bed …) with its inventory number."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="rental_items")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=AidKind.choices)
    inventory_no = models.CharField(_("inventory number"), max_length=60, blank=True, default="")

    class Meta:
        verbose_name = _("technical aid for rent")
        ordering = ["organisation_id", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="rental_item_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.inventory_no})" if self.inventory_no else self.name


class Rental(models.Model):
    """An issue of an item to a person, with its fee; `due_on` is the expected return (optional: a rental past it
    and not returned is overdue), `returned_on` the return (empty while the item is out).

    An item is out from its issue up to its return (the day of the return is free again); the rules refuse a
    second issue overlapping that (activities.rules.check_free); the database holds at most one open rental per
    item and one issue per item and day."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(RentalItem, verbose_name=_("item"), on_delete=models.PROTECT, related_name="rentals")
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("person"), on_delete=models.PROTECT,
                                  related_name="rentals")
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("expected return"), null=True, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2, default=0)
    worker = models.ForeignKey("org.Employee", verbose_name=_("worker"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="rentals")

    class Meta:
        verbose_name = _("rental")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "issued_on"], name="rental_item_issue_unique",
                                    violation_error_message=_("The item is already issued on this day.")),
            models.UniqueConstraint(fields=["item"], condition=Q(returned_on__isnull=True),
                                    name="rental_item_one_open",
                                    violation_error_message=_("The item is out and not returned yet.")),
            models.CheckConstraint(condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("issued_on")),
                                   name="rental_returned_after_issued",
                                   violation_error_message=_("The return is before the issue.")),
            models.CheckConstraint(condition=Q(due_on__isnull=True) | Q(due_on__gte=F("issued_on")),
                                   name="rental_due_after_issued",
                                   violation_error_message=_("The expected return is before the issue.")),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rental_amount_not_negative",
                                   violation_error_message=_("The amount cannot be negative.")),
        ]
        indexes = [models.Index(fields=["organisation", "issued_on"], name="rental_org_issued")]

    def __str__(self) -> str:
        return f"{self.issued_on:%d.%m.%Y}"


# ---- volunteers (issue 13) ----------------------------------------------------------------------------------------
class Volunteer(models.Model):
    """A person who helps the centre (a student, a silver volunteer …); the full name is personal data."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="volunteers")
    code = models.SlugField(_("code"), max_length=40)
    full_name = models.CharField(_("full name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=VolunteerKind.choices, default=VolunteerKind.OTHER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer")
        ordering = ["organisation_id", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="volunteer_code_unique")]

    def __str__(self) -> str:
        return self.full_name


class VolunteerWork(models.Model):
    """Work of a volunteer on a date: hours (empty when not counted: the exchange file's column is optional), whom
    they helped (optional), what. Several pieces of one date are told apart by `seq`, their position among them;
    their hours add up to at most 24."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    volunteer = models.ForeignKey(Volunteer, verbose_name=_("volunteer"), on_delete=models.PROTECT,
                                  related_name="work")
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2, null=True, blank=True)
    recipient = models.ForeignKey("people.Recipient", verbose_name=_("person helped"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="volunteer_work")
    activity = models.CharField(_("what was done"), max_length=500, blank=True, default="")
    seq = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("volunteer work")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "date", "seq"], name="volunteer_work_unique"),
            models.CheckConstraint(condition=Q(hours__isnull=True) | (Q(hours__gt=0) & Q(hours__lte=24)),
                                   name="volunteer_work_hours_range",
                                   violation_error_message=_("The hours must be above zero and at most 24.")),
        ]
        indexes = [models.Index(fields=["organisation", "date"], name="volunteer_work_org_date")]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}"
# ---- day-stay shifts and the mobile brigade (issue 13) -------------------------------------------------------------
class Shift(models.Model):
    """A day-stay intake (заезд): a department of day stay receives people from `start` to `end`; start = end is a
    one-day shift. People come by their enrolments (people.Enrolment), joined here by ShiftEnrolment."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="day_stay_shifts")
    code = models.SlugField(_("code"), max_length=40)
    department = models.ForeignKey("org.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="day_stay_shifts")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("day-stay shift")
        ordering = ["organisation_id", "-start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="day_stay_shift_code_unique"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="day_stay_shift_end_after_start",
                                   violation_error_message=_("The end is before the start.")),
        ]
        indexes = [models.Index(fields=["organisation", "start"], name="day_stay_shift_org_start")]

    def __str__(self) -> str:
        return self.code

    @property
    def one_day(self) -> bool:
        return self.start == self.end


class ShiftEnrolment(models.Model):
    """An enrolment of the day-stay department for a shift: one shift per enrolment (people cannot import
    activities, so the join lives here)."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="places")
    enrolment = models.OneToOneField("people.Enrolment", on_delete=models.CASCADE, related_name="day_stay_shift")

    class Meta:
        verbose_name = _("enrolment for a shift")
        ordering = ["shift_id", "id"]

    def __str__(self) -> str:
        return f"{self.shift_id}: {self.enrolment_id}"


class BrigadeTrip(models.Model):
    """A trip of the mobile brigade to a settlement on a date, with its members (staff) and purpose. The services
    delivered on it are journal lines (delivery.Delivery), joined here by BrigadeTripLine."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="brigade_trips")
    code = models.SlugField(_("code"), max_length=40)
    date = models.DateField(_("date"))
    settlement = models.ForeignKey("org.Settlement", verbose_name=_("settlement"), on_delete=models.PROTECT,
                                   related_name="brigade_trips")
    members = models.ManyToManyField("org.Employee", verbose_name=_("members of the brigade"), blank=True,
                                     related_name="brigade_trips")
    purpose = models.CharField(_("purpose"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("trip of the mobile brigade")
        ordering = ["organisation_id", "-date", "code"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="brigade_trip_code_unique")]
        indexes = [models.Index(fields=["organisation", "date"], name="brigade_trip_org_date")]

    def __str__(self) -> str:
        return self.code


class BrigadeTripLine(models.Model):
    """A journal line delivered on a brigade trip (it still counts in the journal); a line is on one trip."""

    organisation = models.ForeignKey("org.Organisation", on_delete=models.PROTECT, related_name="+")
    trip = models.ForeignKey(BrigadeTrip, on_delete=models.CASCADE, related_name="lines")
    delivery = models.OneToOneField("delivery.Delivery", on_delete=models.CASCADE, related_name="brigade_trip")

    class Meta:
        verbose_name = _("journal line of a brigade trip")
        ordering = ["trip_id", "id"]

    def __str__(self) -> str:
        return f"{self.trip_id}: {self.delivery_id}"
