"""The whole ingest service against the shared corpus: every file ends ingested and
searchable, or rejected with a one-line reason in the reader's language — through the
same path as ``pst ingest`` (service, storage, database, index job)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.blobs import current_store
from catalog import cataloguing
from catalog.errors import CatalogError
from catalog.indexing import search_index
from catalog.ingest import Limits
from catalog.models import Publication

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
FILES = sorted(
    p for folder in ("pdf", "real", "reference") for p in (CORPUS / folder).glob("*.pdf")
)

pytestmark = [
    pytest.mark.skipif(not FILES, reason=f"no shared corpus at {CORPUS}"),
    pytest.mark.long,
]

#: The corpus is dealt into this many parts, one test each, so pytest-xdist spreads it
#: (as one test it was the longest of the suite).
PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_every_corpus_file_is_ingested_and_searchable_or_rejected(session, part):
    limits = Limits()  # the production defaults: 1 GiB, 45 s
    outcomes: dict[str, str] = {}
    for path in FILES[part::PARTS]:
        started = time.monotonic()
        try:
            publication = cataloguing.ingest(
                session,
                current_store(),
                path,
                meta=None,
                actor_id=None,
                limits=limits,
                filename=path.name,
            )
        except CatalogError as exc:
            message = str(exc.message)
            assert "\n" not in message and "Traceback" not in message, path.name
            assert 0 < len(message) < 200
            outcomes[path.name] = "rejected: " + message
        else:
            outcomes[path.name] = f"ok {publication.page_count}"
            assert publication.page_count >= 1
        assert time.monotonic() - started < 60, path.name
    ingested = session.scalars(select(Publication)).all()
    assert len(ingested) == sum(o.startswith("ok") for o in outcomes.values())
    # Searchable: each one is found by a word of its title (the file name when the PDF
    # has none), and the index holds exactly the ingested publications.
    index = search_index()
    assert index.count() == len(ingested)
    for publication in ingested:
        word = max(publication.title.replace("_", " ").replace("-", " ").split(), key=len)
        hits = index.query(word, per_page=100).hits
        assert publication.id in [h.pub_id for h in hits], (publication.title, word)
    known = {"publication-500p.pdf": "ok 500", "pypdf__r6-user-password.pdf": "rejected:"}
    for name, expected in known.items():
        assert outcomes.get(name, expected).startswith(expected), (name, outcomes.get(name))
    assert session.scalar(select(func.count()).select_from(Publication)) >= 4


def test_the_parts_hold_the_known_files() -> None:
    """The files with a known outcome above are in the corpus (so their checks run)."""
    names = {p.name for p in FILES}
    assert {"publication-500p.pdf", "pypdf__r6-user-password.pdf"} <= names
    assert len(FILES) >= 20
