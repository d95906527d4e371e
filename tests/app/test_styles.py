"""The shared style sheet: contrast of the error page's status code, hidden labels that
stay hidden whatever rule targets them."""

from __future__ import annotations

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parents[2] / "app/static/pst.css").read_text()


def _variables() -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", CSS)
    assert root
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root.group(1)))


def _declarations(selector: str) -> dict[str, str]:
    block = re.search(re.escape(selector) + r"\s*{([^}]*)}", CSS)
    assert block, selector
    return {
        k.strip(): v.strip()
        for k, v in (d.split(":", 1) for d in block.group(1).split(";") if ":" in d)
    }


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_error_page_status_code_is_readable():
    """WCAG AA: 4.5:1 (the grey "404" was 1.44:1)."""
    colours = _variables()
    colour = _declarations(".status-code")["color"]
    value = colours[colour[len("var(--") : -1]] if colour.startswith("var(") else colour
    assert _contrast(value, colours["bg"]) >= 4.5


def test_hidden_labels_cannot_be_widened_by_other_rules():
    """``.search label { width: 100% }`` used to override the 1 px width of the hidden
    label on publication pages, which then scrolled sideways (1,785 px on a 1,366 px
    screen): every declaration of ``.visually-hidden`` wins."""
    rules = _declarations(".visually-hidden")
    for name in ("position", "width", "height", "overflow", "clip", "white-space"):
        assert rules[name].endswith("!important"), name
    assert rules["width"].startswith("1px") and rules["height"].startswith("1px")
