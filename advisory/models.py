"""Advisory tables: consultations (questions and data requests) with their threaded
messages and attachments, published FAQ entries, recommendation requests (the FS3 form)
with every submitted version, and the numbered letters with their per-year counters."""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, UTCDateTime, str_enum, utcnow


class ConsultationKind(enum.StrEnum):
    QUESTION = "question"  # a statistical consultation
    DATA_REQUEST = "data_request"  # a table that may need processing (SOP-1-03 step 5)


class ConsultationStatus(enum.StrEnum):
    NEW = "new"  # waiting for an officer
    ASSIGNED = "assigned"  # an officer handles it
    ESCALATED = "escalated"  # subject-matter staff were asked to help
    ANSWERED = "answered"  # the service is given (the deadline is met or missed here)
    CLOSED = "closed"  # the requester (or an officer) closed it
    CANCELLED = "cancelled"  # withdrawn by the requester before an answer


OPEN_CONSULTATION = (
    ConsultationStatus.NEW,
    ConsultationStatus.ASSIGNED,
    ConsultationStatus.ESCALATED,
)


class Channel(enum.StrEnum):
    ONLINE = "online"
    EMAIL = "email"  # recorded by an officer from the service mailbox
    WALK_IN = "walk_in"  # recorded by an officer at the desk


class RecommendationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for verification
    RETURNED = "returned"  # sent back to the requester for revision
    PASSED = "passed"  # verified complete and clear; waiting for the head
    APPROVED = "approved"  # the letter is issued
    WITHDRAWN = "withdrawn"


class Recurrence(enum.StrEnum):
    ONE_OFF = "one_off"
    RECURRING = "recurring"


class Design(enum.StrEnum):
    CROSS_SECTION = "cross_section"
    LONGITUDINAL = "longitudinal"


class LetterKind(enum.StrEnum):
    RECOMMENDATION = "recommendation"  # surat rekomendasi kegiatan statistik
    DATA_REQUEST = "data_request"  # surat permintaan data


class Consultation(Base):
    """A question or data request: a ticket with a thread, an officer and a deadline."""

    __tablename__ = "advisory_consultations"
    __table_args__ = (Index("ix_advisory_consultations_open", "status", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[ConsultationKind] = mapped_column(str_enum(ConsultationKind, "advisory_kind"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "advisory_channel"))
    status: Mapped[ConsultationStatus] = mapped_column(
        str_enum(ConsultationStatus, "advisory_consultation_status"),
        default=ConsultationStatus.NEW,
    )
    subject: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(120), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when it arrived
    received_on: Mapped[date] = mapped_column(Date)  # the day of receipt (calendar rule)
    due_on: Mapped[date] = mapped_column(Date)  # 3 working days after receipt
    agreed_due_on: Mapped[date | None] = mapped_column(Date)  # a data request's agreed date
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    escalated_to: Mapped[User | None] = relationship(foreign_keys=[escalated_to_id])
    messages: Mapped[list[Message]] = relationship(
        back_populates="consultation",
        order_by="Message.created_at, Message.id",
        cascade="all, delete-orphan",
    )
    letters: Mapped[list[Letter]] = relationship(
        back_populates="consultation", order_by="Letter.id"
    )

    @property
    def reference(self) -> str:
        return f"K-{self.id:06d}"

    @property
    def deadline(self) -> date:
        """The day it must be answered by: the agreed date of a data request, if any."""
        return self.agreed_due_on or self.due_on

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CONSULTATION


class Message(Base):
    """One message of a consultation's thread; ``internal`` ones only staff see."""

    __tablename__ = "advisory_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("advisory_consultations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text, default="")
    internal: Mapped[bool] = mapped_column(Boolean, default=False)
    is_answer: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", order_by="Attachment.id", cascade="all, delete-orphan"
    )


class Attachment(Base):
    """A file sent with a message (kept in the blob store)."""

    __tablename__ = "advisory_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("advisory_messages.id", ondelete="CASCADE"), index=True
    )
    blob_key: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    message: Mapped[Message] = relationship(back_populates="attachments")


class FaqEntry(Base):
    """An answered consultation published as a searchable question and answer."""

    __tablename__ = "advisory_faq"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(String(300))
    answer: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(120), default="")
    published: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisory_consultations.id", ondelete="SET NULL"), index=True
    )
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


#: The FS3 fields, in the form's order; every version keeps a copy of these.
FS3_FIELDS = (
    "organiser",
    "organiser_address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "manager_name",
    "manager_position",
    "title",
    "topic",
    "objectives",
    "recurrence",
    "frequency",
    "design",
    "collection_method",
    "sampling_method",
    "population",
    "sample_size",
    "variables",
    "region",
    "period_start",
    "period_end",
)

#: Fields a submitted form must have (the rest are optional or conditional).
FS3_REQUIRED = (
    "organiser",
    "contact_name",
    "contact_phone",
    "contact_email",
    "manager_name",
    "title",
    "objectives",
    "recurrence",
    "design",
    "collection_method",
    "sampling_method",
    "population",
    "sample_size",
    "variables",
    "region",
    "period_start",
    "period_end",
)


