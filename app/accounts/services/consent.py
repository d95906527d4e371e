"""The privacy notice's versions and the consents given to them (UU 27/2022).

Reading: :func:`current_notice` (the latest version), :func:`notice` (any one),
:func:`versions`, a person's :func:`history` and whether they must be asked again
(:func:`must_ask`). Writing: :func:`publish` a new version (administrators),
:func:`record` a consent where it is given — registration, the kiosk, a receptionist
entering a walk-in, the page asking again (:func:`accept`).

Before any version is published (a database built without migration 0029, which
writes version 1), pages show version 1's text from :mod:`app.accounts.notice_text`
and the first consent recorded writes it as version 1.

Who is asked again after a new version: service users (:func:`asked`). Staff accounts
are not: their data is processed for their work at the office (UU 27/2022 art. 20(2)(b)
and (c)), not on the consent a service user gives, and an interstitial on a
receptionist's screen would stop the front desk.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.accounts import notice_text
from app.accounts.consent_models import Consent, ConsentChannel, NoticeVersion
from app.accounts.errors import AccountError
from app.accounts.models import Role, User
from app.errors import Conflict
from app.uow import transactional, unit_of_work

#: Longest notice text and summary of changes an administrator may publish.
MAX_BODY = 50_000
MAX_CHANGES = 2_000


class UnknownNotice(AccountError):
    status = 422
    message = _l("This version of the privacy notice does not exist. Please read the current one.")


class NoticeIncomplete(AccountError):
    status = 422
    message = _l(
        "A notice needs its text and a summary of the changes, in Indonesian and in English."
    )


class NoticeRace(AccountError, Conflict):
    message = _l(
        "Another version was published at the same moment. Check the list and publish again "
        "if needed."
    )


def asked(user: User) -> bool:
    """Whether ``user`` must agree to the current notice to go on (service users)."""
    return user.role == Role.USER


def _first() -> NoticeVersion:
    """Version 1 as written by the migration (not added to any session)."""
    return NoticeVersion(
        number=1,
        body_id=notice_text.FIRST_ID,
        body_en=notice_text.FIRST_EN,
        changes_id=notice_text.FIRST_CHANGES_ID,
        changes_en=notice_text.FIRST_CHANGES_EN,
        published_at=None,
        published_by_id=None,
    )


@cache
def _current_number_statement() -> Select[int | None]:
    # Built once: every request of a signed-in service user runs it.
    return select(func.max(NoticeVersion.number))


def current_number(session: Session) -> int:
    """The current version's number (1 before any is stored)."""
    return session.scalar(_current_number_statement()) or 1


def current_notice(session: Session) -> NoticeVersion:
    """The latest version (version 1's text, unsaved, before any is stored)."""
    latest = session.scalar(select(NoticeVersion).order_by(NoticeVersion.number.desc()).limit(1))
    return latest if latest is not None else _first()


def notice(session: Session, number: int) -> NoticeVersion | None:
    """Version ``number``, or None."""
    found = session.scalar(select(NoticeVersion).where(NoticeVersion.number == number))
    if found is None and number == 1 and not _any_version(session):
        return _first()
    return found


def versions(session: Session) -> list[NoticeVersion]:
    """Every version, the newest first."""
    found = list(session.scalars(select(NoticeVersion).order_by(NoticeVersion.number.desc())))
    return found or [_first()]


def _any_version(session: Session) -> bool:
    return session.scalar(select(NoticeVersion.id).limit(1)) is not None


def _stored(session: Session, number: int | None, now: datetime) -> NoticeVersion:
    """Version ``number`` (None: the current one) as a stored row, writing version 1
    first when none is stored yet; :class:`UnknownNotice` if there is no such version."""
    if not _any_version(session):
        if number not in (None, 1):
            raise UnknownNotice()
        first = _first()
        first.published_at = now
        try:
            with unit_of_work(session, savepoint=True):
                session.add(first)
                session.flush()
            return first
        except IntegrityError:
            pass  # written meanwhile by another transaction: read it below
    query = select(NoticeVersion)
    query = (
        query.order_by(NoticeVersion.number.desc()).limit(1)
        if number is None
        else query.where(NoticeVersion.number == number)
    )
    found = session.scalar(query)
    if found is None:
        raise UnknownNotice()
    return found


