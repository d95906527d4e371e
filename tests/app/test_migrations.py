"""The migrations build exactly the models' schema (no forgotten revision)."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from factories import user
from helpers import base_config
from sqlalchemy import create_engine, text

from app.accounts.models import Role
from app.db import UTCDateTime
from app.extensions import db as _db
from app.i18n import WIB
from desk.models import ELEMENTS


def test_models_match_migrations(app):
    with _db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"render_as_batch": True})
        diff = compare_metadata(context, _db.metadata)
    assert diff == [], f"models differ from the migrations; run `pst db migrate`: {diff}"


def test_desk_visitors_who_never_set_a_password_are_marked_unclaimed(app, session):
    """0012 gives accounts the guest book made, and nobody ever signed into, the
    unusable hash of an account without a password (so registering online claims them)."""
    import importlib

    from factories import user
    from sqlalchemy import text

    from app import audit
    from app.accounts.models import User

    migration = importlib.import_module("app.migrations.versions.0012_private_scans")
    unclaimed, used, online = (user(session) for _ in range(3))
    for person in (unclaimed, used):
        audit.record(
            session,
            "desk.visitor_registered",
            actor_id=None,
            subject_type="user",
            subject_id=person.id,
        )
    audit.record(
        session, "account.login", actor_id=used.id, subject_type="user", subject_id=used.id
    )
    session.commit()
    session.execute(text(migration._UNCLAIMED))
    session.commit()
    session.expire_all()
    assert not session.get(User, unclaimed.id).has_password
    assert session.get(User, used.id).has_password
    assert session.get(User, online.id).has_password


# --- 0015: one service, one record --------------------------------------------------------


@pytest.fixture
def scratch_url(tmp_path, database_url):
    """A database of its own for migrating back and forth: a SQLite file, or a schema of
    the test database on PostgreSQL (the shared schema stays at head)."""
    if not database_url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    from app.config import _database_uri

    schema = "scratch_0015"
    engine = create_engine(_database_uri(database_url, tmp_path))
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in database_url else "?"
    try:
        yield f"{database_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


def _table(name, *columns):
    times = {"started_at", "ended_at", "granted_at", "revoked_at", "submitted_at", "opened_at"}
    return sa.table(
        name,
        *(
            sa.column(c, UTCDateTime() if c in times or c.endswith("_at") else None)
            for c in columns
        ),
    )


def _insert(conn, name, **values):
    return conn.execute(
        _table(name, *values).insert().values(**values).returning(sa.column("id"))
    ).scalar_one()


def _record(conn, **values):
    base = {
        "service": "library",
        "channel": "online",
        "outcome": "served",
        "products": "",
        "note": "",
        "rating_token": secrets.token_urlsafe(12),
        "created_at": values["started_at"],
        "updated_at": values["started_at"],
    }
    base["service_day"] = values["started_at"].astimezone(WIB).date()
    return _insert(conn, "desk_service_records", **{**base, **values})


def _rating(conn, record_id, at, score):
    return _insert(
        conn,
        "desk_ratings",
        record_id=record_id,
        comment=f"nilai {score}",
        channel="online",
        opened_at=at,
        submitted_at=at,
        **dict.fromkeys(ELEMENTS, score),
    )


def test_0015_merges_the_duplicates_already_recorded(make_app, tmp_path, scratch_url):
    """Records written before 0015 (one per event) are merged into one per service:
    desk visit + reading-room return, purchase + its download, walk-in FS3 + its letter,
    repeated downloads; ratings re-pointed (one kept per service, the other in the audit
    trail) and corrections' trail kept."""
    from flask_migrate import downgrade, upgrade

    from advisory.models import Channel as AdvisoryChannel
    from advisory.models import Recommendation, RecommendationStatus
    from catalog.models import Publication
    from desk.models import Channel, ServiceType, Ticket, TicketStatus
    from library.models import Download, DownloadStatus, ReadingRequest, ReadingStatus
    from store.models import Order, OrderItem, OrderStatus, Product, ProductKind, Tariff

    app = make_app(base_config(tmp_path / "instance", scratch_url))
    with app.app_context():
        upgrade()  # the head, then back: 0015's downgrade runs on an empty database too
        downgrade(revision="0014")
        session = _db.session
        # No ID number: the users table of 0014 has no look-up hash column yet.
        visitor = user(session, full_name="Dewi Anggraini", id_number=None, consent=False)
        officer = user(session, role=Role.OFFICER, full_name="Budi Petugas", id_number=None)
        t0 = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # 10:00 WIB
        pubs = []
        # Core, not the ORM: the model has columns of later revisions (0033's release
        # moment) that this older schema lacks.
        columns = {
            "page_count": 1,
            "file_size": 1,
            "status": "active",
            "kind": "publication",
            "access": "open",
            "printed": False,
            "region_code": "1700",
            "region_name": "Provinsi Bengkulu",
            "language": "id",
            "created_at": t0,
            "updated_at": t0,
        }
        for n in range(2):
            digest = hashlib.sha256(f"0015-{n}".encode()).hexdigest()
            values = {
                **columns,
                "title": f"Statistik Daerah {n}",
                "sha256": digest,
                "original_key": digest,
                "master_key": digest,
            }
            old = sa.table(
                "publications",
                *(sa.column(k, UTCDateTime() if k.endswith("_at") else None) for k in values),
            )
            session.execute(sa.insert(old).values(**values))
            pub_id = session.scalar(
                sa.select(Publication.__table__.c.id).where(
                    Publication.__table__.c.sha256 == digest
                )
            )
            pubs.append(SimpleNamespace(id=pub_id))
        ticket_ids = []
        for seq, service in enumerate((ServiceType.LIBRARY, ServiceType.RECOMMENDATION), 1):
            begun = t0 + timedelta(hours=5 * (seq - 1))  # the FS3 visit: 15:00 WIB
            # Core, not the ORM: the model has columns of later revisions (0020's
            # rating_code) that this older schema lacks.
            ticket_ids.append(
                session.execute(
                    sa.insert(Ticket.__table__).values(
                        token=f"tok-{seq}",
                        service_day=t0.astimezone(WIB).date(),
                        service=service,
                        seq=seq,
                        number=f"X-{seq:03d}",
                        status=TicketStatus.DONE,
                        channel=Channel.KIOSK,
                        user_id=visitor.id,
                        officer_id=officer.id,
                        issued_at=begun,
                        called_at=begun,
                        started_at=begun,
                        finished_at=begun + timedelta(minutes=20),
                    )
                ).inserted_primary_key[0]
            )
        reading = ReadingRequest(
            publication_id=pubs[0].id,
            user_id=visitor.id,
            status=ReadingStatus.RETURNED,
            created_by_id=officer.id,
            created_at=t0 + timedelta(minutes=5),
            closed_at=t0 + timedelta(hours=2),
        )
        rec = Recommendation(
            user_id=visitor.id,
            channel=AdvisoryChannel.WALK_IN,
            status=RecommendationStatus.APPROVED,
            created_by_id=officer.id,
            created_at=t0 + timedelta(hours=5, minutes=10),
        )
        tariff = Tariff(code="PUB", label="Publikasi", unit="item", amount=0)
        session.add_all([reading, rec, tariff])
        session.flush()
        product = Product(kind=ProductKind.DIGITAL, title="PDF", tariff_id=tariff.id)
        session.add(product)
        session.flush()
        order = Order(code="PST-OLD1", user_id=visitor.id, status=OrderStatus.FULFILLED)
        session.add(order)
        session.flush()
        item = OrderItem(order_id=order.id, product_id=product.id)
        session.add(item)
        session.flush()
        downloads = []
        for pub, at in (
            (pubs[0], t0 + timedelta(hours=1)),
            (pubs[0], t0 + timedelta(hours=2)),
            (pubs[0], t0 + timedelta(hours=3)),
            (pubs[0], t0 + timedelta(days=1)),  # another WIB day
            (pubs[1], t0 + timedelta(hours=4)),  # bought
        ):
            downloads.append(
                Download(
                    code=secrets.token_hex(8),
                    user_id=visitor.id,
                    publication_id=pub.id,
                    created_at=at,
                    finished_at=at + timedelta(seconds=5),
                    status=DownloadStatus.COMPLETE,
                )
            )
        session.add_all(downloads)
        session.commit()
        ids = {
            "visitor": visitor.id,
            "officer": officer.id,
            "tickets": ticket_ids,
            "reading": reading.id,
            "rec": rec.id,
            "order": order.id,
            "downloads": [d.id for d in downloads],
            "pubs": [p.id for p in pubs],
            "item": item.id,
        }
        session.remove()

        with _db.engine.begin() as conn:
            _insert(
                conn,
                "entitlements",
                user_id=ids["visitor"],
                publication_id=ids["pubs"][1],
                source="purchase",
                source_ref=str(ids["item"]),
                granted_at=t0 + timedelta(minutes=30),
            )
            desk_visit = _record(
                conn,
                channel="walk_in",
                user_id=ids["visitor"],
                officer_id=ids["officer"],
                ticket_id=ids["tickets"][0],
                started_at=t0,
                ended_at=t0 + timedelta(minutes=20),
                products="Buku tercetak",
            )
            returned = _record(
                conn,
                channel="walk_in",
                user_id=ids["visitor"],
                officer_id=ids["officer"],
                started_at=t0 + timedelta(minutes=30),
                ended_at=t0 + timedelta(hours=2),
                products="Statistik Daerah 0",
                note="reading room",
                source="library.reading",
                source_ref=str(ids["reading"]),
            )
            kiosk = _rating(conn, desk_visit, t0 + timedelta(minutes=25), 4)
            online = _rating(conn, returned, t0 + timedelta(hours=3), 2)
            _insert(
                conn,
                "audit_events",
                at=t0,
                action="desk.record_corrected",
                subject_type="desk_service_record",
                subject_id=str(returned),
            )
            day = [
                _record(
                    conn,
                    user_id=ids["visitor"],
                    started_at=t0 + timedelta(hours=h),
                    ended_at=t0 + timedelta(hours=h, seconds=5),
                    products="Statistik Daerah 0",
                    note="download",
                    source="library.download",
                    source_ref=str(d),
                )
                for h, d in zip((1, 2, 3), ids["downloads"][:3], strict=True)
            ]
            next_day = _record(
                conn,
                user_id=ids["visitor"],
                started_at=t0 + timedelta(days=1),
                ended_at=t0 + timedelta(days=1, seconds=5),
                source="library.download",
                source_ref=str(ids["downloads"][3]),
            )
            sale = _record(
                conn,
                service="sales",
                user_id=ids["visitor"],
                officer_id=ids["officer"],
                started_at=t0 + timedelta(minutes=15),
                ended_at=t0 + timedelta(minutes=30),
                products="PDF",
                source="store.order",
                source_ref="PST-OLD1",
            )
            bought = _record(
                conn,
                user_id=ids["visitor"],
                started_at=t0 + timedelta(hours=4),
                ended_at=t0 + timedelta(hours=4, seconds=5),
                products="Statistik Daerah 1",
                source="library.download",
                source_ref=str(ids["downloads"][4]),
            )
            fs3_desk = _record(
                conn,
                service="recommendation",
                channel="walk_in",
                user_id=ids["visitor"],
                officer_id=ids["officer"],
                ticket_id=ids["tickets"][1],
                started_at=t0 + timedelta(hours=5),
                ended_at=t0 + timedelta(hours=5, minutes=20),
            )
            letter = _record(
                conn,
                service="recommendation",
                channel="walk_in",
                user_id=ids["visitor"],
                officer_id=ids["officer"],
                started_at=t0 + timedelta(hours=5, minutes=10),
                ended_at=t0 + timedelta(days=7),
                products="B-001/1700/PS.000/2026",
                source="advisory.recommendation",
                source_ref=str(ids["rec"]),
            )

        upgrade(revision="0015")

        with _db.engine.connect() as conn:
            rows = {
                r.id: r
                for r in conn.execute(
                    sa.select(
                        _table(
                            "desk_service_records",
                            "id",
                            "service",
                            "service_key",
                            "started_at",
                            "ended_at",
                            "products",
                        )
                    )
                )
            }
            ratings = {
                r.id: r.record_id
                for r in conn.execute(sa.select(_table("desk_ratings", "id", "record_id")))
            }
            trail = conn.execute(
                sa.select(_table("audit_events", "action", "subject_id", "detail"))
            ).all()
        desk_key = f"desk-ticket:{ids['tickets'][0]}"
        assert sorted(rows) == sorted([desk_visit, day[0], next_day, sale, fs3_desk])
        # Desk visit + reading-room return: one record, earliest start, latest end.
        assert rows[desk_visit].service_key == desk_key
        assert rows[desk_visit].started_at == t0
        assert rows[desk_visit].ended_at == t0 + timedelta(hours=2)
        assert rows[desk_visit].products.splitlines() == ["Buku tercetak", "Statistik Daerah 0"]
        # One rating per service: the first given stays, the other is in the trail.
        assert ratings == {kiosk: desk_visit}
        merged = [json.loads(t.detail) for t in trail if t.action == "desk.rating_merged"]
        assert merged[0]["scores"] == [2] * 9 and merged[0]["record_id"] == returned
        corrected = [t for t in trail if t.action == "desk.record_corrected"]
        assert corrected[0].subject_id == str(desk_visit)
        assert online not in ratings
        # Three downloads on one WIB day: one service; the next day: another.
        day_key = f"library-download:{ids['visitor']}:{ids['pubs'][0]}:2026-11-25"
        assert rows[day[0]].service_key == day_key
        assert rows[day[0]].ended_at == t0 + timedelta(hours=3, seconds=5)
        assert rows[next_day].service_key.endswith(":2026-11-26")
        # Purchase + its download: the order's record.
        assert rows[sale].service_key == f"store-order:{ids['order']}"
        assert rows[sale].service == "sales" and "Statistik Daerah 1" in rows[sale].products
        # Walk-in FS3 + its letter: the desk's record.
        assert rows[fs3_desk].service_key == f"desk-ticket:{ids['tickets'][1]}"
        assert rows[fs3_desk].ended_at == t0 + timedelta(days=7)
        del bought, letter
        # The app's own receiver now finds the merged records by their keys.
        with _db.engine.connect() as conn:
            link = conn.execute(
                sa.select(_table("desk_service_links", "ref", "service_key")).where(
                    sa.column("ref") == f"library-reading:{ids['reading']}"
                )
            ).one()
        assert link.service_key == desk_key
        downgrade(revision="0014")  # and back, with the merged data
        upgrade(revision="0015")
        _db.engine.dispose()


