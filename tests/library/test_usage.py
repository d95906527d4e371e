"""Usage statistics (COUNTER-style): what counts, what does not, privacy, months in WIB,
the roll-up, the officers' report and CSV, and the counts on the publication page."""

from __future__ import annotations

import csv
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from factories import PASSWORD, make_pdf, user
from helpers import FakeClock, submit
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.accounts.models import Role
from app.blobs import current_store
from app.i18n import WIB
from catalog import cataloguing
from catalog.ingest import Limits
from catalog.models import Status, Subject
from library import usage
from library.models import UsageAction, UsageMonth, UsageSalt, UsageVisit

VIEW, READ, DOWNLOAD = UsageAction.VIEW, UsageAction.READ, UsageAction.DOWNLOAD
BROWSER = "Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 Chrome/120 Mobile"
NOON = datetime(2026, 11, 25, 12, 0, tzinfo=WIB)


def _record(session, hit, now):
    counted = usage.record(session, hit, now)
    session.commit()
    return counted


def _anon(pub_id, action=VIEW, ip="203.0.113.7", ua=BROWSER):
    return usage.Hit(pub_id, action, ip=ip, user_agent=ua)


def _totals(session, pub_id):
    session.expire_all()
    return usage.publication_totals(session, pub_id)


# --- counting: double clicks, uniqueness, robots ---------------------------------------------


def test_a_use_within_30_seconds_of_the_last_counts_once(session, publication):
    """COUNTER's double-click filter: each use within 30 s of the previous is the same
    use; the visitor counts once a day (unique)."""
    reader = user(session)
    hit = usage.Hit(publication.id, DOWNLOAD, user_id=reader.id, user_agent=BROWSER)
    for seconds in (0, 10, 25, 54):  # each within 30 s of the one before
        assert _record(session, hit, NOON + timedelta(seconds=seconds))
    counts = _totals(session, publication.id)
    assert (counts.downloads, counts.downloads_unique) == (1, 1)
    _record(session, hit, NOON + timedelta(seconds=84))  # 30 s after the last
    _record(session, _anon(publication.id, DOWNLOAD), NOON)  # somebody else
    counts = _totals(session, publication.id)
    assert (counts.downloads, counts.downloads_unique) == (3, 2)
    assert counts.views == counts.reads == 0


def test_a_late_worker_does_not_move_the_window_back(session, publication):
    hit = _anon(publication.id)
    _record(session, hit, NOON + timedelta(seconds=40))
    _record(session, hit, NOON)  # written after, happened before
    _record(session, hit, NOON + timedelta(seconds=60))  # 20 s after the latest use
    assert _totals(session, publication.id).views == 1


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "GOOGLEBOT",  # the list is matched case-insensitively
        "Buck/2.2; (+https://app.hypefactors.com/media-monitoring/about.html)",  # ^Buck\/[0-9]
        "python-requests/2.31.0",
        "",  # no browser string at all (^.?$)
    ],
)
def test_robots_of_the_counter_list_are_not_counted(session, publication, agent):
    assert usage.is_robot(agent)
    assert not _record(session, _anon(publication.id, ua=agent), NOON)
    assert session.scalar(select(UsageVisit.id)) is None


def test_the_vendored_robots_list_is_counters_and_compiles():
    entries = json.loads(usage.ROBOTS_FILE.read_text(encoding="utf-8"))
    assert len(entries) > 300 and {"pattern", "last_changed"} <= set(entries[0])
    assert (
        (usage.ROBOTS_FILE.parent / "COUNTER_Robots_LICENSE.txt")
        .read_text()
        .startswith("MIT License")
    )
    assert not usage.is_robot(BROWSER)
    assert usage._robots() is usage._robots()  # compiled once


def test_a_publication_the_public_may_not_see_is_not_counted(session, make_publication):
    withdrawn = make_publication(status=Status.WITHDRAWN)
    assert not _record(session, _anon(withdrawn.id), NOON)
    assert _totals(session, withdrawn.id).views == 0


