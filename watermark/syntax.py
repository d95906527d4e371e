"""PDF object syntax: a small parser that remembers where every dictionary entry lies.

The fast path edits page objects by splicing bytes into the master's own text (a new
``/Contents`` value, a name added to an ``/XObject`` dictionary), so it needs the byte
span of each entry, which general PDF libraries do not keep. This parser covers the
object syntax of ISO 32000 §7.3 and nothing else; anything it does not understand
raises ``Unsupported``, which sends the master to the fallback.
"""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass, field
from typing import NamedTuple, TypeAlias

from .errors import Unsupported

__all__ = ["WHITESPACE", "Buffer", "Dict", "Name", "Parser", "Ref", "Value"]

# What is parsed: the file's bytes, or a map of the file (large masters are not read).
Buffer: TypeAlias = bytes | mmap.mmap

WHITESPACE = b"\x00\t\n\x0c\r "
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_SKIP = re.compile(rb"(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*)*")
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)")
_NAME = re.compile(rb"/(" + _REGULAR + rb"*)")
_KEYWORD = re.compile(_REGULAR + rb"+")
_REF_TAIL = re.compile(rb"[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+R(?!" + _REGULAR + rb")")
_HEX = re.compile(rb"<([0-9A-Fa-f\x00\t\n\x0c\r ]*)>")
_STRING_SPECIAL = re.compile(rb"[()\\]")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_ESCAPES = {
    ord("n"): b"\n",
    ord("r"): b"\r",
    ord("t"): b"\t",
    ord("b"): b"\b",
    ord("f"): b"\f",
}
_OCTAL = re.compile(rb"[0-7]{1,3}")
# Deeper nesting than any real page dictionary needs; a bound against hostile files.
MAX_DEPTH = 64


class Name(str):
    """A PDF name, without its slash (``/Type`` is ``Name("Type")``)."""

    __slots__ = ()


class Ref(NamedTuple):
    """An indirect reference ``num gen R``."""

    num: int
    gen: int


@dataclass
class Dict:
    """A dictionary with the spans of its entries (absolute offsets in the buffer).

    ``start`` is the offset of ``<<`` and ``end`` the offset just after ``>>``;
    ``spans[key]`` is ``(value_start, value_end)``.
    """

    entries: dict[str, Value]
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    start: int = 0
    end: int = 0

    def get(self, key: str) -> Value:
        """The value of ``key`` (``None``, PDF's null, when absent)."""
        return self.entries.get(key)


Value: TypeAlias = "bool | int | float | bytes | Name | Ref | list[Value] | Dict | None"


class Parser:
    """Parses values from ``buf`` (the whole file or one object's bytes)."""

    def __init__(self, buf: Buffer, base: int = 0) -> None:
        # ``base`` is the file offset of ``buf[0]``: spans are reported as file offsets.
        self.buf = buf
        self.base = base

    def skip(self, pos: int) -> int:
        """The offset of the next token at or after ``pos`` (skips blanks and comments)."""
        match = _SKIP.match(self.buf, pos)
        return match.end() if match else pos

    def keyword(self, pos: int) -> tuple[bytes, int]:
        """The regular-character token at ``pos`` (``b""`` if none) and the offset after it."""
        match = _KEYWORD.match(self.buf, pos)
        return (match.group(), match.end()) if match else (b"", pos)

    def value(self, pos: int, depth: int = 0) -> tuple[Value, int]:
        """The value starting at ``pos`` (blanks before it allowed) and the offset after it."""
        if depth > MAX_DEPTH:
            raise Unsupported("objects nested too deeply")
        buf = self.buf
        pos = self.skip(pos)
        if pos >= len(buf):
            raise Unsupported("unexpected end of data")
        lead = buf[pos]
        if lead == 0x2F:  # '/'
            return self._name(pos)
        if lead == 0x3C:  # '<'
            if buf[pos : pos + 2] == b"<<":
                return self._dict(pos, depth)
            match = _HEX.match(buf, pos)
            if not match:
                raise Unsupported(f"bad hex string at {self.base + pos}")
            digits = bytes(b for b in match.group(1) if b not in WHITESPACE)
            return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode()), match.end()
        if lead == 0x28:  # '('
            return self._string(pos)
        if lead == 0x5B:  # '['
            items: list[Value] = []
            pos += 1
            while True:
                pos = self.skip(pos)
                if buf[pos : pos + 1] == b"]":
                    return items, pos + 1
                item, pos = self.value(pos, depth + 1)
                items.append(item)
        match = _NUMBER.match(buf, pos)
        if match:
            text = match.group()
            if b"." not in text:
                tail = _REF_TAIL.match(buf, match.end()) if text.isdigit() else None
                if tail:
                    return Ref(int(text), int(tail.group(1))), tail.end()
                return int(text), match.end()
            return float(text), match.end()
        word, end = self.keyword(pos)
        if word == b"true":
            return True, end
        if word == b"false":
            return False, end
        if word == b"null":
            return None, end
        raise Unsupported(f"unexpected {buf[pos : pos + 12]!r} at {self.base + pos}")

    def _name(self, pos: int) -> tuple[Name, int]:
        match = _NAME.match(self.buf, pos)
        assert match is not None  # the caller saw the slash; the body may be empty
        raw = _NAME_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), match.group(1))
        return Name(raw.decode("latin-1")), match.end()

    def _dict(self, pos: int, depth: int) -> tuple[Dict, int]:
        buf = self.buf
        result = Dict({}, {}, self.base + pos)
        pos += 2
        while True:
            pos = self.skip(pos)
            if buf[pos : pos + 2] == b">>":
                result.end = self.base + pos + 2
                return result, pos + 2
            if not buf[pos : pos + 1] == b"/":
                raise Unsupported(f"dictionary key expected at {self.base + pos}")
            key, pos = self._name(pos)
            if key in result.entries:
                # Readers disagree on which duplicate wins; the fallback settles it.
                raise Unsupported(f"duplicate key /{key} at {self.base + pos}")
            start = self.skip(pos)
            value, pos = self.value(start, depth + 1)
            result.entries[key] = value
            result.spans[key] = (self.base + start, self.base + pos)

    def _string(self, pos: int) -> tuple[bytes, int]:
        """A literal string: balanced parentheses, backslash escapes (§7.3.4.2)."""
        buf, out, level, at = self.buf, bytearray(), 1, pos + 1
        while True:
            match = _STRING_SPECIAL.search(buf, at)
            if not match:
                raise Unsupported(f"unterminated string at {self.base + pos}")
            special = match.start()
            out += buf[at:special]
            char = buf[special]
            if char == 0x5C:  # backslash
                at = special + 2
                if special + 1 >= len(buf):
                    raise Unsupported(f"unterminated string at {self.base + pos}")
                escaped = buf[special + 1]
                if escaped in _ESCAPES:
                    out += _ESCAPES[escaped]
                elif escaped in b"\r\n":  # a line continuation
                    if buf[special + 1 : special + 1 + 2] == b"\r\n":
                        at += 1
                elif octal := _OCTAL.match(buf, special + 1):
                    out.append(int(octal.group(), 8) & 0xFF)
                    at = octal.end()
                else:
                    out.append(escaped)
                continue
            at = special + 1
            level += 1 if char == 0x28 else -1
            if level == 0:
                return bytes(out), at
            out.append(char)