def test_0024_queues_the_planning_of_stored_masters(make_app, tmp_path, scratch_url):
    """Masters stored before plans were made at ingest are planned by a queued job that
    the first sweeper submits (the job row is the outbox)."""
    from flask_migrate import upgrade

    from app import jobs
    from library.masters import PLAN_JOB

    app = make_app(base_config(tmp_path / "instance", scratch_url))
    with app.app_context():
        upgrade()
        queued = _db.session.scalars(sa.select(jobs.Job).where(jobs.Job.name == PLAN_JOB)).all()
        assert len(queued) == 1
        assert queued[0].state == jobs.QUEUED and queued[0].submitted_at is None
        assert queued[0].created_at.tzinfo is not None
        _db.session.remove()


def test_0027_encrypts_the_id_numbers_already_stored(make_app, tmp_path, scratch_url):
    """ID numbers written in clear before 0027 are encrypted and hashed with the app's
    key (here derived from SECRET_KEY, as in the embedded install); the downgrade gives
    them back in clear."""
    from flask_migrate import downgrade, upgrade

    from app.accounts.models import User, has_id_number

    app = make_app(base_config(tmp_path / "instance", scratch_url))
    with app.app_context():
        upgrade(revision="0026")
        now = datetime(2026, 12, 1, tzinfo=UTC)
        with _db.engine.begin() as conn:
            ids = [
                _insert(
                    conn,
                    "users",
                    email=f"nik{n}@example.org",
                    password_hash="!",
                    full_name=f"Tamu {n}",
                    id_number=number,
                    role="user",
                    active=True,
                    created_at=now,
                    updated_at=now,
                )
                for n, number in enumerate(("1771012345678901", "A1234567", None))
            ]
        upgrade(revision="0027")
        with _db.engine.connect() as conn:
            raw = dict(
                conn.execute(text("SELECT id, id_number || '|' || id_number_hash FROM users")).all()
            )
        assert raw[ids[2]] is None
        assert all("1771012345678901" not in raw[i] and "A1234567" not in raw[i] for i in ids[:2])
        session = _db.session
        assert session.get(User, ids[0]).id_number == "1771012345678901"
        assert session.get(User, ids[1]).id_number == "A1234567"
        found = session.scalar(sa.select(User.id).where(has_id_number("1771012345678901")))
        assert found == ids[0]
        indexes = {i["name"] for i in sa.inspect(_db.engine).get_indexes("users")}
        assert "ix_users_id_number" not in indexes and "ix_users_id_number_hash" in indexes
        session.remove()
        downgrade(revision="0026")
        with _db.engine.connect() as conn:
            clear = dict(conn.execute(text("SELECT id, id_number FROM users")).all())
        assert clear == {ids[0]: "1771012345678901", ids[1]: "A1234567", ids[2]: None}
        upgrade()
        _db.engine.dispose()