# --- privacy ---------------------------------------------------------------------------------


def _every_stored_value(session) -> str:
    out = []
    for table in ("usage_visits", "usage_months", "usage_salts"):
        for row in session.execute(text(f"SELECT * FROM {table}")):  # noqa: S608 - fixed names
            out.extend(str(v) for v in row)
    return "\n".join(out)


def test_no_address_browser_or_account_is_stored(session, publication):
    reader = user(session, email="pembaca.rahasia@example.org")
    _record(session, _anon(publication.id, ip="198.51.100.23", ua=BROWSER + " Rahasia/1.0"), NOON)
    hit = usage.Hit(publication.id, READ, user_id=reader.id, ip="198.51.100.99", user_agent=BROWSER)
    _record(session, hit, NOON)
    stored = _every_stored_value(session)
    for secret in ("198.51.100", "Rahasia", "Android", "pembaca", f"user\0{reader.id}"):
        assert secret not in stored
    visitors = session.scalars(select(UsageVisit.visitor)).all()
    assert len(visitors) == 2 and all(len(v) == 64 for v in visitors)


def test_the_same_visitor_is_another_hash_the_next_day_and_the_salt_goes(session, publication):
    hit = _anon(publication.id)
    _record(session, hit, NOON)
    first = session.scalar(select(UsageVisit.visitor))
    _record(session, hit, NOON + timedelta(days=1))
    second = session.scalar(select(UsageVisit.visitor).where(UsageVisit.visitor != first))
    assert second is not None and second != first
    usage.roll_up(session, NOON + timedelta(days=1))
    session.commit()
    # Yesterday's hashes and salt are gone; only its counts remain.
    assert session.scalars(select(UsageSalt.day)).all() == [(NOON + timedelta(days=1)).date()]
    assert session.scalars(select(UsageVisit.visitor)).all() == [second]


# --- months in WIB and the roll-up -------------------------------------------------------------


def test_months_are_wib_months(session, publication):
    # 30 Nov 23:59 WIB and 1 Dec 00:00:40 WIB are both 30 November in UTC.
    _record(session, _anon(publication.id), datetime(2026, 11, 30, 23, 59, 50, tzinfo=WIB))
    _record(session, _anon(publication.id), datetime(2026, 12, 1, 0, 0, 40, tzinfo=WIB))
    found = usage.report(session, "2026-11", "2026-12")
    assert [(m, c.views, c.views_unique) for m, c in found.months] == [
        ("2026-11", 1, 1),
        ("2026-12", 1, 1),
    ]


def test_roll_up_keeps_the_counts_and_is_safe_to_repeat(session, publication, make_publication):
    other = make_publication()
    visitors = [_anon(publication.id, ip=f"192.0.2.{n}") for n in range(3)]
    for day in range(3):
        for hit in visitors[: day + 1]:
            _record(session, hit, NOON + timedelta(days=day))
            _record(session, hit, NOON + timedelta(days=day, minutes=5))
    _record(session, _anon(other.id, DOWNLOAD), NOON)
    before = usage.report(session, "2026-11", "2026-11")
    rolled = usage.roll_up(session, NOON + timedelta(days=2))
    session.commit()
    assert rolled == 1 + 2 + 1  # day 0 and day 1 of one publication, day 0 of the other
    assert usage.roll_up(session, NOON + timedelta(days=2)) == 0  # nothing twice
    session.commit()
    after = usage.report(session, "2026-11", "2026-11")
    assert after.cells == before.cells
    counts = after.cells[("2026-11", publication.id)]
    assert (counts.views, counts.views_unique) == (12, 6)
    months = session.scalars(select(UsageMonth).order_by(UsageMonth.publication_id)).all()
    assert [(m.action, m.total, m.uniques) for m in months] == [("view", 6, 3), ("download", 1, 1)]


