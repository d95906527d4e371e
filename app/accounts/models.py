"""Account tables: users with their guest-book profile, and personal API tokens."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from app.accounts.personal_data import EncryptedText, current, lookup_hashes
from app.db import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    """What a person may do. Staff roles are granted by an admin, never self-chosen."""

    USER = "user"
    RECEPTIONIST = "receptionist"
    OFFICER = "officer"
    SUBJECT_MATTER = "subject_matter"
    HEAD = "head"
    ADMIN = "admin"


STAFF_ROLES = frozenset(Role) - {Role.USER}


class IdType(enum.StrEnum):
    """Identity documents accepted at the guest book (SOP step 1)."""

    KTP = "ktp"
    SIM = "sim"
    PASSPORT = "passport"
    STUDENT_CARD = "student_card"


class InstitutionKind(enum.StrEnum):
    """Kinds of institution, as on BPS's visitor profile."""

    GOVERNMENT = "government"
    STATE_ENTERPRISE = "state_enterprise"
    EDUCATION = "education"
    RESEARCH = "research"
    PRIVATE = "private"
    INTERNATIONAL = "international"
    MEDIA = "media"
    NGO = "ngo"
    INDIVIDUAL = "individual"
    OTHER = "other"


class Education(enum.StrEnum):
    """Highest education completed."""

    SD = "sd"
    SMP = "smp"
    SMA = "sma"
    D1_D3 = "d1_d3"
    D4_S1 = "d4_s1"
    S2 = "s2"
    S3 = "s3"


class Gender(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


def _enum(kind: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings (no native enum type) so adding a value needs no migration.
    return Enum(kind, name=name, native_enum=False, length=32, values_callable=_values)


def _values(kind: type[enum.Enum]) -> list[str]:
    return [str(member.value) for member in kind]


class User(UserMixin, Base):
    __tablename__ = "users"
    # session_version is read when needed, not RETURNed by every INSERT (see below).
    __mapper_args__ = {"eager_defaults": False}  # noqa: RUF012 - SQLAlchemy's own attribute

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None only for visitors signed into the guest book without an email address: such an
    # account serves the front desk and cannot sign in to the website.
    email: Mapped[str | None] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32))
    id_type: Mapped[IdType | None] = mapped_column(_enum(IdType, "id_type"))
    # Encrypted at rest; found by its keyed hash, kept in step by _hash_id_number below.
    # The hash, like session_version, is left out of an INSERT that does not set it (a
    # server default) and of plain loads (deferred): older schemas lack the column.
    id_number: Mapped[str | None] = mapped_column(EncryptedText())
    id_number_hash: Mapped[str | None] = mapped_column(
        String(64), index=True, deferred=True, server_default=text("NULL")
    )
    institution: Mapped[str | None] = mapped_column(String(200))
    institution_kind: Mapped[InstitutionKind | None] = mapped_column(
        _enum(InstitutionKind, "institution_kind")
    )
    occupation: Mapped[str | None] = mapped_column(String(120))
    education: Mapped[Education | None] = mapped_column(_enum(Education, "education"))
    gender: Mapped[Gender | None] = mapped_column(_enum(Gender, "gender"))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), default=Role.USER)
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Carried by every session and remember-me cookie (see get_id); raising it signs the
    # account out everywhere: sign-out, password change or reset, role change, deactivation.
    # Set by the database and loaded only when read (the user loader asks for it), so
    # that neither an INSERT nor a plain load names a column an older schema lacks:
    # tests/app/test_migrations.py writes rows at earlier revisions with these models.
    session_version: Mapped[int] = mapped_column(Integer, server_default="1", deferred=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="ApiToken.created_at"
    )

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: the id and the
        session version, so a cookie issued before the version was raised no longer loads
        the account (see :func:`app.sessions.load_user`)."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login asks this before every login
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def has_password(self) -> bool:
        """False for a visitor registered at the desk (or staff created without a
        password) until they set one through a mailed link."""
        from app.accounts.passwords import is_usable

        return is_usable(self.password_hash)

    def has_role(self, *roles: Role) -> bool:
        """True for any of ``roles``; admins hold every role."""
        return self.role == Role.ADMIN or self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


@event.listens_for(User.id_number, "set")
def _hash_id_number(target: User, value: str | None, old: object, *_: object) -> None:
    # Whoever sets the number (form, API, desk, factory) sets its look-up hash with it.
    # Clearing a number that was never set leaves the hash unnamed in the INSERT, as
    # rows written at revisions before the column existed need (test_migrations).
    if value:
        target.id_number_hash = current().lookup_hash(value)
    elif isinstance(old, str):
        target.id_number_hash = None


def has_id_number(plain: str) -> ColumnElement[bool]:
    """The condition "this account's ID number is ``plain``", by the look-up hash."""
    return User.id_number_hash.in_(lookup_hashes(plain))


class ApiToken(Base):
    """A personal API token. Only a SHA-256 digest is stored: the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class TwoFactor(Base):
    """A person's authenticator app: the shared TOTP secret (usable once confirmed with
    a first code) and the last time step accepted, so that each code works once.

    The secret is never logged nor shown again after enrolment, and is stored encrypted
    with the personal-data keys (whoever reads the database or a backup could otherwise
    compute the person's codes)."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(EncryptedText())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:  # never the secret
        return f"<TwoFactor user={self.user_id} confirmed={self.confirmed_at is not None}>"


class RecoveryCode(Base):
    """A one-time recovery code, stored as a password hash; ``used_at`` once spent.

    ``hint`` is the code's first two characters, so that a code typed is verified
    against the one hash it may match, not all ten (each verification costs what a
    password's does); the 40 bits left are what a guess must find."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    hint: Mapped[str] = mapped_column(String(2))
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SsoIdentity(Base):
    """An account's identity at an OpenID provider: (issuer, subject) is how a sign-in
    through SSO finds its account. One per account and issuer."""

    __tablename__ = "sso_identities"
    __table_args__ = (
        UniqueConstraint("issuer", "subject"),
        UniqueConstraint("user_id", "issuer"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<SsoIdentity user={self.user_id}>"
