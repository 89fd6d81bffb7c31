"""The self-care questionnaire of the needs assessment (анкета-опросник). Pure data: no ORM.

A PLAUSIBLE PLACEHOLDER of the regional instrument: regions approve their own questionnaires for
assessing the ability to care for oneself (long-term care pilots), and we could not confirm any one
of them. Twelve activities of daily living, each scored 0 (does it alone) .. 3 (cannot do it at all);
the total (0..36) is turned into the level of care need by the CareLevelScale table, which is data an
administrator edits. Changing the items or their scores here changes MAX_SCORE: adjust the scale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opora.lib.errors import DomainError


@dataclass(frozen=True)
class Option:
    value: int
    label: Any


@dataclass(frozen=True)
class Item:
    code: str
    label: Any
    options: tuple[Option, ...]


STANDARD_OPTIONS = (
    Option(0, gettext_lazy("Does it alone")),
    Option(1, gettext_lazy("Needs occasional help or supervision")),
    Option(2, gettext_lazy("Needs help with most of it")),
    Option(3, gettext_lazy("Cannot do it, fully dependent on help")),
)

ITEMS: tuple[Item, ...] = (
    Item("bathing", gettext_lazy("Bathing, washing"), STANDARD_OPTIONS),
    Item("dressing", gettext_lazy("Dressing and undressing"), STANDARD_OPTIONS),
    Item("eating", gettext_lazy("Eating"), STANDARD_OPTIONS),
    Item("moving_home", gettext_lazy("Moving about at home"), STANDARD_OPTIONS),
    Item("going_out", gettext_lazy("Going outside"), STANDARD_OPTIONS),
    Item("toilet", gettext_lazy("Using the toilet"), STANDARD_OPTIONS),
    Item("continence", gettext_lazy("Continence"), (
        Option(0, gettext_lazy("Continent")),
        Option(1, gettext_lazy("Occasional accidents")),
        Option(2, gettext_lazy("Frequent accidents")),
        Option(3, gettext_lazy("Incontinent")),
    )),
    Item("housework", gettext_lazy("Housework, cleaning"), STANDARD_OPTIONS),
    Item("cooking", gettext_lazy("Cooking"), STANDARD_OPTIONS),
    Item("shopping", gettext_lazy("Shopping for food and essentials"), STANDARD_OPTIONS),
    Item("medication", gettext_lazy("Taking medication"), STANDARD_OPTIONS),
    Item("orientation", gettext_lazy("Orientation in time, place and people"), (
        Option(0, gettext_lazy("Oriented")),
        Option(1, gettext_lazy("Sometimes confused")),
        Option(2, gettext_lazy("Often confused")),
        Option(3, gettext_lazy("Disoriented")),
    )),
)

BY_CODE: dict[str, Item] = {item.code: item for item in ITEMS}
MAX_SCORE = sum(max(o.value for o in item.options) for item in ITEMS)


def clean_answers(answers: Mapping[str, Any]) -> dict[str, int]:
    """Every item answered with one of its options; the error names the first item that is not."""
    if not isinstance(answers, Mapping):
        raise DomainError(_("The answers must map each question to the chosen option."), field="answers")
    unknown = sorted(set(answers) - set(BY_CODE))
    if unknown:
        raise DomainError(_("Unknown question: %(codes)s.") % {"codes": ", ".join(unknown)}, field="answers")
    cleaned: dict[str, int] = {}
    for item in ITEMS:
        raw = answers.get(item.code)
        if raw is None or raw == "":
            raise DomainError(_("Answer the question “%(item)s”.") % {"item": item.label},
                              field=f"answers.{item.code}")
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = -1
        if isinstance(raw, bool) or value not in {o.value for o in item.options}:
            raise DomainError(_("Choose one of the offered answers to the question “%(item)s”.") % {
                "item": item.label}, field=f"answers.{item.code}")
        cleaned[item.code] = value
    return cleaned


def score(answers: Mapping[str, int]) -> int:
    return sum(answers.values())
