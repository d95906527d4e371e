"""The whole-page cache of anonymous catalogue pages (app.pagecache): kept, identical,
never for signed-in visitors, and a catalogue change shows on the very next request."""

from __future__ import annotations

import pytest
from factories import PASSWORD, make_pdf, user
from helpers import csrf_token, submit
from sqlalchemy import text

from app.accounts.models import Role
from app.blobs import current_store
from app.extensions import db as _db
from app.pagecache import cache_of
from catalog import cataloguing, services
from catalog.ingest import Limits
from catalog.models import Status


@pytest.fixture
def publication(session, tmp_path):
    pdf = make_pdf(tmp_path / "p.pdf", ["Pengantar", "Inflasi bulanan Kota Bengkulu"])
    return cataloguing.ingest(
        session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": "Statistik Kependudukan Bengkulu", "subjects": ["Kependudukan"]},
    )


def _pages(pub_id: int) -> list[str]:
    return ["/", "/catalog", "/catalog/search?q=inflasi", f"/publications/{pub_id}"]


def _sneak_title(pub_id: int, title: str) -> None:
    """Change a title behind the application's back (no commit hook sees it)."""
    with _db.engine.begin() as conn:
        conn.execute(
            text("UPDATE publications SET title = :t WHERE id = :i"), {"t": title, "i": pub_id}
        )


def test_anonymous_pages_are_kept_and_served_identical_without_cookies(app, client, publication):
    for url in _pages(publication.id):
        first = client.get(url)
        second = client.get(url)
        assert first.status_code == second.status_code == 200, url
        assert first.get_data() == second.get_data(), url
        assert "Set-Cookie" not in first.headers and "Set-Cookie" not in second.headers, url
        assert 'name="csrf_token"' not in first.get_data(as_text=True), url
        assert second.headers["Cache-Control"] == "no-store"  # the security headers stay
    assert len(cache_of(app).entries) == 4
    # Served from memory: a change no commit announced is not seen...
    _sneak_title(publication.id, "Judul Diam-diam")
    assert "Statistik Kependudukan" in client.get(f"/publications/{publication.id}").text
    # ...and each language is its own page.
    client.set_cookie("pst_lang", "en")
    english = client.get(f"/publications/{publication.id}")
    assert 'lang="en"' in english.text and "Judul Diam-diam" in english.text


def test_a_change_shows_on_the_next_request(client, session, publication):
    officer = user(session, role=Role.OFFICER)
    page = f"/publications/{publication.id}"
    for url in _pages(publication.id):
        assert "Statistik Kependudukan" in client.get(url).text, url
    services.update_publication(
        session, publication.id, {"title": "Judul Baru Sekali"}, actor_id=officer.id
    )
    assert "Judul Baru Sekali" in client.get(page).text
    assert "Judul Baru Sekali" in client.get("/catalog").text
    assert "Judul Baru Sekali" in client.get("/").text
    services.set_status(
        session, publication.id, Status.WITHDRAWN, actor_id=officer.id, reason="ralat"
    )
    assert client.get(page).status_code == 404
    assert "Judul Baru Sekali" not in client.get("/catalog").text
    assert "Judul Baru Sekali" not in client.get("/catalog/search?q=inflasi").text


def test_signed_in_pages_are_never_kept(app, client, session, publication):
    person = user(session, role=Role.OFFICER)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    page = f"/publications/{publication.id}"
    html = client.get(page).text
    assert person.full_name in html and 'name="csrf_token"' in html  # the officer's box
    assert cache_of(app).entries == {}
    # Signed out again, the visitor gets the anonymous page, not the officer's.
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert person.full_name not in client.get(page).text


def test_a_page_with_a_message_waiting_is_not_served_from_memory(app, client, publication):
    page = f"/publications/{publication.id}"
    client.get(page)
    with client.session_transaction() as browser:
        browser["_flashes"] = [("info", "Pesan sekali tampil")]
    assert "Pesan sekali tampil" in client.get(page).text


def test_the_language_switch_needs_a_token_only_when_signed_in(client, session):
    response = client.post("/language", data={"lang": "en", "next": "/catalog"})
    assert response.status_code == 302 and "pst_lang=en" in response.headers["Set-Cookie"]
    person = user(session)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    refused = client.post("/language", data={"lang": "id", "next": "/catalog"})
    assert refused.status_code == 400
    assert "pst_lang" not in refused.headers.get("Set-Cookie", "")


def test_a_savepoint_rolled_back_does_not_hide_an_earlier_change(client, session, publication):
    import contextlib

    from app.uow import unit_of_work
    from catalog.models import Publication

    page = f"/publications/{publication.id}"
    assert "Statistik Kependudukan" in client.get(page).text
    with unit_of_work(session):
        session.get(Publication, publication.id).title = "Judul Sebelum Savepoint"
        session.flush()
        with contextlib.suppress(LookupError), unit_of_work(session, savepoint=True):
            session.get(Publication, publication.id).subtitle = "dibatalkan"
            session.flush()
            raise LookupError
    assert "Judul Sebelum Savepoint" in client.get(page).text


def _host(make_app, tmp_path, database_url, name, redis_url):
    from helpers import base_config

    return make_app({**base_config(tmp_path / name, database_url), "REDIS_URL": redis_url})


def test_hosts_sharing_redis_see_a_change_at_once(make_app, tmp_path, database_url, publication):
    """Two web hosts (their own instance folders) share the catalogue's version in Redis:
    a change made through one is on the other's next page, though it kept the old one."""
    redis_url = "redis://127.0.0.1:6379/0"
    one = _host(make_app, tmp_path, database_url, "host-1", redis_url)
    two = _host(make_app, tmp_path, database_url, "host-2", redis_url)
    page = f"/publications/{publication.id}"
    browser = two.test_client()
    assert "Statistik Kependudukan" in browser.get(page).text
    assert len(cache_of(two).entries) == 1
    with one.app_context():
        officer = user(_db.session(), role=Role.OFFICER)
        services.update_publication(
            _db.session(), publication.id, {"title": "Judul dari Host Satu"}, actor_id=officer.id
        )
        _db.session.remove()
    assert "Judul dari Host Satu" in browser.get(page).text


def test_without_redis_pages_are_rendered_not_kept(make_app, tmp_path, database_url, publication):
    """Redis away: a host cannot know the catalogue's version, so it renders every page
    (never an answer it cannot prove current) and keeps none."""
    host = _host(make_app, tmp_path, database_url, "host-x", "redis://127.0.0.1:9/0")
    browser = host.test_client()
    for _ in range(2):
        response = browser.get(f"/publications/{publication.id}")
        assert response.status_code == 200
        assert "Statistik Kependudukan" in response.text
    assert len(cache_of(host).entries) == 0
