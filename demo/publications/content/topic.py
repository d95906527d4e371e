"""How a chapter topic is written down: ``_topic`` and its sentence blocks."""

from __future__ import annotations

import textwrap
from typing import Any


def _sentences(block: str) -> tuple[str, ...]:
    """One sentence per line of ``block``; an indented line continues the one before."""
    sentences: list[str] = []
    for line in textwrap.dedent(block).strip("\n").splitlines():
        if line.startswith(" "):
            sentences[-1] += " " + line.strip()
        else:
            sentences.append(line)
    return tuple(sentences)


def _topic(
    title: str,
    *,
    title_en: str | None = None,
    subject: str | None = None,
    sections: tuple[str, ...],
    sections_en: tuple[str, ...] | None = None,
    tables: tuple[str, ...],
    charts: tuple[str, ...],
    sentences: str,
    sentences_en: str | None = None,
) -> dict[str, Any]:
    """A topic record with the keys that are given, sentence blocks split into tuples."""
    record: dict[str, Any] = {
        "title": title,
        "title_en": title_en,
        "subject": subject,
        "sections": sections,
        "sections_en": sections_en,
        "tables": tables,
        "charts": charts,
        "sentences": _sentences(sentences),
        "sentences_en": None if sentences_en is None else _sentences(sentences_en),
    }
    return {key: value for key, value in record.items() if value is not None}
