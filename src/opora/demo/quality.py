"""The demo centre's quality records for 2020, written through quality.bulk (the import's entry point):

- a satisfaction survey by department like seed 000's (1 009 respondents, satisfaction 100 %);
- an independent assessment (НОК) like seed 003's: 719 asked, 716 would recommend (99,58), with the points of
  344н of the institution;
- a survey open on the public page (no end), so the QR code of the demo leads somewhere;
- complaints, appeals, reviews and gratitudes (one complaint justified, one answer late);
- staff development: 16 workers who improved their qualification, 4 studying at university, seminars,
  attestations and awards;
- publications on the site (with views), on stands, in the press and social networks;
- internal quality checks by department: 380 planned, 375 done (seed 003), some with findings and measures.

Deterministic: one random.Random(seed)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from opora.demo.years import later_years, moved, moved_or_none
from opora.org.models import Department, Employee, Organisation
from opora.people.models import Recipient
from opora.quality import bulk
from opora.quality.models import Complaint, Publication, QualityCheck, Survey, SurveyResponse, Training
from opora.quality.rules import QUESTIONS

D = datetime.date


def _answers(**given: bool | None) -> tuple[bool | None, ...]:
    return tuple(given.get(q) for q in QUESTIONS)


def build(org: Organisation, seed: int, today: datetime.date | None = None) -> dict[str, int]:
    rnd = random.Random(seed * 7 + 15)
    depts = list(Department.objects.filter(organisation=org).exclude(kind="administration").order_by("code")
                 .values_list("id", flat=True))
    rows = bulk.QualityRows()
    rows.surveys = {
        "sat2020": {"name": "Удовлетворённость качеством социальных услуг, 2020", "kind": "satisfaction",
                    "start": D(2020, 10, 1), "end": D(2020, 10, 31)},
        "nok2020": {"name": "Независимая оценка качества (344н), 2020", "kind": "nok", "start": D(2020, 6, 1),
                    "end": D(2020, 6, 30)},
        "online": {"name": "Ваше мнение о работе центра", "kind": "satisfaction", "start": D(2020, 1, 1),
                   "end": None, "is_public": True},
    }
    for i in range(1009):  # seed 000: 1 009 recipients by department, all satisfied
        rows.responses.append(("sat2020", D(2020, 10, 1 + i % 28), depts[i % len(depts)] if depts else None,
                               _answers(overall_satisfied=True, recommend=True, schedule_satisfied=True,
                                        courtesy_during=True)))
    for i in range(719):  # seed 003: 716 of 719 would recommend
        rows.responses.append(("nok2020", D(2020, 6, 1 + i % 29), None, _answers(
            info_satisfied=rnd.random() > 0.01, comfort_satisfied=rnd.random() > 0.01,
            waiting_ok=rnd.random() > 0.005, access_satisfied=rnd.random() > 0.03,
            courtesy_first_contact=True, courtesy_during=True,
            courtesy_remote=True if i % 3 else None, recommend=i >= 3, schedule_satisfied=rnd.random() > 0.01,
            overall_satisfied=i >= 2)))
    rows.nok_facts = {"nok2020": {"info_completeness": Decimal(100), "remote_channels": Decimal(100),
                                  "comfort_conditions": Decimal(100), "facility_access": Decimal(80),
                                  "service_access": Decimal(60)}}
    people = list(Recipient.objects.filter(organisation=org).order_by("id").values_list("id", flat=True)[:40])

    def complaint(received: datetime.date, kind: str, subject: str, answered: datetime.date | None = None,
                  justified: bool | None = None, channel: str = "in_person", person: int | None = None) -> None:
        rows.complaints.append({"received_on": received, "kind": kind, "channel": channel,
                                "department_id": depts[len(rows.complaints) % len(depts)] if depts else None,
                                "recipient_id": person, "subject": subject, "answered_on": answered,
                                "justified": justified})

    p = people + [None] * 3
    complaint(D(2020, 2, 10), "complaint", "Опоздание социального работника", D(2020, 3, 2), True, "phone", p[0])
    complaint(D(2020, 5, 18), "complaint", "Качество уборки", D(2020, 6, 1), False, "in_person", p[1])
    complaint(D(2020, 11, 2), "complaint", "Сроки рассмотрения", D(2020, 12, 10), False, "post", p[2])  # late
    for n in range(10):
        complaint(D(2020, 1 + n, 15), "review", "Запись в книге отзывов и предложений")
    for n in range(5):
        complaint(D(2020, 2 + 2 * n, 20), "gratitude", "Благодарность коллективу", channel="post")
    # answered in January 2021 when the demo reaches it (issue 11: not «awaiting an answer» for ever), in time
    complaint(D(2020, 12, 22), "appeal", "Разъяснение порядка оплаты",
              ANSWERED_APPEAL if today is not None and today >= ANSWERED_APPEAL else None, None, "email", p[3])
    staff = list(Employee.objects.filter(organisation=org, dismissed_on__isnull=True).order_by("tab_no")
                 .values_list("id", flat=True))
    if staff:
        trained = rnd.sample(staff, min(16, len(staff)))
        for k, e in enumerate(trained):
            start = D(2020, 2 + k % 9, 3)
            rows.trainings.append({"employee_id": e, "kind": "retraining" if k % 5 == 0 else "course",
                                   "start": start, "end": start + datetime.timedelta(days=13),
                                   "hours": Decimal(250 if k % 5 == 0 else 72),
                                   "title": "Профессиональная переподготовка" if k % 5 == 0
                                   else "Повышение квалификации социальных работников"})
        for e in rnd.sample(staff, min(4, len(staff))):
            rows.trainings.append({"employee_id": e, "kind": "higher_education", "start": D(2018, 9, 1),
                                   "end": D(2023, 6, 30), "hours": None, "title": "Социальная работа (заочно)"})
        for k in range(19):
            rows.trainings.append({"employee_id": staff[k * 3 % len(staff)], "kind": "seminar",
                                   "start": D(2020, 1 + k % 12, 10 + k % 10), "end": None, "hours": Decimal(4),
                                   "title": f"Семинар № {k + 1}"})
        for k, e in enumerate(staff[:8]):
            rows.trainings.append({"employee_id": e, "kind": "attestation", "start": D(2020, 4, 6 + k),
                                   "end": D(2020, 4, 6 + k), "hours": None, "title": "Аттестация"})
        for k, e in enumerate(staff[8:11]):
            rows.trainings.append({"employee_id": e, "kind": "award", "start": D(2020, 6, 8 + k), "end": None,
                                   "hours": None, "title": "Почётная грамота"})
    for k in range(19):
        rows.publications.append({"date": D(2020, 1 + k % 12, 1 + k), "kind": "site",
                                  "title": f"Новость на сайте № {k + 1}", "views": 100 + rnd.randrange(300)})
    for k in range(21):
        rows.publications.append({"date": D(2020, 1 + k % 12, 2 + k % 20), "kind": "stand",
                                  "title": f"Стенд № {k + 1}", "views": None})
    for k in range(5):
        rows.publications.append({"date": D(2020, 2 + 2 * k, 12), "kind": "press",
                                  "title": f"Статья в районной газете № {k + 1}", "views": None})
    for k in range(12):
        rows.publications.append({"date": D(2020, 1 + k, 25), "kind": "social",
                                  "title": f"Пост в социальной сети № {k + 1}", "views": 500 + rnd.randrange(2000)})
    _quality_checks(rows, depts, rnd)
    if today is not None:
        _later_years(rows, today)
    written = bulk.write(org.pk, rows)
    return {f"quality_{kind}": created for kind, (created, _updated) in written.items()}


ANSWERED_APPEAL = D(2021, 1, 14)


def _later_years(rows: bulk.QualityRows, today: datetime.date) -> None:
    """Every year after 2020 up to `today` (issue 11): 2020's surveys (codes with the year), answers, complaints,
    trainings, publications and checks moved by whole years; nothing dated after `today` (a later answer, end
    or check's execution is left empty: not yet given)."""
    surveys = {code: s for code, s in rows.surveys.items() if code.endswith("2020")}
    responses = [r for r in rows.responses if r[0] in surveys]
    complaints, trainings = list(rows.complaints), [t for t in rows.trainings if t["start"].year == 2020]
    publications, checks = list(rows.publications), list(rows.checks)
    for year in later_years(today):
        for code, survey in surveys.items():
            if moved(survey["start"], year) <= today:
                rows.surveys[f"{code[:-4]}{year}"] = {**survey, "name": survey["name"].replace("2020", str(year)),
                                                      "start": moved(survey["start"], year),
                                                      "end": moved(survey["end"], year)}
        if "nok2020" in rows.nok_facts and f"nok{year}" in rows.surveys:
            rows.nok_facts[f"nok{year}"] = dict(rows.nok_facts["nok2020"])
        for code, day, dept, answers in responses:
            if moved(day, year) <= today:
                rows.responses.append((f"{code[:-4]}{year}", moved(day, year), dept, answers))
        for c in complaints:
            if moved(c["received_on"], year) <= today:
                answered = moved_or_none(c["answered_on"] or (ANSWERED_APPEAL if c["kind"] == "appeal" else None),
                                         year, today)
                rows.complaints.append({**c, "received_on": moved(c["received_on"], year), "answered_on": answered,
                                        "justified": c["justified"] if answered else None})
        for t in trainings:
            if moved(t["start"], year) <= today:
                rows.trainings.append({**t, "start": moved(t["start"], year),
                                       "end": moved(t["end"], year) if t["end"] else None})
        for pub in publications:
            if moved(pub["date"], year) <= today:
                rows.publications.append({**pub, "date": moved(pub["date"], year),
                                          "title": f"{pub['title']} ({year})"})
        for ch in checks:
            if moved(ch["planned_on"], year) <= today:
                done = moved_or_none(ch["done_on"], year, today)
                rows.checks.append({**ch, "planned_on": moved(ch["planned_on"], year), "done_on": done,
                                    "findings": ch["findings"] if done else "", "measures": ch["measures"] if done
                                    else ""})


SUBJECTS = ("Соблюдение стандарта социальных услуг", "Ведение документации получателей услуг",
            "Своевременность предоставления услуг", "Качество социально-бытовых услуг",
            "Соблюдение санитарных норм", "Удовлетворённость получателей услуг")
FINDINGS = ("Не заполнены отметки о предоставлении услуг в двух личных делах.",
            "Нарушен график посещения одного получателя услуг.",
            "Не обновлена информация на стенде отделения.")


def _quality_checks(rows: bulk.QualityRows, depts: list[int], rnd: random.Random) -> None:
    """Seed 003 counts 375 internal quality checks in the year: 380 planned over the departments, 375 of them
    done (the last five of December still ahead at the year's end), about one in six with findings and the
    measures taken."""
    if not depts:
        return
    for k in range(380):
        planned = D(2020, 1, 1) + datetime.timedelta(days=k * 366 // 380)
        done = planned + datetime.timedelta(days=rnd.randrange(3)) if k < 375 else None
        if done is not None and done.year > 2020:
            done = D(2020, 12, 31)
        findings = FINDINGS[k % len(FINDINGS)] if done is not None and rnd.random() < 0.17 else ""
        rows.checks.append({"department_id": depts[k % len(depts)], "planned_on": planned, "done_on": done,
                            "subject": f"{SUBJECTS[k % len(SUBJECTS)]} № {k + 1}", "findings": findings,
                            "measures": "Проведена беседа, замечания устранены." if findings else ""})


def delete(org: Organisation) -> None:
    """The organisation's quality records (before its people, staff and departments)."""
    SurveyResponse.objects.filter(organisation=org).delete()
    Survey.objects.filter(organisation=org).delete()  # and the points of 344н (cascade)
    Complaint.objects.filter(organisation=org).delete()
    Training.objects.filter(organisation=org).delete()
    Publication.objects.filter(organisation=org).delete()
    QualityCheck.objects.filter(organisation=org).delete()
