"""What a rendered catalogue page costs, guarded without timing: the work that grows with
the number of results stays constant (SQL statements), lists load no column or relation
a card does not show, and template strings do not look their catalogue up one by one.

Signed-in readers (and anonymous visitors with the page cache off) get these pages
rendered on every request, so their cost is the site's cost."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import flask_babel
import pytest
from factories import PASSWORD, user
from helpers import submit
from pubkit import make_publication  # noqa: F401  (fixture)
from sqlalchemy import event

from app.extensions import db as _db
from catalog.indexing import index_publications, search_index
from catalog.models import Subject


@pytest.fixture
def catalogue(app, session, make_publication):  # noqa: F811
    """Two searchable sets: 3 publications about "sawit", 20 about "kopi"; every
    publication has subjects, an abstract and an outline (none of which a card shows)."""
    subject = Subject(name="Pertanian")
    session.add(subject)
    ids = []
    for word, count in (("sawit", 3), ("kopi", 20)):
        for n in range(count):
            pub = make_publication(
                title=f"Produksi {word.title()} Provinsi Bengkulu {2000 + n}",
                abstract=f"Ringkasan tentang {word}. " * 50,
                outline_json='[{"title": "Bab 1", "page": 1, "level": 0}]',
                kat_no=f"5203{n:03d}",
            )
            pub.subjects.append(subject)
            ids.append(pub.id)
    session.commit()
    index_publications(session, search_index(), ids)
    app.config["PAGE_CACHE"] = False  # every page below is rendered
    return ids


@pytest.fixture
def signed_in(client, session):
    person = user(session)
    answer = submit(client, "/login", {"email": person.email, "password": PASSWORD})
    assert answer.status_code == 302
    return client


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL statements the application sends meanwhile."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _search(client: Any, word: str, expected_cards: int) -> list[str]:
    with statements() as sent:
        page = client.get(f"/catalog/search?q={word}")
    assert page.status_code == 200
    assert page.text.count('class="pub-card"') == expected_cards
    return sent


def test_a_results_page_sends_as_many_statements_for_20_hits_as_for_3(signed_in, catalogue):
    _search(signed_in, "sawit", 3)  # warm: the first request of a session loads more
    few = _search(signed_in, "sawit", 3)
    many = _search(signed_in, "kopi", 20)
    assert len(many) == len(few), many


@pytest.mark.parametrize("path", ["/catalog/search?q=kopi", "/catalog", "/"])
def test_card_lists_load_neither_subjects_nor_long_columns(signed_in, catalogue, path):
    assert signed_in.get(path).status_code == 200
    with statements() as sent:
        assert signed_in.get(path).status_code == 200
    # The subjects of 20 cards (home: of its subject list only), abstracts and outlines
    # would be loaded for nothing.
    assert not [s for s in sent if "publication_subjects" in s and "count(" not in s], sent
    loading = [s for s in sent if "FROM publications" in s]
    assert loading, sent
    for statement in loading:
        assert "abstract" not in statement and "outline_json" not in statement, statement


def test_template_strings_do_not_look_up_the_catalogue_each(signed_in, catalogue, monkeypatch):
    """A page translates a few dozen strings; Flask-Babel's look-up of the catalogue
    (g, domain, locale, cache) is done once per language, not for each of them."""
    lookups = 0
    original = flask_babel.Domain.get_translations

    def counted(self: flask_babel.Domain) -> Any:
        nonlocal lookups
        lookups += 1
        return original(self)

    monkeypatch.setattr(flask_babel.Domain, "get_translations", counted)
    page = signed_in.get("/catalog/search?q=tidakadahasilnya")  # no cards: the frame only
    assert page.status_code == 200 and "Masuk sebagai" in page.text  # translated, signed in
    assert lookups <= 2, lookups
    # In English too (the language is the page's, not the first one looked up).
    signed_in.set_cookie("pst_lang", "en")
    page = signed_in.get("/catalog/search?q=tidakadahasilnya")
    assert "Signed in as" in page.text and "Masuk sebagai" not in page.text
