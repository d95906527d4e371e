"""Download codes and the mark's text: check symbols, WIB time, WinAnsi transliteration."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from watermark import (
    InvalidMarkError,
    Mark,
    format_code,
    is_valid_code,
    new_code,
    normalise_code,
)
from watermark.codes import ALPHABET
from watermark.mark import pdf_literal, win_ansi


def test_new_codes_are_valid_distinct_and_short() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 10 and set(c) <= set(ALPHABET) and is_valid_code(c) for c in codes)


def test_check_symbol_catches_every_single_substitution() -> None:
    for code in ("7K2M9QX4TA", new_code(), new_code()):
        assert is_valid_code(code)
        for i, symbol in enumerate(code):
            for other in ALPHABET.replace(symbol, ""):
                assert not is_valid_code(code[:i] + other + code[i + 1 :])


def test_check_symbol_catches_most_neighbour_swaps() -> None:
    caught = total = 0
    for _ in range(200):
        code = new_code()
        for i in range(9):
            if code[i] != code[i + 1]:
                total += 1
                caught += not is_valid_code(code[:i] + code[i + 1] + code[i] + code[i + 2 :])
    assert caught / total > 0.9


def test_reading_a_code_forgives_case_separators_and_lookalikes() -> None:
    assert format_code("7K2M9QX4TA") == "7K2M9-QX4TA"
    assert normalise_code("7k2m9-qx4ta") == "7K2M9QX4TA"
    assert normalise_code(" 7K2M9 QX4TA ") == "7K2M9QX4TA"
    zero = next(c for c in iter(new_code, None) if "0" in c and "1" in c)
    assert normalise_code(zero.replace("0", "O").replace("1", "l")) == zero
    assert normalise_code("7K2M9QX4TB") is None
    assert normalise_code("7K2M9QX4T") is None
    assert normalise_code("UUUUUUUUUU") is None  # U is not in the alphabet


def test_mark_prints_the_time_in_wib() -> None:
    mark = Mark("A", "a@b.c", datetime(2026, 11, 25, 7, 3, tzinfo=UTC), "7K2M9QX4TA")
    assert mark.when == "25-11-2026 14:03 WIB"
    paris = timezone(timedelta(hours=1))
    late = Mark("A", "a@b.c", datetime(2026, 12, 31, 18, 30, tzinfo=paris), "7K2M9QX4TA")
    assert late.when == "01-01-2027 00:30 WIB"
    assert mark.printed_code == "7K2M9-QX4TA"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"issued_at": datetime(2026, 1, 1)}, "aware"),
        ({"code": "7K2M9QX4TB"}, "code"),
        ({"code": "7k2m9qx4ta"}, "code"),  # canonical form only
        ({"name": None}, "name"),
    ],
)
def test_a_bad_mark_is_refused(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {
        "name": "A",
        "email": "a@b.c",
        "issued_at": datetime.now(UTC),
        "code": "7K2M9QX4TA",
    }
    with pytest.raises(InvalidMarkError, match=message):
        Mark(**{**fields, **kwargs})  # type: ignore[arg-type]


def test_names_outside_winansi_are_transliterated_or_replaced() -> None:
    assert win_ansi("José Müller-Ñúñez") == "José Müller-Ñúñez".encode("cp1252")
    assert win_ansi("Nguyễn Thị Ánh") == b"Nguyen Thi \xc1nh"
    assert win_ansi("李小龍 Lee") == b"??? Lee"
    assert win_ansi("tab\there\nnew\x00line") == b"tab here new line"
    assert len(win_ansi("x" * 500)) == 120
    assert win_ansi("€ – “quoted”") == "€ – “quoted”".encode("cp1252")


def test_pdf_strings_escape_their_specials() -> None:
    assert pdf_literal(b"a(b)c\\d") == b"(a\\(b\\)c\\\\d)"
    assert pdf_literal(b"\xc1\n") == b"(\\301\\012)"
