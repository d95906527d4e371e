"""Front-desk tables: the office calendar's exceptions, appointments, guest-book visits,
queue tickets and their per-day counters, service records and IKM ratings."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, UTCDateTime, str_enum, utcnow

#: Letters and digits nobody misreads on thermal paper (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
RATING_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
RATING_CODE_LENGTH = 8


def new_rating_code() -> str:
    """A ticket's secret rating code (about 37 bits), printed on it as ``ABCD-EFGH``."""
    return "".join(secrets.choice(RATING_CODE_ALPHABET) for _ in range(RATING_CODE_LENGTH))


class ServiceType(enum.StrEnum):
    """The four PST services (SOP-1-01 … SOP-1-04)."""

    LIBRARY = "library"
    SALES = "sales"
    CONSULTATION = "consultation"
    RECOMMENDATION = "recommendation"


class Purpose(enum.StrEnum):
    """What the visitor will use the data for (the guest book's "purpose of visit")."""

    STUDY = "study"  # school or university assignment, thesis
    RESEARCH = "research"
    GOVERNMENT = "government"  # planning and evaluation in government
    BUSINESS = "business"
    MEDIA = "media"
    PERSONAL = "personal"
    OTHER = "other"


class Channel(enum.StrEnum):
    KIOSK = "kiosk"
    RECEPTION = "reception"
    API = "api"
    ONLINE = "online"


class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"


ACTIVE_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)


class Outcome(enum.StrEnum):
    SERVED = "served"
    PARTLY = "partly"  # some of what was asked
    NOT_AVAILABLE = "not_available"  # the data does not exist or is not released
    REFERRED = "referred"  # sent to another service or to subject-matter staff
    CANCELLED = "cancelled"


class RecordChannel(enum.StrEnum):
    WALK_IN = "walk_in"
    ONLINE = "online"


class AppointmentStatus(enum.StrEnum):
    BOOKED = "booked"
    USED = "used"
    CANCELLED = "cancelled"


