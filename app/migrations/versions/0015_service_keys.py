"""One service, one record: service keys, links and rating invitations; duplicates merged.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 09:00:00

Adds ``desk_service_records.service_key`` (unique: the service a record stands for),
``desk_service_records.invited_at`` (one rating invitation per record),
``entitlements.service_key`` (the service that gave a download right) and the table
``desk_service_links`` (a service that belongs to another's record). The unique
(source, source_ref) pair gives way to the key.

Existing records get the key of the service they belong to, derived from what they
hold, exactly as new events are keyed:

- a desk number's record: ``desk-ticket:<ticket id>``;
- a download: the service that gave the reader's download right when one was held at
  the time (``store-order:<id>``, ``library-softcopy:<id>``, ``library-scan:<id>``),
  else ``library-download:<reader>:<publication>:<WIB day>``;
- a reading-room return, a consultation or a recommendation that an officer recorded
  for a visitor they were serving at the desk (their number that day was being served
  at that moment, or was the last one they had finished for that visitor):
  ``desk-ticket:<id>``; otherwise ``library-reading:<id>``, ``advisory-consultation:<id>``,
  ``advisory-recommendation:<id>``;
- a store order: ``store-order:<id>``; softcopy and scan requests likewise.

Records with one key are merged into one: the record of the service itself (the desk
number's, the order's…) when there is one, else the earliest; it keeps the earliest
start and the latest end, every product and note, and the other records' audit trail.
A service is rated once (IKM counts one respondent per service), so of several ratings
the first submitted stays on the merged record; the others are deleted after their
scores and comments are copied into an audit event (``desk.rating_merged``) — nothing
is lost, and nothing is counted twice. The extra records are then deleted.

The downgrade drops the new columns and table; merged records stay merged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from alembic import op

import app.db

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

WIB = timezone(timedelta(hours=7))  # the office's zone (no daylight saving)
ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")

_T = app.db.UTCDateTime()

records_t = sa.table(
    "desk_service_records",
    sa.column("id", sa.Integer),
    sa.column("service", sa.String),
    sa.column("channel", sa.String),
    sa.column("user_id", sa.Integer),
    sa.column("officer_id", sa.Integer),
    sa.column("ticket_id", sa.Integer),
    sa.column("service_day", sa.Date),
    sa.column("started_at", _T),
    sa.column("ended_at", _T),
    sa.column("outcome", sa.String),
    sa.column("products", sa.Text),
    sa.column("note", sa.Text),
    sa.column("source", sa.String),
    sa.column("source_ref", sa.String),
    sa.column("service_key", sa.String),
)
ratings_t = sa.table(
    "desk_ratings",
    sa.column("id", sa.Integer),
    sa.column("record_id", sa.Integer),
    sa.column("comment", sa.Text),
    sa.column("channel", sa.String),
    sa.column("submitted_at", _T),
    *(sa.column(e, sa.Integer) for e in ELEMENTS),
)
tickets_t = sa.table(
    "desk_tickets",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("officer_id", sa.Integer),
    sa.column("service_day", sa.Date),
    sa.column("status", sa.String),
    sa.column("called_at", _T),
    sa.column("started_at", _T),
    sa.column("finished_at", _T),
)
entitlements_t = sa.table(
    "entitlements",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("publication_id", sa.Integer),
    sa.column("source", sa.String),
    sa.column("source_ref", sa.String),
    sa.column("service_key", sa.String),
    sa.column("granted_at", _T),
    sa.column("revoked_at", _T),
)
downloads_t = sa.table(
    "downloads",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("publication_id", sa.Integer),
    sa.column("created_at", _T),
)
reading_t = sa.table(
    "reading_requests",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("created_by_id", sa.Integer),
    sa.column("created_at", _T),
)
consultations_t = sa.table(
    "advisory_consultations",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("channel", sa.String),
    sa.column("created_by_id", sa.Integer),
    sa.column("created_at", _T),
)
recommendations_t = sa.table(
    "advisory_recommendations",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("channel", sa.String),
    sa.column("created_by_id", sa.Integer),
    sa.column("created_at", _T),
)
orders_t = sa.table("store_orders", sa.column("id", sa.Integer), sa.column("code", sa.String))
items_t = sa.table(
    "store_order_items", sa.column("id", sa.Integer), sa.column("order_id", sa.Integer)
)
links_t = sa.table(
    "desk_service_links",
    sa.column("ref", sa.String),
    sa.column("service_key", sa.String),
    sa.column("created_at", _T),
)
audit_t = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("at", _T),
    sa.column("actor_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("subject_type", sa.String),
    sa.column("subject_id", sa.String),
    sa.column("detail", sa.Text),
)


def upgrade():
    op.create_table(
        "desk_service_links",
        sa.Column("ref", sa.String(length=80), nullable=False),
        sa.Column("service_key", sa.String(length=80), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ref", name=op.f("pk_desk_service_links")),
    )
    with op.batch_alter_table("desk_service_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service_key", sa.String(length=80), nullable=True))
        batch_op.add_column(
            sa.Column("invited_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("entitlements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service_key", sa.String(length=80), nullable=True))

    conn = op.get_bind()
    _key_entitlements(conn)
    _merge_records(conn)

    with op.batch_alter_table("desk_service_records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_desk_service_records_source", type_="unique")
        batch_op.alter_column("service_key", existing_type=sa.String(length=80), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_desk_service_records_service_key"), ["service_key"]
        )


def downgrade():
    with op.batch_alter_table("desk_service_records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_desk_service_records_service_key", type_="unique")
        batch_op.drop_column("invited_at")
        batch_op.drop_column("service_key")
        batch_op.create_unique_constraint(
            "uq_desk_service_records_source", ["source", "source_ref"]
        )
    with op.batch_alter_table("entitlements", schema=None) as batch_op:
        batch_op.drop_column("service_key")
    op.drop_table("desk_service_links")


# --- data -------------------------------------------------------------------------------


def _key_entitlements(conn: Any) -> None:
    """The service that gave each download right."""
    orders = dict(conn.execute(sa.select(items_t.c.id, items_t.c.order_id)).all())
    prefixes = {"softcopy_request": "library-softcopy", "scan_request": "library-scan"}
    for row in conn.execute(
        sa.select(entitlements_t.c.id, entitlements_t.c.source, entitlements_t.c.source_ref)
    ).all():
        key = None
        if row.source == "purchase" and row.source_ref.isdigit():
            order_id = orders.get(int(row.source_ref))
            key = f"store-order:{order_id}" if order_id is not None else None
        elif row.source in prefixes and row.source_ref:
            key = f"{prefixes[row.source]}:{row.source_ref}"
        if key:
            conn.execute(
                entitlements_t.update()
                .where(entitlements_t.c.id == row.id)
                .values(service_key=key)
            )


def _by_id(conn: Any, table: Any) -> dict[int, Any]:
    return {row.id: row for row in conn.execute(sa.select(table)).all()}


class _Desk:
    """Finds the desk number an officer was serving for a visitor at a moment (the rule
    of ``desk.records.desk_service_for``, applied to the past)."""

    def __init__(self, conn: Any) -> None:
        self.tickets: dict[tuple[int, int], list[Any]] = defaultdict(list)
        for t in conn.execute(sa.select(tickets_t)).all():
            if t.user_id is not None and t.officer_id is not None:
                self.tickets[(t.user_id, t.officer_id)].append(t)
        self.cancelled = {
            r.ticket_id
            for r in conn.execute(
                sa.select(records_t.c.ticket_id).where(
                    records_t.c.ticket_id.is_not(None), records_t.c.outcome == "cancelled"
                )
            ).all()
        }

    def key(self, user_id: int | None, officer_id: int | None, at: datetime) -> str | None:
        if user_id is None or officer_id is None or officer_id == user_id:
            return None
        day = at.astimezone(WIB).date()
        mine = [t for t in self.tickets.get((user_id, officer_id), []) if t.service_day == day]
        for t in mine:  # served at that moment
            begun = t.called_at or t.started_at
            if begun is not None and begun <= at and (t.finished_at is None or at <= t.finished_at):
                return f"desk-ticket:{t.id}"
        done = [
            t
            for t in mine
            if t.status == "done"
            and t.finished_at is not None
            and t.finished_at <= at
            and t.id not in self.cancelled
        ]
        if done:
            return f"desk-ticket:{max(done, key=lambda t: (t.finished_at, t.id)).id}"
        return None


def _keys(conn: Any, records: list[Any]) -> dict[int, tuple[str, str]]:
    """Each record's (key, own reference)."""
    downloads = _by_id(conn, downloads_t)
    readings = _by_id(conn, reading_t)
    consultations = _by_id(conn, consultations_t)
    recommendations = _by_id(conn, recommendations_t)
    orders = {row.code: row.id for row in conn.execute(sa.select(orders_t)).all()}
    rights: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for e in conn.execute(sa.select(entitlements_t)).all():
        if e.service_key:
            rights[(e.user_id, e.publication_id)].append(e)
    desk = _Desk(conn)

    out: dict[int, tuple[str, str]] = {}
    for r in records:
        ref = r.source_ref or ""
        num = int(ref) if ref.isdigit() else None
        own = f"{r.source}:{ref}" if r.source and ref else f"desk-record:{r.id}"
        key = None
        if r.ticket_id is not None:
            own = key = f"desk-ticket:{r.ticket_id}"
        elif r.source == "library.download" and num in downloads:
            d = downloads[num]
            day = d.created_at.astimezone(WIB).date().isoformat()
            own = f"library-download:{d.user_id}:{d.publication_id}:{day}"
            held = [
                e
                for e in rights.get((d.user_id, d.publication_id), [])
                if e.granted_at <= d.created_at
                and (e.revoked_at is None or e.revoked_at > d.created_at)
            ]
            held.sort(key=lambda e: (e.granted_at, e.id))
            key = held[0].service_key if held else own
        elif r.source == "library.reading" and num is not None:
            own = f"library-reading:{num}"
            q = readings.get(num)
            key = (desk.key(q.user_id, q.created_by_id, q.created_at) if q else None) or own
        elif r.source in ("advisory.consultation", "advisory.recommendation") and num is not None:
            kind, rows = (
                ("consultation", consultations)
                if r.source == "advisory.consultation"
                else ("recommendation", recommendations)
            )
            own = f"advisory-{kind}:{num}"
            a = rows.get(num)
            walk_in = a is not None and a.channel == "walk_in"
            key = (
                desk.key(a.user_id, a.created_by_id, a.created_at)
                if walk_in and a is not None
                else None
            ) or own
        elif r.source == "library.softcopy" and num is not None:
            own = key = f"library-softcopy:{num}"
        elif r.source == "library.scan_request" and num is not None:
            own = key = f"library-scan:{num}"
        elif r.source == "store.order" and ref in orders:
            own = key = f"store-order:{orders[ref]}"
        out[r.id] = ((key or own)[:80], own[:80])
    return out