def test_0031_encrypts_the_authenticator_secrets_already_stored(make_app, tmp_path, scratch_url):
    """A TOTP secret enrolled before 0031 is encrypted with the personal-data keys, still
    opens to the same secret, and the downgrade gives it back in clear."""
    from flask_migrate import downgrade, upgrade

    from app.accounts.models import TwoFactor

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    app = make_app(base_config(tmp_path / "instance", scratch_url))
    with app.app_context():
        upgrade(revision="0030")
        now = datetime(2026, 12, 1, tzinfo=UTC)
        with _db.engine.begin() as conn:
            person = _insert(
                conn, "users", email="totp@example.org", password_hash="!", full_name="Staf",
                role="officer", active=True, created_at=now, updated_at=now,
            )  # fmt: skip
            conn.execute(
                text("INSERT INTO two_factor (user_id, secret, created_at) VALUES (:u, :s, :t)"),
                {"u": person, "s": secret, "t": now},
            )
        upgrade(revision="0031")
        with _db.engine.connect() as conn:
            stored = conn.scalar(text("SELECT secret FROM two_factor"))
        assert secret not in stored
        assert _db.session.get(TwoFactor, person).secret == secret
        _db.session.remove()
        downgrade(revision="0030")
        with _db.engine.connect() as conn:
            assert conn.scalar(text("SELECT secret FROM two_factor")) == secret
        upgrade()
        _db.engine.dispose()
