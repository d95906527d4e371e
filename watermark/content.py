"""The graphics-state balance of a page's content: how it leaves the ``q``/``Q`` stack.

A page's content may end inside a ``q`` it never closes (a transformed or clipped
state), pop more than it pushed, or stop inside a text object. The stamp must not be
drawn in such a leftover state, so ``analyse`` measures it once per master and the
page is wrapped in enough ``q`` before and ``Q`` after (see ``plan.Balance``). Only the
operators that matter are looked at; strings, comments and inline images are skipped
so that a ``q`` inside them is not counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Balance", "measure"]

_DELIMITED = rb"[\x00\t\n\x0c\r ()<>\[\]{}/%]"
_TOKEN_END = rb"(?![^\x00\t\n\x0c\r ()<>\[\]{}/%])"
# An operator stands after a blank or a delimiter other than '/' (``/q`` is a name).
_INTERESTING = re.compile(
    rb"(?P<string>\()|(?P<comment>%)|"
    rb"(?<![^\x00\t\n\x0c\r ()<>\[\]{}%])(?P<op>q|Q|BT|ET|BI)" + _TOKEN_END
)
_STRING_SPECIAL = re.compile(rb"[()\\]")
_LINE_END = re.compile(rb"[\r\n]")
_IMAGE_DATA = re.compile(rb"(?<![^\x00\t\n\x0c\r ()<>\[\]{}%])ID[\x00\t\n\x0c\r ]")
_IMAGE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=" + _DELIMITED + rb"|\Z)")
del _DELIMITED


@dataclass(frozen=True)
class Balance:
    """``lowest``: deepest pop below the start (<= 0); ``final``: depth at the end;
    ``in_text``: the content ends inside ``BT`` without its ``ET``; ``in_image``: it
    ends inside an inline image (no ``EI``)."""

    lowest: int = 0
    final: int = 0
    in_text: bool = False
    in_image: bool = False

    @property
    def closing(self) -> str:
        """The operators that end what the content left open, before the ``Q``s."""
        return " ".join(op for op, open_ in (("EI", self.in_image), ("ET", self.in_text)) if open_)


def _skip_string(data: bytes, pos: int) -> int:
    """The offset after the literal string whose ``(`` is at ``pos - 1``."""
    level = 1
    while level:
        match = _STRING_SPECIAL.search(data, pos)
        if not match:
            return len(data)
        pos = match.end()
        char = data[match.start()]
        if char == 0x5C:  # backslash: the next byte is escaped
            pos += 1
        else:
            level += 1 if char == 0x28 else -1
    return pos


def measure(data: bytes) -> Balance:
    """The balance of content ``data`` (the page's streams, decoded and concatenated)."""
    depth = lowest = 0
    in_text = in_image = False
    pos = 0
    search = _INTERESTING.search
    while match := search(data, pos):
        pos = match.end()
        kind = match.lastgroup
        if kind == "string":
            pos = _skip_string(data, pos)
            continue
        if kind == "comment":
            end = _LINE_END.search(data, pos)
            pos = end.end() if end else len(data)
            continue
        op = match.group()
        if op == b"q":
            depth += 1
        elif op == b"Q":
            depth -= 1
            lowest = min(lowest, depth)
        elif op == b"BT":
            in_text = True
        elif op == b"ET":
            in_text = False
        else:  # BI: skip the inline image's parameters and binary data
            start = _IMAGE_DATA.search(data, pos)
            end = _IMAGE_END.search(data, start.end()) if start else None
            if end is None:
                in_image = True
                break
            pos = end.end()
    return Balance(lowest, depth, in_text, in_image)
