"""What ``analyse`` reads in content streams: the q/Q balance, and bounded decoding."""

from __future__ import annotations

import base64
import os
import random
import zlib

import pytest
from pypdf._codecs._codecs import LzwCodec

from watermark import Unsupported
from watermark.content import Balance, measure
from watermark.decode import _a85, _lzw, decode
from watermark.syntax import Dict, Name


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"q 1 0 0 1 5 5 cm Q", Balance(0, 0)),
        (b"q q Q", Balance(0, 1)),
        (b"Q q", Balance(-1, 0)),
        (b"BT (q q q) Tj ET", Balance(0, 0)),  # inside a string
        (b"BT (a \\) q ( nested ( q ) ) q) Tj ET q", Balance(0, 1)),
        (b"/q gs /Q Do q", Balance(0, 1)),  # names, not operators
        (b"% q q q\nq", Balance(0, 1)),  # a comment
        (b"BI /W 2 /H 1 /BPC 8 /CS /G ID Qq EI q", Balance(0, 1)),  # inline image data
        (b"q BT /F1 9 Tf (x) Tj", Balance(0, 1, in_text=True)),
        (b"BI /W 9 /H 9 /BPC 8 /CS /G ID \x00\x01 no end", Balance(0, 0, in_image=True)),
        (b"q[1 2]0 d Q", Balance(0, 0)),
        (b"qQ q", Balance(0, 1)),  # "qQ" is one (unknown) operator
    ],
)
def test_balance_counts_operators_only(content: bytes, expected: Balance) -> None:
    assert measure(content) == expected


def test_closing_operators() -> None:
    assert Balance(0, 1, in_text=True, in_image=True).closing == "EI ET"
    assert Balance().closing == ""


def test_ascii85_matches_the_standard_library() -> None:
    rng = random.Random(7)
    for n in range(400):
        data = os.urandom(n) + b"\0" * rng.randint(0, 9) + os.urandom(rng.randint(0, 6))
        encoded = base64.a85encode(data, wrapcol=rng.choice([0, 30]), adobe=True)
        assert _a85(encoded) == data
        assert _a85(base64.a85encode(data) + b"~>") == data  # zero groups written as z


def test_lzw_matches_pypdfs_encoder() -> None:
    rng = random.Random(3)
    for data in (b"", b"a", b"TOBEORNOTTOBEORTOBEORNOT" * 50, os.urandom(70_000),
                 bytes(rng.choice(b"ab") for _ in range(20_000))):  # fmt: skip
        assert _lzw(LzwCodec().encode(data), 10**9, 1) == data


def stream(**entries: str | list[Name]) -> Dict:
    """A stream dictionary, names given as strings."""
    return Dict({k: Name(v) if isinstance(v, str) else v for k, v in entries.items()})


def test_decoding_is_bounded_and_forgiving() -> None:
    bomb = zlib.compress(b"q" * 5_000_000)
    with pytest.raises(Unsupported, match="beyond"):
        decode(bomb, stream(Filter="FlateDecode"), budget=1_000_000)
    good = zlib.compress(b"q 1 0 0 1 0 0 cm Q " * 1000)
    assert decode(good[:-20], stream(Filter="FlateDecode")).startswith(b"q 1 0 0 1")  # damaged
    assert decode(b"x", stream(Filter="JBIG2Decode")) == b""  # nobody can draw it
    chained = base64.a85encode(good, adobe=True)
    filters = [Name("ASCII85Decode"), Name("FlateDecode")]
    assert decode(chained, stream(Filter=filters)) == b"q 1 0 0 1 0 0 cm Q " * 1000
    assert decode(b"71 20 51>", stream(Filter="AHx")) == b"q Q"
