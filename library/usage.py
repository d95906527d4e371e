"""Usage statistics in the manner of COUNTER: how often each publication's page was
viewed, the publication read online and downloaded, per WIB month.

Counting (:func:`record`)
    One :class:`Hit` is one use by one visitor. Robots are left out by the COUNTER-Robots
    list (``library/data/COUNTER_Robots_list.json``, vendored; refreshed by
    ``scripts/refresh-counter-robots``), and so are publications the public may not see
    (:mod:`catalog.visibility`: a staff preview of an embargoed or withdrawn publication
    is no use). A visitor is a signed-in account or, for anonymous visitors, their
    address and browser — but only as an HMAC under the salt of the day
    (:class:`~library.models.UsageSalt`), so no table holds an address, a browser string
    or an account id, and once the day's salt is deleted nobody can tell whose a row
    was. Each visitor, publication, action and day is one row
    (:class:`~library.models.UsageVisit`, COUNTER's *unique* item request); its
    ``hits`` go up by one only when the previous use is at least
    :data:`DOUBLE_CLICK_SECONDS` old (COUNTER's double-click filter: reloads and double
    clicks count once), giving the *total*. The row is written with one
    ``INSERT … ON CONFLICT DO UPDATE`` (SQLite and PostgreSQL alike), so any number of
    workers on any number of hosts count the same visitor once, without locks held
    across requests.

Rolling up (:func:`roll_up`, a periodic job)
    Rows of days that are over are deleted (``DELETE … RETURNING``, so two hosts
    rolling up at once never count a row twice) and added into
    :class:`~library.models.UsageMonth`; the salts of those days go with them. Reports
    read both tables, so the current day counts at once.

Reports (:func:`report`, :func:`publication_totals`) and their CSV (:func:`csv_lines`).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import hmac
import io
import json
import re
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.orm import Session

from app.audit_log import safe_cell
from app.i18n import to_wib
from catalog.models import Publication, publication_subjects
from catalog.visibility import public_clause
from library.models import UsageAction, UsageMonth, UsageSalt, UsageVisit

#: COUNTER's double-click window: a use this soon after the previous one is the same use.
DOUBLE_CLICK_SECONDS = 30

ROBOTS_FILE = Path(__file__).parent / "data" / "COUNTER_Robots_list.json"

#: A month as the report takes it ("2026-12"), from the years the office can have data of.
MONTH_RE = re.compile(r"^(19|20)\d{2}-(0[1-9]|1[0-2])$")


# --- who is a robot ------------------------------------------------------------------------


#: Characters that make a pattern of the list more than a plain word.
_REGEX_CHARS = frozenset(".^$*+?{}[]\\|()")

#: Browser strings longer than this are matched but their answer is not remembered.
_CACHED_AGENT_LENGTH = 512


@dataclass(frozen=True)
class _Robots:
    """The COUNTER-Robots list, prepared once: the plain words (two thirds of it), found
    with ``in`` on the lowercased string, and the real expressions, compiled
    case-insensitively (one alternation of all 327 is several times slower in Python's
    engine than this)."""

    words: tuple[str, ...]
    expressions: tuple[re.Pattern[str], ...]

    def match(self, agent: str) -> bool:
        lowered = agent.lower()
        return any(word in lowered for word in self.words) or any(
            expression.search(agent) for expression in self.expressions
        )


@functools.cache
def _robots() -> _Robots:
    """The list of the vendored file, read and compiled once per process."""
    entries = json.loads(ROBOTS_FILE.read_text(encoding="utf-8"))
    patterns = [str(entry["pattern"]) for entry in entries]
    return _Robots(
        words=tuple(p.lower() for p in patterns if not _REGEX_CHARS & set(p)),
        expressions=tuple(re.compile(p, re.IGNORECASE) for p in patterns if _REGEX_CHARS & set(p)),
    )


@functools.lru_cache(maxsize=2048)
def _known_agent_is_robot(agent: str) -> bool:
    return _robots().match(agent)


def is_robot(user_agent: str | None) -> bool:
    """Whether the browser string names a robot (an empty one does: ``^.?$`` is listed).
    Visitors share a few hundred browser strings, so answers are remembered."""
    agent = user_agent or ""
    if len(agent) > _CACHED_AGENT_LENGTH:
        return _robots().match(agent)
    return _known_agent_is_robot(agent)


# --- counting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One use of a publication, as the edge saw it. ``ip`` and ``user_agent`` are only
    hashed (and the browser string matched against the robots list); never stored."""

    publication_id: int
    action: UsageAction
    user_id: int | None = None
    ip: str | None = field(default=None, repr=False)
    user_agent: str | None = field(default=None, repr=False)


def wib_day(now: datetime) -> date:
    return to_wib(now).date()


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


#: The salt of the current day in this process (one entry): a lookup per use saved.
_salt_cache: dict[tuple[str, date], str] = {}


