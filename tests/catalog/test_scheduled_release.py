"""Scheduled releases (Rencana Terbit): a publication ingested before its release moment
is invisible in every public channel until then, visible after (the clock moved, no job
run), previewed by catalogue staff with an embargo label; the release job does the
follow-up; the public calendar lists what is coming without content; a corrected file
becomes a new version and the old one is kept.

On SQLite the search channels go through the Whoosh engine, on PostgreSQL through the
PostgreSQL one: run the module on both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from factories import PASSWORD, make_pdf, user
from helpers import WEDNESDAY_10, FakeClock, csrf_token, submit
from sqlalchemy import select

from app import jobs
from app.accounts.models import Role
from app.accounts.services import create_api_token
from app.audit import AuditEvent
from app.blobs import BlobRecord, current_store
from app.events import publication_released
from app.i18n import WIB
from catalog import bps_json, cataloguing, file_versions, release, services
from catalog.ingest import Limits
from catalog.models import Publication, PublicationPage, PublicationVersion
from catalog.visibility import hidden_ids, is_public, public_clause
from store import products as store_products
from store.errors import ProductNotFound
from store.models import Product, ProductKind, Tariff, TariffUnit

SECRET = "Profil Kemiskinan Rahasia Bengkulu"
SECRET_WORD = "rahasiawan"  # on a page of the embargoed publication only
#: 25 Nov 2026 11:00 WIB: the release moment of a publication dated that day.
MOMENT = datetime(2026, 11, 25, 11, 0, tzinfo=WIB)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WEDNESDAY_10)  # 10:00 WIB, an hour before the release


@pytest.fixture
def config_overrides(clock: FakeClock) -> dict[str, Any]:
    return {"CLOCK": clock}


def _ingest(session, tmp_path, name: str, title: str, pages: list[str], **meta: Any):
    return cataloguing.ingest(
        session,
        current_store(),
        make_pdf(tmp_path / f"{name}.pdf", pages),
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": title, "subjects": ["Kemiskinan"], **meta},
    )


@pytest.fixture
def embargoed(session, tmp_path):
    """Ingested today before 11:00 WIB, dated today: under embargo until 11:00."""
    return _ingest(
        session,
        tmp_path,
        "secret",
        SECRET,
        ["Pengantar", f"Angka kemiskinan {SECRET_WORD} turun"],
        rl_date=date(2026, 11, 25),
        abstract="Ringkasan yang belum boleh dibaca.",
    )


@pytest.fixture
def released(session, tmp_path):
    """A publication released yesterday: visible throughout."""
    return _ingest(
        session,
        tmp_path,
        "old",
        "Statistik Daerah Bengkulu",
        ["Kata pengantar", "Penduduk dan kemiskinan"],
        rl_date=date(2026, 11, 24),
    )


@pytest.fixture
def reader(client, session, released):
    person = user(session)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    return person


@pytest.fixture
def token(session, reader) -> str:
    _token, plain = create_api_token(session, reader, "reader")
    session.commit()
    return plain


@pytest.fixture
def product(session, embargoed) -> Product:
    tariff = Tariff(code="pub-print", label="Cetak", unit=TariffUnit.ITEM, amount=50_000)
    item = Product(
        kind=ProductKind.PRINTED,
        title=f"{SECRET} (cetak)",
        tariff=tariff,
        publication_id=embargoed.id,
        stock=5,
    )
    session.add_all([tariff, item])
    session.commit()
    return item


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


# Each channel answers whether it shows the embargoed publication right now.
Channel = Callable[[Any, Any, Publication, dict[str, Any]], bool]


def _home(client, session, pub, ctx) -> bool:
    return SECRET in _html(client, "/catalog") or SECRET in _html(client, "/")


def _browse(client, session, pub, ctx) -> bool:
    return SECRET in _html(client, "/catalog/search")


def _search_words(client, session, pub, ctx) -> bool:
    return SECRET in _html(client, f"/catalog/search?q={SECRET_WORD}")


def _search_facets(client, session, pub, ctx) -> bool:
    # The subject facet counts only what may be seen: 1 (the old one) before, 2 after.
    response = client.get("/api/v1/publications?subject=Kemiskinan")
    return dict(response.get_json()["facets"]["subject"])["Kemiskinan"] == 2


def _publication_page(client, session, pub, ctx) -> bool:
    return client.get(f"/publications/{pub.id}").status_code == 200


def _cover(client, session, pub, ctx) -> bool:
    with client.get(f"/publications/{pub.id}/cover") as response:
        return response.status_code == 200


def _api_list(client, session, pub, ctx) -> bool:
    body = client.get(f"/api/v1/publications?q={SECRET_WORD}").get_json()
    return any(i["publication"]["id"] == pub.id for i in body["items"]) or body["total"] > 0


def _api_get(client, session, pub, ctx) -> bool:
    return client.get(f"/api/v1/publications/{pub.id}").status_code == 200


def _api_pages(client, session, pub, ctx) -> bool:
    return client.get(f"/api/v1/publications/{pub.id}/pages?q={SECRET_WORD}").status_code == 200


def _bps_export(client, session, pub, ctx) -> bool:
    items = bps_json.export_all(session, lambda kind, p: f"/x/{kind}/{p.id}", ctx["now"]())
    return any(item["title"] == SECRET for item in items)


def _reader(client, session, pub, ctx) -> bool:
    return client.get(f"/publications/{pub.id}/read").status_code == 200


def _page_image(client, session, pub, ctx) -> bool:
    return client.get(f"/publications/{pub.id}/pages/1").status_code == 200


def _find_in_reader(client, session, pub, ctx) -> bool:
    return client.get(f"/publications/{pub.id}/find?q={SECRET_WORD}").status_code == 200


def _web_download(client, session, pub, ctx) -> bool:
    token = csrf_token(client, f"/publications/{ctx['released'].id}")
    with client.post(f"/publications/{pub.id}/download", data={"csrf_token": token}) as r:
        return r.status_code == 200 and r.mimetype == "application/pdf"


def _api_download(client, session, pub, ctx) -> bool:
    headers = {"Authorization": f"Bearer {ctx['token']}"}
    with client.get(f"/api/v1/publications/{pub.id}/download", headers=headers) as r:
        return r.status_code == 200


def _store_list(client, session, pub, ctx) -> bool:
    return SECRET in _html(client, "/store") or any(
        i["id"] == ctx["product"].id
        for i in client.get("/api/v1/store/products?per_page=100").get_json()["items"]
    )


def _store_product(client, session, pub, ctx) -> bool:
    return client.get(f"/store/products/{ctx['product'].id}").status_code == 200


def _store_cart(client, session, pub, ctx) -> bool:
    try:
        store_products.choose(session, ctx["product"].id, now=ctx["now"]())
    except ProductNotFound:
        return False
    return True


def _feeds(client, session, pub, ctx) -> bool:
    subject = pub.subjects[0].id
    return SECRET in _html(client, "/feeds/releases.atom") or SECRET in _html(
        client, f"/feeds/subjects/{subject}.atom"
    )


def _sitemap(client, session, pub, ctx) -> bool:
    index = _html(client, "/sitemap.xml")
    parts = re.findall(r"<loc>[^<]*?(/sitemaps/[^<]+)</loc>", index)
    return any(f"/publications/{pub.id}<" in _html(client, part) for part in parts)


def _oai(client, session, pub, ctx) -> bool:
    listed = _html(client, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc")
    record = _html(
        client, f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={_oai_id(client, pub)}"
    )
    return f":{pub.id}</identifier>" in listed or "idDoesNotExist" not in record


def _oai_id(client, pub) -> str:
    # The repository's identifier, read off a released record's (the repo part varies).
    found = re.search(
        r"<identifier>(oai:[^<]+:)\d+</identifier>",
        _html(client, "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc"),
    )
    assert found, "a released publication is listed"
    return f"{found.group(1)}{pub.id}"


def _citation(client, session, pub, ctx) -> bool:
    return client.get(f"/publications/{pub.id}/cite.bib").status_code == 200


CHANNELS: dict[str, Channel] = {
    "home": _home,
    "browse": _browse,
    "search": _search_words,
    "facets": _search_facets,
    "publication page": _publication_page,
    "cover": _cover,
    "api list": _api_list,
    "api get": _api_get,
    "api pages": _api_pages,
    "bps export": _bps_export,
    "reader": _reader,
    "page image": _page_image,
    "reader search": _find_in_reader,
    "web download": _web_download,
    "api download": _api_download,
    "store list": _store_list,
    "store product": _store_product,
    "store cart": _store_cart,
    "feeds": _feeds,
    "sitemap": _sitemap,
    "oai-pmh": _oai,
    "citation export": _citation,
}


@pytest.mark.long
def test_embargoed_publication_is_invisible_until_its_moment_then_visible(
    client, session, clock, embargoed, released, reader, token, product
):
    """Fails on the behaviour before scheduled releases: a publication dated in the
    future (here: an hour ahead) was visible everywhere at once. Every channel is looked
    at in one test, at each moment (the two ingested publications are the costly part),
    and every channel that fails is named."""
    ctx = {"now": clock, "token": token, "product": product, "released": released}
    assert embargoed.release_at == MOMENT
    wrong: list[str] = []
    for when, now, shown in (
        ("before the moment", clock.now, False),
        ("a second early", MOMENT - timedelta(seconds=1), False),
        ("at the moment", MOMENT, True),  # no job has run: visibility reads the clock
    ):
        clock.now = now
        for channel, look in CHANNELS.items():
            if bool(look(client, session, embargoed, ctx)) != shown:
                wrong.append(f"{channel} ({'hides it' if shown else 'leaks'} {when})")
    assert not wrong, "; ".join(wrong)


def test_the_predicate_in_sql_and_in_python_agree(session, clock, embargoed, released):
    for now in (MOMENT - timedelta(minutes=1), MOMENT, MOMENT + timedelta(days=1)):
        in_sql = set(session.scalars(select(Publication.id).where(public_clause(now))))
        in_python = {p.id for p in (embargoed, released) if is_public(p, now)}
        assert in_sql == in_python
        assert set(hidden_ids(session, now)) == {embargoed.id, released.id} - in_sql
    # Without a release date a publication is public at once.
    record = cataloguing.create_record(session, {"title": "Tanpa tanggal"}, actor_id=None)
    assert record.release_at is None and is_public(record, MOMENT - timedelta(days=9))


def test_release_time_setting_and_staff_override(app, session, clock, embargoed):
    officer = user(session, role=Role.OFFICER)
    services.update_publication(
        session, embargoed.id, {"release_time": time(9, 30)}, actor_id=officer.id
    )
    assert embargoed.release_at == datetime(2026, 11, 25, 9, 30, tzinfo=WIB)
    assert is_public(embargoed, clock())  # 10:00 WIB is past 09:30
    services.update_publication(session, embargoed.id, {"release_time": None}, actor_id=officer.id)
    assert embargoed.release_at == MOMENT
    app.config["CATALOG_RELEASE_TIME"] = "13:00"
    services.update_publication(
        session, embargoed.id, {"release_date": date(2026, 11, 26)}, actor_id=officer.id
    )
    assert embargoed.release_at == datetime(2026, 11, 26, 13, 0, tzinfo=WIB)


def test_a_wrong_release_time_setting_stops_the_start(make_app):
    from app.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="CATALOG_RELEASE_TIME"):
        make_app({"CATALOG_RELEASE_TIME": "jam sebelas"})


def test_catalogue_staff_preview_with_an_embargo_label(client, session, embargoed):
    officer = user(session, role=Role.OFFICER)
    submit(client, "/login", {"email": officer.email, "password": PASSWORD})
    html = _html(client, f"/publications/{embargoed.id}")
    assert "Embargo sampai 25 Nov 2026 11.00 WIB" in html
    assert "Ringkasan yang belum boleh dibaca." in html
    assert client.get(f"/publications/{embargoed.id}/read").status_code == 200
    staff_list = _html(client, "/staff/catalog")
    assert "Embargo sampai" in staff_list
    # Search stays public-only, even for staff: it never shows embargoed hits.
    assert SECRET not in _html(client, f"/catalog/search?q={SECRET_WORD}")


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.SUBJECT_MATTER, Role.USER])
def test_other_people_do_not_preview(client, session, embargoed, role):
    person = user(session, role=role)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    assert client.get(f"/publications/{embargoed.id}").status_code == 404


def test_the_release_job_does_the_follow_up_once(app, session, clock, embargoed):
    (task,) = [t for t in jobs.periodic_tasks() if t.name == "catalog.release_due"]
    heard: list[list[int]] = []

    def listen(_sender: Any, **kwargs: Any) -> None:
        heard.append(list(kwargs["publication_ids"]))

    publication_released.connect(listen)
    try:
        assert embargoed.release_pending
        task.fn(session)  # 10:00: nothing is due
        assert heard == []
        clock.now = MOMENT + timedelta(seconds=30)
        task.fn(session)
        task.fn(session)  # a second sweeper finds nothing left to do
    finally:
        publication_released.disconnect(listen)
    assert heard == [[embargoed.id]]
    session.expire_all()
    assert not session.get(Publication, embargoed.id).release_pending
    audits = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "publication.released")
    ).all()
    assert [a.subject_id for a in audits] == [str(embargoed.id)]


def test_release_due_without_a_pending_publication_does_nothing(session, released):
    assert not released.release_pending  # dated yesterday: public when ingested
    assert release.release_due(session, MOMENT) == []


def test_release_calendar_page_and_api(client, session, clock, embargoed, released):
    html = _html(client, "/catalog/rencana-terbit")
    assert "Rencana Terbit" in html
    assert SECRET in html and "25 Nov 2026 11.00 WIB" in html and "Kemiskinan" in html
    assert "Statistik Daerah Bengkulu" not in html  # released already
    assert "Ringkasan yang belum" not in html and "/cover" not in html  # no content
    body = client.get("/api/v1/releases/upcoming").get_json()
    assert body["total"] == 1 and body["pages"] == 1
    (item,) = body["items"]
    assert item == {
        "id": embargoed.id,
        "title": SECRET,
        "subjects": ["Kemiskinan"],
        "kind": "publication",
        "release_at": "2026-11-25T11:00:00+07:00",
    }
    clock.now = MOMENT
    assert SECRET not in _html(client, "/catalog/rencana-terbit")
    assert client.get("/api/v1/releases/upcoming").get_json()["items"] == []


def test_release_calendar_is_paged_and_has_an_empty_state(client, session):
    assert "Belum ada rilis yang dijadwalkan" in _html(client, "/catalog/rencana-terbit")
    for n in range(23):
        cataloguing.create_record(
            session, {"title": f"Rilis {n:02d}", "rl_date": date(2026, 12, 1 + n)}, actor_id=None
        )
    first = _html(client, "/catalog/rencana-terbit")
    assert "Rilis 00" in first and "Rilis 20" not in first and 'rel="next"' in first
    second = _html(client, "/catalog/rencana-terbit?page=2")
    assert "Rilis 22" in second and "Rilis 00" not in second
    assert client.get("/catalog/rencana-terbit?page=abc").status_code == 200
    body = client.get("/api/v1/releases/upcoming?per_page=5&page=5").get_json()
    assert [i["title"] for i in body["items"]] == ["Rilis 20", "Rilis 21", "Rilis 22"]
    assert client.get("/api/v1/releases/upcoming?per_page=0").status_code == 422


def test_a_corrected_file_becomes_a_new_version_and_the_old_one_is_kept(
    client, session, tmp_path, clock, released
):
    officer = user(session, role=Role.OFFICER)
    old_master, old_sha = released.master_key, released.sha256
    fixed = make_pdf(tmp_path / "fixed.pdf", ["Kata pengantar", "Penduduk diperbaiki", "Lampiran"])
    version = file_versions.correct_file(
        session,
        current_store(),
        fixed,
        pub_id=released.id,
        reason="Tabel 2 salah ketik",
        actor_id=officer.id,
        limits=Limits(timeout_s=60),
        now=clock(),
    )
    session.commit()
    session.expire_all()
    pub = session.get(Publication, released.id)
    assert version.number == 2 and pub.master_key == version.master_key != old_master
    assert pub.page_count == 3 and pub.sha256 == version.sha256 != old_sha
    rows = file_versions.versions(session, pub.id)
    assert [(v.number, v.reason) for v in rows] == [(2, "Tabel 2 salah ketik"), (1, None)]
    assert rows[1].master_key == old_master and rows[1].sha256 == old_sha
    assert session.get(BlobRecord, old_master) is not None  # the old file is kept
    assert current_store().exists(old_master)
    # ...and no discarded upload of the same bytes takes it away.
    assert file_versions.holder_of_file(session, old_master) == pub.id
    assert file_versions.holder_of_file(session, rows[1].original_key) == pub.id
    texts = session.scalars(
        select(PublicationPage.text).where(PublicationPage.publication_id == pub.id)
    ).all()
    assert any("diperbaiki" in t for t in texts)
    assert SECRET_WORD not in " ".join(texts)
    # The public page says so; staff see the history.
    html = _html(client, f"/publications/{pub.id}")
    assert "Diperbarui 25 November 2026: Tabel 2 salah ketik" in html
    assert "Versi berkas" not in html
    submit(client, "/login", {"email": officer.email, "password": PASSWORD})
    html = _html(client, f"/publications/{pub.id}")
    assert "Versi berkas" in html and old_sha[:16] in html
    # The reader renders the new master: page 3 exists now.
    assert client.get(f"/publications/{pub.id}/pages/3").status_code == 200
    with client.post(
        f"/publications/{pub.id}/download",
        data={"csrf_token": csrf_token(client, f"/publications/{pub.id}")},
    ) as download:
        assert download.status_code == 200
        assert download.headers["X-Download-Code"]
    audit = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "publication.corrected")
    ).one()
    assert audit.actor_id == officer.id


def test_correction_through_the_staff_form(client, session, tmp_path, released):
    officer = user(session, role=Role.OFFICER)
    submit(client, "/login", {"email": officer.email, "password": PASSWORD})
    page = f"/publications/{released.id}"
    fixed = make_pdf(tmp_path / "fixed.pdf", ["Halaman satu", "Halaman dua benar"])
    with fixed.open("rb") as fh:
        response = client.post(
            f"/staff/catalog/{released.id}/correct",
            data={
                "csrf_token": csrf_token(client, page),
                "reason": "Halaman dua diganti",
                "file": (fh, "fixed.pdf"),
            },
            content_type="multipart/form-data",
        )
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    jobs.run_queued_here(session)
    session.expire_all()
    assert [v.number for v in file_versions.versions(session, released.id)] == [2, 1]
    # Bad input changes nothing: no file, no reason, not a PDF.
    for data in (
        {"reason": "x"},
        {"reason": "", "file": (tmp_path.joinpath("a.pdf").open("wb+"), "a.pdf")},
    ):
        client.post(
            f"/staff/catalog/{released.id}/correct",
            data={"csrf_token": csrf_token(client, page), **data},
            content_type="multipart/form-data",
        )
    not_pdf = tmp_path / "n.pdf"
    not_pdf.write_bytes(b"hello")
    with not_pdf.open("rb") as fh:
        client.post(
            f"/staff/catalog/{released.id}/correct",
            data={"csrf_token": csrf_token(client, page), "reason": "x", "file": (fh, "n.pdf")},
            content_type="multipart/form-data",
        )
    jobs.run_queued_here(session)
    assert len(file_versions.versions(session, released.id)) == 2
    assert (
        session.scalar(select(PublicationVersion.id).where(PublicationVersion.number == 3)) is None
    )


def test_readers_cannot_correct(client, session, released):
    person = user(session, role=Role.RECEPTIONIST)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    token = csrf_token(client, f"/publications/{released.id}")
    response = client.post(f"/staff/catalog/{released.id}/correct", data={"csrf_token": token})
    assert response.status_code == 403


def test_migration_moment_matches_the_default(session):
    """The backfill of migration 0033 puts 11:00 WIB at 04:00 UTC."""
    assert release.release_moment(date(2026, 11, 25), release.DEFAULT_RELEASE_TIME) == datetime(
        2026, 11, 25, 4, 0, tzinfo=UTC
    )