def _lines(*texts: str) -> str:
    lines: list[str] = []
    for text in texts:
        for line in (text or "").splitlines():
            if line.strip() and line.strip() not in lines:
                lines.append(line.strip())
    return "\n".join(lines)


def _merge_records(conn: Any) -> None:
    records = conn.execute(sa.select(records_t).order_by(records_t.c.id)).all()
    keys = _keys(conn, records)
    groups: dict[str, list[Any]] = defaultdict(list)
    for r in records:
        groups[keys[r.id][0]].append(r)
    now = datetime.now(UTC)
    links: dict[str, str] = {}
    for key, group in groups.items():
        for r in group:
            own = keys[r.id][1]
            if own != key:
                links[own] = key
        # The service's own record (the number's, the order's…) stays; else the earliest.
        group.sort(key=lambda r: (keys[r.id][1] != key, r.started_at, r.id))
        keep, extras = group[0], group[1:]
        values: dict[str, Any] = {"service_key": key}
        if extras:
            values.update(
                started_at=min(r.started_at for r in group),
                ended_at=max(r.ended_at for r in group),
                products=_lines(*(r.products for r in group)),
                note=_lines(*(r.note for r in group)),
                user_id=next((r.user_id for r in group if r.user_id is not None), None),
                officer_id=next((r.officer_id for r in group if r.officer_id is not None), None),
            )
            values["service_day"] = values["started_at"].astimezone(WIB).date()
            _merge_ratings(conn, keep, extras, now)
            extra_ids = [r.id for r in extras]
            conn.execute(
                audit_t.update()
                .where(
                    audit_t.c.subject_type == "desk_service_record",
                    audit_t.c.subject_id.in_([str(i) for i in extra_ids]),
                )
                .values(subject_id=str(keep.id))
            )
            conn.execute(records_t.delete().where(records_t.c.id.in_(extra_ids)))
        conn.execute(records_t.update().where(records_t.c.id == keep.id).values(**values))
    if links:
        conn.execute(
            links_t.insert(),
            [{"ref": ref, "service_key": key, "created_at": now} for ref, key in links.items()],
        )


