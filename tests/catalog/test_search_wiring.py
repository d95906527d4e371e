"""The search engine an app gets: chosen by ``SEARCH_ENGINE``, refused with one line
when wrong or unreachable, written with the catalogue's own transaction on PostgreSQL,
and never a 500 for words it cannot take (the search page and the API answer 400)."""

from __future__ import annotations

import os

import pytest
from helpers import base_config

from app import uow
from app.config import ConfigurationError
from catalog import services
from catalog.indexing import search_index
from catalog.models import Publication, PublicationPage, Status
from catalog.search import SearchIndex
from catalog.search.pg import PostgresSearch

ON_POSTGRES = os.environ.get("PST_TEST_DATABASE_URL", "").startswith("postgres")


def test_a_wrong_engine_setting_stops_the_start(make_app, tmp_path, database_url):
    with pytest.raises(ConfigurationError) as caught:
        make_app({**base_config(tmp_path / "i", database_url), "SEARCH_ENGINE": "elastic"})
    message = str(caught.value)
    assert "PST_SEARCH_ENGINE" in message and "elastic" in message and "\n" not in message


def test_postgres_engine_needs_postgresql(make_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    with pytest.raises(ConfigurationError, match="needs a PostgreSQL database"):
        make_app({**base_config(tmp_path / "i", url), "SEARCH_ENGINE": "postgres"})


def test_an_unreachable_engine_stops_the_start(make_app, tmp_path):
    config = base_config(tmp_path / "i", "postgresql://127.0.0.1:1/none")
    with pytest.raises(ConfigurationError, match="cannot be reached"):
        make_app({**config, "SEARCH_ENGINE": "postgres"})
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    sqlite = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    with pytest.raises(ConfigurationError, match="cannot be written"):
        make_app(
            {
                **base_config(tmp_path / "j", sqlite),
                "SEARCH_ENGINE": "whoosh",
                "SEARCH_INDEX_PATH": str(blocker / "index"),
            }
        )


def test_auto_follows_the_database(app):
    engine = search_index()
    expected = PostgresSearch if ON_POSTGRES else SearchIndex
    assert isinstance(engine, expected)


def test_whoosh_can_be_chosen_on_any_database(make_app, tmp_path, database_url):
    app = make_app({**base_config(tmp_path / "i", database_url), "SEARCH_ENGINE": "whoosh"})
    assert isinstance(app.extensions["pst.search"], SearchIndex)


def _record(session, title: str, text: str) -> Publication:
    publication = Publication(
        title=title, page_count=1, file_size=1, sha256=title, original_key="k", master_key="k"
    )
    session.add(publication)
    session.flush()
    session.add(PublicationPage(publication_id=publication.id, number=1, text=text))
    services.enqueue_index(session, [publication.id])
    return publication


@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL engine needs PostgreSQL")
@pytest.mark.parametrize("config_overrides", [{"JOBS_IMMEDIATE": False}])
def test_postgres_rows_change_with_the_catalogue_transaction(app, session):
    """No job runs (JOBS_IMMEDIATE off): the rows are written by the commit itself."""
    with uow.unit_of_work(session):
        publication = _record(session, "Statistik Kelapa Sawit", "produksi sawit rakyat")
    assert [h.pub_id for h in search_index().query("sawit").hits] == [publication.id]
    assert search_index().search_pages(publication.id, "rakyat")[0].page == 1
    with pytest.raises(RuntimeError):
        _record_then_fail(session)
    assert search_index().query("karet").total == 0  # rolled back with the catalogue
    with uow.unit_of_work(session):
        session.get(Publication, publication.id).status = Status.WITHDRAWN
        services.enqueue_index(session, [publication.id])
    assert search_index().query("sawit").total == 0


def _record_then_fail(session) -> None:
    with uow.unit_of_work(session):
        _record(session, "Statistik Karet", "produksi karet")
        raise RuntimeError("the change fails")


@pytest.mark.parametrize("bad", ["a*", "!!!"])
def test_words_the_engine_cannot_take_are_a_400_on_the_page(client, bad):
    response = client.get("/catalog/search", query_string={"q": bad})
    assert response.status_code == 400
    assert "Kata pencarian tidak dapat dipahami" in response.get_data(as_text=True)


def test_words_the_engine_cannot_take_are_a_400_in_the_api(client, session):
    response = client.get("/api/v1/publications", query_string={"q": "a*"})
    assert response.status_code == 400
    assert "could not be understood" in response.get_data(as_text=True) or (
        "tidak dapat dipahami" in response.get_data(as_text=True)
    )
    with uow.unit_of_work(session):
        publication = _record(session, "Statistik Karet", "produksi karet")
    pages = client.get(f"/api/v1/publications/{publication.id}/pages", query_string={"q": "a*"})
    assert pages.status_code == 400
