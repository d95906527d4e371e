"""The values the sanitiser takes and returns: ``Limits``, ``OutlineItem`` and ``Sanitised``."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Limits", "OutlineItem", "Sanitised"]


@dataclass(frozen=True)
class Limits:
    """How much of the machine one upload may use before it is refused."""

    max_bytes: int = 300 * 1024 * 1024
    max_pages: int = 3000
    timeout_s: float = 45.0  # wall clock for the whole sanitise step
    memory_bytes: int = 1024**3  # address-space limit of the worker (RLIMIT_AS)
    cpu_s: int = 60  # RLIMIT_CPU of the worker
    max_image_pixels: int = 50_000_000  # Pillow MAX_IMAGE_PIXELS, and the cover's guard
    cover_width: int = 400  # thumbnail width in px

    def to_json(self) -> str:
        """The command-line form handed to the worker."""
        return json.dumps(dataclasses.asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Limits:
        """Inverse of ``to_json``; unknown keys are an error, missing ones take defaults."""
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("limits must be a JSON object")
        names = {f.name: f.type for f in dataclasses.fields(cls)}
        unknown = set(raw) - set(names)
        if unknown:
            raise ValueError(f"unknown limits: {sorted(unknown)}")
        values: dict[str, Any] = {}
        for name, value in raw.items():
            kind = float if names[name] == "float" else int
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"limit {name} must be a number")
            values[name] = kind(value)
        return cls(**values)


@dataclass(frozen=True)
class OutlineItem:
    """One bookmark: its title, the 1-based page it points at and its depth (0 = top)."""

    title: str
    page: int
    level: int


@dataclass(frozen=True)
class Sanitised:
    """A PDF that passed: the normalised master, its cover and what was read from it."""

    master_path: Path  # normalised PDF written into work_dir
    cover_path: Path | None  # PNG thumbnail of page 1; None if it could not be rendered safely
    pages: int
    page_texts: list[str]  # index 0 = page 1; "" for scanned pages
    outline: list[OutlineItem]
    info: dict[str, str]  # cleaned docinfo strings
    sha256: str  # of the original file
    size: int  # original bytes
    removed: list[str]  # active content that was stripped, e.g. "JavaScript"
    # Things worth logging that did not stop the upload (text cut short, cover skipped…).
    notes: list[str] = field(default_factory=list)
    # Worker timings and resources: seconds, cpu_s, peak_rss_bytes, and per-stage *_s.
    stats: dict[str, float] = field(default_factory=dict)
