"""Changing a signed-in person's email address, verified again.

The person asks with their password; a signed link goes to the new address and a
notice to the old one. Until the link is followed the old address stays the account's
(it signs in, it receives mail). The link names the account, the old and the new
address, so it works once: after the change the old address no longer matches.
An address another account has gets no link (and the caller is not told: that would
reveal which addresses have accounts).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.accounts.errors import EmailTaken, EmailUnchanged, InvalidToken, WrongPassword
from app.accounts.models import User
from app.accounts.passwords import verify_password
from app.accounts.services.addresses import check_email, find_by_email
from app.accounts.services.links import LinkMaker
from app.accounts.services.trail import trail
from app.accounts.tokens import LinkSigner, same
from app.mail import Mailer, mail_to, send_after_commit
from app.uow import transactional

PURPOSE = "email-change"


def email_change_token(signer: LinkSigner, user: User, new_email: str) -> str:
    return signer.dumps(PURPOSE, {"uid": user.id, "old": user.email or "", "new": new_email})


@transactional
def request_email_change(
    session: Session,
    user: User,
    *,
    new_email: str,
    password: str,
    mailer: Mailer,
    signer: LinkSigner,
    confirm_link: LinkMaker,
) -> None:
    """Mail the link to ``new_email`` and a notice to the current address."""
    if not verify_password(user.password_hash, password):
        raise WrongPassword()
    address = check_email(new_email)
    if user.email is not None and same(address, user.email):
        raise EmailUnchanged()
    trail(session, "account.email_change_requested", user, actor_id=user.id)
    if user.email:
        send_after_commit(
            session,
            mailer,
            mail_to(
                user,
                _l("A change of your email address was asked for"),
                "mail/email_change_notice.txt",
                new_email=address,
            ),
        )
    if find_by_email(session, address) is not None:
        return
    link = confirm_link(email_change_token(signer, user, address))
    mail = mail_to(
        user, _l("Confirm your new email address"), "mail/email_change_confirm.txt", link=link
    )
    send_after_commit(session, mailer, replace(mail, to=address))


def read_email_change(
    session: Session, token: str, *, signer: LinkSigner, max_age: int
) -> tuple[User, str]:
    """The account and new address a link names, while it is still valid."""
    data = signer.loads(PURPOSE, token, max_age)
    user = session.get(User, data.get("uid")) if data else None
    if (
        data is None
        or user is None
        or not user.active
        or user.email is None
        or not same(user.email, str(data.get("old", "")))
        or not isinstance(data.get("new"), str)
    ):
        raise InvalidToken()
    return user, str(data["new"])


@transactional
def confirm_email_change(
    session: Session, token: str, *, signer: LinkSigner, max_age: int, now: datetime
) -> User:
    """The owner of the new address followed the link: the account takes it."""
    user, address = read_email_change(session, token, signer=signer, max_age=max_age)
    other = find_by_email(session, address)
    if other is not None and other.id != user.id:
        raise EmailTaken()
    user.email = address
    user.email_verified_at = now
    trail(session, "account.email_changed", user, actor_id=user.id)
    try:
        session.flush()  # a race for the address: the unique index decides
    except IntegrityError:
        raise EmailTaken() from None
    return user


audit.label_actions(
    {
        "account.email_change_requested": _l("Change of email address asked for"),
        "account.email_changed": _l("Email address changed"),
    }
)