@transactional
def record(
    session: Session,
    *,
    channel: ConsentChannel,
    notice_number: int | None,
    user_id: int | None,
    now: datetime,
    visit_id: int | None = None,
    recorded_by_id: int | None = None,
    locale: str | None = None,
) -> Consent:
    """Record that ``user_id`` (or the visitor of guest-book visit ``visit_id``) agreed
    to version ``notice_number`` — the one they were shown; None: the current one."""
    if user_id is None and visit_id is None:
        raise ValueError("a consent needs its subject: an account or a visit")
    version = _stored(session, notice_number, now)
    consent = Consent(
        notice_id=version.id,
        user_id=user_id,
        visit_id=visit_id,
        channel=channel,
        recorded_by_id=recorded_by_id,
        locale=locale if locale in ("id", "en") else None,
        given_at=now,
    )
    session.add(consent)
    session.flush()
    subject = ("user", user_id) if user_id is not None else ("desk_visit", visit_id)
    audit.record(
        session,
        "privacy.consent_recorded",
        actor_id=recorded_by_id,
        subject_type=subject[0],
        subject_id=subject[1],
        detail={"version": version.number, "via": channel.value},
        at=now,
    )
    return consent


@transactional
def accept(
    session: Session, user: User, notice_number: int | None, *, locale: str | None, now: datetime
) -> Consent:
    """``user`` accepted version ``notice_number`` on the page asking again."""
    return record(
        session,
        channel=ConsentChannel.RECONSENT,
        notice_number=notice_number,
        user_id=user.id,
        recorded_by_id=user.id,
        locale=locale,
        now=now,
    )


def latest(session: Session, user_id: int) -> Consent | None:
    """``user_id``'s consent to the highest version they agreed to (the latest such)."""
    return session.scalar(
        select(Consent)
        .join(NoticeVersion, Consent.notice_id == NoticeVersion.id)
        .where(Consent.user_id == user_id)
        .order_by(NoticeVersion.number.desc(), Consent.given_at.desc(), Consent.id.desc())
        .limit(1)
    )


def agreed_number(session: Session, user_id: int) -> int | None:
    """The highest version ``user_id`` agreed to, or None."""
    return session.scalar(
        select(func.max(NoticeVersion.number))
        .join(Consent, Consent.notice_id == NoticeVersion.id)
        .where(Consent.user_id == user_id)
    )


def must_ask(session: Session, user: User) -> bool:
    """Whether ``user`` must agree to the current version before going on."""
    if not asked(user):
        return False
    agreed = agreed_number(session, user.id)
    return agreed is None or agreed < current_number(session)


def changes_since(session: Session, number: int | None) -> list[NoticeVersion]:
    """The versions after ``number`` (all when None), the newest first: what a
    person asked again is shown as changed."""
    query = select(NoticeVersion).order_by(NoticeVersion.number.desc())
    if number is not None:
        query = query.where(NoticeVersion.number > number)
    return list(session.scalars(query)) or [current_notice(session)]


def history(session: Session, user_id: int) -> list[Consent]:
    """Every consent of ``user_id``, the newest first."""
    return list(
        session.scalars(
            select(Consent)
            .where(Consent.user_id == user_id)
            .order_by(Consent.given_at.desc(), Consent.id.desc())
        )
    )


@transactional
def publish(
    session: Session,
    *,
    body_id: str,
    body_en: str,
    changes_id: str,
    changes_en: str,
    actor_id: int,
    now: datetime,
) -> NoticeVersion:
    """Publish the next version; service users are asked to accept it at their next
    request. Version 1 is stored first if it is not (so that the version people were
    shown keeps its number)."""
    texts = [t.strip() for t in (body_id, body_en, changes_id, changes_en)]
    if (
        not all(texts)
        or max(len(texts[0]), len(texts[1])) > MAX_BODY
        or max(len(texts[2]), len(texts[3])) > MAX_CHANGES
    ):
        raise NoticeIncomplete()
    _stored(session, None, now)
    number = current_number(session) + 1
    version = NoticeVersion(
        number=number,
        body_id=texts[0],
        body_en=texts[1],
        changes_id=texts[2],
        changes_en=texts[3],
        published_at=now,
        published_by_id=actor_id,
    )
    session.add(version)
    try:
        session.flush()
    except IntegrityError:
        raise NoticeRace() from None  # the unique number: another admin was first
    audit.record(
        session,
        "privacy.notice_published",
        actor_id=actor_id,
        subject_type="privacy_notice",
        subject_id=number,
        detail={"version": number},
        at=now,
    )
    return version