def test_many_workers_at_once_count_each_visitor_once_and_roll_up_once(app, session, publication):
    """Workers on several hosts count at once (an upsert, no lost update, no duplicate
    row), and roll up at once (each row added to the months by one of them only)."""
    from app.extensions import db
    from app.uow import unit_of_work

    engine = db.engine
    same = _anon(publication.id, ip="192.0.2.200")
    hits = [same] * 6 + [_anon(publication.id, ip=f"192.0.2.{n}") for n in range(6)]
    start = threading.Barrier(len(hits))

    def count(hit):
        start.wait(timeout=30)
        with Session(engine) as own, unit_of_work(own):
            return usage.record(own, hit, NOON)

    with ThreadPoolExecutor(max_workers=len(hits)) as pool:
        assert all(pool.map(count, hits))
    counts = _totals(session, publication.id)
    assert (counts.views, counts.views_unique) == (7, 7)

    rollers = threading.Barrier(4)

    def roll(_):
        rollers.wait(timeout=30)
        with Session(engine) as own, unit_of_work(own):
            return usage.roll_up(own, NOON + timedelta(days=1))

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert sum(pool.map(roll, range(4))) == 7
    session.expire_all()
    assert session.scalar(select(UsageMonth.total)) == 7
    assert session.scalar(select(UsageMonth.uniques)) == 7


def test_the_periodic_roll_up_runs_the_service(app, session, publication, monkeypatch):
    from app import jobs

    (task,) = [t.fn for t in jobs.periodic_tasks() if t.name == "library.usage_roll_up"]
    _record(session, _anon(publication.id), NOON)
    monkeypatch.setitem(app.config, "CLOCK", FakeClock(NOON + timedelta(days=1)))
    task(session)
    session.expire_all()
    assert session.scalar(select(UsageVisit.id)) is None
    assert session.scalar(select(UsageMonth.total)) == 1


# --- the report and its CSV ----------------------------------------------------------------


def test_report_ranks_filters_by_subject_and_exports_safe_csv(session, make_publication):
    economy = Subject(name="Ekonomi")
    session.add(economy)
    formula = make_publication(title='=HYPERLINK("http://evil.example","klik")')
    formula.subjects.append(economy)
    plain = make_publication(title="Bengkulu Dalam Angka 2026")
    session.commit()
    for n in range(3):
        _record(session, _anon(plain.id, DOWNLOAD, ip=f"192.0.2.{n}"), NOON)
    _record(session, _anon(formula.id, VIEW), NOON)
    found = usage.report(session, "2026-10", "2026-11")
    assert [p.publication_id for p in found.publications] == [plain.id, formula.id]
    assert [m for m, _c in found.months] == ["2026-10", "2026-11"]
    assert (found.total.downloads, found.total.views) == (3, 1)
    by_subject = usage.report(session, "2026-11", "2026-11", subject_id=economy.id)
    assert [p.publication_id for p in by_subject.publications] == [formula.id]
    lines = "".join(usage.csv_lines(found, ["Bulan", "ID", "Judul", *"abcdef"]))
    rows = list(csv.reader(io.StringIO(lines.lstrip("\ufeff"))))
    assert rows[0][0] == "Bulan"
    titles = {r[2] for r in rows[1:]}
    assert "'" + formula.title in titles and plain.title in titles
    assert ["2026-11", str(plain.id), plain.title, "0", "0", "0", "0", "3", "3"] in rows


# --- over HTTP -------------------------------------------------------------------------------


@pytest.fixture
def clock(app, monkeypatch):
    fake = FakeClock(NOON)
    monkeypatch.setitem(app.config, "CLOCK", fake)
    return fake


@pytest.fixture
def stored(session, tmp_path):
    """A publication with a real file (the reader and downloads open it)."""
    pdf = make_pdf(tmp_path / "p.pdf", ["Jumlah penduduk", "Inflasi bulanan"])
    return cataloguing.ingest(
        session,
        current_store(),
        pdf,
        actor_id=None,
        limits=Limits(timeout_s=60),
        meta={"title": "Statistik Daerah Kota Bengkulu 2025"},
    )


