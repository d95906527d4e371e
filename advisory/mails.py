"""The advisory's mails, in the recipient's language, sent after commit.

Every status change mails the requester; officers get a mail when something is given
to them (an assignment, an escalation, a reply) and with reminders. The office's
default (SMTP when configured, else the outbox folder) carries them.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.mail import Mail, current_mailer, send_after_commit


def _locale(user: User) -> str:
    return user.locale or str(current_app.config["DEFAULT_LOCALE"])


def compose(
    user: User,
    subject: Any,
    template: str,
    *,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    **context: Any,
) -> Mail:
    """A mail from ``advisory/mail/<template>.txt``; ``subject`` is a lazy string."""
    with force_locale(_locale(user)):
        return Mail(
            to=user.email,
            subject=str(subject),
            text=render_template(f"advisory/mail/{template}.txt", user=user, **context),
            attachments=attachments,
        )


def send(
    session: Session,
    user: User | None,
    subject: Any,
    template: str,
    *,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    **context: Any,
) -> None:
    """Mail ``user`` once ``session`` commits (nobody to mail: nothing happens)."""
    if user is None or not user.email or not user.active:
        return
    mail = compose(user, subject, template, attachments=attachments, **context)
    send_after_commit(session, current_mailer(), mail)
