"""``Rejected``: why an uploaded file was refused, as a stable code and a one-line reason.

The code (``"not_pdf"``, ``"password"``…) is what callers branch on and store; the
message is English for the officer and for logs. Messages are built here from the
code and its parameters so the worker process and the parent phrase them alike, and
they are forced onto one short line because they end up in flash messages and
log lines, where a multi-line traceback-like text would be both ugly and a leak.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CODES", "MAX_MESSAGE", "Rejected", "human_bytes", "one_line"]

MAX_MESSAGE = 199

# The reason for each code; ``{...}`` are filled from the params.
CODES: dict[str, str] = {
    "not_pdf": "the file is not a PDF (it {looks})",
    "not_image": "the file is not an image that can be read safely ({cause})",
    "too_large": "the file is {size_text}; the limit is {limit_text}",
    "empty": "the file is empty",
    "too_many_pages": "the PDF has {pages} pages; the limit is {limit}",
    "password": "the PDF needs a password to open; remove the password and upload it again",
    "damaged": "the PDF is damaged and cannot be read: {cause}",
    "timeout": "processing took longer than {limit} s",
    "memory": "processing needed more than {limit_text} of memory",
    "bomb": "a compressed stream expands beyond the limit (decompression bomb)",
}

# Variants of a code's reason, chosen by ``params["why"]``.
VARIANTS: dict[tuple[str, str], str] = {
    ("empty", "no_pages"): "the PDF has no pages",
    ("timeout", "cpu"): "processing used more than {limit} s of CPU time",
    ("bomb", "pixels"): "the image is {width}x{height} pixels; the limit is {limit} pixels "
    "(decompression bomb)",
    ("bomb", "pixels_unknown"): "the image has more than {limit} pixels (decompression bomb)",
}


def human_bytes(n: int) -> str:
    """``1073741824`` → ``"1 GiB"``; whole units where exact, one decimal otherwise."""
    if n < 1024:
        return f"{n} B"
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
            return f"{text} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def one_line(text: str, limit: int = MAX_MESSAGE) -> str:
    """Collapse whitespace and control characters to single spaces and cut to ``limit``."""
    cleaned = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


class Rejected(Exception):
    """The file was refused.

    ``code`` is one of the keys of ``CODES`` (stable, for storage and branching),
    ``params`` the numbers behind it (JSON-serialisable), ``str(exc)`` a one-line
    English reason and ``detail`` a longer text for logs only (e.g. the tail of the
    worker's stderr) that must never be shown to the uploader.
    """

    code: str
    params: dict[str, Any]
    detail: str
    stats: dict[str, float]  # the worker's seconds, cpu_s, peak_rss_bytes, when it ran

    def __init__(
        self,
        code: str,
        params: dict[str, Any] | None = None,
        *,
        message: str | None = None,
        detail: str = "",
    ) -> None:
        self.code = code
        self.params = dict(params or {})
        self.detail = detail
        self.stats = {}
        if message is None:
            message = _format(code, self.params)
        self.message = one_line(message)
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"Rejected({self.code!r}, {self.params!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from code and params, not from ``args`` (the message), so a
        # refusal survives pickling into a task queue's result store.
        state = {"message": self.message, "detail": self.detail, "stats": self.stats}
        return (self.__class__, (self.code, self.params), state)

    def to_json(self) -> dict[str, Any]:
        """The form the worker writes into ``result.json``."""
        return {"code": self.code, "params": self.params, "message": self.message}


def _format(code: str, params: dict[str, Any]) -> str:
    template = VARIANTS.get((code, str(params.get("why"))), CODES.get(code, ""))
    if not template:
        template = "the file was refused ({code})"
    values: dict[str, Any] = {"code": code, **params}
    for key in ("size", "limit"):
        if isinstance(params.get(key), int) and code in ("too_large", "memory"):
            values[f"{key}_text"] = human_bytes(params[key])
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        # A caller forgot a parameter: still say something true rather than crash.
        return f"the file was refused ({code})"
