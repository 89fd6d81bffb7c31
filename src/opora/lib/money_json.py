"""JSON with money: the one encoder of the API's answers and of the reports as data (EXCHANGE.md).

Every ``Decimal`` is written as a JSON number with two decimals, rounded half-up (``Decimal("750")`` →
``750.00``, ``Decimal("116.915")`` → ``116.92``); integers stay integers, floats are written as Python writes
them. Nothing else differs from :func:`json.dumps`. Pure and Django-free: a caller that has other types
(dates, lazy strings, models) passes ``default``, as to :func:`json.dumps`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")

_encode_str: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]
_encode_ascii: Callable[[str], str] = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


def two_decimals(value: Decimal | int) -> Decimal:
    """Half-up to two places: how money, percentages and other decimals leave Opora as numbers."""
    return (value if isinstance(value, Decimal) else Decimal(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def number(value: Decimal) -> str:
    """The JSON text of a decimal: ``750.00``."""
    if not value.is_finite():
        raise ValueError(f"Not a finite number: {value}")
    return f"{two_decimals(value):f}"


def dumps(data: Any, *, compact: bool = False, ensure_ascii: bool = False,
          default: Callable[[Any], Any] | None = None) -> str:
    """``data`` as JSON text, decimals as numbers with two decimals.

    ``compact`` writes no spaces after ``,`` and ``:`` (the reports' files); otherwise the separators are
    :func:`json.dumps`'s own. ``default`` turns any other object into something encodable.
    """
    comma, colon = (",", ":") if compact else (", ", ": ")
    quote = _encode_ascii if ensure_ascii else _encode_str
    parts: list[str] = []
    out = parts.append

    def encode(o: Any) -> None:
        if isinstance(o, str):
            out(quote(o))
        elif o is None:
            out("null")
        elif o is True:
            out("true")
        elif o is False:
            out("false")
        elif isinstance(o, int):
            out(int.__repr__(o))
        elif isinstance(o, Decimal):
            out(number(o))
        elif isinstance(o, float):
            out(json.dumps(o))
        elif isinstance(o, dict):
            out("{")
            first = True
            for key, value in o.items():
                if not first:
                    out(comma)
                first = False
                out(quote(_key(key)))
                out(colon)
                encode(value)
            out("}")
        elif isinstance(o, (list, tuple)):
            out("[")
            for i, value in enumerate(o):
                if i:
                    out(comma)
                encode(value)
            out("]")
        elif default is not None:
            encode(default(o))
        else:
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")

    encode(data)
    return "".join(parts)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, (bool, int, float)):
        return json.dumps(key)
    if isinstance(key, Decimal):
        return number(key)
    raise TypeError(f"Keys must be str, int, float, bool or None, not {type(key).__name__}")
