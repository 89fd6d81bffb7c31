"""The forms of field work: choices only from the actor's scope (UI.md)."""

from __future__ import annotations

from typing import Any

from django import forms

from opora.accounts.actor import Actor
from opora.accounts.roles import Perm, Role
from opora.core.forms import OrgForm
from opora.fieldwork.models import ReleaseNotice, Visit
from opora.people.fields import use_picker
from opora.people.queries import families_for, recipients_for


class VisitForm(OrgForm):
    class Meta:
        model = Visit
        fields = ["date", "kind", "family", "recipient", "settlement", "worker", "people", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3}),
                   "people": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1})}

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = self.organisation
        self.fields["family"].queryset = families_for(actor, Perm.EDIT_PEOPLE).filter(  # type: ignore[attr-defined]
            organisation=org).order_by("name")
        self.fields["recipient"].queryset = recipients_for(  # type: ignore[attr-defined]
            actor, Perm.EDIT_PEOPLE).filter(organisation=org).order_by("search_name", "id")
        use_picker(self, "family", "families-edit")  # searched, not a drop-down of everyone (people/fields.py)
        use_picker(self, "recipient", "people-edit")
        if actor.roles_in(org.pk) <= {Role.SOCIAL_WORKER}:
            del self.fields["worker"]  # a social worker records as themselves


class NoticeForm(OrgForm):
    class Meta:
        model = ReleaseNotice
        fields = ["received_on", "full_name", "birth_date", "release_date", "settlement", "institution", "outcome",
                  "checked_on", "recipient"]

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients_for(actor).filter(  # type: ignore[attr-defined]
            organisation=self.organisation).order_by("search_name", "id")
        use_picker(self, "recipient", "people")
