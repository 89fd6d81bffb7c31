from hypothesis import given
from hypothesis import strategies as st

from opora.lib import snils


def test_it_accepts_the_examples_of_the_rules():
    assert snils.validate("112-233-445 95") == "11223344595"
    assert snils.validate("148-481-255 85") == "14848125585"


def test_it_rejects_a_wrong_checksum():
    assert not snils.is_valid("112-233-445 96")
    try:
        snils.validate("11223344596")
    except snils.SnilsError as exc:
        assert exc.code == "checksum"
    else:  # pragma: no cover
        raise AssertionError("a wrong checksum was accepted")


def test_it_rejects_wrong_formats():
    for value in ("", "1122334459", "112233445955", "11223344a95"):
        assert not snils.is_valid(value)


def test_it_does_not_check_numbers_up_to_001_001_998():
    assert snils.is_valid("001-001-998 00")
    assert snils.is_valid("001-001-998 77")
    assert snils.is_valid("000-000-001 13")
    # one above the boundary is checked
    assert snils.is_valid(snils.with_checksum("001001999"))
    assert not snils.is_valid("001-001-999 " + f"{(snils.checksum('001001999') + 1) % 100:02d}")


def test_it_maps_sums_of_100_and_101_to_00_and_reduces_larger_ones():
    assert snils.checksum("920000003") == 0  # 81 + 16 + 3 = 100
    assert snils.checksum("920000004") == 0  # 101
    assert snils.checksum("920000005") == 1  # 102 mod 101
    assert snils.checksum("996100000") == 0  # 201 mod 101 = 100 → 00
    assert snils.checksum("100000000") == 9  # below 100: the sum itself


@given(st.integers(min_value=1001999, max_value=999999999))
def test_it_always_accepts_what_with_checksum_builds(n):
    number = snils.with_checksum(f"{n:09d}")
    assert snils.is_valid(number)
    assert snils.format_snils(number) == f"{number[:3]}-{number[3:6]}-{number[6:9]} {number[9:]}"


def _independent_check(nine: str) -> int:
    s = sum(int(d) * (9 - i) for i, d in enumerate(nine))
    while s > 101:
        s %= 101
    return 0 if s in (100, 101) else s


@given(st.integers(min_value=1001999, max_value=999999999))
def test_it_matches_an_independent_restatement(n):
    nine = f"{n:09d}"
    assert snils.checksum(nine) == _independent_check(nine)
