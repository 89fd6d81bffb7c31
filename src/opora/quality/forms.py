"""Forms of the quality screens (OrgForm: choices limited to the organisation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opora.accounts.actor import Actor
from opora.core.forms import DateInput, OrgForm
from opora.people.fields import scoped, use_picker
from opora.quality.models import Complaint, NokFacts, Publication, QualityCheck, Survey, SurveyResponse, Training
from opora.quality.rules import QUESTIONS

ANSWER_CHOICES = [("", _("Not asked")), ("1", _("Yes")), ("0", _("No"))]


class SurveyForm(OrgForm):
    class Meta:
        model = Survey
        fields = ["code", "name", "kind", "start", "end", "is_public"]
        widgets = {"start": DateInput(), "end": DateInput()}


class ComplaintForm(OrgForm):
    """The person is searched among the people the actor sees (UI.md: scoped choices, never all of the
    organisation), plus the person already named when a complaint is edited."""

    class Meta:
        model = Complaint
        fields = ["received_on", "kind", "channel", "department", "recipient", "subject", "answered_on", "justified"]

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = scoped("people", actor, self.organisation.pk) if actor is not None else \
            self.fields["recipient"].queryset.none()  # type: ignore[attr-defined]
        use_picker(self, "recipient", "people", queryset=people,
                   keep=self.instance.recipient_id if self.instance.pk else None)


class TrainingForm(OrgForm):
    class Meta:
        model = Training
        fields = ["employee", "kind", "start", "end", "hours", "title"]
        widgets = {"start": DateInput(), "end": DateInput()}


class PublicationForm(OrgForm):
    class Meta:
        model = Publication
        fields = ["date", "kind", "title", "views"]
        widgets = {"date": DateInput()}


class ResponseForm(OrgForm):
    """A paper questionnaire typed in: each answer yes, no or not asked."""

    class Meta:
        model = SurveyResponse
        fields = ["date", "department"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in QUESTIONS:
            self.fields[q] = forms.ChoiceField(label=getattr(SurveyResponse._meta.get_field(q), "verbose_name", q),
                                               choices=ANSWER_CHOICES, required=False)


class NokFactsForm(forms.ModelForm):
    class Meta:
        model = NokFacts
        fields = ["info_completeness", "remote_channels", "comfort_conditions", "facility_access", "service_access"]


class QualityCheckForm(OrgForm):
    class Meta:
        model = QualityCheck
        fields = ["department", "planned_on", "done_on", "subject", "findings", "measures"]
        widgets = {"findings": forms.Textarea(attrs={"rows": 3}), "measures": forms.Textarea(attrs={"rows": 3})}