class Recommendation(Base):
    """A request for a recommendation of a statistical activity (the FS3 form).

    The columns hold the current content (a draft while it is edited); each submission
    is also kept as a :class:`RecommendationVersion`, so reviewers compare versions.
    """

    __tablename__ = "advisory_recommendations"
    __table_args__ = (Index("ix_advisory_recommendations_open", "status", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "advisory_channel"))
    status: Mapped[RecommendationStatus] = mapped_column(
        str_enum(RecommendationStatus, "advisory_recommendation_status"),
        default=RecommendationStatus.DRAFT,
    )
    organiser: Mapped[str] = mapped_column(String(200), default="")
    organiser_address: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    manager_name: Mapped[str] = mapped_column(String(120), default="")
    manager_position: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    topic: Mapped[str] = mapped_column(String(120), default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    recurrence: Mapped[str] = mapped_column(String(16), default="")  # Recurrence values
    frequency: Mapped[str] = mapped_column(String(40), default="")
    design: Mapped[str] = mapped_column(String(16), default="")  # Design values
    collection_method: Mapped[str] = mapped_column(Text, default="")
    sampling_method: Mapped[str] = mapped_column(Text, default="")
    population: Mapped[str] = mapped_column(Text, default="")
    sample_size: Mapped[int | None] = mapped_column(Integer)
    variables: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(Text, default="")
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=0)  # submissions so far
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # the latest
    due_on: Mapped[date | None] = mapped_column(Date)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    passed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    overdue_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The head's latest return to the officer (shown while it is verified again).
    head_note: Mapped[str] = mapped_column(Text, default="")
    head_returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])
    files: Mapped[list[RecommendationFile]] = relationship(
        back_populates="recommendation",
        order_by="RecommendationFile.id",
        cascade="all, delete-orphan",
    )
    versions: Mapped[list[RecommendationVersion]] = relationship(
        back_populates="recommendation",
        order_by="RecommendationVersion.version",
        cascade="all, delete-orphan",
    )
    letters: Mapped[list[Letter]] = relationship(
        back_populates="recommendation", order_by="Letter.id"
    )

    @property
    def reference(self) -> str:
        return f"R-{self.id:06d}"

    @property
    def letter(self) -> Letter | None:
        return self.letters[-1] if self.letters else None

    def fs3(self) -> dict[str, Any]:
        """The form's content as plain JSON values."""
        data: dict[str, Any] = {}
        for name in FS3_FIELDS:
            value = getattr(self, name)
            data[name] = value.isoformat() if isinstance(value, date) else value
        return data


class RecommendationVersion(Base):
    """One submission of the form, with the verification that followed it."""

    __tablename__ = "advisory_recommendation_versions"
    __table_args__ = (UniqueConstraint("recommendation_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("advisory_recommendations.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)  # JSON of the FS3 fields
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome: Mapped[str | None] = mapped_column(String(16))  # returned | passed
    note: Mapped[str] = mapped_column(Text, default="")
    checklist: Mapped[str] = mapped_column(Text, default="{}")  # JSON {item: bool}
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    recommendation: Mapped[Recommendation] = relationship(back_populates="versions")
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    @property
    def fields(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.data)
        return loaded

    @property
    def checks(self) -> dict[str, bool]:
        loaded: dict[str, bool] = json.loads(self.checklist or "{}")
        return loaded


class RecommendationFileKind(enum.StrEnum):
    COVER_LETTER = "cover_letter"  # the institution's covering letter (surat pengantar)
    PAPER_FORM = "paper_form"  # the scanned, signed paper FS3 form


class RecommendationFile(Base):
    """A document an officer attached to a recorded request (kept in the blob store)."""

    __tablename__ = "advisory_recommendation_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("advisory_recommendations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # RecommendationFileKind values
    blob_key: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recommendation: Mapped[Recommendation] = relationship(back_populates="files")
    uploaded_by: Mapped[User | None] = relationship()


class LetterCounter(Base):
    """The last number given per letter kind and year. Its row is locked by the
    ``UPDATE … RETURNING`` that takes the next number, so numbers have no gaps."""

    __tablename__ = "advisory_letter_counters"

    kind: Mapped[LetterKind] = mapped_column(
        str_enum(LetterKind, "advisory_letter_kind"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Letter(Base):
    """A numbered letter the office issued, with what its verification code covers."""

    __tablename__ = "advisory_letters"
    __table_args__ = (UniqueConstraint("kind", "year", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[LetterKind] = mapped_column(str_enum(LetterKind, "advisory_letter_kind"))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str] = mapped_column(String(32))  # HMAC over number, recipient, title, date
    recipient: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300))
    issued_on: Mapped[date] = mapped_column(Date)
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON shown when verifying
    signer_name: Mapped[str] = mapped_column(String(120), default="")
    pdf_key: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    pdf_size: Mapped[int] = mapped_column(BigInteger)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisory_consultations.id", ondelete="SET NULL"), index=True
    )
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisory_recommendations.id", ondelete="SET NULL"), index=True
    )
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    consultation: Mapped[Consultation | None] = relationship(back_populates="letters")
    recommendation: Mapped[Recommendation | None] = relationship(back_populates="letters")

    @property
    def detail_map(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.details or "{}")
        return loaded
