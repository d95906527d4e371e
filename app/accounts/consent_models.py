"""Tables of the privacy notice and of consent (UU 27/2022 on Personal Data Protection).

A :class:`NoticeVersion` is one published text of the privacy notice, in Indonesian and
English, with a summary of what changed since the one before; a :class:`Consent` is
one "I agree" given to a version: when, through which channel, by whom it was recorded
and whose it is. Both are written once and never changed: a new text is a new version,
a new agreement a new row (the mapper refuses updates and deletes, see below), so the
office can always show which text a person agreed to, and when.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from app.db import Base, UTCDateTime, str_enum, utcnow


class ConsentChannel(enum.StrEnum):
    """Where a consent was given."""

    REGISTRATION = "registration"  # the website's registration form
    KIOSK = "kiosk"  # the self-service guest book at the office
    RECEPTIONIST = "receptionist"  # a receptionist entering a walk-in visitor
    RECONSENT = "reconsent"  # the page asking again after a new version


def channel_labels() -> dict[ConsentChannel, Any]:
    """Each channel in words (the account's history, the audit log, the data download)."""
    return {
        ConsentChannel.REGISTRATION: _l("Registration on the website"),
        ConsentChannel.KIOSK: _l("Guest-book kiosk"),
        ConsentChannel.RECEPTIONIST: _l("Entered by the receptionist"),
        ConsentChannel.RECONSENT: _l("Accepted a new version"),
    }


class NoticeVersion(Base):
    """One published version of the privacy notice (never edited: publish another)."""

    __tablename__ = "privacy_notice_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: 1, 2, 3… in publication order; unique, so two publications at once cannot
    #: both become the same version.
    number: Mapped[int] = mapped_column(Integer, unique=True)
    body_id: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    #: What changed since the previous version, shown to people asked to agree again.
    changes_id: Mapped[str] = mapped_column(Text)
    changes_en: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    def body(self, locale: str) -> str:
        return self.body_en if locale == "en" else self.body_id

    def changes(self, locale: str) -> str:
        return self.changes_en if locale == "en" else self.changes_id

    def __repr__(self) -> str:
        return f"<NoticeVersion {self.number}>"


class Consent(Base):
    """One consent given to a notice version (append-only).

    The subject is an account (``user_id``) — every visitor of the guest book has one,
    even without an email address — and, for consent given at the office, the visit of
    the guest book it was given in (``visit_id``, the desk's; a plain number, since
    accounts sit below the desk). ``recorded_by_id`` is who entered it: the person
    themselves online and at the kiosk (None there: nobody is signed in), the
    receptionist for a walk-in they registered."""

    __tablename__ = "privacy_consents"
    __table_args__ = (
        CheckConstraint("user_id IS NOT NULL OR visit_id IS NOT NULL", name="subject"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("privacy_notice_versions.id", ondelete="RESTRICT"), index=True
    )
    # Erasing an account erases its consents with it (nothing is processed any more).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    visit_id: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[ConsentChannel] = mapped_column(str_enum(ConsentChannel, "consent_channel"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The language the notice was shown in (``id`` or ``en``).
    locale: Mapped[str | None] = mapped_column(String(8))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    notice: Mapped[NoticeVersion] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Consent {self.id} v{self.notice_id} {self.channel}>"


class AppendOnly(RuntimeError):
    """A published notice or a recorded consent was about to be changed or deleted."""


def _refuse(_mapper: Mapper[object], _connection: object, target: object) -> None:
    raise AppendOnly(f"{type(target).__name__} rows are written once, never changed")


for _model in (NoticeVersion, Consent):
    event.listen(_model, "before_update", _refuse)
    event.listen(_model, "before_delete", _refuse)