def _get(client, url, **kwargs):
    """GET ``url`` as a server does: the response is closed once sent (counting runs then)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def _login(client, person):
    submit(client, "/login", {"email": person.email, "password": PASSWORD})


def test_publication_page_views_are_counted_cached_or_not(client, session, publication, clock):
    """Fails before usage statistics: nothing counted a page view."""
    url = f"/publications/{publication.id}"
    assert _get(client, url).status_code == 200
    assert _get(client, url).status_code == 200  # a double click
    clock.advance(seconds=40)
    # Change the title behind the cache's back: the next page shows the old one.
    title, pub_id = publication.title, publication.id
    session.execute(text("UPDATE publications SET title = 'Baru' WHERE id = :i"), {"i": pub_id})
    session.commit()
    assert title in _get(client, url).get_data(as_text=True)  # from the cache: a use
    _get(client, url, headers={"User-Agent": "Mozilla/5.0 (compatible; bingbot/2.0)"})
    _get(client, url + "x")  # not a page
    client.head(url).close()
    counts = _totals(session, pub_id)
    assert (counts.views, counts.views_unique) == (2, 1)


def test_officers_are_not_counted(client, session, publication, clock):
    _login(client, user(session, role=Role.OFFICER))
    _get(client, f"/publications/{publication.id}")
    assert _totals(session, publication.id).views == 0


def test_reading_and_downloading_are_counted(client, session, stored, clock):
    from helpers import csrf_token

    _login(client, user(session))
    assert _get(client, f"/publications/{stored.id}/read").status_code == 200
    token = csrf_token(client, f"/publications/{stored.id}")
    response = client.post(f"/publications/{stored.id}/download", data={"csrf_token": token})
    assert response.status_code == 200
    response.get_data()  # the whole copy: a completed download
    counts = _totals(session, stored.id)
    assert (counts.reads, counts.downloads, counts.views) == (1, 1, 1)  # the page: a view


def test_public_counts_on_the_publication_page(client, session, publication, app):
    _record(session, _anon(publication.id), NOON)
    for n in range(2):
        _record(session, _anon(publication.id, DOWNLOAD, ip=f"192.0.2.{n}"), NOON)
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert "Dilihat 1 kali" in html and "diunduh 2 kali" in html
    app.config["LIBRARY_USAGE_PUBLIC_COUNTS"] = False
    app.config["PAGE_CACHE"] = False
    html = client.get(f"/publications/{publication.id}").get_data(as_text=True)
    assert "Dilihat" not in html


def test_staff_report_page_and_csv(client, session, publication, clock):
    _record(session, _anon(publication.id, DOWNLOAD), NOON)
    _get(client, "/staff/library/usage")  # anonymous: sign in first
    assert _totals(session, publication.id).downloads == 1
    reader_client = client.application.test_client()
    _login(reader_client, user(session))
    assert reader_client.get("/staff/library/usage").status_code == 403
    _login(client, user(session, role=Role.OFFICER))
    html = client.get("/staff/library/usage").get_data(as_text=True)
    assert publication.title in html and "<svg" in html
    assert 'value="2025-12"' in html and 'value="2026-11"' in html  # the last twelve months
    response = client.get("/staff/library/usage.csv?month_from=2026-11&month_to=2026-11")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "pst-usage-2026-11-2026-11.csv" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert f"2026-11,{publication.id}," in body


@pytest.mark.parametrize(
    "query",
    [
        "month_from=2026-13",
        "month_from=nov&month_to=2026-11",
        "month_from=2026-11&month_to=2026-01",
        "month_from=2000-01&month_to=2026-01",
        "month_from=2000-01",  # to this month: too long as well
        "month_from=0000-01&month_to=0001-01",
        "subject=999999",
    ],
)
def test_bad_report_input_gets_a_message(client, session, query):
    _login(client, user(session, role=Role.OFFICER))
    response = client.get(f"/staff/library/usage?{query}")
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert client.get(f"/staff/library/usage.csv?{query}").status_code == 400