def _merge_ratings(conn: Any, keep: Any, extras: list[Any], now: datetime) -> None:
    """One rating per service: the first submitted stays (on the kept record); the
    others go, their answers kept in the audit trail."""
    ids = [keep.id, *(r.id for r in extras)]
    ratings = conn.execute(
        sa.select(ratings_t)
        .where(ratings_t.c.record_id.in_(ids))
        .order_by(ratings_t.c.submitted_at, ratings_t.c.id)
    ).all()
    if not ratings:
        return
    first, dropped = ratings[0], ratings[1:]
    for rating in dropped:
        detail = {
            "record_id": rating.record_id,
            "merged_into": keep.id,
            "scores": [getattr(rating, e) for e in ELEMENTS],
            "comment": rating.comment,
            "channel": rating.channel,
            "submitted_at": rating.submitted_at.isoformat(),
        }
        conn.execute(
            audit_t.insert().values(
                at=now,
                actor_id=None,
                action="desk.rating_merged",
                subject_type="desk_service_record",
                subject_id=str(keep.id),
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
            )
        )
    if dropped:
        conn.execute(ratings_t.delete().where(ratings_t.c.id.in_([r.id for r in dropped])))
    if first.record_id != keep.id:
        conn.execute(
            ratings_t.update().where(ratings_t.c.id == first.id).values(record_id=keep.id)
        )
