"""Normalisation of names for search: any case, 'ё' equal to 'е', single spaces."""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")


def normalise(value: str) -> str:
    return _SPACES.sub(" ", (value or "").casefold().replace("ё", "е")).strip()


def search_key(*parts: str) -> str:
    return normalise(" ".join(p for p in parts if p))
