"""The columns of the quality files (EXCHANGE.md Part 2), apart from their code so that spec.py stays light."""

from __future__ import annotations

from opora.quality.rules import FACTS, QUESTIONS

COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "surveys": (("code", "name", "kind"), ("start", "end")),
    "survey_responses": (("survey_code", "date"), ("department_code", *QUESTIONS)),
    "nok_facts": (("survey_code", *FACTS), ()),
    "complaints": (("received_on", "kind"), ("channel", "department_code", "recipient_id", "subject", "answered_on",
                                             "justified")),
    "trainings": (("tab_no", "kind", "start"), ("end", "hours", "title")),
    "publications": (("date", "kind"), ("title", "views")),
    # internal quality checks (issue 15; not in EXCHANGE.md — documented in docs/architecture.md)
    "quality_checks": (("department_code", "planned_on"), ("done_on", "subject", "findings", "measures")),
}
HEADERS: dict[str, list[str]] = {name: [*req, *opt] for name, (req, opt) in COLUMNS.items()}