def day_salt(session: Session, day: date) -> str:
    """The salt of ``day``, made by whichever host needs it first (the others read it)."""
    key = (str(session.get_bind().engine.url), day)
    cached = _salt_cache.get(key)
    if cached is not None:
        return cached
    salt = session.scalar(select(UsageSalt.salt).where(UsageSalt.day == day))
    if salt is None:
        session.execute(
            _insert(session, UsageSalt)
            .values(day=day, salt=secrets.token_hex(32))
            .on_conflict_do_nothing(index_elements=["day"])
        )
        salt = session.scalar(select(UsageSalt.salt).where(UsageSalt.day == day))
    assert salt is not None  # inserted just now, or by another host
    _salt_cache.clear()  # yesterday's salt leaves this process's memory too
    _salt_cache[key] = salt
    return salt


def visitor_key(salt: str, hit: Hit) -> str:
    """The visitor of ``hit`` as a keyed hash: an account, else address and browser."""
    if hit.user_id is not None:
        who = f"user\0{hit.user_id}"
    else:
        who = f"anon\0{hit.ip or ''}\0{hit.user_agent or ''}"
    return hmac.new(salt.encode(), who.encode(), hashlib.sha256).hexdigest()


def _insert(session: Session, model: Any) -> Any:
    """The dialect's INSERT, which knows ``ON CONFLICT`` (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(model)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(model)


def record(session: Session, hit: Hit, now: datetime) -> bool:
    """Count ``hit`` at ``now`` (not committed); False when it does not count (a robot, a
    publication the public may not see)."""
    if is_robot(hit.user_agent):
        return False
    visible = session.scalar(
        select(Publication.id).where(Publication.id == hit.publication_id, public_clause(now))
    )
    if visible is None:
        return False
    day = wib_day(now)
    seen = int(now.timestamp())
    stmt = _insert(session, UsageVisit).values(
        day=day,
        month=month_of(day),
        publication_id=hit.publication_id,
        action=str(hit.action),
        visitor=visitor_key(day_salt(session, day), hit),
        hits=1,
        last_seen=seen,
    )
    new = stmt.excluded
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["day", "publication_id", "action", "visitor"],
            set_={
                # A use within the window of the previous one is that use again.
                "hits": case(
                    (
                        new.last_seen - UsageVisit.last_seen >= DOUBLE_CLICK_SECONDS,
                        UsageVisit.hits + 1,
                    ),
                    else_=UsageVisit.hits,
                ),
                # Two workers may finish out of order: the window never moves back.
                "last_seen": case(
                    (new.last_seen > UsageVisit.last_seen, new.last_seen),
                    else_=UsageVisit.last_seen,
                ),
            },
        )
    )
    return True


def roll_up(session: Session, now: datetime) -> int:
    """Move the counts of days before today (WIB) into the monthly totals and delete
    those days' rows and salts (not committed); returns how many rows were rolled up.

    Safe on several hosts at once: a row is added only by the one transaction whose
    ``DELETE … RETURNING`` removed it.
    """
    today = wib_day(now)
    gone = session.execute(
        delete(UsageVisit)
        .where(UsageVisit.day < today)
        .returning(UsageVisit.month, UsageVisit.publication_id, UsageVisit.action, UsageVisit.hits)
    ).all()
    sums: dict[tuple[str, int, str], list[int]] = defaultdict(lambda: [0, 0])
    for month, publication_id, action, hits in gone:
        counts = sums[(month, publication_id, action)]
        counts[0] += hits
        counts[1] += 1
    for (month, publication_id, action), (total, uniques) in sorted(sums.items()):
        stmt = _insert(session, UsageMonth).values(
            month=month, publication_id=publication_id, action=action, total=total, uniques=uniques
        )
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["month", "publication_id", "action"],
                set_={
                    "total": UsageMonth.total + stmt.excluded.total,
                    "uniques": UsageMonth.uniques + stmt.excluded.uniques,
                },
            )
        )
    # The day is over: its salt goes, and with it any way to tell whose a hash was.
    session.execute(delete(UsageSalt).where(UsageSalt.day < today))
    return len(gone)


# --- reading the counts ---------------------------------------------------------------------


#: The attribute of :class:`Counts` that each action's uses add to.
_FIELDS = {
    UsageAction.VIEW.value: "views",
    UsageAction.READ.value: "reads",
    UsageAction.DOWNLOAD.value: "downloads",
}


@dataclass
class Counts:
    """Totals (double clicks filtered) and uniques (visitor-days) of the three actions."""

    views: int = 0
    views_unique: int = 0
    reads: int = 0
    reads_unique: int = 0
    downloads: int = 0
    downloads_unique: int = 0

    def add(self, action: str, total: int, uniques: int) -> None:
        name = _FIELDS.get(action)
        if name is None:  # an action this version does not report
            return
        setattr(self, name, getattr(self, name) + int(total))
        setattr(self, f"{name}_unique", getattr(self, f"{name}_unique") + int(uniques))

    def merge(self, other: Counts) -> None:
        for action, name in _FIELDS.items():
            self.add(action, getattr(other, name), getattr(other, f"{name}_unique"))

    @property
    def requests(self) -> int:
        """Reads and downloads together (COUNTER's total item requests)."""
        return self.reads + self.downloads


def _rows(
    session: Session,
    *,
    first: str | None = None,
    last: str | None = None,
    subject_id: int | None = None,
    publication_id: int | None = None,
) -> Iterator[tuple[str, int, str, int, int]]:
    """(month, publication, action, total, uniques) of the rolled-up months and of the
    days not yet rolled up, filtered alike."""
    monthly = select(
        UsageMonth.month,
        UsageMonth.publication_id,
        UsageMonth.action,
        UsageMonth.total,
        UsageMonth.uniques,
    )
    daily = select(
        UsageVisit.month,
        UsageVisit.publication_id,
        UsageVisit.action,
        func.sum(UsageVisit.hits),
        func.count(),
    ).group_by(UsageVisit.month, UsageVisit.publication_id, UsageVisit.action)
    for query, table in ((monthly, UsageMonth), (daily, UsageVisit)):
        if first is not None:
            query = query.where(table.month >= first)
        if last is not None:
            query = query.where(table.month <= last)
        if publication_id is not None:
            query = query.where(table.publication_id == publication_id)
        if subject_id is not None:
            query = query.where(
                table.publication_id.in_(
                    select(publication_subjects.c.publication_id).where(
                        publication_subjects.c.subject_id == subject_id
                    )
                )
            )
        for month, pub_id, action, total, uniques in session.execute(query):
            yield str(month), int(pub_id), str(action), int(total or 0), int(uniques or 0)


def publication_totals(session: Session, publication_id: int) -> Counts:
    """Every use of one publication so far (the public counts on its page)."""
    counts = Counts()
    for _month, _pub, action, total, uniques in _rows(session, publication_id=publication_id):
        counts.add(action, total, uniques)
    return counts


@dataclass(frozen=True)
class PublicationUsage:
    publication_id: int
    title: str
    counts: Counts


@dataclass(frozen=True)
class Report:
    """The staff report of a month range: per month, per publication, and each
    publication's months (for the CSV)."""

    first: str
    last: str
    months: list[tuple[str, Counts]]  # every month of the range, oldest first
    publications: list[PublicationUsage]  # most used first
    cells: dict[tuple[str, int], Counts]  # (month, publication) -> counts
    titles: dict[int, str]

    @property
    def total(self) -> Counts:
        out = Counts()
        for _month, counts in self.months:
            out.merge(counts)
        return out


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` ("YYYY-MM"), both included."""
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def report(session: Session, first: str, last: str, subject_id: int | None = None) -> Report:
    """Usage from month ``first`` to ``last`` (WIB, "YYYY-MM", both included), of the
    publications of one subject or all."""
    cells: dict[tuple[str, int], Counts] = defaultdict(Counts)
    for month, pub_id, action, total, uniques in _rows(
        session, first=first, last=last, subject_id=subject_id
    ):
        cells[(month, pub_id)].add(action, total, uniques)
    per_month: dict[str, Counts] = {m: Counts() for m in months_between(first, last)}
    per_pub: dict[int, Counts] = defaultdict(Counts)
    for (month, pub_id), counts in cells.items():
        per_month.setdefault(month, Counts()).merge(counts)
        per_pub[pub_id].merge(counts)
    titles: dict[int, str] = {}
    query = select(Publication.id, Publication.title).where(Publication.id.in_(list(per_pub)))
    for pub_id, title in session.execute(query):
        titles[pub_id] = title
    ranked = sorted(
        per_pub.items(),
        key=lambda item: (-item[1].requests, -item[1].views, titles.get(item[0], "")),
    )
    return Report(
        first=first,
        last=last,
        months=sorted(per_month.items()),
        publications=[PublicationUsage(pid, titles.get(pid, ""), c) for pid, c in ranked],
        cells=dict(cells),
        titles=titles,
    )


# --- CSV ------------------------------------------------------------------------------------


def _line(cells: Iterable[object]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([safe_cell(c) for c in cells])
    return out.getvalue()


def csv_lines(found: Report, header: Iterable[str]) -> Iterator[str]:
    """The report as CSV, one line per publication and month with any use (the header's
    labels come translated from the caller); a BOM first, so Excel reads UTF-8."""
    yield "\ufeff" + _line(header)
    for (month, pub_id), c in sorted(found.cells.items()):
        yield _line(
            [
                month,
                pub_id,
                found.titles.get(pub_id, ""),
                c.views,
                c.views_unique,
                c.reads,
                c.reads_unique,
                c.downloads,
                c.downloads_unique,
            ]
        )
