"""Retention (UU 27/2022): each kind of personal data is let go when its period has passed,
the records the statistics need stay, and a dry run reports without changing anything."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pubkit
import pytest
import sqlalchemy as sa
from factories import user

from app import audit, jobs, retention
from app.db import utcnow
from app.i18n import WIB
from desk import ikm
from desk.models import (
    Channel,
    GuestVisit,
    Outcome,
    Purpose,
    Rating,
    RecordChannel,
    ServiceRecord,
    ServiceType,
)
from library.models import Download

NOW = datetime(2026, 12, 7, 3, 0, tzinfo=WIB)
_tokens = itertools.count(1)


def _rated(session, *, comment: str, submitted: datetime, scores=(4, 3, 3, 4, 2, 4, 4, 3, 3)):
    start = submitted - timedelta(minutes=20)
    record = ServiceRecord(
        service=ServiceType.LIBRARY, channel=RecordChannel.WALK_IN, service_day=date(2024, 1, 2),
        started_at=start, ended_at=start + timedelta(minutes=10), outcome=Outcome.SERVED,
        products="", note="", rating_token=f"retention{next(_tokens)}",
    )  # fmt: skip
    session.add(record)
    session.flush()
    session.add(
        Rating(
            record_id=record.id,
            comment=comment,
            channel=Channel.KIOSK,
            opened_at=submitted,
            submitted_at=submitted,
            **{f"u{i}": s for i, s in enumerate(scores, 1)},
        )
    )
    session.commit()
    return record


@pytest.fixture
def pub(session):
    return pubkit._make_publication(session)


def _download(session, reader, publication, at, *, ip="10.1.2.3", agent="Mozilla/5.0 Test"):
    row = Download(
        code=f"RET{next(_tokens):07d}", user_id=reader.id, publication_id=publication.id,
        created_at=at, ip=ip, user_agent=agent,
    )  # fmt: skip
    session.add(row)
    session.commit()
    return row


def _run(app, session, *, dry_run=False, now=NOW):
    reports = retention.run(session, app.config, now, retention.rules(app), dry_run=dry_run)
    session.commit()
    return {r.name: r for r in reports}


def test_old_rating_comments_are_erased_and_the_ikm_is_unchanged(app, session):
    old = _rated(
        session, comment="Petugas Budi 0812 3456 7890 lambat", submitted=NOW - timedelta(days=800)
    )
    recent = _rated(session, comment="Cepat, terima kasih", submitted=NOW - timedelta(days=30))
    before = ikm.report(session)

    reports = _run(app, session)

    assert reports["desk.rating_comments"].changed == 1
    session.expire_all()
    assert session.get(ServiceRecord, old.id).rating.comment == ""
    assert session.get(ServiceRecord, recent.id).rating.comment == "Cepat, terima kasih"
    # The scores stay: every IKM figure is the same.
    assert ikm.report(session) == before
    assert session.scalar(sa.select(sa.func.count()).select_from(Rating)) == 2


def test_old_download_logs_lose_their_address_and_browser_but_stay(app, session, pub):
    reader = user(session)
    old = _download(session, reader, pub, NOW - timedelta(days=200))
    recent = _download(session, reader, pub, NOW - timedelta(days=10))

    reports = _run(app, session)

    assert reports["library.download_client"].changed == 1
    session.expire_all()
    kept = session.get(Download, old.id)
    assert (kept.ip, kept.user_agent) == (None, None)
    assert (kept.code, kept.user_id, kept.publication_id) == (old.code, reader.id, pub.id)
    fresh = session.get(Download, recent.id)
    assert (fresh.ip, fresh.user_agent) == ("10.1.2.3", "Mozilla/5.0 Test")


def test_a_dry_run_reports_what_is_due_and_changes_nothing(app, session, pub):
    reader = user(session)
    _rated(session, comment="komentar lama", submitted=NOW - timedelta(days=800))
    _download(session, reader, pub, NOW - timedelta(days=400))
    _download(session, reader, pub, NOW - timedelta(days=300))
    events = session.scalar(sa.select(sa.func.count()).select_from(audit.AuditEvent))

    reports = _run(app, session, dry_run=True)

    assert reports["desk.rating_comments"].due == 1
    assert reports["library.download_client"].due == 2
    assert all(r.changed == 0 for r in reports.values())
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).where(Download.ip.is_not(None))) == 2
    assert session.scalar(sa.select(Rating.comment)) == "komentar lama"
    assert session.scalar(sa.select(sa.func.count()).select_from(audit.AuditEvent)) == events


def test_each_change_is_audited_once_and_a_second_run_finds_nothing(app, session, pub):
    reader = user(session)
    _download(session, reader, pub, NOW - timedelta(days=400))

    _run(app, session)
    again = _run(app, session)

    assert again["library.download_client"].due == 0
    entries = session.scalars(
        sa.select(audit.AuditEvent).where(audit.AuditEvent.action == retention.APPLIED)
    ).all()
    assert [e.subject_id for e in entries] == ["library.download_client"]
    assert '"rows": 1' in entries[0].detail
    assert audit.action_label(retention.APPLIED) != retention.APPLIED  # named for the viewer


@pytest.mark.parametrize(
    "config_overrides",
    [{"RETENTION_DOWNLOAD_CLIENT_DAYS": 0, "RETENTION_RATING_COMMENT_DAYS": 10_000}],
)
def test_a_period_of_zero_keeps_the_data(app, session, pub):
    reader = user(session)
    _download(session, reader, pub, NOW - timedelta(days=4000))
    _rated(session, comment="tetap", submitted=NOW - timedelta(days=800))

    reports = _run(app, session)

    assert reports["library.download_client"].cutoff is None
    assert reports["desk.rating_comments"].changed == 0  # 800 days < 10,000
    session.expire_all()
    assert session.scalar(sa.select(Download.ip)) == "10.1.2.3"


def test_the_command_reports_a_dry_run_in_wib_and_applies_without_it(app, session, pub):
    reader = user(session)
    _download(session, reader, pub, utcnow() - timedelta(days=181))
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "library.download_client: 180 days" in dry.output
    assert "WIB: 1 would change" in dry.output
    session.expire_all()
    assert session.scalar(sa.select(Download.ip)) == "10.1.2.3"

    done = runner.invoke(args=["privacy", "retention"])
    assert done.exit_code == 0, done.output
    assert "WIB: 1 changed" in done.output
    session.expire_all()
    assert session.scalar(sa.select(Download.ip)) is None


def _periodic():
    (task,) = [t for t in jobs.periodic_tasks() if t.name == "privacy.retention"]
    return task


def test_the_daily_task_applies_the_periods(app, session, pub):
    reader = user(session)
    _download(session, reader, pub, utcnow() - timedelta(days=365))
    task = _periodic()
    assert task.every_seconds == 24 * 3600

    with app.app_context(), sa.orm.Session(session.get_bind()) as own:
        task.fn(own)

    session.expire_all()
    assert session.scalar(sa.select(Download.ip)) is None


@pytest.mark.parametrize("config_overrides", [{"RETENTION_AUTOMATIC": False}])
def test_the_daily_task_can_be_turned_off(app, session, pub):
    reader = user(session)
    _download(session, reader, pub, utcnow() - timedelta(days=365))

    with app.app_context(), sa.orm.Session(session.get_bind()) as own:
        _periodic().fn(own)

    session.expire_all()
    assert session.scalar(sa.select(Download.ip)) == "10.1.2.3"


# Accounts: walk-in visitors and inactive website accounts, anonymised when idle.


def _person(session, *, years_idle: float, walk_in: bool, role=None, **fields):
    from app.accounts.models import Role

    then = NOW - timedelta(days=int(365 * years_idle))
    person = user(session, role=role or Role.USER, **fields)
    if walk_in:
        person.email = None
    person.created_at = then
    person.last_login_at = None if walk_in else then
    session.commit()
    return person


def _visit(session, person, at):
    visit = GuestVisit(
        user_id=person.id, service_day=at.date(), services="library", purpose=Purpose.STUDY,
        channel=Channel.KIOSK, opened_at=at, signed_at=at,
    )  # fmt: skip
    session.add(visit)
    session.commit()
    return visit


def test_idle_walk_in_visitors_are_anonymised_and_their_visits_stay(app, session):
    from app.accounts.models import User

    idle = _person(session, years_idle=3, walk_in=True, id_number="1771012345678901")
    _visit(session, idle, NOW - timedelta(days=3 * 365))
    returning = _person(session, years_idle=3, walk_in=True, id_number="1771012345678902")
    _visit(session, returning, NOW - timedelta(days=30))  # came back last month
    visits = session.scalar(sa.select(sa.func.count()).select_from(GuestVisit))

    dry = _run(app, session, dry_run=True)
    assert dry["accounts.walk_in_visitors"].due == 1
    reports = _run(app, session)

    assert reports["accounts.walk_in_visitors"].changed == 1
    session.expire_all()
    gone = session.get(User, idle.id)
    assert gone.full_name == f"Dihapus #{idle.id}"
    assert (gone.id_number, gone.phone, gone.active) == (None, None, False)
    kept = session.get(User, returning.id)
    assert kept.id_number == "1771012345678902" and kept.full_name == returning.full_name
    # The guest book still counts every visit (the statistics add up).
    assert session.scalar(sa.select(sa.func.count()).select_from(GuestVisit)) == visits
    # Erased once: the next run finds nobody.
    assert _run(app, session)["accounts.walk_in_visitors"].due == 0


def test_inactive_accounts_are_anonymised_unless_active_or_staff(app, session, pub):
    from app.accounts.models import Role, User

    idle = _person(session, years_idle=4, walk_in=False)
    signed_in = _person(session, years_idle=4, walk_in=False)
    signed_in.last_login_at = NOW - timedelta(days=100)
    downloaded = _person(session, years_idle=4, walk_in=False)
    _download(session, downloaded, pub, NOW - timedelta(days=20))
    staff = _person(session, years_idle=4, walk_in=False, role=Role.OFFICER)
    session.commit()

    reports = _run(app, session)

    assert reports["accounts.inactive"].changed == 1
    session.expire_all()
    assert session.get(User, idle.id).email is None
    for person in (signed_in, downloaded, staff):
        assert session.get(User, person.id).email == person.email


@pytest.mark.parametrize("config_overrides", [{"RETENTION_INACTIVE_ACCOUNT_DAYS": 0}])
def test_accounts_are_kept_for_good_with_a_period_of_zero(app, session):
    from app.accounts.models import User

    idle = _person(session, years_idle=10, walk_in=False)
    assert _run(app, session)["accounts.inactive"].cutoff is None
    session.expire_all()
    assert session.get(User, idle.id).email == idle.email


def _admin_client(client, session, role):
    from factories import PASSWORD
    from helpers import submit

    person = user(session, role=role)
    submit(client, "/login", {"email": person.email, "password": PASSWORD})
    client.set_cookie("pst_lang", "en")
    return person


def test_admins_see_what_is_due_and_apply_it_with_their_name_in_the_audit(
    app, session, client, pub
):
    from helpers import submit

    from app.accounts.models import Role

    admin = _admin_client(client, session, Role.ADMIN)
    _download(session, admin, pub, utcnow() - timedelta(days=400))

    page = client.get("/staff/retention")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Network address and browser of download logs erased" in html
    assert "180 days" in html and "WIB" in html
    assert session.scalar(sa.select(Download.ip)) == "10.1.2.3"  # the page changed nothing

    done = submit(client, "/staff/retention", {})
    assert done.status_code == 302
    assert "Retention applied: 1 records changed." in client.get("/staff/retention").get_data(
        as_text=True
    )
    session.expire_all()
    assert session.scalar(sa.select(Download.ip)) is None
    event = session.scalars(
        sa.select(audit.AuditEvent).where(audit.AuditEvent.action == retention.APPLIED)
    ).one()
    assert event.actor_id == admin.id


def test_only_admins_reach_the_retention_page(app, session, client):
    from app.accounts.models import Role

    _admin_client(client, session, Role.OFFICER)
    assert client.get("/staff/retention").status_code in (403, 404)
    assert client.post("/staff/retention").status_code in (400, 403, 404)
