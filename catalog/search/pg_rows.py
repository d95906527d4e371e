"""The rows the PostgreSQL engine writes: a publication's document row and its pages' rows,
analysed in batches (see ``pg_text`` for the analysis)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from catalog.search.models import PubDoc
from catalog.search.pg_text import analysed, pages_analysed
from catalog.search.running import body_pages

BATCH = 500  # page rows per INSERT
CHUNK = 50  # publications analysed at a time by rebuild
#: A batch's rows: the publications' and the pages' (columns for ``pg._INSERT_PAGES``).
Rows = tuple[list[dict[str, Any]], list[dict[str, list[Any]]]]


def chunks(docs: Iterable[PubDoc]) -> Iterator[list[PubDoc]]:
    chunk: list[PubDoc] = []
    for doc in docs:
        chunk.append(doc)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def prepared(docs: Iterable[PubDoc]) -> Rows:
    """The rows of ``docs`` (the last of a pub id kept): a row per publication, and
    the pages' rows as columns of at most ``BATCH`` rows for ``pg._INSERT_PAGES``."""
    documents: list[dict[str, Any]] = []
    batches: list[dict[str, list[Any]]] = []
    names = ("pub_ids", "pages", "bodies", "exacts", "stems")
    columns: dict[str, list[Any]] = {name: [] for name in names}
    for doc in {d.pub_id: d for d in docs}.values():
        texts = body_pages(doc.pages)  # without running headers and footers
        per_page, body = pages_analysed(texts)
        documents.append(_document_row(doc, body))
        for number, (page, words) in enumerate(zip(texts, per_page, strict=True), start=1):
            if words is not None:
                for name, value in zip(names, (doc.pub_id, number, page, *words), strict=True):
                    columns[name].append(value)
            if len(columns["pub_ids"]) >= BATCH:
                batches.append(columns)
                columns = {name: [] for name in names}
    if columns["pub_ids"]:
        batches.append(columns)
    return documents, batches


def _document_row(doc: PubDoc, body: tuple[str, str]) -> dict[str, Any]:
    head = f"{doc.title} {doc.subtitle} {doc.kat_no} {doc.pub_no}"
    head_exact, head_stems = analysed(head, doc.title_en)
    meta_exact, meta_stems = analysed(" ".join([*doc.subjects, doc.abstract]))
    body_exact, body_stems = body
    return {
        "pub_id": doc.pub_id,
        "title": doc.title,
        "subtitle": doc.subtitle,
        "abstract": doc.abstract,
        "head": " ".join([head, doc.title_en]),
        "subjects": list(doc.subjects),
        "kind": doc.kind,
        "language": doc.language,
        "year": doc.year,
        "release_date": doc.release_date,
        "access": doc.access,
        "head_exact": head_exact,
        "head_stems": head_stems,
        "meta_exact": meta_exact,
        "meta_stems": meta_stems,
        "body_exact": body_exact,
        "body_stems": body_stems,
    }
