"""SNILS (Russian individual insurance account number): normalisation, checksum, formatting.

The rule (domain/RULES.md): s = Σ d_i·(9−i) over the first nine digits, weights 9..1;
check = s if s < 100; 00 if s is 100 or 101; otherwise s mod 101, with 100 → 00.
The checksum is only checked for numbers above 001-001-998.
"""

from __future__ import annotations

import re

_NON_DIGITS = re.compile(r"[\s\-]")
CHECKED_ABOVE = 1001998


class SnilsError(ValueError):
    """Raised with a machine code: 'format' or 'checksum'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def compact(value: str) -> str:
    """Strip spaces and dashes: '112-233-445 95' → '11223344595'."""
    return _NON_DIGITS.sub("", value or "")


def checksum(first_nine: str) -> int:
    s = sum(int(d) * w for d, w in zip(first_nine, range(9, 0, -1), strict=True))
    if s < 100:
        return s
    if s in (100, 101):
        return 0
    s %= 101
    return 0 if s == 100 else s


def validate(value: str) -> str:
    """Return the compact 11-digit form or raise SnilsError."""
    number = compact(value)
    if len(number) != 11 or not number.isdigit():
        raise SnilsError("format")
    if int(number[:9]) > CHECKED_ABOVE and checksum(number[:9]) != int(number[9:]):
        raise SnilsError("checksum")
    return number


def is_valid(value: str) -> bool:
    try:
        validate(value)
    except SnilsError:
        return False
    return True


def format_snils(value: str) -> str:
    """'11223344595' → '112-233-445 95'; anything not 11 digits is returned unchanged."""
    number = compact(value)
    if len(number) != 11 or not number.isdigit():
        return value
    return f"{number[:3]}-{number[3:6]}-{number[6:9]} {number[9:]}"


def with_checksum(first_nine: str) -> str:
    """Complete nine digits with their check digits (used by the demo generator)."""
    return f"{first_nine}{checksum(first_nine):02d}"
