"""Orders that people expect, the same on SQLite and PostgreSQL (no ICU, no database collation needed).

- :func:`natural_key`: service codes in the order of their numbers, «1.2» before «1.10», «2» before «10».
- :func:`name_key`: names in the order of the Russian (and Ukrainian) alphabet, whatever the case: «Сёмина»
  before «Стрельцов» (the code point of «ё» is after «я»; here it sorts with «е»), «Іваненко» after «Иванов».

In the database, people's lists are ordered by their ``search_name`` (lower case, «ё» as «е»), which gives the
same order for Russian names.
"""

from __future__ import annotations

import re

_PARTS = re.compile(r"(\d+)")
#: the Russian and Ukrainian letters in alphabetical order (ё after е as in Russian; ґ, є, і, ї where Ukrainian
#: puts them)
ALPHABET = "абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя"
_RANK = {c: chr(0x430 + i) for i, c in enumerate(ALPHABET)}


def natural_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """«1.10» → ((0, 1), (1, '.'), (0, 10)): numbers compared as numbers, the rest as text."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.casefold()) for p in _PARTS.split(code or "") if p)


def name_key(name: str) -> str:
    """A key that sorts names alphabetically (ru, uk), case-insensitive, «ё» right after «е»."""
    text = (name or "").casefold()
    return "".join(_RANK.get(c, c) for c in text)
