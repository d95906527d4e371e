"""``/healthz`` reports each part and answers 503 when one fails."""

from __future__ import annotations

import pytest
from helpers import base_config


def test_all_parts_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "ok"
    for part in ("database", "storage", "search_index", "jobs"):
        assert body["checks"][part]["status"] == "ok", body


def _health(app):
    return app.test_client().get("/healthz")


def test_storage_down_is_503(make_app, tmp_path, database_url):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the blob folder should be")
    app = make_app({**base_config(tmp_path / "i", database_url), "STORAGE_URL": str(blocker)})
    response = _health(app)
    assert response.status_code == 503
    assert response.json["checks"]["storage"]["status"] == "error"
    assert response.json["checks"]["database"]["status"] == "ok"


def test_database_down_is_503(make_app, tmp_path):
    app = make_app({**base_config(tmp_path / "i", "postgresql://127.0.0.1:1/none")})
    response = _health(app)
    assert response.status_code == 503
    check = response.json["checks"]["database"]
    assert check["status"] == "error"
    assert "127.0.0.1" not in check["error"]  # driver messages stay in the log


def test_jobs_down_is_503(make_app, tmp_path, database_url):
    app = make_app(
        {
            **base_config(tmp_path / "i", database_url),
            "JOBS_IMMEDIATE": False,
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    response = _health(app)
    assert response.status_code == 503
    assert response.json["checks"]["jobs"]["status"] == "error"


# Whoosh leaves the table-of-contents file open when it cannot parse it; the leak is
# harmless (the file is closed when collected) but pytest reports it as unraisable.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_broken_search_index_is_503(make_app, tmp_path, database_url):
    from catalog.search import PubDoc, SearchIndex
    from catalog.search.index import close_searchers

    path = tmp_path / "index"
    SearchIndex(path).add([PubDoc(pub_id=1, title="Statistik Daerah")])
    close_searchers()
    for segment_file in path.rglob("*"):
        if segment_file.is_file() and segment_file.name != "CURRENT":
            segment_file.write_bytes(b"rusak")
    config = {**base_config(tmp_path / "i", database_url), "SEARCH_INDEX_PATH": str(path)}
    app = make_app({**config, "SEARCH_ENGINE": "whoosh"})  # auto is PostgreSQL's on PostgreSQL
    response = _health(app)
    assert response.status_code == 503
    assert response.json["checks"]["search_index"]["status"] == "error"


def test_fresh_instance_without_index_is_healthy(client):
    check = client.get("/healthz").json["checks"]["search_index"]
    assert check == {**check, "status": "ok", "documents": 0}


@pytest.mark.parametrize("method", ["post", "put"])
def test_healthz_is_read_only(client, method):
    assert getattr(client, method)("/healthz").status_code == 405
