"""``/healthz`` tells the truth about the search engine: which one answers, how many
publications it holds and, for a host's Whoosh index, how far it lags the catalogue
(503 once that is beyond ``SEARCH_STALE_SECONDS``)."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from helpers import base_config
from sqlalchemy import delete

from app import uow
from app.db import utcnow
from app.extensions import db
from catalog.indexing import index_publications, search_index
from catalog.models import Publication

ON_POSTGRES = os.environ.get("PST_TEST_DATABASE_URL", "").startswith("postgres")


def _publication(session, title: str, age: timedelta) -> Publication:
    with uow.unit_of_work(session):
        publication = Publication(
            title=title, page_count=0, file_size=1, sha256=title, original_key="k", master_key="k"
        )
        publication.updated_at = utcnow() - age
        session.add(publication)
    return publication


def _search_check(app):
    response = app.test_client().get("/healthz")
    return response.status_code, response.json["checks"]["search_index"]


def test_the_engine_in_use_is_named(client):
    check = client.get("/healthz").json["checks"]["search_index"]
    assert check["status"] == "ok"
    assert check["engine"] == ("postgres" if ON_POSTGRES else "whoosh")
    assert check["lag_seconds"] == 0


def test_a_whoosh_index_behind_the_catalogue_is_stale(make_app, tmp_path, database_url):
    config = {
        **base_config(tmp_path / "i", database_url),
        "SEARCH_ENGINE": "whoosh",
        "SEARCH_STALE_SECONDS": 600,
    }
    app = make_app(config)
    with app.app_context():
        try:
            _stale_then_caught_up(app, db.session)
        finally:  # this app's rows are not the app fixture's to empty
            with uow.unit_of_work(db.session):
                db.session.execute(delete(Publication))
            db.session.remove()


def _stale_then_caught_up(app, session) -> None:
    recent = _publication(session, "Statistik Baru", timedelta(seconds=30))
    status, check = _search_check(app)
    assert status == 200 and check["status"] == "ok"
    assert 25 <= check["lag_seconds"] < 600  # behind, within the limit
    old = _publication(session, "Statistik Lama", timedelta(hours=2))
    assert _search_check(app)[0] == 200  # the newest change is still the recent one
    with uow.unit_of_work(session):
        session.get(Publication, recent.id).updated_at = utcnow() - timedelta(hours=1)
    status, check = _search_check(app)
    assert status == 503 and check["status"] == "error"
    assert "behind the catalogue" in check["error"]
    index_publications(session, search_index(), [recent.id, old.id])
    status, check = _search_check(app)
    assert status == 200 and check["lag_seconds"] == 0 and check["documents"] == 2


@pytest.mark.skipif(not ON_POSTGRES, reason="the PostgreSQL engine needs PostgreSQL")
def test_postgres_is_never_behind(app, session):
    _publication(session, "Statistik Lama", timedelta(hours=2))
    status, check = _search_check(app)
    assert status == 200 and check == {**check, "engine": "postgres", "lag_seconds": 0}
