"""How a publication series is written down: ``_series`` with the usual defaults."""

from __future__ import annotations

from typing import Any


def _series(
    key: str,
    titles: tuple[str, str],
    *,
    subtitle: str = "",
    kat_no: str,
    area: str | None = None,
    kind: str = "publication",
    book: str = "thematic",
    language: str | None = None,
    rl: str,
    shift: int | None = None,
    issn: bool = True,
    access: str = "open",
    printed: bool = False,
    subjects: tuple[str, ...],
    chapters: tuple[str, ...],
    pages: tuple[int, int],
    abstract: str,
) -> dict[str, Any]:
    """A series record; ``titles`` is (Indonesian, English), ``language`` and ``shift``
    appear only when given."""
    record: dict[str, Any] = {
        "key": key,
        "title": titles[0],
        "title_en": titles[1],
        "subtitle": subtitle,
        "kat_no": kat_no,
        "area": area,
        "kind": kind,
        "book": book,
        "language": language,
        "rl": rl,
        "shift": shift,
        "issn": issn,
        "access": access,
        "printed": printed,
        "subjects": subjects,
        "chapters": chapters,
        "pages": pages,
        "abstract": abstract,
    }
    for optional in ("language", "shift"):
        if record[optional] is None:
            del record[optional]
    return record