class CalendarDay(Base):
    """An office exception to the calendar: joint leave, an unlisted holiday (closed), or
    a correction that reopens a day (optionally with its own hours)."""

    __tablename__ = "desk_calendar_days"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_at: Mapped[time | None] = mapped_column(Time)
    closes_at: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Appointment(Base):
    """A visit booked ahead (required outside service hours); the code opens the kiosk."""

    __tablename__ = "desk_appointments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(120), default="")
    service: Mapped[ServiceType] = mapped_column(str_enum(ServiceType, "desk_service"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[AppointmentStatus] = mapped_column(
        str_enum(AppointmentStatus, "desk_appointment_status"), default=AppointmentStatus.BOOKED
    )
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class GuestVisit(Base):
    """One signature in the guest book: who came, for what, and how long signing took."""

    __tablename__ = "desk_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    service_day: Mapped[date] = mapped_column(Date, index=True)
    services: Mapped[str] = mapped_column(String(80))  # comma-separated ServiceType values
    purpose: Mapped[Purpose] = mapped_column(str_enum(Purpose, "desk_purpose"))
    need: Mapped[str] = mapped_column(Text, default="")  # the data or help asked for
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "desk_channel"))
    is_returning: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the form was opened
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # ticket issued
    receptionist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("desk_appointments.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def service_list(self) -> list[ServiceType]:
        return [ServiceType(s) for s in self.services.split(",") if s]

    @property
    def signing_seconds(self) -> float:
        return max(0.0, (self.signed_at - self.opened_at).total_seconds())


class TicketCounter(Base):
    """The last number given per service day and service. Its row is locked by the
    ``UPDATE … RETURNING`` that takes the next number, so numbers are gapless."""

    __tablename__ = "desk_ticket_counters"

    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    service: Mapped[ServiceType] = mapped_column(
        str_enum(ServiceType, "desk_service"), primary_key=True
    )
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    """A queue number, from issue to call, service and finish (or no-show/transfer)."""

    __tablename__ = "desk_tickets"
    __table_args__ = (
        UniqueConstraint("service_day", "service", "seq"),
        Index("ix_desk_tickets_queue", "service_day", "service", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)  # the live status page
    service_day: Mapped[date] = mapped_column(Date)
    service: Mapped[ServiceType] = mapped_column(str_enum(ServiceType, "desk_service"))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    status: Mapped[TicketStatus] = mapped_column(
        str_enum(TicketStatus, "desk_ticket_status"), default=TicketStatus.WAITING
    )
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "desk_channel"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("desk_visits.id", ondelete="SET NULL"), index=True
    )
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("desk_appointments.id", ondelete="SET NULL")
    )
    transferred_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("desk_tickets.id", ondelete="SET NULL")
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When waiting began by the SOP: the issue, or the end of the previous service of
    #: this queue if that came later (set at the first call).
    wait_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # first call
    last_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # incl. recalls
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    desk: Mapped[str | None] = mapped_column(String(20))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The secret printed on the ticket that opens its rating at the kiosk (the number
    #: alone is guessable); set by ``issue_ticket``. Tickets issued before migration
    #: 0020 have none.
    rating_code: Mapped[str | None] = mapped_column(String(RATING_CODE_LENGTH), unique=True)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    visit: Mapped[GuestVisit | None] = relationship()
    record: Mapped[ServiceRecord | None] = relationship(back_populates="ticket", uselist=False)

    @property
    def wait_seconds(self) -> float | None:
        """Waiting time by the SOP (from ``wait_from`` to the first call)."""
        if self.called_at is None:
            return None
        start = self.wait_from or self.issued_at
        return max(0.0, (self.called_at - start).total_seconds())

    @property
    def printed_rating_code(self) -> str:
        """``ABCD-EFGH``: the code as the ticket shows it."""
        code = self.rating_code or ""
        return f"{code[:4]}-{code[4:]}" if code else ""

    @property
    def queue_seconds(self) -> float | None:
        """Time from the issue of the number to the first call."""
        if self.called_at is None:
            return None
        return max(0.0, (self.called_at - self.issued_at).total_seconds())


def _own_key() -> str:
    return f"desk-record:{secrets.token_urlsafe(12)}"


class ServiceRecord(Base):
    """One service given (the "silastik backend"): walk-in from the desk console, online
    from the events of the library, the store and the advisory.

    ``service_key`` names the service (``desk-ticket:11``, ``store-order:42``,
    ``library-download:5:17:2026-11-25``…): unique, so follow-on events and concurrent
    ones land on one record instead of making another."""

    __tablename__ = "desk_service_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service: Mapped[ServiceType] = mapped_column(str_enum(ServiceType, "desk_service"), index=True)
    channel: Mapped[RecordChannel] = mapped_column(str_enum(RecordChannel, "desk_record_channel"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    desk: Mapped[str | None] = mapped_column(String(20))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("desk_tickets.id", ondelete="SET NULL"), unique=True
    )
    service_day: Mapped[date] = mapped_column(Date, index=True)  # WIB day of the start
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime())
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome, "desk_outcome"))
    products: Mapped[str] = mapped_column(Text, default="")  # one per line
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(40))  # e.g. library.download
    source_ref: Mapped[str | None] = mapped_column(String(64))
    #: A record made by hand (no event, no number) is a service of its own.
    service_key: Mapped[str] = mapped_column(String(80), unique=True, default=_own_key)
    rating_token: Mapped[str] = mapped_column(String(32), unique=True)
    #: When the visitor was invited to rate (by mail): at most once per record.
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    ticket: Mapped[Ticket | None] = relationship(back_populates="record")
    rating: Mapped[Rating | None] = relationship(back_populates="record", uselist=False)

    @property
    def product_list(self) -> list[str]:
        return [p for p in self.products.splitlines() if p.strip()]

    @property
    def ratable(self) -> bool:
        """A cancelled service has nothing to rate."""
        return self.outcome != Outcome.CANCELLED


class ServiceLink(Base):
    """A service reference that belongs to another service's record: a reading-room
    request asked for at the desk (``library-reading:7`` → ``desk-ticket:11``), an order
    made at the desk, … Written when a feature announces a service begun at the desk or
    sends an event with ``belongs_to``; read when a later event carries only ``ref``."""

    __tablename__ = "desk_service_links"

    ref: Mapped[str] = mapped_column(String(80), primary_key=True)
    service_key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


#: The nine IKM elements of PermenPANRB 14/2017, in their official order.
ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")


class Rating(Base):
    """An IKM questionnaire: the nine elements scored 1–4, for exactly one record."""

    __tablename__ = "desk_ratings"
    __table_args__ = tuple(
        CheckConstraint(f"{e} BETWEEN 1 AND 4", name=f"{e}_range") for e in ELEMENTS
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("desk_service_records.id", ondelete="CASCADE"), unique=True
    )
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "desk_channel"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    record: Mapped[ServiceRecord] = relationship(back_populates="rating")

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(getattr(self, e) for e in ELEMENTS)

    @property
    def rating_seconds(self) -> float:
        return max(0.0, (self.submitted_at - self.opened_at).total_seconds())


class KioskDevice(Base):
    """A browser a receptionist enrolled as the office kiosk. Its cookie holds the
    signed device id and a secret whose hash is kept here; revoking it (``revoked_at``)
    shuts that browser out of the kiosk pages."""

    __tablename__ = "kiosk_devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    secret_hash: Mapped[str] = mapped_column(String(64))  # sha256 hex of the cookie's secret
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    last_seen: Mapped[datetime | None] = mapped_column(UTCDateTime())

    enrolled_by: Mapped[User | None] = relationship(foreign_keys=[enrolled_by_id])

    @property
    def active(self) -> bool:
        return self.revoked_at is None
