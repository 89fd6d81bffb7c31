"""The bulk entry point of quality, for the exchange import and the demo: rows already checked (by the import's
validator or built by the demo), references resolved to ids. Rows are matched by their keys, so writing the same
rows again changes nothing:

| rows | key | updated |
|---|---|---|
| surveys | code | name, kind, start, end (and is_public when given) |
| responses | survey, date, department and the answers, counted (a multiset: n identical rows make n responses) | — |
| nok_facts | survey | the five points |
| complaints | received_on, kind, channel, department, recipient, subject | answered_on, justified |
| trainings | employee, kind, start, title | end, hours |
| publications | date, kind, title | views |
| checks | department, planned_on, subject | done_on, findings, measures |

Answers on the public page (online) are never matched against imported ones. Runs inside the caller's
transaction; the caller writes the audit row (one per import run)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from opora.quality.models import (
    Complaint,
    NokFacts,
    Publication,
    QualityCheck,
    Survey,
    SurveyResponse,
    Training,
)
from opora.quality.rules import FACTS, QUESTIONS

BATCH = 5000

Answers = tuple[bool | None, ...]  # in the order of rules.QUESTIONS


@dataclass
class QualityRows:
    surveys: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → name, kind, start, end
    responses: list[tuple[str, datetime.date, int | None, Answers]] = field(default_factory=list)
    nok_facts: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # survey code → points
    complaints: list[dict[str, Any]] = field(default_factory=list)
    trainings: list[dict[str, Any]] = field(default_factory=list)
    publications: list[dict[str, Any]] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)  # internal quality checks (QualityCheck's fields)

    def __bool__(self) -> bool:
        return any((self.surveys, self.responses, self.nok_facts, self.complaints, self.trainings,
                    self.publications, self.checks))


COMPLAINT_KEY = ("received_on", "kind", "channel", "department_id", "recipient_id", "subject")
TRAINING_KEY = ("employee_id", "kind", "start", "title")
PUBLICATION_KEY = ("date", "kind", "title")
CHECK_KEY = ("department_id", "planned_on", "subject")


def _upsert(model: Any, org_id: int, rows: list[dict[str, Any]], key: tuple[str, ...],
            fields: tuple[str, ...]) -> tuple[int, int]:
    existing = {tuple(r[k] for k in key): r for r in model.objects.filter(organisation_id=org_id).values(
        "id", *key, *fields)}
    new, changed = [], []
    for row in rows:
        k = tuple(row[c] for c in key)
        old = existing.get(k)
        if old is None:
            new.append(model(organisation_id=org_id, **row))
        elif any(old[f] != row[f] for f in fields):
            changed.append(model(pk=old["id"], organisation_id=org_id, **row))
    model.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        model.objects.bulk_update(changed, list(fields), batch_size=BATCH)
    return len(new), len(changed)


def write(org_id: int, rows: QualityRows) -> dict[str, tuple[int, int]]:
    """Write the rows of one organisation; return (created, updated) per kind of row."""
    counts: dict[str, tuple[int, int]] = {}
    if rows.surveys:
        existing: dict[str, dict[str, Any]] = {s["code"]: dict(s) for s in Survey.objects.filter(
            organisation_id=org_id).values("id", "code", "name", "kind", "start", "end", "is_public")}
        new, changed, fields = [], [], set()
        for code, values in rows.surveys.items():
            old = existing.get(code)
            if old is None:
                new.append(Survey(organisation_id=org_id, code=code, **values))
            elif any(old.get(f) != v for f, v in values.items()):
                changed.append(Survey(pk=old["id"], organisation_id=org_id, code=code, **values))
                fields |= set(values)
        Survey.objects.bulk_create(new)
        if changed:
            Survey.objects.bulk_update(changed, sorted(fields))
        counts["surveys"] = (len(new), len(changed))
    survey_ids = dict(Survey.objects.filter(organisation_id=org_id).values_list("code", "id"))
    if rows.responses:
        have: Counter[tuple[Any, ...]] = Counter(
            (r[0], r[1], r[2], tuple(r[3:]))
            for r in SurveyResponse.objects.filter(organisation_id=org_id, online=False).values_list(
                "survey_id", "date", "department_id", *QUESTIONS))
        want: Counter[tuple[Any, ...]] = Counter(
            (survey_ids[code], day, dept, answers) for code, day, dept, answers in rows.responses)
        new_responses = [
            SurveyResponse(organisation_id=org_id, survey_id=sid, date=day, department_id=dept,
                           **dict(zip(QUESTIONS, answers, strict=True)))
            for (sid, day, dept, answers), n in want.items() for _ in range(max(0, n - have[(sid, day, dept, answers)]))
        ]
        SurveyResponse.objects.bulk_create(new_responses, batch_size=BATCH)
        counts["responses"] = (len(new_responses), 0)
    if rows.nok_facts:
        existing_facts = {f["survey_id"]: f for f in NokFacts.objects.filter(survey__organisation_id=org_id).values(
            "id", "survey_id", *FACTS)}
        new_facts, changed_facts = [], []
        for code, points in rows.nok_facts.items():
            sid = survey_ids[code]
            old = existing_facts.get(sid)
            if old is None:
                new_facts.append(NokFacts(survey_id=sid, **points))
            elif any(old[f] != points[f] for f in FACTS):
                changed_facts.append(NokFacts(pk=old["id"], survey_id=sid, **points))
        NokFacts.objects.bulk_create(new_facts)
        if changed_facts:
            NokFacts.objects.bulk_update(changed_facts, list(FACTS))
        counts["nok_facts"] = (len(new_facts), len(changed_facts))
    if rows.complaints:
        counts["complaints"] = _upsert(Complaint, org_id, rows.complaints, COMPLAINT_KEY, ("answered_on", "justified"))
    if rows.trainings:
        counts["trainings"] = _upsert(Training, org_id, rows.trainings, TRAINING_KEY, ("end", "hours"))
    if rows.publications:
        counts["publications"] = _upsert(Publication, org_id, rows.publications, PUBLICATION_KEY, ("views",))
    if rows.checks:
        counts["checks"] = _upsert(QualityCheck, org_id, rows.checks, CHECK_KEY, ("done_on", "findings", "measures"))
    return counts
