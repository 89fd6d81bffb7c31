"""The quality files of the exchange format (EXCHANGE.md Part 2, "Quality and staff development"): surveys,
survey_responses, nok_facts, complaints, trainings, publications. `validate` checks them after the files of
Part 1 (one call in Validator.run), `load` writes them through quality.bulk (one call in Loader.run), `export`
writes them back (one call in export_directory). Keys: see quality/bulk.py."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from opora.core.reference import Channel
from opora.exchange.quality_columns import COLUMNS, HEADERS  # noqa: F401 (HEADERS: the export)
from opora.lib.errors import DomainError
from opora.quality import bulk
from opora.quality.models import (
    Complaint,
    ComplaintKind,
    NokFacts,
    Publication,
    PublicationKind,
    QualityCheck,
    Survey,
    SurveyKind,
    SurveyResponse,
    Training,
    TrainingKind,
)
from opora.quality.rules import FACTS, QUESTIONS, check_answer, check_points, check_quality_check

if TYPE_CHECKING:
    from opora.exchange.export import Writer
    from opora.exchange.load import Loader
    from opora.exchange.validate import Validator
    from opora.org.models import Organisation

def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        raise DomainError(_("«%(value)s» is not a number.") % {"value": text}) from None
    if not value.is_finite():
        raise DomainError(_("«%(value)s» is not a number.") % {"value": text})
    return value


def validate(v: Validator) -> None:
    """Check the quality files; the rows go to v.plan.quality (codes, resolved by `load`)."""
    from opora.exchange.validate import BadValue  # the validator imports this module

    q = bulk.QualityRows()
    v.plan.quality = q
    raw: dict[str, list[dict[str, Any]]] = {"responses": [], "complaints": [], "trainings": [], "checks": []}
    v.plan.quality_refs = raw

    def problem(file: str, line: int, column: str, message: str) -> None:
        v.problems.add(file, line, column, message)

    # surveys
    file = v.plan.files.get("surveys", "")
    seen: dict[str, int] = {}
    for line, row in v.rows("surveys"):
        ok = v._required(file, line, row, COLUMNS["surveys"][0])
        ok &= v._code(file, line, row, "kind", {str(c) for c in SurveyKind.values},
                      _("Unknown kind «%(code)s»."))
        start, end = v._date(file, line, row, "start"), v._date(file, line, row, "end")
        if start and end and end < start:
            problem(file, line, "end", _("The end cannot be before the start."))
            ok = False
        if row["code"] in seen:
            v._duplicate(file, line, "code", row["code"], seen[row["code"]])
            continue
        seen[row["code"]] = line
        if ok:
            q.surveys[row["code"]] = {"name": row["name"], "kind": row["kind"], "start": start, "end": end}
    existing = set(Survey.objects.filter(organisation_id=v.existing.organisation_id).values_list(
        "code", flat=True)) if v.existing.organisation_id else set()
    kinds = dict(Survey.objects.filter(organisation_id=v.existing.organisation_id).values_list("code", "kind")) \
        if v.existing.organisation_id else {}
    kinds.update({c: s["kind"] for c, s in q.surveys.items()})
    known_surveys = existing | set(seen)

    def survey_ref(file: str, line: int, row: dict[str, str]) -> bool:
        if row["survey_code"] and row["survey_code"] not in known_surveys:
            problem(file, line, "survey_code", _("Unknown survey «%(code)s».") % {"code": row["survey_code"]})
            return False
        return True

    # survey_responses
    file = v.plan.files.get("survey_responses", "")
    for line, row in v.rows("survey_responses"):
        ok = v._required(file, line, row, COLUMNS["survey_responses"][0]) & survey_ref(file, line, row)
        ok &= v._code(file, line, row, "department_code", v.department_kinds, _("Unknown department «%(code)s»."))
        day = v._date(file, line, row, "date")
        answers = []
        for question in QUESTIONS:
            try:
                answers.append(check_answer(question, row[question]))
            except DomainError as exc:
                problem(file, line, question, exc.message)
                ok = False
        if ok and day is not None:
            raw["responses"].append({"survey_code": row["survey_code"], "date": day,
                                     "department_code": row["department_code"], "answers": tuple(answers)})

    # nok_facts
    file = v.plan.files.get("nok_facts", "")
    seen = {}
    for line, row in v.rows("nok_facts"):
        ok = v._required(file, line, row, COLUMNS["nok_facts"][0]) & survey_ref(file, line, row)
        if ok and kinds.get(row["survey_code"]) != SurveyKind.NOK:
            problem(file, line, "survey_code", _("The survey «%(code)s» is not an independent assessment (nok).")
                    % {"code": row["survey_code"]})
            ok = False
        points: dict[str, Decimal] = {}
        for name in FACTS:
            if not row[name]:
                continue
            try:
                points[name] = check_points(name, _decimal(row[name]))
            except DomainError as exc:
                problem(file, line, name, exc.message)
                ok = False
        if row["survey_code"] in seen:
            v._duplicate(file, line, "survey_code", row["survey_code"], seen[row["survey_code"]])
            continue
        seen[row["survey_code"]] = line
        if ok:
            q.nok_facts[row["survey_code"]] = points

    # complaints
    file = v.plan.files.get("complaints", "")
    keys: dict[Any, int] = {}
    for line, row in v.rows("complaints"):
        ok = v._required(file, line, row, COLUMNS["complaints"][0])
        ok &= v._code(file, line, row, "kind", {str(c) for c in ComplaintKind.values}, _("Unknown kind «%(code)s»."))
        ok &= v._code(file, line, row, "channel", {str(c) for c in Channel.values}, _("Unknown channel «%(code)s»."))
        ok &= v._code(file, line, row, "department_code", v.department_kinds, _("Unknown department «%(code)s»."))
        if row["recipient_id"] and v.known_person(row["recipient_id"]) is None:
            problem(file, line, "recipient_id", _("Unknown recipient «%(code)s».") % {"code": row["recipient_id"]})
            ok = False
        received, answered = v._date(file, line, row, "received_on"), v._date(file, line, row, "answered_on")
        if received and answered and answered < received:
            problem(file, line, "answered_on", _("The answer cannot be dated before the receipt."))
            ok = False
        justified = None
        try:
            justified = check_answer("justified", row["justified"])
        except DomainError:
            problem(file, line, "justified", _("Expected 1, 0 or empty, not «%(value)s».")
                    % {"value": row["justified"]})
            ok = False
        key: tuple[Any, ...] = (received, row["kind"], row["channel"], row["department_code"],
                                row["recipient_id"], row["subject"])
        if key in keys:
            v._duplicate(file, line, "received_on", row["received_on"], keys[key])
            continue
        keys[key] = line
        if ok and received is not None:
            raw["complaints"].append({"received_on": received, "kind": row["kind"], "channel": row["channel"],
                                      "department_code": row["department_code"],
                                      "recipient_ref": row["recipient_id"], "subject": row["subject"],
                                      "answered_on": answered, "justified": justified})

    # trainings
    file = v.plan.files.get("trainings", "")
    keys = {}
    for line, row in v.rows("trainings"):
        ok = v._required(file, line, row, COLUMNS["trainings"][0])
        ok &= v._code(file, line, row, "kind", {str(c) for c in TrainingKind.values}, _("Unknown kind «%(code)s»."))
        ok &= v._code(file, line, row, "tab_no", v.known_workers, _("Unknown worker «%(code)s»."))
        start = v._date(file, line, row, "start")
        end = None
        if row["end"]:  # a course may end in the future (higher education in progress)
            parsed = v._parse_date(row["end"], future=True)
            if isinstance(parsed, str):
                problem(file, line, "end", parsed)
                ok = False
            else:
                end = parsed
        if start and end and end < start:
            problem(file, line, "end", _("The end cannot be before the start."))
            ok = False
        hours = None
        if row["hours"]:
            try:
                hours = _decimal(row["hours"])
                if hours < 0:
                    raise DomainError(_("The hours cannot be negative."))
            except DomainError as exc:
                problem(file, line, "hours", exc.message)
                ok = False
        key = (row["tab_no"], row["kind"], start, row["title"])
        if key in keys:
            v._duplicate(file, line, "start", row["start"], keys[key])
            continue
        keys[key] = line
        if ok and start is not None:
            raw["trainings"].append({"tab_no": row["tab_no"], "kind": row["kind"], "start": start, "end": end,
                                     "hours": hours, "title": row["title"]})

    # publications
    file = v.plan.files.get("publications", "")
    keys = {}
    for line, row in v.rows("publications"):
        ok = v._required(file, line, row, COLUMNS["publications"][0])
        ok &= v._code(file, line, row, "kind", {str(c) for c in PublicationKind.values},
                      _("Unknown kind «%(code)s»."))
        day = v._date(file, line, row, "date")
        views = None
        if row["views"]:
            try:
                views = v.integer(row["views"])
            except BadValue as exc:
                problem(file, line, "views", str(exc))
                ok = False
        key = (day, row["kind"], row["title"])
        if key in keys:
            v._duplicate(file, line, "date", row["date"], keys[key])
            continue
        keys[key] = line
        if ok and day is not None:
            q.publications.append({"date": day, "kind": row["kind"], "title": row["title"], "views": views})

    _validate_checks(v, raw)


def _validate_checks(v: Validator, raw: dict[str, list[dict[str, Any]]]) -> None:
    """`quality_checks`: the department by its code, planned_on (may be ahead), done_on (not in the future),
    findings only for a check done (quality.rules.check_quality_check, as the screen and the API)."""
    file = v.plan.files.get("quality_checks", "")
    keys: dict[Any, int] = {}
    for line, row in v.rows("quality_checks"):
        ok = v._required(file, line, row, COLUMNS["quality_checks"][0])
        ok &= v._code(file, line, row, "department_code", v.department_kinds, _("Unknown department «%(code)s»."))
        planned = None
        if row["planned_on"]:
            parsed = v._parse_date(row["planned_on"], future=True)  # a check may be planned ahead
            if isinstance(parsed, str):
                v.problems.add(file, line, "planned_on", parsed)
                ok = False
            else:
                planned = parsed
        done = v._date(file, line, row, "done_on") if row["done_on"] else None
        if row["done_on"] and done is None:
            ok = False
        if planned is not None and ok:
            try:
                check_quality_check(planned, done, row["findings"], v.today)
            except DomainError as exc:
                v.problems.add(file, line, exc.field or "done_on", exc.message)
                ok = False
        key = (row["department_code"], planned, row["subject"][:500])
        if key in keys:
            v._duplicate(file, line, "planned_on", row["planned_on"], keys[key])
            continue
        keys[key] = line
        if ok and planned is not None:
            raw["checks"].append({"department_code": row["department_code"], "planned_on": planned,
                                  "done_on": done, "subject": row["subject"][:500], "findings": row["findings"],
                                  "measures": row["measures"]})


def load(loader: Loader) -> None:
    """Write the checked quality rows of the plan (codes resolved to the ids the loader now knows)."""
    q: bulk.QualityRows | None = getattr(loader.plan, "quality", None)
    raw: dict[str, list[dict[str, Any]]] = getattr(loader.plan, "quality_refs", None) or {}
    if q is None or not (q or any(raw.values())):
        return
    dept, workers = loader.department_ids, loader.worker_ids
    people = loader.recipient_refs()
    q.responses = [(r["survey_code"], r["date"], dept.get(r["department_code"]) if r["department_code"] else None,
                    r["answers"]) for r in raw.get("responses", [])]
    q.complaints = [{"received_on": c["received_on"], "kind": c["kind"], "channel": c["channel"],
                     "department_id": dept[c["department_code"]] if c["department_code"] else None,
                     "recipient_id": people[c["recipient_ref"]] if c["recipient_ref"] else None,
                     "subject": c["subject"], "answered_on": c["answered_on"], "justified": c["justified"]}
                    for c in raw.get("complaints", [])]
    q.trainings = [{"employee_id": workers[t["tab_no"]], "kind": t["kind"], "start": t["start"], "end": t["end"],
                    "hours": t["hours"], "title": t["title"]} for t in raw.get("trainings", [])]
    q.checks = [{"department_id": dept[c["department_code"]], "planned_on": c["planned_on"],
                 "done_on": c["done_on"], "subject": c["subject"], "findings": c["findings"],
                 "measures": c["measures"]} for c in raw.get("checks", [])]
    files = {"surveys": "surveys", "responses": "survey_responses", "nok_facts": "nok_facts",
             "complaints": "complaints", "trainings": "trainings", "publications": "publications",
             "checks": "quality_checks"}
    for kind, (created, updated) in bulk.write(loader.org.pk, q).items():
        entry = loader.counts.setdefault(loader.file(files[kind]), {"created": 0, "updated": 0})
        entry["created"] += created
        entry["updated"] += updated


def _flag(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def export(org: Organisation, w: Writer, dept: dict[int, str], tab: dict[int, str],
           ext: dict[int, str]) -> dict[str, int]:
    """Write the quality files of the organisation that have rows (a centre that keeps no such records gets no
    empty files); the number of rows per file written."""
    counts: dict[str, int] = {}
    if not (Survey.objects.filter(organisation=org).exists() or Complaint.objects.filter(organisation=org).exists()
            or Training.objects.filter(organisation=org).exists()
            or Publication.objects.filter(organisation=org).exists()
            or QualityCheck.objects.filter(organisation=org).exists()):
        return counts
    surveys = dict(Survey.objects.filter(organisation=org).values_list("id", "code"))
    counts["surveys"] = w.write("surveys", Survey.objects.filter(organisation=org).order_by("code").values_list(
        "code", "name", "kind", "start", "end"))
    counts["survey_responses"] = w.write("survey_responses", (
        [surveys[r[0]], r[1], dept.get(r[2], "") if r[2] else "", *(_flag(a) for a in r[3:])]
        for r in SurveyResponse.objects.filter(organisation=org).order_by("survey_id", "date", "id").values_list(
            "survey_id", "date", "department_id", *QUESTIONS)))
    counts["nok_facts"] = w.write("nok_facts", (
        [surveys[r[0]], *(f"{p:.2f}" for p in r[1:])]
        for r in NokFacts.objects.filter(survey__organisation=org).order_by("survey__code").values_list(
            "survey_id", *FACTS)))
    counts["complaints"] = w.write("complaints", (
        [c[0], c[1], c[2], dept.get(c[3], "") if c[3] else "", ext.get(c[4], "") if c[4] else "", c[5], c[6],
         _flag(c[7])]
        for c in Complaint.objects.filter(organisation=org).order_by("received_on", "id").values_list(
            "received_on", "kind", "channel", "department_id", "recipient_id", "subject", "answered_on",
            "justified")))
    counts["trainings"] = w.write("trainings", (
        [tab[t[0]], t[1], t[2], t[3], "" if t[4] is None else f"{t[4]:f}", t[5]]
        for t in Training.objects.filter(organisation=org).order_by("start", "id").values_list(
            "employee_id", "kind", "start", "end", "hours", "title")))
    counts["publications"] = w.write("publications", Publication.objects.filter(organisation=org).order_by(
        "date", "id").values_list("date", "kind", "title", "views"))
    counts["quality_checks"] = w.write("quality_checks", (
        [dept[c[0]], c[1], c[2] or "", c[3], c[4], c[5]]
        for c in QualityCheck.objects.filter(organisation=org).order_by("planned_on", "id").values_list(
            "department_id", "planned_on", "done_on", "subject", "findings", "measures")))
    for name, n in list(counts.items()):
        if not n:  # only the files with rows
            (w.directory / f"{name}.{w.fmt}").unlink()
            del counts[name]
    return counts


def names() -> Iterable[str]:
    return COLUMNS.keys()
