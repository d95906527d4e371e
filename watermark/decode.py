"""Decoding content streams for ``analyse``, with a bound on the decoded size.

Only ``analyse`` reads content, and only to count ``q``/``Q``; a compression bomb must
make it give up quickly instead of inflating a gigabyte, so Flate (nearly all content)
and LZW are decoded here up to ``MAX_DECODED``; the rarer filters (and predictors) go
through pypdf's decoders. A stream damaged midway yields what could be decoded, as viewers
draw what they can.
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any

from .errors import Unsupported
from .syntax import Dict, Value

__all__ = ["MAX_DECODED", "decode"]

MAX_DECODED = 64 * 1024 * 1024  # bytes of content per page; far beyond any real page
_PIECE = 64 * 1024
_FLATE = {"FlateDecode", "Fl"}
_LZW = {"LZWDecode", "LZW"}
_A85 = {"ASCII85Decode", "A85"}
_OTHERS = {
    "ASCIIHexDecode": "ASCIIHexDecode",
    "AHx": "ASCIIHexDecode",
    "RunLengthDecode": "RunLengthDecode",
    "RL": "RunLengthDecode",
}


def _inflate(data: bytes, budget: int) -> bytes:
    inflater = zlib.decompressobj()
    out = bytearray()
    for at in range(0, len(data), _PIECE):
        try:
            out += inflater.decompress(data[at : at + _PIECE], budget + 1 - len(out))
        except zlib.error:
            break  # damaged: keep what came before, as viewers do
        if len(out) > budget or inflater.unconsumed_tail:
            raise Unsupported("content stream inflates beyond the analysis limit")
        if inflater.eof:
            break
    return bytes(out)


_BLANKS = re.compile(rb"[\x00\t\n\x0c\r ]+")
# ASCII85 digit -> value; every other byte -> 255 (invalid).
_A85_VALUE = bytes(b - 33 if 33 <= b <= 117 else 255 for b in range(256))


def _a85_groups(digits: bytes) -> bytes:
    pad = -len(digits) % 5
    if pad == 4:
        raise ValueError("a lone ASCII85 digit")
    values = digits.translate(_A85_VALUE) + b"\x54" * pad  # padded with 'u'
    if values and max(values) > 84:
        raise ValueError("not an ASCII85 digit")
    words = [
        (((a * 85 + b) * 85 + c) * 85 + d) * 85 + e
        for a, b, c, d, e in zip(
            values[0::5], values[1::5], values[2::5], values[3::5], values[4::5], strict=True
        )
    ]
    out = struct.pack(f">{len(words)}I", *words)
    return out[: len(out) - pad]


def _a85(data: bytes) -> bytes:
    """ASCII85 (§7.4.3); the standard library's decoder is too slow for whole files:
    here the arithmetic runs over slices instead of byte by byte."""
    data = _BLANKS.sub(b"", data)
    if data[:2] == b"<~":
        data = data[2:]
    end = data.find(b"~>")
    parts = (data if end == -1 else data[:end]).split(b"z")  # z: four zero bytes
    for part in parts[:-1]:
        if len(part) % 5:
            raise ValueError("'z' inside an ASCII85 group")
    return b"\0\0\0\0".join(_a85_groups(part) for part in parts)


def _lzw(data: bytes, budget: int, early: int) -> bytes:
    """LZW (§7.4.4), bounded like ``_inflate`` (pypdf's decoder is not, below 75 MB)."""
    out = bytearray()
    table = [bytes([i]) for i in range(256)] + [b"", b""]  # 256: clear, 257: end
    width, buffer, held = 9, 0, 0
    previous: bytes | None = None
    for byte in data:
        buffer, held = (buffer << 8) | byte, held + 8
        while held >= width:
            held -= width
            code = buffer >> held
            buffer &= (1 << held) - 1
            if code == 256:
                del table[258:]
                width, previous = 9, None
                continue
            if code == 257:
                return bytes(out)
            if code < len(table) and (code < 256 or previous is not None):
                entry = table[code]
                if previous is not None:
                    table.append(previous + entry[:1])
            elif code == len(table) and previous is not None:
                entry = previous + previous[:1]
                table.append(entry)
            else:
                return bytes(out)  # damaged: keep what came before
            out += entry
            if len(out) > budget:
                raise Unsupported("content stream decodes beyond the analysis limit")
            previous = entry
            if len(table) + early >= 1 << width and width < 12:
                width += 1
    return bytes(out)


def _pypdf_parms(parms: Value) -> Any:
    from pypdf.generic import DictionaryObject, NameObject, NumberObject

    out = DictionaryObject()
    if isinstance(parms, Dict):
        for key, value in parms.entries.items():
            if isinstance(value, int) and not isinstance(value, bool):
                out[NameObject("/" + key)] = NumberObject(value)
    return out


def _other(name: str, data: bytes, parms: Value) -> bytes:
    from pypdf import filters

    decoder: Any = getattr(filters, name)
    if name in ("ASCIIHexDecode", "RunLengthDecode"):
        result = decoder.decode(data)
    else:
        result = decoder.decode(data, _pypdf_parms(parms))
    return result.encode("latin-1") if isinstance(result, str) else bytes(result)


def _listed(value: Value) -> list[Value]:
    return value if isinstance(value, list) else [value]


def decode(data: bytes, stream: Dict, budget: int = MAX_DECODED) -> bytes:
    """The decoded ``data`` of ``stream``; ``Unsupported`` beyond ``budget`` bytes.

    A filter nobody can decode gives ``b""``: viewers draw nothing of such content.
    """
    filters = [f for f in _listed(stream.get("Filter")) if f is not None]
    parms = _listed(stream.get("DecodeParms"))
    for index, name in enumerate(filters):
        parm = parms[index] if index < len(parms) else None
        predictor = parm.get("Predictor") if isinstance(parm, Dict) else None
        try:
            if name in _FLATE and predictor in (None, 1):
                data = _inflate(data, budget)
            elif name in _FLATE:
                data = _other("FlateDecode", data, parm)
            elif name in _A85:
                data = _a85(data)
            elif name in _LZW and predictor in (None, 1):
                early = parm.get("EarlyChange") if isinstance(parm, Dict) else None
                data = _lzw(data, budget, 0 if early == 0 else 1)
            elif isinstance(name, str) and name in _OTHERS:
                data = _other(_OTHERS[name], data, parm)
            else:
                return b""
        except Unsupported:
            raise
        except Exception:  # a decoder's complaint about damaged data
            return b""
        if len(data) > budget:
            raise Unsupported("content stream decodes beyond the analysis limit")
    return data
