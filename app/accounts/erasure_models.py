"""A person's request to have their data erased (UU 27/2022), kept as a queue for the
officer who completes it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.db import Base, UTCDateTime, str_enum, utcnow


class ErasureStatus(enum.StrEnum):
    PENDING = "pending"  # asked for, waiting for the officer
    COMPLETED = "completed"  # the person's data was erased
    CANCELLED = "cancelled"  # withdrawn by the person before it was completed


class ErasureRequest(Base):
    """One request. The row stays after completion (it points at the anonymised
    account): it is the record that the office did what was asked, and when."""

    __tablename__ = "erasure_requests"
    # One pending request per person: a double click cannot queue two.
    __table_args__ = (
        Index(
            "uq_erasure_requests_pending",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ErasureStatus] = mapped_column(
        str_enum(ErasureStatus, "erasure_status"), default=ErasureStatus.PENDING
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(500), default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])

    @property
    def reference(self) -> str:
        return f"PD-{self.id:06d}"
